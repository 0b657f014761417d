// SPDX-License-Identifier: Apache-2.0
/*
 * ruby.c — Ruby gems (ecosystem "RubyGems"): installed specifications and Bundler lock files.
 *
 * Installed: <root>/specifications/<name>-<version>.gemspec and the default gems'
 * <root>/specifications/default/<name>-<version>.gemspec. These are Ruby source as `gem`
 * writes them (`Gem::Specification.new do |s|` … `s.name = "rake".freeze` …
 * `s.version = "13.0.6"`); we read the assignments, never evaluate anything. When the text
 * does not say, the "# stub: name version …" header and then the file name supply the
 * missing part.
 * A gem owns its directory <root>/gems/<name>-<version>/ and its compiled extensions
 * (<root>/extensions/<platform>/<api>/<name>-<version>/); a default gem's code lives in
 * Ruby's own library directories, so it owns the files its `s.files` lists there.
 *
 * Lock files: Gemfile.lock (and gems.locked): the specs of the GEM and GIT sections, four
 * spaces in ("    rack (2.2.3)"); six spaces in are their dependency ranges, ignored;
 * PATH specs are the project's own code. A platform suffix ("1.13.0-x86_64-linux") is not
 * part of the version. Lock files inside an installed gem (its development bundle) are
 * skipped.
 *
 * What it is not: a Ruby interpreter; gemspecs computing their fields are read as far as
 * literal strings go.
 */
#include <stdlib.h>

#include "lang.h"

#define GEM_MAX_NAME 256

/* ---------------------------------------------------------------- gemspec parser */

/*
 * Read a Ruby string literal at *p (single or double quoted, simple escapes) into buf.
 * Returns its length, or -1 when there is none; *p moves past it.
 */
static int ruby_string(const char **p, const char *end, char *buf, size_t bufsz)
{
	const char *s = *p;
	char q;
	size_t o = 0;

	while (s < end && (*s == ' ' || *s == '\t' || *s == '(' || *s == '['))
		s++;
	if (s >= end || (*s != '"' && *s != '\''))
		return -1;
	q = *s++;
	while (s < end && *s != q) {
		char c = *s++;

		if (c == '\\' && s < end)
			c = *s++;
		if (o + 1 >= bufsz || c == '\0')
			return -1;
		buf[o++] = c;
	}
	if (s >= end)
		return -1;
	buf[o] = '\0';
	*p = s + 1;
	return (int)o;
}

/* `VAR.field = …` at the start of line → pointer after '=', or NULL. */
static const char *assignment(const char *line, size_t ll, const char *var, size_t vl,
			      const char *field)
{
	const char *end = line + ll, *s = line;
	size_t fl = strlen(field);

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if ((size_t)(end - s) < vl + 1 + fl || memcmp(s, var, vl) != 0 || s[vl] != '.' ||
	    memcmp(s + vl + 1, field, fl) != 0)
		return NULL;
	s += vl + 1 + fl;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s >= end || *s != '=' || (s + 1 < end && s[1] == '='))
		return NULL;
	return s + 1;
}

/* The string literals of an array (["Ruby".freeze, "BSD-2-Clause".freeze]), joined by ", ". */
static void ruby_strings(const char *v, const char *end, struct ks_buf *out)
{
	char buf[256];

	while (v < end) {
		int n = ruby_string(&v, end, buf, sizeof(buf));

		if (n < 0) {
			if (*v == '"' || *v == '\'')
				break;	/* an unterminated or oversized literal */
			v++;
			continue;
		}
		if (n > 0) {
			if (out->len)
				ks_buf_adds(out, ", ");
			ks_buf_add(out, buf, (size_t)n);
		}
	}
}

