// SPDX-License-Identifier: Apache-2.0
/*
 * php.c — PHP packages installed by Composer (ecosystem "Packagist", names "vendor/package").
 *
 * Installed: vendor/composer/installed.json, a JSON array of packages (Composer 1) or
 * {"packages": [...], "dev-package-names": [...]} (Composer 2, which also says which of them
 * are development-only). Each package owns its install directory (Composer 2's
 * "install-path", relative to vendor/composer/; Composer 1 installs into vendor/<name>/).
 * Lock file: composer.lock, "packages" and "packages-dev" (flagged dev); its entries carry
 * KENSA_PKG_LOCKFILE. A composer.lock inside vendor/ belongs to an installed package and is
 * skipped.
 *
 * The version is kept as Composer wrote it ("v5.4.0" for many projects that tag with a v).
 * When it starts with a "v", Composer's own normalized form ("5.4.0.0", or the version
 * without the "v") is recorded in the "composer:version-normalized" property for matchers
 * that compare against advisories written without it.
 *
 * What it is not: a reader of composer.json (ranges, not versions).
 */
#include "lang.h"

static const char *composer_license(const cJSON *pkg, struct ks_buf *b)
{
	const cJSON *l = ks_json_get(pkg, "license");

	if (cJSON_IsString(l))
		return l->valuestring;
	ks_buf_reset(b);
	ks_json_each(e, cJSON_IsArray(l) ? l : NULL) {
		if (!cJSON_IsString(e) || !*e->valuestring)
			continue;
		if (b->len)
			ks_buf_adds(b, ", ");
		ks_buf_adds(b, e->valuestring);
	}
	return b->len ? b->data : NULL;
}

static bool in_names(const cJSON *names, const char *name)
{
	ks_json_each(e, names)
		if (cJSON_IsString(e) && strcmp(e->valuestring, name) == 0)
			return true;
	return false;
}

static int composer_packages(const cJSON *arr, bool dev, const cJSON *dev_names,
			     const struct ks_lang_sink *s)
{
	struct ks_buf lic = { NULL, 0, 0, 4096 };
	int result = 0;

	ks_json_each(e, arr) {
		struct ks_lang_pkg p = { 0 };
		const char *norm;

		p.name = ks_json_str(e, "name");
		p.version = ks_json_str(e, "version");
		if (!p.name || !*p.name || !p.version || !*p.version) {
			ks_lang_warn(s, "a package without %s; skipped",
				     p.name && *p.name ? "a version" : "a name");
			continue;
		}
		p.license = composer_license(e, &lic);
		p.dev = dev || (dev_names && in_names(dev_names, p.name));
		p.path = ks_json_str(e, "install-path");
		if ((p.version[0] == 'v' || p.version[0] == 'V') && p.version[1] >= '0' &&
		    p.version[1] <= '9') {
			norm = ks_json_str(e, "version_normalized");
			p.prop_key = "composer:version-normalized";
			p.prop_value = norm && *norm ? norm : p.version + 1;
		}
		result = s->pkg(s->ud, &p);
		if (result)
			break;
	}
	ks_buf_release(&lic);
	return result;
}

int ks_composer_parse(const char *data, size_t len, bool installed, const struct ks_lang_sink *s)
{
	cJSON *j = ks_lang_json_parse(data, len, s);
	const cJSON *pkgs;
	int result = 0;

	if (!j)
		return 0;
	if (installed) {
		/* Composer 1: an array; Composer 2: {"packages": [], "dev-package-names": []} */
		pkgs = cJSON_IsArray(j) ? j : ks_json_arr(j, "packages");
		if (!pkgs)
			ks_lang_warn(s, "neither an array nor an object with \"packages\"");
		else
			result = composer_packages(pkgs, false, ks_json_arr(j, "dev-package-names"),
						   s);
	} else if (!cJSON_IsObject(j)) {
		ks_lang_warn(s, "not a JSON object");
	} else {
		result = composer_packages(ks_json_arr(j, "packages"), false, NULL, s);
		if (!result)
			result = composer_packages(ks_json_arr(j, "packages-dev"), true, NULL, s);
	}
	cJSON_Delete(j);
	return result;
}

/* ---------------------------------------------------------------- analyzer */

#define INSTALLED_JSON "/vendor/composer/installed.json"

static bool php_match(const struct ks_node *n)
{
	return ks_str_endswith(n->path, INSTALLED_JSON) ||
	       strcmp(ks_path_basename(n->path), "composer.lock") == 0;
}

/* installed.json lives in vendor/composer/: the package is in install-path, or vendor/<name>. */
static int own_install_dir(struct ks_lang_emit *e, struct kensa_package *p,
			   const struct ks_lang_pkg *lp)
{
	char base[KS_MAX_PATH], dir[KS_MAX_PATH], rel[KS_MAX_PATH];
	size_t dl = ks_path_dirlen(e->from->path, e->from->plen), n;
	int rl;

	snprintf(base, sizeof(base), "%.*s", (int)dl, e->from->path);
	rl = lp->path ? snprintf(rel, sizeof(rel), "%s", lp->path)
		      : snprintf(rel, sizeof(rel), "../%s", lp->name);
	if (rl < 0 || (size_t)rl >= sizeof(rel))
		return 0;
	n = ks_lang_path_join(base, rel, (size_t)rl, dir);
	/* never further out than the vendor directory itself */
	dl = ks_path_dirlen(base, strlen(base));
	if (!n || n <= dl || strncmp(dir, base, dl) != 0 || dir[dl] != '/')
		return 0;
	return ks_lang_own_dir(e->x, p, dir, false);
}

static int php_scan(struct ks_actx *x)
{
	int result = 0;

	for (size_t i = 0; i < x->nnodes && !result; i++) {
		const struct ks_node *n = x->nodes[i];
		bool installed = ks_str_endswith(n->path, INSTALLED_JSON);
		struct ks_lang_emit e = { x, n, "Packagist", installed ? 0 : KENSA_PKG_LOCKFILE,
					  installed ? own_install_dir : NULL, 0 };
		struct ks_lang_sink sink = KS_LANG_SINK(&e);
		const unsigned char *data;
		size_t len;

		if (!ks_acontent(x, n, &data, &len))
			continue;
		if (!installed && ks_lang_vendored(x->tree, n->path)) {
			ks_debug("%s: %s: lock file of an installed package, not of a project; "
				 "skipped",
				 x->tree->target, n->path);
			continue;
		}
		result = ks_composer_parse((const char *)data, len, installed, &sink);
	}
	return result;
}

const struct ks_analyzer ks_analyzer_php = {
	.name = "composer",
	.match = php_match,
	.max_size = KS_LANG_MAX_DOC,
	.scan = php_scan,
};
