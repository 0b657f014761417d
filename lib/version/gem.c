// SPDX-License-Identifier: Apache-2.0
/*
 * gem.c — RubyGems versions, parsed and ordered exactly as Gem::Version does.
 *
 * Valid: optional surrounding whitespace around
 *   [0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?
 * or nothing at all (the empty version is "0"). A '-' reads as ".pre.", so "1.0-rc1" is
 * "1.0.pre.rc1". The version splits into segments, runs of digits (numbers of any size)
 * and runs of letters (strings, case kept); a version with a letter segment is a
 * prerelease and sorts before its release ("1.0.a" < "1.0"). Trailing zero numbers are
 * ignored, separately before and after the first letter segment (canonical_segments), so
 * "1.0" = "1" and "1.0.a" = "1.a"; then segments compare pairwise, missing ones as 0,
 * strings before numbers, strings bytewise.
 */
#include "scheme.h"

/* Ruby's \s and String#strip */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

struct gem_version {
	const char *s;
	size_t n;
	size_t str_start;	/* offset of the first letter segment ('-' counts), or n */
	size_t num_end;		/* end of the last non-zero number before str_start */
	size_t str_end;		/* end of the last non-zero segment from str_start on */
};

struct segment {
	const char *p;		/* a '-' is the string "pre" */
	size_t n;
	bool number;
	size_t start, end;	/* offsets of its first byte and just after it */
};

/* Next segment at or after *off (scan(/[0-9]+|[a-z]+/i) over the "-" → ".pre." text). */
static bool next_segment(const struct gem_version *v, size_t *off, struct segment *seg)
{
	size_t i = *off;

	while (i < v->n && !ks_isalnum(v->s[i]) && v->s[i] != '-')
		i++;
	if (i >= v->n)
		return false;
	if (v->s[i] == '-') {
		*seg = (struct segment){ "pre", 3, false, i, i + 1 };
	} else {
		size_t j = i;
		bool digit = ks_isdigit(v->s[i]);

		while (j < v->n && (digit ? ks_isdigit(v->s[j]) : ks_isalpha(v->s[j])))
			j++;
		*seg = (struct segment){ v->s + i, j - i, digit, i, j };
	}
	*off = seg->end;
	return true;
}

static bool is_zero(const struct segment *seg)
{
	if (!seg->number)
		return false;
	for (size_t i = 0; i < seg->n; i++)
		if (seg->p[i] != '0')
			return false;
	return true;
}

static int gem_parse(const char *v, size_t n, struct gem_version *out, struct kensa_err *err)
{
	const char *s = v, *p, *end;
	size_t len = n, off = 0;
	struct segment seg;
	bool in_strings = false;

	while (len && is_space(*s)) {
		s++;
		len--;
	}
	while (len && is_space(s[len - 1]))
		len--;
	p = s;
	end = s + len;
	if (p < end) {
		if (!ks_isdigit(*p))
			goto bad;
		while (p < end && ks_isdigit(*p))
			p++;
		while (p + 1 < end && *p == '.' && ks_isalnum(p[1])) {
			p++;
			while (p < end && ks_isalnum(*p))
				p++;
		}
		if (p < end && *p == '-') {
			for (;;) {
				const char *q = ++p;

				while (p < end && (ks_isalnum(*p) || *p == '-'))
					p++;
				if (p == q)
					goto bad;
				if (p >= end || *p != '.')
					break;
			}
		}
		if (p != end)
			goto bad;
	}
	out->s = s;
	out->n = len;
	out->str_start = out->str_end = len;
	out->num_end = 0;
	/* canonical_segments: drop trailing zeros of the numeric part and of the rest */
	while (next_segment(out, &off, &seg)) {
		if (!in_strings && !seg.number) {
			in_strings = true;
			out->str_start = seg.start;
			out->str_end = seg.start;
		}
		if (is_zero(&seg))
			continue;
		if (in_strings)
			out->str_end = seg.end;
		else
			out->num_end = seg.end;
	}
	return 0;
bad:
	return ks_version_malformed(err, &ks_version_gem, v, n, "malformed version number string");
}

/* Next canonical segment; false when exhausted. */
static bool next_canonical(const struct gem_version *v, size_t *off, struct segment *seg)
{
	if (*off < v->num_end) {
		if (next_segment(v, off, seg) && seg->end <= v->num_end)
			return true;
	}
	if (*off < v->str_start)
		*off = v->str_start;
	if (*off >= v->str_end)
		return false;
	return next_segment(v, off, seg) && seg->end <= v->str_end;
}

static int segment_cmp(const struct segment *a, const struct segment *b)
{
	int r;

	if (a->number != b->number)
		return a->number ? 1 : -1;
	if (a->number)
		return ks_version_numcmp(a->p, a->n, b->p, b->n);
	r = memcmp(a->p, b->p, KS_MIN(a->n, b->n));
	return r ? KS_CMP(r, 0) : KS_CMP(a->n, b->n);
}

static int gem_order(const struct gem_version *a, const struct gem_version *b)
{
	static const struct segment zero = { "0", 1, true, 0, 0 };
	size_t oa = 0, ob = 0;

	for (;;) {
		struct segment sa, sb;
		bool ha = next_canonical(a, &oa, &sa), hb = next_canonical(b, &ob, &sb);
		int r;

		if (!ha && !hb)
			return 0;
		r = segment_cmp(ha ? &sa : &zero, hb ? &sb : &zero);
		if (r)
			return r;
	}
}

static int gem_compare(const char *a, size_t alen, const char *b, size_t blen, int *cmp,
		       struct kensa_err *err)
{
	struct gem_version va, vb;

	if (gem_parse(a, alen, &va, err) || gem_parse(b, blen, &vb, err))
		return KENSA_EFORMAT;
	*cmp = gem_order(&va, &vb);
	return 0;
}

static int gem_check(const char *v, size_t n, struct kensa_err *err)
{
	struct gem_version gv;

	return gem_parse(v, n, &gv, err);
}

const struct kensa_version_scheme ks_version_gem = {
	.name = "gem",
	.label = "RubyGems",
	.compare = gem_compare,
	.check = gem_check,
};