int ks_gemspec_parse(struct ks_arena *a, const char *data, size_t len, struct ks_gemspec *out)
{
	const char *p = data, *end = data + len, *line;
	char var[32] = "s", buf[GEM_MAX_NAME];
	size_t ll, vl = 1;
	struct ks_buf lic = { NULL, 0, 0, 4096 };
	char *stub_name = NULL, *stub_version = NULL;
	int result = 0;

	memset(out, 0, sizeof(out[0]));
	while (ks_next_line(&p, end, &line, &ll)) {
		const char *v, *le = line + ll;
		int n;

		/* "# stub: name version platform paths" */
		if (ll > 8 && memcmp(line, "# stub: ", 8) == 0 && !stub_name) {
			const char *s = line + 8, *sp = memchr(s, ' ', (size_t)(le - s));
			const char *sp2 = sp ? memchr(sp + 1, ' ', (size_t)(le - sp - 1)) : NULL;

			if (sp && sp > s) {
				stub_name = ks_arena_strndup(a, s, (size_t)(sp - s));
				stub_version = ks_arena_strndup(
					a, sp + 1, (size_t)((sp2 ? sp2 : le) - sp - 1));
				if (!stub_name || !stub_version) {
					result = KENSA_ENOMEM;
					goto out;
				}
			}
			continue;
		}
		/* "Gem::Specification.new do |spec|" names the variable */
		{
			const char *g =
				ll > 22 ? memmem(line, ll, "Gem::Specification.new", 22) : NULL;
			const char *bar = g ? memchr(g, '|', (size_t)(le - g)) : NULL;
			const char *bar2 =
				bar ? memchr(bar + 1, '|', (size_t)(le - bar - 1)) : NULL;

			if (bar2) {
				const char *vs = bar + 1;
				size_t n2 = (size_t)(bar2 - vs);

				ks_trim(&vs, &n2);
				if (n2 > 0 && n2 < sizeof(var)) {
					memcpy(var, vs, n2);
					var[n2] = '\0';
					vl = n2;
				}
				continue;
			}
		}
		if (!out->name && (v = assignment(line, ll, var, vl, "name"))) {
			n = ruby_string(&v, le, buf, sizeof(buf));
			if (n > 0 && !(out->name = ks_arena_strndup(a, buf, (size_t)n))) {
				result = KENSA_ENOMEM;
				goto out;
			}
		} else if (!out->version && (v = assignment(line, ll, var, vl, "version"))) {
			/* "1.2.3" or Gem::Version.new("1.2.3") */
			const char *q = v;

			while (q < le && *q != '"' && *q != '\'')
				q++;
			n = ruby_string(&q, le, buf, sizeof(buf));
			if (n > 0 && !(out->version = ks_arena_strndup(a, buf, (size_t)n))) {
				result = KENSA_ENOMEM;
				goto out;
			}
		} else if (!lic.len && ((v = assignment(line, ll, var, vl, "licenses")) ||
					(v = assignment(line, ll, var, vl, "license")))) {
			ruby_strings(v, le, &lic);
		}
	}
	if (!out->name)
		out->name = stub_name;
	if (!out->version && stub_name && out->name && strcmp(stub_name, out->name) == 0)
		out->version = stub_version;
	if (lic.len && !(out->license = ks_arena_strndup(a, lic.data, lic.len)))
		result = KENSA_ENOMEM;
out:
	ks_buf_release(&lic);
	return result;
}

/* ---------------------------------------------------------------- Gemfile.lock parser */

int ks_gemfile_lock_parse(const char *data, size_t len, const struct ks_lang_sink *s)
{
	const char *p = data, *end = data + len, *line;
	size_t ll;
	bool in_specs = false, section_wanted = false;
	int result = 0;

	while (!result && ks_next_line(&p, end, &line, &ll)) {
		const char *paren, *v, *close;
		char name[GEM_MAX_NAME], version[GEM_MAX_NAME];
		size_t nl, vl;
		struct ks_lang_pkg pkg = { 0 };

		if (ll == 0)
			continue;
		if (line[0] != ' ') {
			/* a section: GEM, GIT, PATH, PLATFORMS, DEPENDENCIES, BUNDLED WITH, … */
			section_wanted = (ll == 3 && memcmp(line, "GEM", 3) == 0) ||
					 (ll == 3 && memcmp(line, "GIT", 3) == 0);
			in_specs = false;
			continue;
		}
		if (ll >= 8 && memcmp(line, "  specs:", 8) == 0) {
			in_specs = true;
			continue;
		}
		if (ll > 2 && line[2] != ' ') {
			in_specs = false;	/* "  remote: …", "  revision: …" */
			continue;
		}
		if (!in_specs || !section_wanted || ll < 5 || memcmp(line, "    ", 4) != 0 ||
		    line[4] == ' ')
			continue;
		/* "    name (version[-platform])" */
		paren = memchr(line + 4, '(', ll - 4);
		close = paren ? memchr(paren, ')', (size_t)(line + ll - paren)) : NULL;
		if (!paren || !close) {
			ks_lang_warn(s, "cannot read the spec '%.*s'; skipped",
				     (int)KS_MIN(ll - 4, (size_t)80), line + 4);
			continue;
		}
		v = line + 4;
		nl = (size_t)(paren - v);
		ks_trim(&v, &nl);
		if (nl && nl < sizeof(name))
			memcpy(name, v, nl);
		v = paren + 1;
		vl = (size_t)(close - v);
		ks_trim(&v, &vl);
		{
			const char *dash = memchr(v, '-', vl);	/* "-x86_64-linux": the platform */

			if (dash)
				vl = (size_t)(dash - v);
		}
		if (!nl || !vl || nl >= sizeof(name) || vl >= sizeof(version) ||
		    memchr(v, '\0', vl) || memchr(name, '\0', nl)) {
			ks_lang_warn(s, "cannot read the spec '%.*s'; skipped",
				     (int)KS_MIN(ll - 4, (size_t)80), line + 4);
			continue;
		}
		name[nl] = '\0';
		memcpy(version, v, vl);
		version[vl] = '\0';
		pkg.name = name;
		pkg.version = version;
		result = s->pkg(s->ud, &pkg);
	}
	return result;
}

