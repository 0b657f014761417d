// SPDX-License-Identifier: Apache-2.0
/*
 * python.c — installed Python distributions (ecosystem "PyPI"): wheels' *.dist-info/METADATA,
 * setuptools' *.egg-info/PKG-INFO (or a *.egg-info file, as distutils wrote it), and eggs'
 * EGG-INFO/PKG-INFO.
 *
 * Name and version come from the core-metadata headers (RFC 822 style: "Name: requests"),
 * kept as written; the package URL and matching apply PEP 503 normalization later. A
 * distribution whose metadata file is gone is not installed, whatever else of it remains:
 * a whiteout of PKG-INFO removes the package even though its egg-info directory and code
 * stay (app-multi's layer 6 does exactly that to Jinja2).
 *
 * Owned files, best source first: RECORD (dist-info; paths relative to the directory
 * holding the dist-info), installed-files.txt (egg-info; relative to the egg-info),
 * SOURCES.txt (relative to the source tree; only files present next to the egg-info),
 * then top_level.txt (Debian's egg-info ships no file list: own the top-level modules it
 * names), then a module named like the distribution. The metadata directory itself is
 * always owned.
 *
 * What it is not: a reader of requirements files, Pipfile.lock or poetry.lock (declared,
 * not installed), nor of zipped .egg/.whl archives.
 */
#include "lang.h"

#define PY_MAX_HEADER_LINE 4096

/* ---------------------------------------------------------------- metadata parser */

/* Last " :: " segment of a trove classifier ("License :: OSI Approved :: MIT License"). */
static void classifier_license(const char *v, size_t n, struct ks_buf *lic)
{
	const char *last = v;

	if (n < 11 || memcmp(v, "License ::", 10) != 0)
		return;
	for (size_t i = 0; i + 4 <= n; i++)
		if (memcmp(v + i, " :: ", 4) == 0)
			last = v + i + 4;
	if (last == v)
		return;
	n -= (size_t)(last - v);
	ks_trim(&last, &n);
	if (!n || (n == 12 && memcmp(last, "OSI Approved", 12) == 0))
		return;
	if (lic->len)
		ks_buf_adds(lic, ", ");
	ks_buf_add(lic, last, n);
}

static bool header_is(const char *line, size_t klen, const char *name)
{
	return strlen(name) == klen && strncasecmp(line, name, klen) == 0;
}

int ks_pymeta_parse(struct ks_arena *a, const char *data, size_t len, struct ks_pymeta *out)
{
	const char *p = data, *end = data + len, *line;
	const char *expr = NULL, *lic = NULL;
	size_t ll, expr_len = 0, lic_len = 0;
	bool lic_multiline = false, in_license = false;
	struct ks_buf classifiers = { NULL, 0, 0, 64 << 10 };
	int result = 0;

	memset(out, 0, sizeof(*out));
	while (ks_next_line(&p, end, &line, &ll)) {
		const char *colon, *v;
		size_t klen, vl;

		if (ll == 0)
			break;	/* the body (long description) follows */
		if (line[0] == ' ' || line[0] == '\t') {
			/* a continuation: a License spanning lines is a license text, not a name */
			if (in_license) {
				const char *c = line;
				size_t cl = ll;

				ks_trim(&c, &cl);
				lic_multiline |= cl > 0;
			}
			continue;
		}
		in_license = false;
		colon = memchr(line, ':', KS_MIN(ll, (size_t)PY_MAX_HEADER_LINE));
		if (!colon)
			continue;
		klen = (size_t)(colon - line);
		v = colon + 1;
		vl = ll - klen - 1;
		ks_trim(&v, &vl);
		if (header_is(line, klen, "Name") && !out->name && vl) {
			out->name = ks_arena_strndup(a, v, vl);
			if (!out->name) {
				result = KENSA_ENOMEM;
				goto out;
			}
		} else if (header_is(line, klen, "Version") && !out->version && vl) {
			out->version = ks_arena_strndup(a, v, vl);
			if (!out->version) {
				result = KENSA_ENOMEM;
				goto out;
			}
		} else if (header_is(line, klen, "License-Expression") && vl) {
			expr = v;
			expr_len = vl;
		} else if (header_is(line, klen, "License") && !lic) {
			lic = v;
			lic_len = vl;
			in_license = true;
		} else if (header_is(line, klen, "Classifier")) {
			classifier_license(v, vl, &classifiers);
		}
	}
	/* License-Expression, else a one-line License that names one, else the classifiers */
	if (expr) {
		lic = expr;
		lic_len = expr_len;
	} else if (!lic || !lic_len || lic_multiline || lic_len > 200 ||
		   (lic_len == 7 && strncasecmp(lic, "UNKNOWN", 7) == 0)) {
		lic = classifiers.len ? classifiers.data : NULL;
		lic_len = classifiers.len;
	}
	if (lic && !(out->license = ks_arena_strndup(a, lic, lic_len)))
		result = KENSA_ENOMEM;
out:
	ks_buf_release(&classifiers);
	return result;
}

