// SPDX-License-Identifier: Apache-2.0
/*
 * lang.c — helpers the language analyzers share (see lang.h): the sink that turns parsed
 * records into inventory packages, lexical path joining, owning a package directory, the
 * "is this lock file vendored inside an installed package" rule, and a small reader over
 * libyaml's document API (pnpm-lock.yaml, yarn berry).
 *
 * What it is not: a parser of any format; those live with their analyzer or in their own
 * file (yarn.c, pnpm.c).
 */
#include <stdarg.h>

#include "lang.h"

/* ---------------------------------------------------------------- sink */

void ks_lang_warn(const struct ks_lang_sink *s, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!s->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->warn(s->ud, msg);
}

cJSON *ks_lang_json_parse(const char *data, size_t len, const struct ks_lang_sink *s)
{
	const char *end = NULL;
	cJSON *root;

	if (len > KS_LANG_MAX_DOC) {
		ks_lang_warn(s, "JSON document too large (%zu bytes)", len);
		return NULL;
	}
	root = cJSON_ParseWithLengthOpts(data, len, &end, 0);
	if (!root) {
		size_t off = end && end >= data ? (size_t)(end - data) : 0;

		if (off + 1 >= len)
			ks_lang_warn(s, "truncated or too deeply nested JSON");
		else
			ks_lang_warn(s, "malformed JSON at byte %zu", off);
	}
	return root;
}

int ks_lang_emit_pkg(void *ud, const struct ks_lang_pkg *lp)
{
	struct ks_lang_emit *e = ud;
	struct kensa_package *p;

	if (e->count >= KS_LANG_MAX_PKGS) {
		if (e->count++ == KS_LANG_MAX_PKGS)
			ks_awarn(e->x, e->from->path, "more than %d packages; ignoring the rest",
				 KS_LANG_MAX_PKGS);
		return 0;
	}
	e->count++;
	p = ks_pkg_new(e->x, e->from, e->ecosystem, lp->name, lp->version);
	if (!p || !p->name || !p->version)
		return KENSA_ENOMEM;
	p->flags |= e->flags;
	if (lp->dev)
		p->flags |= KENSA_PKG_DEV;
	if (lp->license && *lp->license) {
		p->license = ks_astr(e->x, lp->license);
		if (!p->license)
			return KENSA_ENOMEM;
	}
	if (lp->prop_key && lp->prop_value &&
	    ks_pkg_add_prop(e->x, p, lp->prop_key, lp->prop_value))
		return KENSA_ENOMEM;
	return e->owned ? e->owned(e, p, lp) : 0;
}

void ks_lang_emit_warn(void *ud, const char *msg)
{
	struct ks_lang_emit *e = ud;

	ks_awarn(e->x, e->from->path, "%s", msg);
}

/* ---------------------------------------------------------------- paths */

/* Append one component to the clean absolute path out[0..*o). */
static bool push_component(char *out, size_t *o, const char *c, size_t n)
{
	if (n == 0 || (n == 1 && c[0] == '.'))
		return true;
	if (n == 2 && c[0] == '.' && c[1] == '.') {
		while (*o > 1 && out[*o - 1] != '/')
			(*o)--;
		if (*o > 1)
			(*o)--;
		return true;
	}
	if (*o + 1 + n + 1 > KS_MAX_PATH)
		return false;
	if (*o > 1)
		out[(*o)++] = '/';
	memcpy(out + *o, c, n);
	*o += n;
	return true;
}

static bool push_path(char *out, size_t *o, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t start = i;

		while (i < n && s[i] != '/')
			i++;
		if (!push_component(out, o, s + start, i - start))
			return false;
		i++;
	}
	return true;
}

size_t ks_lang_path_join(const char *base, const char *rel, size_t rlen, char *out)
{
	size_t o = 1;

	out[0] = '/';
	if (memchr(rel, '\0', rlen))
		return 0;
	if (!(rlen && rel[0] == '/') && !push_path(out, &o, base, strlen(base)))
		return 0;
	if (!push_path(out, &o, rel, rlen))
		return 0;
	out[o] = '\0';
	return o;
}