/* ---------------------------------------------------------------- analyzer */

static bool ruby_match(const struct ks_node *n)
{
	const char *base = ks_path_basename(n->path);
	size_t dl = (size_t)(base - n->path);

	if (strcmp(base, "Gemfile.lock") == 0 || strcmp(base, "gems.locked") == 0)
		return true;
	if (!ks_str_endswith(base, ".gemspec") || dl < 2)
		return false;
	return ks_mem_endswith(n->path, dl - 1, "/specifications") ||
	       ks_mem_endswith(n->path, dl - 1, "/specifications/default");
}

/* Fill missing name/version from "name-version.gemspec" (first '-' followed by a digit). */
static void from_file_name(struct ks_actx *x, const char *base, struct ks_gemspec *g)
{
	size_t bl = strlen(base) - strlen(".gemspec");

	for (size_t i = 1; i + 1 < bl; i++) {
		if (base[i] != '-' || base[i + 1] < '0' || base[i + 1] > '9')
			continue;
		if (!g->name)
			g->name = ks_astrn(x, base, i);
		if (!g->version && g->name && strlen(g->name) == i &&
		    strncmp(g->name, base, i) == 0) {
			/* "1.13.0-x86_64-linux": the platform is not the version */
			const char *v = base + i + 1;
			size_t vl = bl - i - 1, dash = strcspn(v, "-");

			g->version = ks_astrn(x, v, KS_MIN(vl, dash));
		}
		return;
	}
}

#define GEM_MAX_LIB_DIRS 8

struct lib_dirs {
	char dir[GEM_MAX_LIB_DIRS][KS_MAX_PATH];
	size_t n;
	const char *api;	/* the Ruby API version ("3.1.0") when known */
};

static void add_dir(struct ks_actx *x, struct lib_dirs *d, const char *path)
{
	const struct ks_node *n = ks_tree_get(x->tree, path, strlen(path));

	if (n && n->kind == KS_DIR && d->n < GEM_MAX_LIB_DIRS)
		snprintf(d->dir[d->n++], KS_MAX_PATH, "%s", path);
}

/* Call fn for each directory directly inside `parent` whose name contains `part` (or any). */
static void each_child_dir(struct ks_actx *x, const char *parent, const char *part,
			   struct lib_dirs *d,
			   void (*fn)(struct ks_actx *x, struct lib_dirs *d, const char *child))
{
	char prefix[KS_MAX_PATH];
	size_t first, end;
	int pl = snprintf(prefix, sizeof(prefix), "%s/", parent);

	if (pl < 0 || (size_t)pl >= sizeof(prefix))
		return;
	ks_tree_prefix(x->tree, prefix, &first, &end);
	for (size_t i = first; i < end; i++) {
		const struct ks_node *n = x->tree->nodes[i];
		char sub[KS_MAX_PATH];
		size_t sfirst, send;
		int sl;

		if (n->kind != KS_DIR || strchr(n->path + pl, '/'))
			continue;
		if (!part || strstr(n->path + pl, part))
			fn(x, d, n->path);
		/* jump over the child's own subtree: /usr/lib can hold a whole distribution */
		sl = snprintf(sub, sizeof(sub), "%s/", n->path);
		if (sl > 0 && (size_t)sl < sizeof(sub)) {
			ks_tree_prefix(x->tree, sub, &sfirst, &send);
			if (send > i + 1)
				i = send - 1;
		}
	}
}