int ks_pyrecord_each(const char *data, size_t len, int (*fn)(void *ud, const char *p, size_t n),
		     void *ud)
{
	const char *p = data, *end = data + len, *line;
	size_t ll;

	while (ks_next_line(&p, end, &line, &ll)) {
		const char *path = line;
		size_t n;
		int result;

		if (ll == 0)
			continue;
		if (line[0] == '"') {
			/* CSV quoting: "a,b.py" with "" for a quote inside; such names are rare, so
			 * only the plain quoted form (no doubled quotes) is taken */
			const char *q = memchr(line + 1, '"', ll - 1);

			if (!q || (q + 1 < line + ll && q[1] == '"'))
				continue;
			path = line + 1;
			n = (size_t)(q - path);
		} else {
			const char *comma = memchr(line, ',', ll);

			n = comma ? (size_t)(comma - line) : ll;
		}
		if (n == 0)
			continue;
		result = fn(ud, path, n);
		if (result)
			return result;
	}
	return 0;
}

/* ---------------------------------------------------------------- analyzer */

static bool parent_endswith(const char *path, size_t dirlen, const char *suffix)
{
	return ks_mem_endswith(path, dirlen, suffix);
}

static bool py_match(const struct ks_node *n)
{
	const char *base = ks_path_basename(n->path);
	size_t dl = (size_t)(base - n->path);	/* directory part incl. the trailing '/' */

	if (dl < 2)
		return ks_str_endswith(base, ".egg-info") && base[0] != '.';
	dl--;
	if (parent_endswith(n->path, dl, ".dist-info"))
		return strcmp(base, "METADATA") == 0 || strcmp(base, "RECORD") == 0 ||
		       strcmp(base, "top_level.txt") == 0;
	if (parent_endswith(n->path, dl, ".egg-info") || parent_endswith(n->path, dl, "/EGG-INFO"))
		return strcmp(base, "PKG-INFO") == 0 || strcmp(base, "installed-files.txt") == 0 ||
		       strcmp(base, "SOURCES.txt") == 0 || strcmp(base, "top_level.txt") == 0;
	/* distutils' single-file egg-info */
	return ks_str_endswith(base, ".egg-info") && base[0] != '.';
}

/* Content of `dir`/`name` as this analyzer read it, or false. */
static bool companion(struct ks_actx *x, const char *dir, const char *name, const char **data,
		      size_t *len)
{
	char path[KS_MAX_PATH];
	const struct ks_node *n;
	const unsigned char *d;
	int pl = snprintf(path, sizeof(path), "%s/%s", dir, name);

	if (pl < 0 || (size_t)pl >= sizeof(path))
		return false;
	n = ks_tree_get(x->tree, path, (size_t)pl);
	if (!n || !ks_acontent(x, n, &d, len))
		return false;
	*data = (const char *)d;
	return true;
}

