// SPDX-License-Identifier: Apache-2.0
/*
 * registry.c — the one table of version schemes, the ecosystem names that select them, the
 * public kensa_version_* entry points, and the helpers the comparators share.
 *
 * Adding a family: write lib/version/<family>.c exporting ks_version_<family>, list it in
 * `families`, and map its ecosystem names in `ecosystems`.
 */
#include <strings.h>

#include "scheme.h"

#define KS_STR_(x) #x
#define KS_STR(x) KS_STR_(x)

static const struct kensa_version_scheme *const families[] = {
	&ks_version_dpkg,  &ks_version_apk,   &ks_version_rpm,   &ks_version_pep440,
	&ks_version_semver, &ks_version_maven, &ks_version_go,    &ks_version_gem,
	&ks_version_nuget, &ks_version_composer, &ks_version_cargo,
};

/*
 * OSV ecosystem names (the part before any ':' release suffix) and package-URL types.
 * Sources: the OSV schema's ecosystem list and the purl type list.
 */
static const struct {
	const char *name;
	const struct kensa_version_scheme *scheme;
} ecosystems[] = {
	{ "Debian", &ks_version_dpkg },
	{ "Ubuntu", &ks_version_dpkg },
	{ "deb", &ks_version_dpkg },
	{ "Alpine", &ks_version_apk },
	{ "Wolfi", &ks_version_apk },
	{ "Chainguard", &ks_version_apk },
	{ "MinimOS", &ks_version_apk },
	{ "Red Hat", &ks_version_rpm },
	{ "Rocky Linux", &ks_version_rpm },
	{ "AlmaLinux", &ks_version_rpm },
	{ "CentOS", &ks_version_rpm },
	{ "Fedora", &ks_version_rpm },
	{ "Oracle Linux", &ks_version_rpm },
	{ "Amazon Linux", &ks_version_rpm },
	{ "Azure Linux", &ks_version_rpm },
	{ "CBL-Mariner", &ks_version_rpm },
	{ "SUSE", &ks_version_rpm },
	{ "openSUSE", &ks_version_rpm },
	{ "Photon OS", &ks_version_rpm },
	{ "Mageia", &ks_version_rpm },
	{ "openEuler", &ks_version_rpm },
	{ "PyPI", &ks_version_pep440 },
	{ "npm", &ks_version_semver },
	{ "Maven", &ks_version_maven },
	{ "Go", &ks_version_go },
	{ "golang", &ks_version_go },
	{ "RubyGems", &ks_version_gem },
	{ "NuGet", &ks_version_nuget },
	{ "Packagist", &ks_version_composer },
	{ "crates.io", &ks_version_cargo },
};

const struct kensa_version_scheme *kensa_version_scheme(const char *name)
{
	size_t n;

	if (!name)
		return NULL;
	n = strcspn(name, ":");
	for (size_t i = 0; i < KS_ARRAY_SIZE(families); i++)
		if (strlen(families[i]->name) == n && strncasecmp(families[i]->name, name, n) == 0)
			return families[i];
	for (size_t i = 0; i < KS_ARRAY_SIZE(ecosystems); i++)
		if (strlen(ecosystems[i].name) == n &&
		    strncasecmp(ecosystems[i].name, name, n) == 0)
			return ecosystems[i].scheme;
	return NULL;
}

const char *kensa_version_scheme_name(const struct kensa_version_scheme *s)
{
	return s ? s->name : NULL;
}

const char *const *kensa_version_schemes(void)
{
	static const char *const names[] = {
		"dpkg", "apk", "rpm", "pep440", "semver", "maven", "go", "gem", "nuget", "composer",
		"cargo", NULL,
	};

	_Static_assert(KS_ARRAY_SIZE(names) == KS_ARRAY_SIZE(families) + 1, "one name per family");
	return names;
}

/* strnlen that also says whether the version fits the size limit. */
static int version_len(const struct kensa_version_scheme *s, const char *v, size_t *n,
		       struct kensa_err *err)
{
	*n = strnlen(v, KENSA_VERSION_MAX + 1);
	if (*n > KENSA_VERSION_MAX)
		return ks_version_malformed(err, s, v, *n, "longer than " KS_STR(KENSA_VERSION_MAX)
					    " bytes");
	return 0;
}

int kensa_version_compare(const struct kensa_version_scheme *s, const char *a, const char *b,
			  int *cmp, struct kensa_err *err)
{
	size_t alen, blen;
	int result;

	if (!s || !a || !b || !cmp)
		return kensa_err_set(err, KENSA_EINVAL, "kensa_version_compare: missing argument");
	result = version_len(s, a, &alen, err);
	if (!result)
		result = version_len(s, b, &blen, err);
	if (!result)
		result = s->compare(a, alen, b, blen, cmp, err);
	return result;
}

