// SPDX-License-Identifier: Apache-2.0
/*
 * composer.c — PHP package versions (Packagist), ordered as Composer orders them:
 * composer/semver's VersionParser::normalize() on each side, then PHP's version_compare()
 * on the normalized strings (which is what Composer's constraints do).
 *
 * normalize() accepts "1", "v1.2.3", "1.2.3.4", "1.0.0-beta2", "1.0-RC1", "1.0.0-p1",
 * "1.0.0-patch", "2.0.x-dev", "1.0.0+build", "2024-01-30" (date versions), "1.0 as 2.0",
 * "1.0@beta", … and turns them into "1.2.3.0", "1.0.0.0-beta2", "1.0.9999999.9999999-dev",
 * "2024.01.30". version_compare() then orders dev < alpha = a < beta = b < RC = rc <
 * numbers < patch = pl = p.
 *
 * Branch names ("dev-main", "master", "feature-x") normalize to "dev-…" and have no order
 * (Composer never matches them against a range): they are refused, like anything
 * normalize() throws on.
 */
#include <limits.h>

#include "scheme.h"

#define NORM_MAX (KENSA_VERSION_MAX + 64)

struct sv {
	const char *p;
	size_t n;
};

/* PHP trim(): " \t\n\r\0\x0B" */
static bool php_trim_char(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0' || c == '\v';
}