struct own_ctx {
	struct ks_actx *x;
	struct kensa_package *p;
	const char *base;	/* directory the listed paths are relative to */
	bool only_existing;	/* SOURCES.txt lists the source tree, not the installation */
	size_t added;
};

static int own_listed(void *ud, const char *rel, size_t n)
{
	struct own_ctx *c = ud;
	char path[KS_MAX_PATH];
	size_t pl = ks_lang_path_join(c->base, rel, n, path);

	if (!pl)
		return 0;
	if (c->only_existing && !ks_tree_get(c->x->tree, path, pl)) {
		/* src layout: "src/pkg/mod.py" is installed as "pkg/mod.py" */
		const char *slash = memchr(rel, '/', n);

		if (!slash)
			return 0;
		n -= (size_t)(slash + 1 - rel);
		pl = ks_lang_path_join(c->base, slash + 1, n, path);
		if (!pl || !ks_tree_get(c->x->tree, path, pl))
			return 0;
	}
	c->added++;
	return ks_pkg_add_file(c->x, c->p, path, pl);
}

static int own_lines(struct own_ctx *c, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *line;
	size_t ll;

	while (ks_next_line(&p, end, &line, &ll)) {
		int result;

		ks_trim(&line, &ll);
		if (!ll || line[0] == '#')
			continue;
		result = own_listed(c, line, ll);
		if (result)
			return result;
	}
	return 0;
}

/* Own the top-level module `mod` of site directory `site`: mod/, mod.py, mod.*.so, its .pyc. */
static int own_module(struct ks_actx *x, struct kensa_package *p, const char *site, const char *mod,
		      size_t ml)
{
	char path[KS_MAX_PATH], prefix[KS_MAX_PATH];
	size_t pl, first, end;
	int result;

	if (!ml || memchr(mod, '\0', ml) || (ml == 2 && memcmp(mod, "..", 2) == 0) ||
	    mod[0] == '.' || mod[0] == '/')
		return 0;
	pl = ks_lang_path_join(site, mod, ml, path);
	if (!pl || strncmp(path, site, strlen(site)) != 0)
		return 0;
	result = ks_lang_own_dir(x, p, path, false);
	if (result)
		return result;
	/* single-file modules and extensions: mod.py, mod.cpython-311-x86_64-linux-gnu.so */
	for (int pass = 0; pass < 2; pass++) {
		int n = pass == 0 ? snprintf(prefix, sizeof(prefix), "%s.", path)
				  : snprintf(prefix, sizeof(prefix), "%s/__pycache__/%.*s.", site,
					     (int)ml, mod);

		if (n < 0 || (size_t)n >= sizeof(prefix))
			continue;
		ks_tree_prefix(x->tree, prefix, &first, &end);
		for (size_t i = first; i < end; i++) {
			const struct ks_node *node = x->tree->nodes[i];

			if (node->kind == KS_DIR || strchr(node->path + n, '/'))
				continue;
			result = ks_pkg_add_file(x, p, node->path, node->plen);
			if (result)
				return result;
		}
	}
	return 0;
}

static int own_top_level(struct ks_actx *x, struct kensa_package *p, const char *meta_dir,
			 const char *site)
{
	const char *data;
	size_t len;
	int result = 0;

	if (meta_dir && companion(x, meta_dir, "top_level.txt", &data, &len)) {
		const char *s = data, *end = data + len, *line;
		size_t ll;

		while (!result && ks_next_line(&s, end, &line, &ll)) {
			ks_trim(&line, &ll);
			result = own_module(x, p, site, line, ll);
		}
		return result;
	}
	/* no list at all: a module named like the distribution ("six" → six.py) */
	{
		char mod[256];
		size_t ml = 0;

		for (const char *c = p->name; *c && ml < sizeof(mod) - 1; c++)
			mod[ml++] = (*c == '-' || *c == '.') ? '_' : *c;
		result = own_module(x, p, site, mod, ml);
		for (size_t i = 0; i < ml && !result; i++)
			mod[i] = (char)((mod[i] >= 'A' && mod[i] <= 'Z') ? mod[i] - 'A' + 'a'
									 : mod[i]);
		if (!result && strncmp(mod, p->name, ml) != 0)
			result = own_module(x, p, site, mod, ml);
	}
	return result;
}