int kensa_version_check(const struct kensa_version_scheme *s, const char *v, struct kensa_err *err)
{
	size_t n;
	int result;

	if (!s || !v)
		return kensa_err_set(err, KENSA_EINVAL, "kensa_version_check: missing argument");
	result = version_len(s, v, &n, err);
	if (!result)
		result = s->check(v, n, err);
	return result;
}

bool kensa_version_valid(const struct kensa_version_scheme *s, const char *v)
{
	return kensa_version_check(s, v, NULL) == 0;
}

/* ---------------------------------------------------------------- shared helpers */

void ks_version_quote(char *out, size_t cap, const char *v, size_t n)
{
	size_t o = 0, i;

	for (i = 0; i < n && o + 5 < cap && i < 120; i++) {
		unsigned char c = (unsigned char)v[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", c);
	}
	if (i < n && o + 4 < cap)
		o += (size_t)snprintf(out + o, cap - o, "...");
	out[o] = '\0';
}

int ks_version_malformed(struct kensa_err *err, const struct kensa_version_scheme *s,
			 const char *v, size_t n, const char *why)
{
	char q[KS_VERSION_QUOTE_MAX];

	if (!err || err->code)
		return KENSA_EFORMAT;
	ks_version_quote(q, sizeof(q), v, n);
	return kensa_err_set(err, KENSA_EFORMAT, "malformed %s version '%s': %s", s->label, q, why);
}

int ks_version_numcmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int r;

	while (alen && *a == '0') {
		a++;
		alen--;
	}
	while (blen && *b == '0') {
		b++;
		blen--;
	}
	if (alen != blen)
		return alen < blen ? -1 : 1;
	r = memcmp(a, b, alen);
	return KS_CMP(r, 0);
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!ks_isdigit(s[i]))
			return false;
	return true;
}

int ks_version_prerelease_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	const char *ea = a + alen, *eb = b + blen;

	for (;;) {
		const char *qa = memchr(a, '.', (size_t)(ea - a));
		const char *qb = memchr(b, '.', (size_t)(eb - b));
		size_t la, lb;
		bool na, nb;
		int r;

		qa = qa ? qa : ea;
		qb = qb ? qb : eb;
		la = (size_t)(qa - a);
		lb = (size_t)(qb - b);
		na = all_digits(a, la);
		nb = all_digits(b, lb);
		if (na != nb)
			return na ? -1 : 1;
		if (na) {
			r = ks_version_numcmp(a, la, b, lb);
		} else {
			r = memcmp(a, b, KS_MIN(la, lb));
			r = r ? KS_CMP(r, 0) : KS_CMP(la, lb);
		}
		if (r)
			return r;
		if (qa == ea || qb == eb)
			return KS_CMP(qa != ea, qb != eb);
		a = qa + 1;
		b = qb + 1;
	}
}

/* Decode one UTF-8 character at s; returns its length (0 if malformed) and sets *cp. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	*cp = c;
	return len;
}

static bool is_space_cp(uint32_t c, enum ks_space_flavor flavor)
{
	switch (c) {
	case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
	case 0xa0: case 0x1680: case 0x2028: case 0x2029: case 0x202f: case 0x205f: case 0x3000:
		return true;
	case 0x1c: case 0x1d: case 0x1e: case 0x1f: case 0x85:
		return flavor == KS_SPACE_PYTHON;
	case 0xfeff:
		return flavor == KS_SPACE_JS;
	default:
		return c >= 0x2000 && c <= 0x200a;
	}
}

size_t ks_version_space_at(const char *s, size_t n, enum ks_space_flavor flavor)
{
	uint32_t c = 0;
	size_t len = utf8_decode((const unsigned char *)s, n, &c);

	return len && is_space_cp(c, flavor) ? len : 0;
}

size_t ks_version_space_before(const char *s, size_t n, enum ks_space_flavor flavor)
{
	size_t start = n;

	/* back up over at most three continuation bytes to the lead byte */
	while (start > 0 && n - start < 4) {
		start--;
		if (((unsigned char)s[start] & 0xc0) != 0x80)
			break;
	}
	if (start == n)
		return 0;
	return ks_version_space_at(s + start, n - start, flavor) == n - start ? n - start : 0;
}

void ks_version_trim(const char **s, size_t *n, enum ks_space_flavor flavor)
{
	size_t k;

	while (*n && (k = ks_version_space_at(*s, *n, flavor))) {
		*s += k;
		*n -= k;
	}
	while (*n && (k = ks_version_space_before(*s, *n, flavor)))
		*n -= k;
}
