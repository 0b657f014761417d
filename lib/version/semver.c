// SPDX-License-Identifier: Apache-2.0
/*
 * semver.c — npm versions, parsed and ordered exactly as node-semver 7 does
 * (`new SemVer(v)` and `SemVer.prototype.compare`, default options). Ranges are in
 * semver_range.c.
 *
 *   [v]MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]
 *
 * Numbers have no leading zeros and are at most 2^53 - 1 (JavaScript's safe integers); the
 * whole string, before trimming, is at most 256 UTF-16 units; surrounding whitespace (any
 * JavaScript whitespace) is ignored; build metadata never affects the order. Prerelease
 * identifiers compare numerically when both are numeric, numeric before alphanumeric,
 * otherwise by code unit; a shorter list of equal identifiers sorts first.
 *
 * node-semver keeps numeric prerelease identifiers >= 2^53 - 1 as strings and compares two
 * of them as JavaScript numbers (doubles), so "1.0.0-9007199254740993" equals
 * "1.0.0-9007199254740992"; that is reproduced here, since "exactly as npm" is the point.
 */
#include <stdlib.h>

#include "scheme.h"

#define SEMVER_MAX_LENGTH 256
#define MAX_SAFE_INTEGER 9007199254740991ULL	/* 2^53 - 1 */

/* String length in UTF-16 code units, as JavaScript counts it. */
static size_t utf16_length(const char *s, size_t n)
{
	size_t units = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c & 0xc0) != 0x80)
			units += c >= 0xf0 ? 2 : 1;
	}
	return units;
}

/* NUMERICIDENTIFIER: 0|[1-9]\d* ; its value must not exceed 2^53 - 1. */
static const char *parse_number(const char *p, const char *end, uint64_t *out, bool *too_big)
{
	const char *start = p;
	uint64_t v = 0;

	*too_big = false;
	if (p >= end || !ks_isdigit(*p))
		return NULL;
	if (*p == '0') {
		*out = 0;
		return p + 1;
	}
	while (p < end && ks_isdigit(*p)) {
		if (p - start >= 17)
			*too_big = true;
		else
			v = v * 10 + (uint64_t)(*p - '0');
		p++;
	}
	if (v > MAX_SAFE_INTEGER)
		*too_big = true;
	*out = v;
	return p;
}

static bool is_ident_char(char c)
{
	return ks_isalnum(c) || c == '-';
}

/* A prerelease identifier: alphanumeric (one letter or '-' at least) or numeric without
 * leading zeros. Returns its end, or NULL. */
static const char *parse_pre_ident(const char *p, const char *end)
{
	const char *q = p;
	bool numeric = true;

	while (q < end && is_ident_char(*q)) {
		if (!ks_isdigit(*q))
			numeric = false;
		q++;
	}
	if (q == p || (numeric && *p == '0' && q - p > 1))
		return NULL;
	return q;
}

static const char *parse_build_ident(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && is_ident_char(*q))
		q++;
	return q == p ? NULL : q;
}

int ks_semver_parse(const char *v, size_t n, struct ks_semver *out, struct kensa_err *err)
{
	const char *s = v, *p, *end;
	size_t len = n;
	bool too_big;
	uint64_t *parts[3] = { &out->major, &out->minor, &out->patch };

	if (utf16_length(v, n) > SEMVER_MAX_LENGTH)
		return ks_version_malformed(err, &ks_version_semver, v, n,
					    "version is longer than 256 characters");
	ks_version_trim(&s, &len, KS_SPACE_JS);
	p = s;
	end = s + len;
	if (p < end && *p == 'v')
		p++;
	for (int i = 0; i < 3; i++) {
		if (i > 0) {
			if (p >= end || *p != '.')
				return ks_version_malformed(err, &ks_version_semver, v, n,
							    "not MAJOR.MINOR.PATCH");
			p++;
		}
		p = parse_number(p, end, parts[i], &too_big);
		if (!p)
			return ks_version_malformed(err, &ks_version_semver, v, n,
						    "not MAJOR.MINOR.PATCH");
		if (too_big)
			return ks_version_malformed(err, &ks_version_semver, v, n,
						    "number larger than 2^53 - 1");
	}
	/* a number with a leading zero stops after its "0": caught here as trailing junk */
	out->pre = NULL;
	out->prelen = 0;
	if (p < end && *p == '-') {
		out->pre = ++p;
		for (;;) {
			p = parse_pre_ident(p, end);
			if (!p)
				return ks_version_malformed(err, &ks_version_semver, v, n,
							    "bad prerelease identifier");
			if (p >= end || *p != '.')
				break;
			p++;
		}
		out->prelen = (size_t)(p - out->pre);
	}
	if (p < end && *p == '+') {
		p++;
		for (;;) {
			p = parse_build_ident(p, end);
			if (!p)
				return ks_version_malformed(err, &ks_version_semver, v, n,
							    "bad build identifier");
			if (p >= end || *p != '.')
				break;
			p++;
		}
	}
	if (p != end)
		return ks_version_malformed(err, &ks_version_semver, v, n,
					    "not a semantic version");
	return 0;
}