enum py_kind { PY_DIST_INFO, PY_EGG_INFO, PY_EGG_FILE, PY_EGG_DIR };

static int py_package(struct ks_actx *x, const struct ks_node *n, enum py_kind kind)
{
	char meta_dir[KS_MAX_PATH], site[KS_MAX_PATH];
	const unsigned char *data;
	const char *list;
	size_t len, list_len, dl;
	struct ks_pymeta meta;
	struct kensa_package *p;
	struct own_ctx oc;
	int result;

	if (!ks_acontent(x, n, &data, &len))
		return 0;
	result = ks_pymeta_parse(&x->inv->arena, (const char *)data, len, &meta);
	if (result)
		return result;
	if (!meta.name || !meta.version || !*meta.name || !*meta.version) {
		ks_awarn(x, n->path, "no %s header; not a distribution's metadata, skipped",
			 meta.name && *meta.name ? "Version" : "Name");
		return 0;
	}
	p = ks_pkg_new(x, n, "PyPI", meta.name, meta.version);
	if (!p)
		return KENSA_ENOMEM;
	p->license = meta.license;

	/* meta_dir: the .dist-info / .egg-info / EGG-INFO directory; site: where its files live */
	dl = kind == PY_EGG_FILE ? n->plen : ks_path_dirlen(n->path, n->plen);
	snprintf(meta_dir, sizeof(meta_dir), "%.*s", (int)dl, n->path);
	dl = ks_path_dirlen(meta_dir, strlen(meta_dir));
	snprintf(site, sizeof(site), "%.*s", (int)dl, meta_dir);
	if (kind == PY_EGG_FILE) {
		result = ks_pkg_add_file(x, p, n->path, n->plen);
		return result ? result : own_top_level(x, p, NULL, site);
	}
	result = ks_lang_own_dir(x, p, meta_dir, false);
	if (result)
		return result;
	if (kind == PY_EGG_DIR)
		return ks_lang_own_dir(x, p, site, false);	/* an unzipped egg: all of it */

	oc = (struct own_ctx){ x, p, site, false, 0 };
	if (kind == PY_DIST_INFO && companion(x, meta_dir, "RECORD", &list, &list_len))
		return ks_pyrecord_each(list, list_len, own_listed, &oc);
	if (kind == PY_EGG_INFO &&
	    companion(x, meta_dir, "installed-files.txt", &list, &list_len)) {
		oc.base = meta_dir;
		return own_lines(&oc, list, list_len);
	}
	if (kind == PY_EGG_INFO && companion(x, meta_dir, "SOURCES.txt", &list, &list_len)) {
		oc.only_existing = true;
		result = own_lines(&oc, list, list_len);
		if (result || oc.added)
			return result;
	}
	return own_top_level(x, p, meta_dir, site);
}

static int py_scan(struct ks_actx *x)
{
	int result = 0;

	for (size_t i = 0; i < x->nnodes && !result; i++) {
		const struct ks_node *n = x->nodes[i];
		const char *base = ks_path_basename(n->path);
		size_t dl = (size_t)(base - n->path);

		if (strcmp(base, "METADATA") == 0)
			result = py_package(x, n, PY_DIST_INFO);
		else if (strcmp(base, "PKG-INFO") == 0)
			result =
				py_package(x, n,
					   dl >= 10 && ks_mem_endswith(n->path, dl - 1, "/EGG-INFO")
						   ? PY_EGG_DIR
						   : PY_EGG_INFO);
		else if (ks_str_endswith(base, ".egg-info"))
			result = py_package(x, n, PY_EGG_FILE);
	}
	return result;
}

const struct ks_analyzer ks_analyzer_python = {
	.name = "python",
	.match = py_match,
	.max_size = (uint64_t)16 << 20,
	.scan = py_scan,
};