/* PCRE's \s (default "C" tables) */
static bool pcre_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static bool ieq(const char *p, size_t n, const char *w)
{
	if (strlen(w) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (ks_tolower((unsigned char)p[i]) != ks_tolower((unsigned char)w[i]))
			return false;
	return true;
}

static bool iprefix(const char *p, size_t n, const char *w)
{
	size_t k = strlen(w);

	return n >= k && ieq(p, k, w);
}

/* ---------------------------------------------------------------- the modifier regex */

/*
 * $modifierRegex = '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*+)?)?
 * ([.-]?dev)?' followed by '$', case-insensitive, over all of s. Tried in the order a
 * backtracking engine tries it; returns the first full match.
 */
struct modifier {
	struct sv word, number;	/* word.p NULL when absent */
	bool dev;
};

static bool dev_tail(struct sv s, size_t i)
{
	/* ([.-]?dev)?$ */
	if (i < s.n && (s.p[i] == '.' || s.p[i] == '-') && s.n - i - 1 == 3 &&
	    ieq(s.p + i + 1, 3, "dev"))
		return true;
	return s.n - i == 3 && ieq(s.p + i, 3, "dev");
}

static bool modifier_match(struct sv s, struct modifier *m)
{
	static const char *const words[] = {
		"stable", "beta", "b", "RC", "alpha", "a", "patch", "pl", "p",
	};

	for (int sep = 1; sep >= 0; sep--) {
		size_t i = 0;

		if (sep) {
			if (s.n == 0 || !(s.p[0] == '.' || s.p[0] == '_' || s.p[0] == '-'))
				continue;
			i = 1;
		}
		for (size_t w = 0; w < KS_ARRAY_SIZE(words); w++) {
			size_t k = strlen(words[w]), j, num_start;

			if (!iprefix(s.p + i, s.n - i, words[w]))
				continue;
			j = num_start = i + k;
			/* ((?:[.-]?\d+)*+) — possessive */
			for (;;) {
				size_t t = j;

				if (t < s.n && (s.p[t] == '.' || s.p[t] == '-') && t + 1 < s.n &&
				    ks_isdigit(s.p[t + 1]))
					t++;
				if (t >= s.n || !ks_isdigit(s.p[t]))
					break;
				while (t < s.n && ks_isdigit(s.p[t]))
					t++;
				j = t;
			}
			if (j == s.n || dev_tail(s, j)) {
				m->word = (struct sv){ s.p + i, k };
				m->number = (struct sv){ s.p + num_start, j - num_start };
				m->dev = j != s.n;
				return true;
			}
		}
		if (i == s.n || dev_tail(s, i)) {
			m->word = (struct sv){ NULL, 0 };
			m->number = (struct sv){ NULL, 0 };
			m->dev = i != s.n;
			return true;
		}
	}
	return false;
}

/* ---------------------------------------------------------------- normalize() */

struct out {
	char *buf;
	size_t n, cap;
	bool overflow;
};

static void put(struct out *o, const char *p, size_t n)
{
	if (o->n + n >= o->cap) {
		o->overflow = true;
		return;
	}
	memcpy(o->buf + o->n, p, n);
	o->n += n;
	o->buf[o->n] = '\0';
}

static void puts_(struct out *o, const char *z)
{
	put(o, z, strlen(z));
}

/* expandStability() then the modifiers' suffix, as normalize() appends them */
static bool add_modifiers(struct out *o, const struct modifier *m)
{
	if (m->word.p) {
		char w[8];
		const char *x;

		if (m->word.n == 6 && memcmp(m->word.p, "stable", 6) == 0)
			return true;	/* 'stable' === $matches[$index]: the version as it is */
		for (size_t i = 0; i < m->word.n; i++)
			w[i] = (char)ks_tolower((unsigned char)m->word.p[i]);
		w[m->word.n] = '\0';
		if (strcmp(w, "a") == 0)
			x = "alpha";
		else if (strcmp(w, "b") == 0)
			x = "beta";
		else if (strcmp(w, "p") == 0 || strcmp(w, "pl") == 0)
			x = "patch";
		else if (strcmp(w, "rc") == 0)
			x = "RC";
		else
			x = w;
		puts_(o, "-");
		puts_(o, x);
		{
			struct sv num = m->number;

			/* ltrim($number, '.-') */
			while (num.n && (num.p[0] == '.' || num.p[0] == '-')) {
				num.p++;
				num.n--;
			}
			put(o, num.p ? num.p : "", num.n);
		}
	}
	if (m->dev)
		puts_(o, "-dev");
	return true;
}

/* ^v?(\d{1,5})(\.\d++)?(\.\d++)?(\.\d++)?MODIFIER$ */
static bool classical(struct sv s, struct out *o)
{
	struct sv parts[4] = { { NULL, 0 } };
	struct modifier m;
	size_t i = 0, j;

	if (i < s.n && (s.p[i] == 'v' || s.p[i] == 'V'))
		i++;
	j = i;
	while (j < s.n && ks_isdigit(s.p[j]))
		j++;
	if (j == i || j - i > 5)
		return false;
	parts[0] = (struct sv){ s.p + i, j - i };
	i = j;
	for (int g = 1; g < 4; g++) {
		if (i + 1 < s.n && s.p[i] == '.' && ks_isdigit(s.p[i + 1])) {
			j = i + 1;
			while (j < s.n && ks_isdigit(s.p[j]))
				j++;
			parts[g] = (struct sv){ s.p + i, j - i };
			i = j;
		}
	}
	if (!modifier_match((struct sv){ s.p + i, s.n - i }, &m))
		return false;
	put(o, parts[0].p, parts[0].n);
	for (int g = 1; g < 4; g++) {
		if (parts[g].p)
			put(o, parts[g].p, parts[g].n);
		else
			puts_(o, ".0");
	}
	return add_modifiers(o, &m);
}

static bool date_sep(char c)
{
	return c == '.' || c == ':' || c == '-';
}

static bool two_digits(struct sv s, size_t i)
{
	return i + 1 < s.n && ks_isdigit(s.p[i]) && ks_isdigit(s.p[i + 1]);
}

/*
 * ^v?(\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3})?)MODIFIER$ — group 1 is explored in the
 * engine's order (greedy repetitions, separators taken first); the first end position after
 * which MODIFIER matches the rest wins.
 */
static bool date_rest(struct sv s, size_t start, size_t i, int reps, struct out *o)
{
	struct modifier m;

	if (reps < 6) {
		for (int sep = 1; sep >= 0; sep--) {
			size_t k = i;

			if (sep) {
				if (k >= s.n || !date_sep(s.p[k]))
					continue;
				k++;
			}
			if (two_digits(s, k) && date_rest(s, start, k + 2, reps + 1, o))
				return true;
		}
	}
	if (reps == 0)
		return false;
	/* (?:[.:-]?\d{1,3})? then the modifier */
	for (int sep = 1; sep >= 0; sep--) {
		size_t k = i, d = 0;

		if (sep) {
			if (k >= s.n || !date_sep(s.p[k]))
				continue;
			k++;
		}
		while (d < 3 && k + d < s.n && ks_isdigit(s.p[k + d]))
			d++;
		for (; d >= 1; d--) {
			if (modifier_match((struct sv){ s.p + k + d, s.n - k - d }, &m)) {
				i = k + d;
				goto found;
			}
		}
	}
	if (!modifier_match((struct sv){ s.p + i, s.n - i }, &m))
		return false;
found:
	/* preg_replace('{\D}', '.', $matches[1]) */
	for (size_t k = start; k < i; k++)
		put(o, ks_isdigit(s.p[k]) ? s.p + k : ".", 1);
	return add_modifiers(o, &m);
}

static bool date_version(struct sv s, struct out *o)
{
	size_t i = 0;

	if (i < s.n && (s.p[i] == 'v' || s.p[i] == 'V'))
		i++;
	for (size_t k = 0; k < 4; k++)
		if (i + k >= s.n || !ks_isdigit(s.p[i + k]))
			return false;
	return date_rest(s, i, i + 4, 0, o);
}

/* normalizeBranch(): ^v?(\d++)(\.(?:\d++|[xX*]))?{3}$ → numbers with x = 9999999, "-dev" */
static bool normalize_branch(struct sv s, struct out *o)
{
	struct sv parts[4] = { { NULL, 0 } };
	size_t i = 0, j;

	while (s.n && php_trim_char(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && php_trim_char(s.p[s.n - 1]))
		s.n--;
	if (i < s.n && (s.p[i] == 'v' || s.p[i] == 'V'))
		i++;
	j = i;
	while (j < s.n && ks_isdigit(s.p[j]))
		j++;
	if (j == i)
		return false;
	parts[0] = (struct sv){ s.p + i, j - i };
	i = j;
	for (int g = 1; g < 4 && i < s.n; g++) {
		if (s.p[i] != '.' || i + 1 >= s.n)
			return false;
		j = i + 1;
		if (s.p[j] == 'x' || s.p[j] == 'X' || s.p[j] == '*') {
			j++;
		} else {
			while (j < s.n && ks_isdigit(s.p[j]))
				j++;
			if (j == i + 1)
				return false;
		}
		parts[g] = (struct sv){ s.p + i, j - i };
		i = j;
	}
	if (i != s.n)
		return false;
	for (int g = 0; g < 4; g++) {
		if (!parts[g].p) {
			puts_(o, ".9999999");
			continue;
		}
		for (size_t k = 0; k < parts[g].n; k++) {
			char c = parts[g].p[k];

			if (c == 'x' || c == 'X' || c == '*')
				puts_(o, "9999999");
			else
				put(o, &c, 1);
		}
	}
	puts_(o, "-dev");
	return true;
}

/* VersionParser::normalize(); false when it throws or the result is a branch ("dev-…"). */
static bool normalize(const char *v, size_t n, struct out *o, const char **why)
{
	struct sv s = { v, n };
	size_t k;

	*why = "invalid version string";
	while (s.n && php_trim_char(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && php_trim_char(s.p[s.n - 1]))
		s.n--;

	/* strip off aliasing: ^([^,\s]++) ++as ++([^,\s]++)$ */
	for (k = 0; k < s.n && s.p[k] != ',' && !pcre_space(s.p[k]); k++)
		;
	if (k > 0 && k < s.n && s.p[k] == ' ') {
		size_t j = k, a;

		while (j < s.n && s.p[j] == ' ')
			j++;
		if (j + 2 < s.n && s.p[j] == 'a' && s.p[j + 1] == 's' && s.p[j + 2] == ' ') {
			a = j + 2;
			while (a < s.n && s.p[a] == ' ')
				a++;
			j = a;
			while (j < s.n && s.p[j] != ',' && !pcre_space(s.p[j]))
				j++;
			if (j > a && j == s.n)
				s.n = k;
		}
	}

	/* strip off a stability flag: @(?:stable|RC|beta|alpha|dev)$ */
	{
		static const char *const flags[] = { "stable", "RC", "beta", "alpha", "dev" };

		for (size_t f = 0; f < KS_ARRAY_SIZE(flags); f++) {
			size_t fl = strlen(flags[f]);

			if (s.n > fl && s.p[s.n - fl - 1] == '@' &&
			    ieq(s.p + s.n - fl, fl, flags[f])) {
				s.n -= fl + 1;
				break;
			}
		}
	}

	if ((s.n == 6 && memcmp(s.p, "master", 6) == 0) ||
	    (s.n == 5 && memcmp(s.p, "trunk", 5) == 0) ||
	    (s.n == 7 && memcmp(s.p, "default", 7) == 0) || iprefix(s.p, s.n, "dev-")) {
		*why = "a branch name, not an orderable version";
		return false;
	}

	/* strip off build metadata: ^([^,\s+]++)\+[^\s]++$ */
	for (k = 0; k < s.n && s.p[k] != ',' && s.p[k] != '+' && !pcre_space(s.p[k]); k++)
		;
	if (k > 0 && k + 1 < s.n && s.p[k] == '+') {
		size_t j = k + 1;

		while (j < s.n && !pcre_space(s.p[j]))
			j++;
		if (j == s.n)
			s.n = k;
	}

	if (classical(s, o) || date_version(s, o))
		return !o->overflow;

	/* dev branches: (.*?)[.-]?dev$ then normalizeBranch() */
	if (s.n >= 3 && ieq(s.p + s.n - 3, 3, "dev")) {
		size_t end = s.n - 3, start = 0;

		if (end > 0 && (s.p[end - 1] == '.' || s.p[end - 1] == '-'))
			end--;
		for (size_t i = 0; i < end; i++)	/* '.' does not match a newline */
			if (s.p[i] == '\n')
				start = i + 1;
		if (normalize_branch((struct sv){ s.p + start, end - start }, o))
			return !o->overflow;
		*why = "a branch name, not an orderable version";
	}
	return false;
}

/* ---------------------------------------------------------------- version_compare() */

/* ext/standard/versioning.c php_canonicalize_version() */
static void canonicalize(const char *v, char *buf)
{
	const char *p = v;
	char *q = buf, lp, lq;

#define ISDIG(x) (ks_isdigit(x) && (x) != '.')
#define ISNDIG(x) (!ks_isdigit(x) && (x) != '.')
#define ISSPECIALVER(x) ((x) == '-' || (x) == '_' || (x) == '+')
	if (!*v) {
		*buf = '\0';
		return;
	}
	*q++ = lp = *p++;
	while (*p) {
		lq = *(q - 1);
		if (ISSPECIALVER(*p)) {
			if (lq != '.')
				*q++ = '.';
		} else if ((ISNDIG(lp) && ISDIG(*p)) || (ISDIG(lp) && ISNDIG(*p))) {
			if (lq != '.')
				*q++ = '.';
			*q++ = *p;
		} else if (!ks_isalnum(*p)) {
			if (lq != '.')
				*q++ = '.';
		} else {
			*q++ = *p;
		}
		lp = *p++;
	}
	*q = '\0';
#undef ISDIG
#undef ISNDIG
#undef ISSPECIALVER
}

static int special_form(const char *form)
{
	static const struct {
		const char *name;
		int order;
	} forms[] = {
		{ "dev", 0 }, { "alpha", 1 }, { "a", 1 }, { "beta", 2 }, { "b", 2 }, { "RC", 3 },
		{ "rc", 3 }, { "#", 4 }, { "pl", 5 }, { "p", 5 },
	};

	for (size_t i = 0; i < KS_ARRAY_SIZE(forms); i++)
		if (strncmp(form, forms[i].name, strlen(forms[i].name)) == 0)
			return forms[i].order;
	return -1;
}

static long php_strtol(const char *p)
{
	long v = 0;

	/* strtol() on a digit run: saturates at LONG_MAX */
	while (ks_isdigit(*p)) {
		int d = *p++ - '0';

		v = v > (LONG_MAX - d) / 10 ? LONG_MAX : v * 10 + d;
	}
	return v;
}

/* php_version_compare(); the canonical buffers live on the stack (2n + 1 bytes). */
static int php_version_compare(const char *v1, const char *v2)
{
	char b1[2 * NORM_MAX + 1], b2[2 * NORM_MAX + 1];
	char *p1, *p2, *n1, *n2;
	int compare = 0;

	if (!*v1 || !*v2) {
		if (!*v1 && !*v2)
			return 0;
		return *v1 ? 1 : -1;
	}
	if (v1[0] == '#')
		snprintf(b1, sizeof(b1), "%s", v1);
	else
		canonicalize(v1, b1);
	if (v2[0] == '#')
		snprintf(b2, sizeof(b2), "%s", v2);
	else
		canonicalize(v2, b2);
	p1 = n1 = b1;
	p2 = n2 = b2;
	while (*p1 && *p2 && n1 && n2) {
		if ((n1 = strchr(p1, '.')) != NULL)
			*n1 = '\0';
		if ((n2 = strchr(p2, '.')) != NULL)
			*n2 = '\0';
		if (ks_isdigit(*p1) && ks_isdigit(*p2)) {
			long l1 = php_strtol(p1), l2 = php_strtol(p2);

			compare = KS_CMP(l1, l2);
		} else if (!ks_isdigit(*p1) && !ks_isdigit(*p2)) {
			compare = KS_CMP(special_form(p1), special_form(p2));
		} else if (ks_isdigit(*p1)) {
			compare = KS_CMP(special_form("#N#"), special_form(p2));
		} else {
			compare = KS_CMP(special_form(p1), special_form("#N#"));
		}
		if (compare != 0)
			break;
		if (n1 != NULL)
			p1 = n1 + 1;
		if (n2 != NULL)
			p2 = n2 + 1;
	}
	if (compare == 0) {
		if (n1 != NULL) {
			if (ks_isdigit(*p1))
				compare = 1;
			else
				compare = php_version_compare(p1, "#N#");
		} else if (n2 != NULL) {
			if (ks_isdigit(*p2))
				compare = -1;
			else
				compare = php_version_compare("#N#", p2);
		}
	}
	return compare;
}

/* ---------------------------------------------------------------- the scheme */

static int composer_normalize(const char *v, size_t n, char *buf, struct kensa_err *err)
{
	struct out o = { buf, 0, NORM_MAX, false };
	const char *why;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if (v[i] == '\0')
			return ks_version_malformed(err, &ks_version_composer, v, n, "NUL byte");
	if (!normalize(v, n, &o, &why))
		return ks_version_malformed(err, &ks_version_composer, v, n, why);
	return 0;
}

static int composer_compare(const char *a, size_t alen, const char *b, size_t blen, int *cmp,
			    struct kensa_err *err)
{
	char na[NORM_MAX], nb[NORM_MAX];

	if (composer_normalize(a, alen, na, err) || composer_normalize(b, blen, nb, err))
		return KENSA_EFORMAT;
	*cmp = php_version_compare(na, nb);
	return 0;
}

static int composer_check(const char *v, size_t n, struct kensa_err *err)
{
	char buf[NORM_MAX];

	return composer_normalize(v, n, buf, err);
}

const struct kensa_version_scheme ks_version_composer = {
	.name = "composer",
	.label = "Composer",
	.compare = composer_compare,
	.check = composer_check,
};