/* <prefix>/lib/<triplet>: its ruby/<api> and every ruby/vendor_ruby/<api> */
static void triplet_dirs(struct ks_actx *x, struct lib_dirs *d, const char *triplet)
{
	char path[KS_MAX_PATH];

	if (d->api &&
	    snprintf(path, sizeof(path), "%s/ruby/%s", triplet, d->api) < (int)sizeof(path))
		add_dir(x, d, path);
	if (snprintf(path, sizeof(path), "%s/ruby/vendor_ruby", triplet) < (int)sizeof(path))
		each_child_dir(x, path, NULL, d, add_dir);
}

/*
 * Where a gem's listed files live when they are not under gems/<name>-<version>/: Ruby's own
 * library directories (default gems: <prefix>/lib/ruby/<api>, its <arch> subdirectory,
 * <prefix>/lib/<triplet>/ruby/<api>) and Debian's vendor_ruby directories (gems packaged as
 * debs, whose specifications live in rubygems-integration).
 */
static void lib_dirs(struct ks_actx *x, const char *root, struct lib_dirs *d)
{
	char prefix[KS_MAX_PATH], api[64] = "", path[KS_MAX_PATH];
	const char *g = strstr(root, "/lib/ruby/gems/");

	d->n = 0;
	if (g && !strchr(g + 15, '/')) {
		snprintf(prefix, sizeof(prefix), "%.*s", (int)(g - root), root);
		snprintf(api, sizeof(api), "%s", g + 15);
	} else if (strncmp(root, "/usr/share/rubygems-integration/", 32) == 0) {
		snprintf(prefix, sizeof(prefix), "/usr");
	} else if (strncmp(root, "/usr/lib/", 9) == 0 && strstr(root, "/rubygems-integration/")) {
		snprintf(prefix, sizeof(prefix), "/usr");
		snprintf(api, sizeof(api), "%s", ks_path_basename(root));
	} else {
		return;
	}
	d->api = *api ? api : NULL;
	if (*api &&
	    snprintf(path, sizeof(path), "%s/lib/ruby/%s", prefix, api) < (int)sizeof(path)) {
		add_dir(x, d, path);
		each_child_dir(x, path, "-linux", d, add_dir);
	}
	if (snprintf(path, sizeof(path), "%s/lib/ruby/vendor_ruby", prefix) < (int)sizeof(path))
		add_dir(x, d, path);
	if (snprintf(path, sizeof(path), "%s/lib", prefix) < (int)sizeof(path))
		each_child_dir(x, path, "-linux", d, triplet_dirs);
	d->api = NULL;
}

/* Own the files s.files lists ("lib/set.rb" is installed as set.rb) found in one of dirs. */
static int own_listed_files(struct ks_actx *x, struct kensa_package *p, const struct lib_dirs *d,
			    const char *data, size_t len)
{
	char file[KS_MAX_PATH];
	const char *s = data, *end = data + len, *line;
	size_t ll;

	while (d->n && ks_next_line(&s, end, &line, &ll)) {
		const char *v = assignment(line, ll, "s", 1, "files");
		const char *le = line + ll;

		if (!v)
			continue;
		while (v < le) {
			int n = ruby_string(&v, le, file, sizeof(file));

			if (n < 0) {
				v++;
				continue;
			}
			for (int strip = 0; strip < 2 && n > 0; strip++) {
				const char *f = file;
				size_t fl = (size_t)n;

				if (strip) {
					if (fl <= 4 || memcmp(f, "lib/", 4) != 0)
						break;
					f += 4;
					fl -= 4;
				}
				for (size_t k = 0; k < d->n; k++) {
					char path[KS_MAX_PATH];
					size_t pl = ks_lang_path_join(d->dir[k], f, fl, path);
					size_t dl = strlen(d->dir[k]);
					int result;

					if (!pl || strncmp(path, d->dir[k], dl) != 0 ||
					    path[dl] != '/' || !ks_tree_get(x->tree, path, pl))
						continue;
					result = ks_pkg_add_file(x, p, path, pl);
					if (result)
						return result;
				}
			}
		}
		break;
	}
	return 0;
}

/* The library directories of the last specifications root seen (gemspecs come sorted by path). */
struct lib_cache {
	char root[KS_MAX_PATH];
	struct lib_dirs dirs;
};

