// SPDX-License-Identifier: Apache-2.0
/*
 * nuget.c — NuGet package versions, ordered as NuGet.Versioning's default VersionComparer
 * orders NuGetVersion values (SemVer 2.0 with NuGet's extensions).
 *
 *   MAJOR[.MINOR[.PATCH[.REVISION]]][-LABEL(.LABEL)*][+METADATA]
 *
 * One to four numbers (missing ones are 0, leading zeros allowed: "1.01" = "1.1.0.0"), each
 * at most 2^31 - 1 (System.Version's limit); labels non-empty [0-9A-Za-z-] with no leading
 * zero in a numeric label; metadata is checked and ignored. Labels compare numerically when
 * both parse as 32-bit integers, numeric before alphanumeric, otherwise case-insensitively
 * (OrdinalIgnoreCase): "1.0.0-BETA" = "1.0.0-beta".
 *
 * Not accepted although NuGetVersion.TryParse would: whitespace or '+'/'-' signs inside
 * the numbers (System.Version parses components with int.TryParse), non-ASCII whitespace
 * around the version.
 */
#include "scheme.h"

#define INT32_MAX_DIGITS "2147483647"

struct nuget_version {
	const char *num[4];
	size_t numlen[4];
	const char *labels;	/* NULL: a release */
	size_t labelslen;
};

static bool is_ident_char(char c)
{
	return ks_isalnum(c) || c == '-';
}

static bool fits_int32(const char *p, size_t n)
{
	return ks_version_numcmp(p, n, INT32_MAX_DIGITS, sizeof(INT32_MAX_DIGITS) - 1) <= 0;
}

/* IsValidPart(): non-empty, [0-9A-Za-z-], and (for labels) no "0123"-style leading zero. */
static bool parts_ok(const char *p, size_t n, bool allow_leading_zeros)
{
	size_t start = 0;

	for (size_t i = 0; i <= n; i++) {
		if (i == n || p[i] == '.') {
			bool numeric = i > start;

			if (i == start)
				return false;
			for (size_t k = start; k < i; k++)
				numeric &= ks_isdigit(p[k]);
			if (!allow_leading_zeros && numeric && i - start > 1 && p[start] == '0')
				return false;
			start = i + 1;
		} else if (!is_ident_char(p[i])) {
			return false;
		}
	}
	return true;
}

static int nuget_parse(const char *v, size_t n, struct nuget_version *out, struct kensa_err *err)
{
	const char *s = v, *p, *end, *dash, *plus;
	size_t len = n;
	int count = 0;

	ks_trim(&s, &len);
	end = s + len;
	memset(out, 0, sizeof(*out));
	p = s;
	/* ParseSections(): the first '-' or '+' ends the numbers, the first '+' the labels */
	dash = p;
	while (dash < end && *dash != '-' && *dash != '+')
		dash++;
	for (;;) {
		const char *q = p;

		while (q < dash && ks_isdigit(*q))
			q++;
		if (q == p || count == 4)
			goto bad;
		if (!fits_int32(p, (size_t)(q - p)))
			return ks_version_malformed(err, &ks_version_nuget, v, n,
						    "version number larger than 2147483647");
		out->num[count] = p;
		out->numlen[count++] = (size_t)(q - p);
		if (q == dash)
			break;
		if (*q != '.')
			goto bad;
		p = q + 1;
	}
	p = dash;
	plus = p;
	while (plus < end && *plus != '+')
		plus++;
	if (p < end && *p == '-') {
		out->labels = p + 1;
		out->labelslen = (size_t)(plus - p - 1);
		if (!parts_ok(out->labels, out->labelslen, false))
			return ks_version_malformed(err, &ks_version_nuget, v, n,
						    "bad release label");
	}
	if (plus < end && !parts_ok(plus + 1, (size_t)(end - plus - 1), true))
		return ks_version_malformed(err, &ks_version_nuget, v, n, "bad build metadata");
	return 0;
bad:
	return ks_version_malformed(err, &ks_version_nuget, v, n,
				    "not MAJOR[.MINOR[.PATCH[.REVISION]]] with optional label");
}

/* CompareRelease(): Int32.TryParse decides what is numeric. */
static int label_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	bool na = alen > 0, nb = blen > 0;

	for (size_t i = 0; i < alen; i++)
		na &= ks_isdigit(a[i]);
	for (size_t i = 0; i < blen; i++)
		nb &= ks_isdigit(b[i]);
	na = na && fits_int32(a, alen);
	nb = nb && fits_int32(b, blen);
	if (na && nb)
		return ks_version_numcmp(a, alen, b, blen);
	if (na != nb)
		return na ? -1 : 1;
	for (size_t i = 0; i < alen && i < blen; i++) {
		int r = KS_CMP(ks_toupper((unsigned char)a[i]), ks_toupper((unsigned char)b[i]));

		if (r)
			return r;
	}
	return KS_CMP(alen, blen);
}

static int nuget_order(const struct nuget_version *a, const struct nuget_version *b)
{
	const char *pa, *pb, *ea, *eb;

	for (int i = 0; i < 4; i++) {
		const char *x = a->num[i] ? a->num[i] : "0", *y = b->num[i] ? b->num[i] : "0";
		int r = ks_version_numcmp(x, a->num[i] ? a->numlen[i] : 1, y,
					  b->num[i] ? b->numlen[i] : 1);

		if (r)
			return r;
	}
	if (!a->labels || !b->labels)
		return KS_CMP(a->labels == NULL, b->labels == NULL);
	pa = a->labels;
	pb = b->labels;
	ea = pa + a->labelslen;
	eb = pb + b->labelslen;
	for (;;) {
		const char *qa = memchr(pa, '.', (size_t)(ea - pa));
		const char *qb = memchr(pb, '.', (size_t)(eb - pb));
		int r;

		qa = qa ? qa : ea;
		qb = qb ? qb : eb;
		r = label_cmp(pa, (size_t)(qa - pa), pb, (size_t)(qb - pb));
		if (r)
			return r;
		if (qa == ea || qb == eb)
			return KS_CMP(qa != ea, qb != eb);
		pa = qa + 1;
		pb = qb + 1;
	}
}

static int nuget_compare(const char *a, size_t alen, const char *b, size_t blen, int *cmp,
			 struct kensa_err *err)
{
	struct nuget_version va, vb;

	if (nuget_parse(a, alen, &va, err) || nuget_parse(b, blen, &vb, err))
		return KENSA_EFORMAT;
	*cmp = nuget_order(&va, &vb);
	return 0;
}

static int nuget_check(const char *v, size_t n, struct kensa_err *err)
{
	struct nuget_version nv;

	return nuget_parse(v, n, &nv, err);
}

const struct kensa_version_scheme ks_version_nuget = {
	.name = "nuget",
	.label = "NuGet",
	.compare = nuget_compare,
	.check = nuget_check,
};