int ks_lang_own_dir(struct ks_actx *x, struct kensa_package *p, const char *dir,
		    bool skip_node_modules)
{
	char prefix[KS_MAX_PATH], nested[KS_MAX_PATH];
	size_t first, end, nfirst = 0, nend = 0;
	int n;

	n = snprintf(prefix, sizeof(prefix), "%s/", strcmp(dir, "/") == 0 ? "" : dir);
	if (n < 0 || (size_t)n >= sizeof(prefix))
		return 0;
	ks_tree_prefix(x->tree, prefix, &first, &end);
	if (skip_node_modules) {
		n = snprintf(nested, sizeof(nested), "%snode_modules/", prefix);
		if (n > 0 && (size_t)n < sizeof(nested))
			ks_tree_prefix(x->tree, nested, &nfirst, &nend);
	}
	for (size_t i = first; i < end; i++) {
		const struct ks_node *node = x->tree->nodes[i];
		int result;

		if (i >= nfirst && i < nend) {
			i = nend - 1;
			continue;
		}
		if (node->kind != KS_REG && node->kind != KS_SYMLINK && node->kind != KS_HARDLINK)
			continue;
		result = ks_pkg_add_file(x, p, node->path, node->plen);
		if (result)
			return result;
	}
	return 0;
}

static bool component_is(const char *c, size_t n, const char *name)
{
	return strlen(name) == n && memcmp(c, name, n) == 0;
}

bool ks_lang_vendored(const struct ks_tree *t, const char *path)
{
	const char *c = path;

	while (*c == '/')
		c++;
	while (*c) {
		const char *slash = strchr(c, '/');
		size_t n;

		if (!slash)
			break;	/* the file name itself */
		n = (size_t)(slash - c);
		if (component_is(c, n, "node_modules") || component_is(c, n, "site-packages") ||
		    component_is(c, n, "dist-packages"))
			return true;
		/* vendor/<package>/…: composer's or bundler's installed packages */
		if (component_is(c, n, "vendor") && strchr(slash + 1, '/'))
			return true;
		/* <root>/gems/<gem>/…, where <root>/specifications exists: an installed gem */
		if (component_is(c, n, "gems") && strchr(slash + 1, '/')) {
			char spec[KS_MAX_PATH];
			int len = snprintf(spec, sizeof(spec), "%.*sspecifications",
					   (int)(c - path), path);

			if (len > 0 && (size_t)len < sizeof(spec) &&
			    ks_tree_get(t, spec, (size_t)len))
				return true;
		}
		c = slash + 1;
	}
	return false;
}

/* ---------------------------------------------------------------- YAML */

int ks_yaml_next(struct ks_yaml *y, char *err, size_t errsz)
{
	if (y->doc_open) {
		yaml_document_delete(&y->doc);
		y->doc_open = false;
	}
	if (!yaml_parser_load(&y->parser, &y->doc)) {
		if (y->parser.error == YAML_MEMORY_ERROR)
			return KENSA_ENOMEM;
		snprintf(err, errsz, "line %zu: %s", y->parser.problem_mark.line + 1,
			 y->parser.problem ? y->parser.problem : "malformed YAML");
		return KENSA_EFORMAT;
	}
	y->doc_open = true;
	return yaml_document_get_root_node(&y->doc) ? 1 : 0;
}

int ks_yaml_open(struct ks_yaml *y, const char *data, size_t len, char *err, size_t errsz)
{
	memset(y, 0, sizeof(*y));
	if (!yaml_parser_initialize(&y->parser))
		return KENSA_ENOMEM;
	y->parser_open = true;
	yaml_parser_set_input_string(&y->parser, (const unsigned char *)data, len);
	return ks_yaml_next(y, err, errsz);
}

void ks_yaml_release(struct ks_yaml *y)
{
	if (y->doc_open)
		yaml_document_delete(&y->doc);
	if (y->parser_open)
		yaml_parser_delete(&y->parser);
	y->doc_open = y->parser_open = false;
}

yaml_node_t *ks_yaml_root(struct ks_yaml *y)
{
	return y->doc_open ? yaml_document_get_root_node(&y->doc) : NULL;
}

yaml_node_t *ks_yaml_node(struct ks_yaml *y, int id)
{
	return yaml_document_get_node(&y->doc, id);
}

yaml_node_t *ks_yaml_get(struct ks_yaml *y, const yaml_node_t *map, const char *key)
{
	if (!KS_YAML_IS_MAP(map))
		return NULL;
	for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top;
	     pr++) {
		const char *k = ks_yaml_str(ks_yaml_node(y, pr->key));

		if (k && strcmp(k, key) == 0)
			return ks_yaml_node(y, pr->value);
	}
	return NULL;
}

const char *ks_yaml_str(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}
