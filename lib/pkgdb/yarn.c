// SPDX-License-Identifier: Apache-2.0
/*
 * yarn.c — the yarn.lock parser (used by npm.c): yarn 1 ("classic") and yarn 2+ ("berry").
 *
 * yarn 1 writes its own indentation format: an entry header at column 0 lists the
 * requested specs ("abbrev@1, abbrev@^1.1.0:" or quoted "@babel/core@^7.0.0":), and the
 * body, indented two spaces, has `version "1.1.1"`. Berry writes YAML with a __metadata
 * mapping; each entry has `version:` and `resolution: "name@npm:1.2.3"`, the resolution
 * naming the package that was really installed (aliases included).
 *
 * Left out: workspace, link, portal, file and patch entries (the project's own code, or a
 * second entry for a package already listed); yarn.lock says nothing about dev
 * dependencies.
 */
#include "lang.h"

#define YARN_MAX_NAME 256

/* Split a spec "name@range" (name may start with '@'); false when there is no range. */
static bool split_spec(const char *s, size_t n, const char **range, size_t *name_len)
{
	const char *at = n > 1 ? memchr(s + 1, '@', n - 1) : NULL;

	if (!at)
		return false;
	*name_len = (size_t)(at - s);
	*range = at + 1;
	return true;
}

static bool local_protocol(const char *r, size_t n)
{
	static const char *const local[] = { "file:",	   "link:",  "portal:",
					     "workspace:", "patch:", "exec:" };

	for (size_t i = 0; i < KS_ARRAY_SIZE(local); i++) {
		size_t l = strlen(local[i]);

		if (n >= l && memcmp(r, local[i], l) == 0)
			return true;
	}
	return false;
}

/* ---------------------------------------------------------------- yarn 1 */

struct v1_entry {
	char name[YARN_MAX_NAME];
	char version[YARN_MAX_NAME];
	bool have_name, have_version, skip;
	char header[80];	/* for messages */
};

static int v1_flush(struct v1_entry *e, const struct ks_lang_sink *s)
{
	struct ks_lang_pkg p = { 0 };

	if (!e->have_name || e->skip)
		return 0;
	if (!e->have_version) {
		ks_lang_warn(s, "entry '%s' has no version; skipped", e->header);
		return 0;
	}
	p.name = e->name;
	p.version = e->version;
	return s->pkg(s->ud, &p);
}

/* Header line "a@^1, a@^1.2:" or "\"@s/a@^1\", \"@s/a@^1.2\":" → the package name. */
static void v1_header(struct v1_entry *e, const char *line, size_t ll, const struct ks_lang_sink *s)
{
	const char *spec = line, *range;
	size_t sl = ll - 1, nl;	/* without the ':' */
	const char *comma = memchr(spec, ',', sl);

	memset(e, 0, sizeof(*e));
	snprintf(e->header, sizeof(e->header), "%.*s", (int)KS_MIN(sl, (size_t)60), line);
	if (comma)
		sl = (size_t)(comma - spec);
	ks_trim(&spec, &sl);
	if (sl >= 2 && spec[0] == '"' && spec[sl - 1] == '"') {
		spec++;
		sl -= 2;
	}
	if (!split_spec(spec, sl, &range, &nl) || nl == 0 || nl >= sizeof(e->name)) {
		ks_lang_warn(s, "cannot read the entry header '%s'; skipped", e->header);
		return;
	}
	sl -= nl + 1;
	if (local_protocol(range, sl)) {
		e->skip = true;
	} else if (sl > 4 && memcmp(range, "npm:", 4) == 0) {
		/* an alias "alias@npm:real@^1": the real package */
		const char *real = range + 4, *r2;
		size_t rl = sl - 4, rnl;

		if (split_spec(real, rl, &r2, &rnl)) {
			spec = real;
			nl = rnl;
		} else {
			spec = real;
			nl = rl;
		}
		if (nl == 0 || nl >= sizeof(e->name)) {
			ks_lang_warn(s, "cannot read the alias in '%s'; skipped", e->header);
			return;
		}
	}
	if (memchr(spec, '\0', nl)) {
		ks_lang_warn(s, "a NUL byte in the entry header '%s'; skipped", e->header);
		return;
	}
	memcpy(e->name, spec, nl);
	e->name[nl] = '\0';
	e->have_name = true;
}

