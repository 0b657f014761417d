// SPDX-License-Identifier: Apache-2.0
/*
 * go.c — Go module versions, ordered as golang.org/x/mod/semver orders them (which is what
 * the go command and the Go vulnerability database use).
 *
 *   v1.2.3, v1.2.3-pre.1, v1.2.3+meta, v2.0.0+incompatible,
 *   v0.0.0-20191109021931-daa7c04131f5 (a pseudo-version), and the shorthands v1, v1.2
 *
 * A pseudo-version is an ordinary prerelease, so it sorts below the release it precedes and
 * by its timestamp among its siblings; "+incompatible" is build metadata, ignored for order
 * (v2.0.0+incompatible = v2.0.0). Numbers have no leading zeros and any length.
 *
 * The leading 'v' is optional here: OSV records for Go write "1.2.3", go.mod writes
 * "v1.2.3", and both must compare. Everything x/mod/semver refuses (after adding the 'v')
 * is refused.
 */
#include "scheme.h"

struct go_version {
	const char *major, *minor, *patch, *pre;	/* minor/patch NULL: shorthand (.0) */
	size_t majorlen, minorlen, patchlen, prelen;
};

static bool is_ident_char(char c)
{
	return ks_isalnum(c) || c == '-';
}

/* x/mod/semver parseInt(): digits, no leading zero unless the number is 0. */
static const char *parse_int(const char *p, const char *end, const char **num, size_t *len)
{
	const char *q = p;

	while (q < end && ks_isdigit(*q))
		q++;
	if (q == p || (*p == '0' && q - p > 1))
		return NULL;
	*num = p;
	*len = (size_t)(q - p);
	return q;
}

/* Dot-separated non-empty identifiers of [0-9A-Za-z-] up to `stop` or the end. */
static const char *parse_idents(const char *p, const char *end, char stop, bool numeric_rule)
{
	const char *start = p;

	for (;; p++) {
		if (p == end || *p == stop || *p == '.') {
			bool numeric = p > start;

			if (p == start)
				return NULL;
			for (const char *q = start; q < p; q++)
				numeric &= ks_isdigit(*q);
			/* isBadNum(): a numeric identifier with a leading zero */
			if (numeric_rule && numeric && *start == '0' && p - start > 1)
				return NULL;
			if (p == end || *p == stop)
				return p;
			start = p + 1;
			continue;
		}
		if (!is_ident_char(*p))
			return NULL;
	}
}

static int go_parse(const char *v, size_t n, struct go_version *out, struct kensa_err *err)
{
	const char *p = v, *end = v + n;

	memset(out, 0, sizeof(*out));
	if (p < end && *p == 'v')
		p++;
	p = parse_int(p, end, &out->major, &out->majorlen);
	if (!p)
		goto bad;
	if (p == end)
		return 0;
	if (*p != '.' || !(p = parse_int(p + 1, end, &out->minor, &out->minorlen)))
		goto bad;
	if (p == end)
		return 0;
	if (*p != '.' || !(p = parse_int(p + 1, end, &out->patch, &out->patchlen)))
		goto bad;
	if (p < end && *p == '-') {
		out->pre = p + 1;
		p = parse_idents(p + 1, end, '+', true);
		if (!p)
			goto bad;
		out->prelen = (size_t)(p - out->pre);
	}
	if (p < end && *p == '+') {
		p = parse_idents(p + 1, end, '\0', false);
		if (!p)
			goto bad;
	}
	if (p == end)
		return 0;
bad:
	return ks_version_malformed(err, &ks_version_go, v, n, "not a semantic version");
}

static int go_order(const struct go_version *a, const struct go_version *b)
{
	int r;

	r = ks_version_numcmp(a->major, a->majorlen, b->major, b->majorlen);
	if (!r)
		r = ks_version_numcmp(a->minor ? a->minor : "0", a->minor ? a->minorlen : 1,
				      b->minor ? b->minor : "0", b->minor ? b->minorlen : 1);
	if (!r)
		r = ks_version_numcmp(a->patch ? a->patch : "0", a->patch ? a->patchlen : 1,
				      b->patch ? b->patch : "0", b->patch ? b->patchlen : 1);
	if (r)
		return r;
	if (!a->pre || !b->pre)
		return KS_CMP(a->pre == NULL, b->pre == NULL);
	return ks_version_prerelease_cmp(a->pre, a->prelen, b->pre, b->prelen);
}

static int go_compare(const char *a, size_t alen, const char *b, size_t blen, int *cmp,
		      struct kensa_err *err)
{
	struct go_version va, vb;

	if (go_parse(a, alen, &va, err) || go_parse(b, blen, &vb, err))
		return KENSA_EFORMAT;
	*cmp = go_order(&va, &vb);
	return 0;
}

static int go_check(const char *v, size_t n, struct kensa_err *err)
{
	struct go_version gv;

	return go_parse(v, n, &gv, err);
}

const struct kensa_version_scheme ks_version_go = {
	.name = "go",
	.label = "Go module",
	.compare = go_compare,
	.check = go_check,
};
