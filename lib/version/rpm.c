// SPDX-License-Identifier: Apache-2.0
/*
 * rpm.c — RPM versions (Red Hat family, SUSE, Amazon, Fedora, Photon, …), ordered exactly as
 * rpm 4.18 orders an "[epoch:]version[-release]" string: split like rpmverParse(), then
 * compared like rpm.labelCompare() — epoch, version and release each with rpmvercmp().
 *
 * rpmvercmp() walks alternating runs of digits (compared numerically, any length) and of
 * letters (compared bytewise); anything else separates runs. '~' sorts before everything,
 * even the end of the string ("1.0~rc1" < "1.0"); '^' sorts after the end but before any
 * other run ("1.0" < "1.0^git1" < "1.0.1"). A missing epoch is 0; a missing release sorts
 * before any release ("1.0" < "1.0-1").
 *
 * rpm accepts any string whose version part is not empty ("1:" and "-1" are refused by
 * rpmverNew()), and so does this file.
 */
#include "scheme.h"

struct evr {
	const char *e, *v, *r;		/* e and r are NULL when absent */
	size_t elen, vlen, rlen;
};

/* rpmver.c parseEVR(): epoch only when digits are followed by ':'; release after the last '-'. */
static void parse_evr(const char *s, size_t n, struct evr *out)
{
	const char *end = s + n, *p = s, *hyphen = NULL;

	while (p < end && ks_isdigit(*p))
		p++;
	for (const char *q = p; q < end; q++)
		if (*q == '-')
			hyphen = q;
	if (p < end && *p == ':') {
		out->e = p == s ? "0" : s;
		out->elen = p == s ? 1 : (size_t)(p - s);
		out->v = p + 1;
	} else {
		out->e = NULL;
		out->elen = 0;
		out->v = s;
	}
	out->vlen = (size_t)((hyphen ? hyphen : end) - out->v);
	out->r = hyphen ? hyphen + 1 : NULL;
	out->rlen = hyphen ? (size_t)(end - hyphen - 1) : 0;
}

/* rpmio/rpmvercmp.c rpmvercmp(), on counted strings */
static int rpmvercmp(const char *a, size_t alen, const char *b, size_t blen)
{
	const char *one = a, *two = b, *ae = a + alen, *be = b + blen;

	if (alen == blen && memcmp(a, b, alen) == 0)
		return 0;
	while (one < ae || two < be) {
		const char *s1, *s2;
		bool isnum;
		int rc;

		while (one < ae && !ks_isalnum(*one) && *one != '~' && *one != '^')
			one++;
		while (two < be && !ks_isalnum(*two) && *two != '~' && *two != '^')
			two++;

		/* the tilde separator sorts before everything else */
		if ((one < ae && *one == '~') || (two < be && *two == '~')) {
			if (one >= ae || *one != '~')
				return 1;
			if (two >= be || *two != '~')
				return -1;
			one++;
			two++;
			continue;
		}
		/* the caret too, except that the end of a string sorts before it */
		if ((one < ae && *one == '^') || (two < be && *two == '^')) {
			if (one >= ae)
				return -1;
			if (two >= be)
				return 1;
			if (*one != '^')
				return 1;
			if (*two != '^')
				return -1;
			one++;
			two++;
			continue;
		}
		if (!(one < ae && two < be))
			break;

		s1 = one;
		s2 = two;
		if (ks_isdigit(*s1)) {
			while (s1 < ae && ks_isdigit(*s1))
				s1++;
			while (s2 < be && ks_isdigit(*s2))
				s2++;
			isnum = true;
		} else {
			while (s1 < ae && ks_isalpha(*s1))
				s1++;
			while (s2 < be && ks_isalpha(*s2))
				s2++;
			isnum = false;
		}
		/* segments of different types: numeric is newer than alpha */
		if (two == s2)
			return isnum ? 1 : -1;
		if (isnum) {
			rc = ks_version_numcmp(one, (size_t)(s1 - one), two, (size_t)(s2 - two));
		} else {
			size_t l1 = (size_t)(s1 - one), l2 = (size_t)(s2 - two);

			rc = memcmp(one, two, KS_MIN(l1, l2));
			rc = rc ? KS_CMP(rc, 0) : KS_CMP(l1, l2);
		}
		if (rc)
			return rc;
		one = s1;
		two = s2;
	}
	if (one >= ae && two >= be)
		return 0;
	return one >= ae ? -1 : 1;
}

/* rpm.labelCompare()'s compare_values(): absent < present */
static int compare_values(const char *a, size_t alen, const char *b, size_t blen)
{
	if (!a || !b)
		return KS_CMP(a != NULL, b != NULL);
	return rpmvercmp(a, alen, b, blen);
}

static int rpm_parse(const char *v, size_t n, struct evr *out, struct kensa_err *err)
{
	if (n == 0)
		return ks_version_malformed(err, &ks_version_rpm, v, n, "empty version");
	parse_evr(v, n, out);
	if (out->vlen == 0)
		return ks_version_malformed(err, &ks_version_rpm, v, n, "empty version part");
	return 0;
}

static int rpm_check(const char *v, size_t n, struct kensa_err *err)
{
	struct evr e;

	return rpm_parse(v, n, &e, err);
}

static int rpm_compare(const char *a, size_t alen, const char *b, size_t blen, int *cmp,
		       struct kensa_err *err)
{
	struct evr ea, eb;
	int r;

	if (rpm_parse(a, alen, &ea, err) || rpm_parse(b, blen, &eb, err))
		return KENSA_EFORMAT;
	r = rpmvercmp(ea.e ? ea.e : "0", ea.e ? ea.elen : 1, eb.e ? eb.e : "0", eb.e ? eb.elen : 1);
	if (!r)
		r = rpmvercmp(ea.v, ea.vlen, eb.v, eb.vlen);
	if (!r)
		r = compare_values(ea.r, ea.rlen, eb.r, eb.rlen);
	*cmp = r;
	return 0;
}

const struct kensa_version_scheme ks_version_rpm = {
	.name = "rpm",
	.label = "RPM",
	.compare = rpm_compare,
	.check = rpm_check,
};