static int parse_v1(const char *data, size_t len, const struct ks_lang_sink *s)
{
	const char *p = data, *end = data + len, *line;
	size_t ll;
	struct v1_entry e;
	int result = 0;

	memset(&e, 0, sizeof(e));
	while (!result && ks_next_line(&p, end, &line, &ll)) {
		if (ll == 0 || line[0] == '#')
			continue;
		if (line[0] != ' ') {
			result = v1_flush(&e, s);
			if (line[ll - 1] == ':')
				v1_header(&e, line, ll, s);
			else
				memset(&e, 0, sizeof(e));
			continue;
		}
		/* body: exactly two spaces, then `version "1.2.3"` */
		if (e.have_name && ll > 10 && memcmp(line, "  version ", 10) == 0) {
			const char *v = line + 10;
			size_t vl = ll - 10;

			ks_trim(&v, &vl);
			if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
				v++;
				vl -= 2;
			}
			if (vl == 0 || vl >= sizeof(e.version) || memchr(v, '\0', vl)) {
				ks_lang_warn(s, "entry '%s' has a bad version; skipped", e.header);
				e.skip = true;
				continue;
			}
			memcpy(e.version, v, vl);
			e.version[vl] = '\0';
			e.have_version = true;
		}
	}
	if (!result)
		result = v1_flush(&e, s);
	return result;
}

/* ---------------------------------------------------------------- berry */

static int parse_berry(const char *data, size_t len, const struct ks_lang_sink *s)
{
	struct ks_yaml y;
	char err[256], name[YARN_MAX_NAME];
	yaml_node_t *root;
	int result = ks_yaml_open(&y, data, len, err, sizeof(err));

	if (result == KENSA_EFORMAT) {
		ks_lang_warn(s, "%s", err);
		result = 0;
		goto out;
	}
	if (result <= 0)
		goto out;
	result = 0;
	root = ks_yaml_root(&y);
	if (!KS_YAML_IS_MAP(root)) {
		ks_lang_warn(s, "not a YAML mapping");
		goto out;
	}
	for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
	     pr < root->data.mapping.pairs.top && !result; pr++) {
		const char *key = ks_yaml_str(ks_yaml_node(&y, pr->key));
		yaml_node_t *entry = ks_yaml_node(&y, pr->value);
		const char *version = ks_yaml_str(ks_yaml_get(&y, entry, "version"));
		const char *res = ks_yaml_str(ks_yaml_get(&y, entry, "resolution"));
		const char *range;
		size_t nl, rl;
		struct ks_lang_pkg p = { 0 };

		if (!key || strcmp(key, "__metadata") == 0)
			continue;
		if (!KS_YAML_IS_MAP(entry) || !res || !version || !*version) {
			ks_lang_warn(s, "entry '%.60s' has no resolution or version; skipped", key);
			continue;
		}
		rl = strlen(res);
		if (!split_spec(res, rl, &range, &nl) || nl == 0 || nl >= sizeof(name)) {
			ks_lang_warn(s,
				     "entry '%.60s': cannot read the resolution '%.60s'; skipped",
				     key, res);
			continue;
		}
		if (local_protocol(range, rl - nl - 1))
			continue;
		memcpy(name, res, nl);
		name[nl] = '\0';
		p.name = name;
		p.version = version;
		result = s->pkg(s->ud, &p);
	}
out:
	ks_yaml_release(&y);
	return result;
}

int ks_yarn_lock_parse(const char *data, size_t len, const struct ks_lang_sink *s)
{
	const char *p = data, *end = data + len, *line;
	size_t ll;

	if (len > KS_LANG_MAX_DOC) {
		ks_lang_warn(s, "too large (%zu bytes)", len);
		return 0;
	}
	/* berry has a top-level __metadata mapping; yarn 1 never does */
	while (ks_next_line(&p, end, &line, &ll))
		if (ll >= 11 && memcmp(line, "__metadata:", 11) == 0)
			return parse_berry(data, len, s);
	return parse_v1(data, len, s);
}
