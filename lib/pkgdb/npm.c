// SPDX-License-Identifier: Apache-2.0
/*
 * npm.c — Node.js packages (ecosystem "npm"): installed packages and the project lock files
 * that declare them.
 *
 * Installed: the package.json directly inside a package directory, that is
 * <any>/node_modules/<pkg>/package.json and <any>/node_modules/@scope/<pkg>/package.json
 * (a nested node_modules holds packages of its own), plus Debian's node-* packages under
 * /usr/share/nodejs/, /usr/lib/nodejs/ and /usr/lib/<triplet>/nodejs/. A package.json deeper
 * inside a package (node_modules/x/lib/package.json) describes no package. A project's own
 * package.json (/app/package.json, beside node_modules or a lock file) is the application:
 * reported with KENSA_PKG_MAIN (it is in the image, Trivy lists it too) and never matched
 * against the registry's advisories. An installed package owns every file under its directory except its nested
 * node_modules.
 *
 * Lock files of a project: package-lock.json / npm-shrinkwrap.json (here), yarn.lock
 * (yarn.c) and pnpm-lock.yaml (pnpm.c). Their packages carry KENSA_PKG_LOCKFILE (the
 * inventory drops those an installed package.json states with the same version) and
 * KENSA_PKG_DEV when the lock says so. Lock files inside node_modules (npm's hidden
 * .package-lock.json, lock files shipped in a tarball) or inside another installed package
 * are that package's business, not this image's: they are skipped.
 *
 * What it is not: a resolver. Nothing here reads package.json dependency ranges.
 */
#include "lang.h"

#define NPM_MAX_NAME 256
#define NPM_MAX_LOCK_DEPTH 128

/* ---------------------------------------------------------------- package.json */

/* "license": "MIT" | {"type": "MIT"}; old "licenses": [{"type": "MIT"}, "BSD"] */
static const char *pkg_license(const cJSON *j, struct ks_buf *b)
{
	const cJSON *l = ks_json_get(j, "license");

	if (cJSON_IsString(l))
		return l->valuestring;
	if (cJSON_IsObject(l))
		return ks_json_str(l, "type");
	ks_json_each(e, ks_json_arr(j, "licenses")) {
		const char *t = cJSON_IsString(e) ? e->valuestring : ks_json_str(e, "type");

		if (!t || !*t)
			continue;
		if (b->len)
			ks_buf_adds(b, " OR ");
		ks_buf_adds(b, t);
	}
	return b->len ? b->data : NULL;
}

int ks_npm_package_json_parse(const char *data, size_t len, const struct ks_lang_sink *s)
{
	cJSON *j = ks_lang_json_parse(data, len, s);
	struct ks_buf lic = { NULL, 0, 0, 4096 };
	struct ks_lang_pkg p = { 0 };
	int result = 0;

	if (!j)
		return 0;
	if (!cJSON_IsObject(j)) {
		ks_lang_warn(s, "not a JSON object");
		goto out;
	}
	p.name = ks_json_str(j, "name");
	p.version = ks_json_str(j, "version");
	if (!p.name || !*p.name || !p.version || !*p.version) {
		ks_lang_warn(s, "no \"%s\" string; not a package, skipped",
			     p.name && *p.name ? "version" : "name");
		goto out;
	}
	p.license = pkg_license(j, &lic);
	result = s->pkg(s->ud, &p);
out:
	ks_buf_release(&lic);
	cJSON_Delete(j);
	return result;
}

/* ---------------------------------------------------------------- package-lock.json */

/* A registry version, not a URL, path or git reference ("file:../x", "git+ssh://…"). */
static bool registry_version(const char *v)
{
	return *v && !strchr(v, ':') && !strchr(v, '/');
}

static int emit_lock(const struct ks_lang_sink *s, const char *name, const char *version,
		     const cJSON *e, const char *path)
{
	char real[NPM_MAX_NAME];
	struct ks_lang_pkg p = { 0 };

	/* an alias: "string-width-cjs": {"version": "npm:string-width@4.2.3"} */
	if (strncmp(version, "npm:", 4) == 0) {
		const char *spec = version + 4, *at = *spec ? strrchr(spec + 1, '@') : NULL;

		if (!at || (size_t)(at - spec) >= sizeof(real)) {
			ks_lang_warn(s, "'%s': cannot read the alias \"%s\"; skipped", name,
				     version);
			return 0;
		}
		memcpy(real, spec, (size_t)(at - spec));
		real[at - spec] = '\0';
		name = real;
		version = at + 1;
	}
	if (!registry_version(version))
		return 0;	/* a link, a tarball or a git checkout: not a registry release */
	p.name = name;
	p.version = version;
	p.dev = ks_json_bool(e, "dev", false);
	p.license = ks_json_str(e, "license");
	p.path = path;
	return s->pkg(s->ud, &p);
}