/* Next identifier of a dot-separated list; false when exhausted. */
static bool next_ident(const char **p, const char *end, const char **id, size_t *len)
{
	const char *q;

	if (!*p || *p > end)
		return false;
	q = memchr(*p, '.', (size_t)(end - *p));
	if (!q)
		q = end;
	*id = *p;
	*len = (size_t)(q - *p);
	*p = q + 1;
	return true;
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!ks_isdigit(s[i]))
			return false;
	return true;
}

/* The double JavaScript's unary + gives a digit string (correctly rounded, like strtod). */
static double js_number(const char *s, size_t n)
{
	char buf[SEMVER_MAX_LENGTH + 1];

	if (n > SEMVER_MAX_LENGTH)
		n = SEMVER_MAX_LENGTH;	/* cannot happen: identifiers live in a <= 256 version */
	memcpy(buf, s, n);
	buf[n] = '\0';
	return strtod(buf, NULL);
}

/*
 * internal/identifiers.js compareIdentifiers(), after SemVer's constructor turned numeric
 * identifiers below 2^53 - 1 into numbers. Returns 0 also when it would return 0 for two
 * different identifiers (big numbers equal as doubles); *stop says the caller must return.
 */
static int compare_identifiers(const char *a, size_t alen, const char *b, size_t blen, bool *stop)
{
	bool anum = all_digits(a, alen), bnum = all_digits(b, blen);
	int r;

	*stop = true;
	if (anum && bnum) {
		/* numbers below 2^53 have at most 16 digits; both small: exact integers */
		if (alen <= 16 && blen <= 16) {
			uint64_t x = 0, y = 0;

			for (size_t i = 0; i < alen; i++)
				x = x * 10 + (uint64_t)(a[i] - '0');
			for (size_t i = 0; i < blen; i++)
				y = y * 10 + (uint64_t)(b[i] - '0');
			if (x < MAX_SAFE_INTEGER && y < MAX_SAFE_INTEGER) {
				*stop = x != y;	/* `a === b` on numbers: continue */
				return KS_CMP(x, y);
			}
		}
		if (alen == blen && memcmp(a, b, alen) == 0) {
			*stop = false;	/* `a === b` on strings: continue */
			return 0;
		}
		return KS_CMP(js_number(a, alen), js_number(b, blen));
	}
	if (anum != bnum)
		return anum ? -1 : 1;
	r = memcmp(a, b, KS_MIN(alen, blen));
	if (!r && alen == blen) {
		*stop = false;
		return 0;
	}
	return r ? KS_CMP(r, 0) : KS_CMP(alen, blen);
}

int ks_semver_cmp(const struct ks_semver *a, const struct ks_semver *b)
{
	const char *pa, *pb, *ea, *eb;
	int r;

	r = KS_CMP(a->major, b->major);
	if (!r)
		r = KS_CMP(a->minor, b->minor);
	if (!r)
		r = KS_CMP(a->patch, b->patch);
	if (r)
		return r;
	if (!a->pre || !b->pre)
		return KS_CMP(a->pre == NULL, b->pre == NULL);
	pa = a->pre;
	pb = b->pre;
	ea = pa + a->prelen;
	eb = pb + b->prelen;
	for (;;) {
		const char *ia = NULL, *ib = NULL;
		size_t la = 0, lb = 0;
		bool ha = next_ident(&pa, ea, &ia, &la), hb = next_ident(&pb, eb, &ib, &lb);
		bool stop;

		if (!ha || !hb)
			return KS_CMP(ha, hb);
		r = compare_identifiers(ia, la, ib, lb, &stop);
		if (stop)
			return r;
	}
}

static int semver_compare(const char *a, size_t alen, const char *b, size_t blen, int *cmp,
			  struct kensa_err *err)
{
	struct ks_semver va, vb;

	if (ks_semver_parse(a, alen, &va, err) || ks_semver_parse(b, blen, &vb, err))
		return KENSA_EFORMAT;
	*cmp = ks_semver_cmp(&va, &vb);
	return 0;
}

static int semver_check(const char *v, size_t n, struct kensa_err *err)
{
	struct ks_semver sv;

	return ks_semver_parse(v, n, &sv, err);
}

const struct kensa_version_scheme ks_version_semver = {
	.name = "semver",
	.label = "npm",
	.compare = semver_compare,
	.check = semver_check,
};
