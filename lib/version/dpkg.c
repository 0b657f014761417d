// SPDX-License-Identifier: Apache-2.0
/*
 * dpkg.c — Debian and Ubuntu package versions, ordered exactly as dpkg orders them
 * (deb-version(7); dpkg's lib/dpkg/version.c and parsehelp.c).
 *
 * [epoch:]upstream_version[-debian_revision]. The epoch is a decimal number; the revision
 * is whatever follows the last hyphen. Upstream and revision are compared alternately by
 * non-digit runs (letters sort before non-letters, '~' before everything, even the end)
 * and digit runs (numerically, any length). Leading and trailing blanks are ignored, as
 * dpkg does.
 *
 * Refused, like `dpkg --compare-versions` refuses or warns about them: the empty string
 * (dpkg reads it as "no version"), embedded blanks, a bad epoch, an empty upstream or
 * revision, an upstream not starting with a digit, and characters outside
 * [A-Za-z0-9.+~-:] (upstream) or [A-Za-z0-9.+~] (revision).
 */
#include <limits.h>

#include "scheme.h"

struct dpkg_version {
	const char *epoch;		/* digits after an optional sign, NULL when absent */
	size_t epochlen;
	const char *upstream;
	size_t upstreamlen;
	const char *revision;		/* "" when absent */
	size_t revisionlen;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* lib/dpkg/parsehelp.c parseversion(): errors and warnings alike make a version malformed. */
static int dpkg_parse(const char *v, size_t n, struct dpkg_version *out, struct kensa_err *err)
{
	const char *s = v, *end, *colon, *hyphen = NULL;
	size_t len = n;

	if (n == 0)
		return ks_version_malformed(err, &ks_version_dpkg, v, n, "version string is empty");
	while (len && is_blank(*s)) {
		s++;
		len--;
	}
	end = s;
	while (end < s + len && !is_blank(*end))
		end++;
	for (const char *p = end; p < s + len; p++)
		if (!is_blank(*p))
			return ks_version_malformed(err, &ks_version_dpkg, v, n,
						    "version string has embedded spaces");
	if (end == s)
		return ks_version_malformed(err, &ks_version_dpkg, v, n, "version string is empty");

	out->epoch = NULL;
	out->epochlen = 0;
	colon = memchr(s, ':', (size_t)(end - s));
	if (colon) {
		/* strtol(): spaces, an optional sign, then digits, ending exactly at the colon */
		const char *d = s;
		bool negative = false;
		uint64_t epoch = 0;

		while (d < colon && *d && strchr(" \t\n\v\f\r", *d))
			d++;
		if (*d == '+' || *d == '-') {
			negative = *d == '-';
			d++;
		}
		if (!ks_isdigit(*d))
			return ks_version_malformed(err, &ks_version_dpkg, v, n,
						    "epoch in version is empty");
		for (const char *p = d; p < colon; p++) {
			if (!ks_isdigit(*p))
				return ks_version_malformed(err, &ks_version_dpkg, v, n,
							    "epoch in version is not number");
			if (epoch <= (uint64_t)INT_MAX)
				epoch = epoch * 10 + (uint64_t)(*p - '0');
		}
		if (negative && epoch != 0)
			return ks_version_malformed(err, &ks_version_dpkg, v, n,
						    "epoch in version is negative");
		if (epoch > (uint64_t)INT_MAX)
			return ks_version_malformed(err, &ks_version_dpkg, v, n,
						    "epoch in version is too big");
		if (colon + 1 == end)
			return ks_version_malformed(err, &ks_version_dpkg, v, n,
						    "nothing after colon in version number");
		out->epoch = d;
		out->epochlen = (size_t)(colon - d);
		s = colon + 1;
	}
	for (const char *p = s; p < end; p++)
		if (*p == '-')
			hyphen = p;
	out->upstream = s;
	out->upstreamlen = (size_t)((hyphen ? hyphen : end) - s);
	out->revision = hyphen ? hyphen + 1 : "";
	out->revisionlen = hyphen ? (size_t)(end - hyphen - 1) : 0;
	if (hyphen && out->revisionlen == 0)
		return ks_version_malformed(err, &ks_version_dpkg, v, n,
					    "revision number is empty");
	if (out->upstreamlen == 0)
		return ks_version_malformed(err, &ks_version_dpkg, v, n, "version number is empty");
	if (!ks_isdigit(out->upstream[0]))
		return ks_version_malformed(err, &ks_version_dpkg, v, n,
					    "version number does not start with digit");
	for (size_t i = 0; i < out->upstreamlen; i++) {
		char c = out->upstream[i];

		if (!ks_isalnum(c) && c != '.' && c != '-' && c != '+' && c != '~' && c != ':')
			return ks_version_malformed(err, &ks_version_dpkg, v, n,
						    "invalid character in version number");
	}
	for (size_t i = 0; i < out->revisionlen; i++) {
		char c = out->revision[i];

		if (!ks_isalnum(c) && c != '.' && c != '+' && c != '~')
			return ks_version_malformed(err, &ks_version_dpkg, v, n,
						    "invalid character in revision number");
	}
	return 0;
}

/* lib/dpkg/version.c order(): digits 0, letters themselves, '~' -1, end 0, others c + 256 */
static int order(const char *p, const char *end)
{
	unsigned char c = p < end ? (unsigned char)*p : 0;

	if (c == 0 || ks_isdigit(c))
		return 0;
	if (ks_isalpha(c))
		return c;
	if (c == '~')
		return -1;
	return c + 256;
}

/* lib/dpkg/version.c verrevcmp(), on counted strings */
static int verrevcmp(const char *a, size_t alen, const char *b, size_t blen)
{
	const char *ae = a + alen, *be = b + blen;

	while (a < ae || b < be) {
		int first_diff = 0;

		while ((a < ae && !ks_isdigit(*a)) || (b < be && !ks_isdigit(*b))) {
			int ac = order(a, ae), bc = order(b, be);

			if (ac != bc)
				return KS_CMP(ac, bc);
			a++;
			b++;
		}
		while (a < ae && *a == '0')
			a++;
		while (b < be && *b == '0')
			b++;
		while (a < ae && ks_isdigit(*a) && b < be && ks_isdigit(*b)) {
			if (!first_diff)
				first_diff = *a - *b;
			a++;
			b++;
		}
		if (a < ae && ks_isdigit(*a))
			return 1;
		if (b < be && ks_isdigit(*b))
			return -1;
		if (first_diff)
			return KS_CMP(first_diff, 0);
	}
	return 0;
}

static int dpkg_compare(const char *a, size_t alen, const char *b, size_t blen, int *cmp,
			struct kensa_err *err)
{
	struct dpkg_version va, vb;
	int r;

	if (dpkg_parse(a, alen, &va, err) || dpkg_parse(b, blen, &vb, err))
		return KENSA_EFORMAT;
	r = ks_version_numcmp(va.epoch ? va.epoch : "0", va.epoch ? va.epochlen : 1,
			      vb.epoch ? vb.epoch : "0", vb.epoch ? vb.epochlen : 1);
	if (!r)
		r = verrevcmp(va.upstream, va.upstreamlen, vb.upstream, vb.upstreamlen);
	if (!r)
		r = verrevcmp(va.revision, va.revisionlen, vb.revision, vb.revisionlen);
	*cmp = r;
	return 0;
}

static int dpkg_check(const char *v, size_t n, struct kensa_err *err)
{
	struct dpkg_version dv;

	return dpkg_parse(v, n, &dv, err);
}

const struct kensa_version_scheme ks_version_dpkg = {
	.name = "dpkg",
	.label = "Debian",
	.compare = dpkg_compare,
	.check = dpkg_check,
};