/* lockfileVersion 1: "dependencies": {name: {version, dev, dependencies: {…}}}, nested. */
static int lock_v1(const cJSON *deps, const struct ks_lang_sink *s, int depth, bool *deep_warned)
{
	ks_json_each(e, deps) {
		const char *version = ks_json_str(e, "version");
		const cJSON *sub;
		int result;

		if (!cJSON_IsObject(e) || !e->string || !*e->string) {
			ks_lang_warn(s, "a dependency that is not a named object; skipped");
			continue;
		}
		if (!version || !*version) {
			ks_lang_warn(s, "'%s' has no version; skipped", e->string);
			continue;
		}
		result = emit_lock(s, e->string, version, e, NULL);
		if (result)
			return result;
		sub = ks_json_obj(e, "dependencies");
		if (!sub)
			continue;
		if (depth >= NPM_MAX_LOCK_DEPTH) {
			if (!*deep_warned)
				ks_lang_warn(s,
					     "dependencies nested deeper than %d levels; ignoring "
					     "the deeper ones",
					     NPM_MAX_LOCK_DEPTH);
			*deep_warned = true;
			continue;
		}
		result = lock_v1(sub, s, depth + 1, deep_warned);
		if (result)
			return result;
	}
	return 0;
}

/* lockfileVersion 2 and 3: "packages": {"node_modules/a/node_modules/@s/b": {version, dev}}. */
static int lock_v2(const cJSON *packages, const struct ks_lang_sink *s)
{
	ks_json_each(e, packages) {
		const char *key = e->string, *nm, *name, *version;
		int result;

		if (!key || !*key)
			continue;	/* "": the project itself */
		if (!cJSON_IsObject(e)) {
			ks_lang_warn(s, "'%s' is not an object; skipped", key);
			continue;
		}
		/* keys without node_modules/ are workspace folders (the project's own code) */
		nm = NULL;
		for (const char *c = key; (c = strstr(c, "node_modules/")); c++)
			if (c == key || c[-1] == '/')
				nm = c;
		if (!nm || ks_json_bool(e, "link", false))
			continue;
		name = ks_json_str(e, "name");
		if (!name || !*name)
			name = nm + strlen("node_modules/");
		version = ks_json_str(e, "version");
		if (!*name || !version || !*version) {
			ks_lang_warn(s, "'%s' has no %s; skipped", key, *name ? "version" : "name");
			continue;
		}
		result = emit_lock(s, name, version, e, key);
		if (result)
			return result;
	}
	return 0;
}

int ks_npm_lock_parse(const char *data, size_t len, const struct ks_lang_sink *s)
{
	cJSON *j = ks_lang_json_parse(data, len, s);
	const cJSON *packages, *deps;
	bool deep_warned = false;
	int result = 0;

	if (!j)
		return 0;
	if (!cJSON_IsObject(j)) {
		ks_lang_warn(s, "not a JSON object");
		goto out;
	}
	packages = ks_json_obj(j, "packages");
	deps = ks_json_obj(j, "dependencies");
	if (packages)
		result = lock_v2(packages, s);
	else if (deps)
		result = lock_v1(deps, s, 0, &deep_warned);
	else if (!ks_json_get(j, "lockfileVersion"))
		ks_lang_warn(s,
			     "no lockfileVersion, packages or dependencies: not an npm lock file");
out:
	cJSON_Delete(j);
	return result;
}

/* ---------------------------------------------------------------- analyzer */

/* Last component of path[0..len) as (*c, return value); *len becomes the parent's length. */
static size_t last_component(const char *path, size_t *len, const char **c)
{
	size_t e = *len, b = e;

	while (b > 0 && path[b - 1] != '/')
		b--;
	*c = path + b;
	*len = b > 0 ? b - 1 : 0;
	return e - b;
}

static bool slice_eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* Is `path` (…/package.json) directly inside a package directory? */
static bool package_json_of_package(const char *path)
{
	size_t len = (size_t)(ks_path_basename(path) - path), n;
	const char *pkg, *c;

	if (len < 2)
		return false;
	len--;	/* drop the '/' before package.json: path[0..len) is the package directory */
	n = last_component(path, &len, &pkg);
	if (n == 0 || pkg[0] == '.' || pkg[0] == '@')
		return false;
	/* an @scope directory in between */
	{
		size_t l2 = len;

		n = last_component(path, &l2, &c);
		if (n > 1 && c[0] == '@')
			len = l2;
	}
	/* …/node_modules/[@scope/]pkg */
	{
		size_t l2 = len;

		n = last_component(path, &l2, &c);
		if (slice_eq(c, n, "node_modules"))
			return true;
	}
	/* Debian: /usr/share/nodejs, /usr/lib/nodejs, /usr/lib/<triplet>/nodejs */
	if (slice_eq(path, len, "/usr/share/nodejs") || slice_eq(path, len, "/usr/lib/nodejs"))
		return true;
	return len > 16 && memcmp(path, "/usr/lib/", 9) == 0 &&
	       ks_mem_endswith(path, len, "/nodejs") && !memchr(path + 9, '/', len - 16);
}

