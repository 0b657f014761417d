// SPDX-License-Identifier: Apache-2.0
/*
 * cargo.c — Rust crate versions (crates.io), parsed as the `semver` crate (1.x, what cargo
 * uses) parses a Version, ordered by SemVer 2.0 precedence.
 *
 *   MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]
 *
 * Exactly three numbers, each without leading zeros and below 2^64; no 'v' prefix, no
 * whitespace; prerelease identifiers non-empty [0-9A-Za-z-], numeric ones without leading
 * zeros (of any length); build identifiers non-empty [0-9A-Za-z-].
 *
 * Order: the numbers, then a prerelease sorts before the release; identifier lists compare
 * as SemVer 2.0 says. Build metadata is ignored, as SemVer 2.0 and OSV's SEMVER ranges
 * require (the crate's own Ord breaks the tie on build metadata; a feed cannot mean that).
 */
#include "scheme.h"

struct cargo_version {
	uint64_t num[3];
	const char *pre;
	size_t prelen;
};

static bool is_ident_char(char c)
{
	return ks_isalnum(c) || c == '-';
}

static const char *parse_u64(const char *p, const char *end, uint64_t *out, const char **why)
{
	const char *q = p;

	while (q < end && ks_isdigit(*q))
		q++;
	if (q == p) {
		*why = "expected a number";
		return NULL;
	}
	if (*p == '0' && q - p > 1) {
		*why = "invalid leading zero";
		return NULL;
	}
	if (!ks_parse_u64(p, (size_t)(q - p), out)) {
		*why = "number too large to fit in 64 bits";
		return NULL;
	}
	return q;
}

/* Identifiers until `stop` or the end; numeric prerelease identifiers refuse leading zeros. */
static const char *parse_idents(const char *p, const char *end, char stop, bool pre,
				const char **why)
{
	const char *start = p;

	for (;; p++) {
		if (p == end || *p == stop || *p == '.') {
			bool numeric = true;

			if (p == start) {
				*why = pre ? "empty identifier segment in pre-release"
					   : "empty identifier segment in build metadata";
				return NULL;
			}
			for (const char *q = start; q < p; q++)
				numeric &= ks_isdigit(*q);
			if (pre && numeric && *start == '0' && p - start > 1) {
				*why = "invalid leading zero in pre-release identifier";
				return NULL;
			}
			if (p == end || *p == stop)
				return p;
			start = p + 1;
			continue;
		}
		if (!is_ident_char(*p)) {
			*why = "unexpected character";
			return NULL;
		}
	}
}

static int cargo_parse(const char *v, size_t n, struct cargo_version *out, struct kensa_err *err)
{
	const char *p = v, *end = v + n, *why = "unexpected end of input";

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < 3; i++) {
		if (i > 0) {
			if (p >= end || *p != '.') {
				why = p >= end ? "unexpected end of input" : "unexpected character";
				goto bad;
			}
			p++;
		}
		p = parse_u64(p, end, &out->num[i], &why);
		if (!p)
			goto bad;
	}
	if (p < end && *p == '-') {
		out->pre = p + 1;
		p = parse_idents(p + 1, end, '+', true, &why);
		if (!p)
			goto bad;
		out->prelen = (size_t)(p - out->pre);
	}
	if (p < end && *p == '+') {
		p = parse_idents(p + 1, end, '\0', false, &why);
		if (!p)
			goto bad;
	}
	if (p == end)
		return 0;
	why = "unexpected character after version";
bad:
	return ks_version_malformed(err, &ks_version_cargo, v, n, why);
}

static int cargo_compare(const char *a, size_t alen, const char *b, size_t blen, int *cmp,
			 struct kensa_err *err)
{
	struct cargo_version va, vb;
	int r = 0;

	if (cargo_parse(a, alen, &va, err) || cargo_parse(b, blen, &vb, err))
		return KENSA_EFORMAT;
	for (int i = 0; i < 3 && !r; i++)
		r = KS_CMP(va.num[i], vb.num[i]);
	if (!r) {
		if (!va.pre || !vb.pre)
			r = KS_CMP(va.pre == NULL, vb.pre == NULL);
		else
			r = ks_version_prerelease_cmp(va.pre, va.prelen, vb.pre, vb.prelen);
	}
	*cmp = r;
	return 0;
}

static int cargo_check(const char *v, size_t n, struct kensa_err *err)
{
	struct cargo_version cv;

	return cargo_parse(v, n, &cv, err);
}

const struct kensa_version_scheme ks_version_cargo = {
	.name = "cargo",
	.label = "Cargo",
	.compare = cargo_compare,
	.check = cargo_check,
};