static int gemspec(struct ks_actx *x, const struct ks_node *n, struct lib_cache *cache)
{
	const unsigned char *data;
	size_t len, dl;
	struct ks_gemspec g;
	struct kensa_package *p;
	char root[KS_MAX_PATH], dir[KS_MAX_PATH], prefix[KS_MAX_PATH];
	const char *base = ks_path_basename(n->path);
	bool is_default;
	size_t first, end;
	int result, pl;

	if (!ks_acontent(x, n, &data, &len))
		return 0;
	result = ks_gemspec_parse(&x->inv->arena, (const char *)data, len, &g);
	if (result)
		return result;
	if (!g.name || !g.version)
		from_file_name(x, base, &g);
	if (!g.name || !g.version || !*g.name || !*g.version) {
		ks_awarn(x, n->path,
			 "no gem name or version in the specification or its file name; skipped");
		return 0;
	}
	p = ks_pkg_new(x, n, "RubyGems", g.name, g.version);
	if (!p)
		return KENSA_ENOMEM;
	p->license = g.license;

	/* root: the directory holding specifications/ */
	dl = ks_path_dirlen(n->path, n->plen);
	is_default = ks_mem_endswith(n->path, dl, "/default");
	if (is_default)
		dl = ks_path_dirlen(n->path, dl);
	dl = ks_path_dirlen(n->path, dl);
	snprintf(root, sizeof(root), "%.*s", (int)dl, n->path);
	pl = snprintf(dir, sizeof(dir), "%s/gems/%.*s", strcmp(root, "/") ? root : "",
		      (int)(strlen(base) - strlen(".gemspec")), base);
	if (pl < 0 || (size_t)pl >= sizeof(dir))
		return 0;
	result = ks_pkg_add_file(x, p, n->path, n->plen);
	if (!result)
		result = ks_lang_own_dir(x, p, dir, false);
	if (result)
		return result;
	/* compiled extensions: <root>/extensions/<platform>/<api>/<name>-<version>/ */
	pl = snprintf(prefix, sizeof(prefix), "%s/extensions/", strcmp(root, "/") ? root : "");
	if (pl > 0 && (size_t)pl < sizeof(prefix)) {
		const char *want = dir + strlen(dir) - (strlen(base) - strlen(".gemspec"));
		size_t wl = strlen(want);

		ks_tree_prefix(x->tree, prefix, &first, &end);
		for (size_t i = first; i < end && !result; i++) {
			const struct ks_node *e = x->tree->nodes[i];
			const char *c = e->path + pl;
			const char *s1 = strchr(c, '/'), *s2 = s1 ? strchr(s1 + 1, '/') : NULL;

			if (e->kind == KS_DIR || !s2 || strncmp(s2 + 1, want, wl) != 0 ||
			    s2[1 + wl] != '/')
				continue;
			result = ks_pkg_add_file(x, p, e->path, e->plen);
		}
	}
	/* default gems and Debian's gems keep their code in Ruby's library directories */
	if (!result && (is_default || !ks_tree_get(x->tree, dir, (size_t)strlen(dir)))) {
		if (strcmp(cache->root, root) != 0) {
			snprintf(cache->root, sizeof(cache->root), "%s", root);
			lib_dirs(x, root, &cache->dirs);
		}
		result = own_listed_files(x, p, &cache->dirs, (const char *)data, len);
	}
	return result;
}

static int ruby_scan(struct ks_actx *x)
{
	struct lib_cache *cache = calloc(1, sizeof(*cache));
	int result = 0;

	if (!cache)
		return KENSA_ENOMEM;

	for (size_t i = 0; i < x->nnodes && !result; i++) {
		const struct ks_node *n = x->nodes[i];
		const unsigned char *data;
		size_t len;

		if (ks_str_endswith(n->path, ".gemspec")) {
			result = gemspec(x, n, cache);
			continue;
		}
		if (!ks_acontent(x, n, &data, &len))
			continue;
		if (ks_lang_vendored(x->tree, n->path)) {
			ks_debug("%s: %s: lock file of an installed gem, not of a project; skipped",
				 x->tree->target, n->path);
			continue;
		}
		{
			struct ks_lang_emit e = { x, n, "RubyGems", KENSA_PKG_LOCKFILE, NULL, 0 };
			struct ks_lang_sink sink = KS_LANG_SINK(&e);

			result = ks_gemfile_lock_parse((const char *)data, len, &sink);
		}
	}
	free(cache);
	return result;
}

const struct ks_analyzer ks_analyzer_ruby = {
	.name = "ruby",
	.match = ruby_match,
	.max_size = (uint64_t)16 << 20,
	.scan = ruby_scan,
};