enum npm_file { NPM_NONE, NPM_PACKAGE, NPM_PROJECT, NPM_LOCK, NPM_YARN, NPM_PNPM };

static enum npm_file npm_kind(const char *path)
{
	const char *base = ks_path_basename(path);

	if (strcmp(base, "package.json") == 0) {
		if (package_json_of_package(path))
			return NPM_PACKAGE;
		return strstr(path, "/node_modules/") ? NPM_NONE : NPM_PROJECT;
	}
	if (strstr(path, "/node_modules/"))
		return NPM_NONE;
	if (strcmp(base, "package-lock.json") == 0 || strcmp(base, "npm-shrinkwrap.json") == 0)
		return NPM_LOCK;
	if (strcmp(base, "yarn.lock") == 0)
		return NPM_YARN;
	if (strcmp(base, "pnpm-lock.yaml") == 0)
		return NPM_PNPM;
	return NPM_NONE;
}

static bool npm_match(const struct ks_node *n)
{
	return npm_kind(n->path) != NPM_NONE;
}

static int own_package_dir(struct ks_lang_emit *e, struct kensa_package *p,
			   const struct ks_lang_pkg *lp)
{
	char dir[KS_MAX_PATH];
	size_t dl = ks_path_dirlen(e->from->path, e->from->plen);

	KS_UNUSED(lp);
	snprintf(dir, sizeof(dir), "%.*s", (int)dl, e->from->path);
	return ks_lang_own_dir(e->x, p, dir, true);
}

/*
 * A package.json outside node_modules is a project (the application itself) when npm has
 * worked there: it has a node_modules directory or a lock file beside it. Anything else
 * (a stray package.json in a source tree) is not reported.
 */
static bool is_project(const struct ks_tree *t, const struct ks_node *n)
{
	static const char *const beside[] = { "/node_modules/", "/package-lock.json", "/npm-shrinkwrap.json",
					      "/yarn.lock", "/pnpm-lock.yaml" };
	size_t dl = ks_path_dirlen(n->path, n->plen);

	for (size_t i = 0; i < KS_ARRAY_SIZE(beside); i++) {
		char p[KS_MAX_PATH + 32];
		size_t first, end;

		snprintf(p, sizeof(p), "%.*s%s", dl > 1 ? (int)dl : 0, n->path, beside[i]);
		ks_tree_prefix(t, p, &first, &end);
		if (first < end)
			return true;
	}
	return false;
}

static int npm_scan(struct ks_actx *x)
{
	int result = 0;

	for (size_t i = 0; i < x->nnodes && !result; i++) {
		const struct ks_node *n = x->nodes[i];
		enum npm_file kind = npm_kind(n->path);
		struct ks_lang_emit e = { x, n, "npm", KENSA_PKG_LOCKFILE, NULL, 0 };
		struct ks_lang_sink sink = KS_LANG_SINK(&e);
		const unsigned char *data;
		size_t len;

		if (kind == NPM_NONE || !ks_acontent(x, n, &data, &len))
			continue;
		if (kind != NPM_PACKAGE && ks_lang_vendored(x->tree, n->path)) {
			ks_debug("%s: %s: lock file of an installed package, not of a project; "
				 "skipped",
				 x->tree->target, n->path);
			continue;
		}
		switch (kind) {
		case NPM_PACKAGE:
			e.flags = 0;
			e.owned = own_package_dir;
			result = ks_npm_package_json_parse((const char *)data, len, &sink);
			break;
		case NPM_PROJECT:
			/* the application: reported (it is in the image), flagged main, never matched */
			if (!is_project(x->tree, n))
				break;
			e.flags = KENSA_PKG_MAIN;
			e.owned = own_package_dir;
			result = ks_npm_package_json_parse((const char *)data, len, &sink);
			break;
		case NPM_LOCK:
			result = ks_npm_lock_parse((const char *)data, len, &sink);
			break;
		case NPM_YARN:
			result = ks_yarn_lock_parse((const char *)data, len, &sink);
			break;
		case NPM_PNPM:
			result = ks_pnpm_lock_parse((const char *)data, len, &sink);
			break;
		case NPM_NONE:
			break;
		}
	}
	return result;
}

const struct ks_analyzer ks_analyzer_npm = {
	.name = "npm",
	.match = npm_match,
	.max_size = KS_LANG_MAX_DOC,
	.scan = npm_scan,
};
