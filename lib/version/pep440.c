// SPDX-License-Identifier: Apache-2.0
/*
 * pep440.c — Python package versions (PyPI), parsed and ordered exactly as the python
 * "packaging" library's Version class does (PEP 440, packaging 22+: no legacy versions).
 *
 *   [v][N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]
 *
 * with every spelling PEP 440's normalization accepts: any case, "alpha"/"beta"/"c"/"pre"/
 * "preview" for a/b/rc, "rev"/"r"/"-N" for post, optional '.', '-' or '_' separators,
 * implicit 0 numbers, surrounding whitespace. Order: epoch, release (trailing zeros
 * ignored), then 1.0.dev0 < 1.0a0 < 1.0 < 1.0.post0, dev releases before their base,
 * local versions after the public one (numeric local parts after alphanumeric ones).
 *
 * The parser follows the regex packaging uses (VERSION_PATTERN) with its greedy choices;
 * numbers of any length compare exactly. Non-ASCII input is refused (packaging's
 * case-insensitive regex would accept two exotic letters, U+017F and U+212A; see
 * docs/vercmp.md).
 */
#include "scheme.h"

enum { PRE_NONE, PRE_A, PRE_B, PRE_RC };

struct pep440 {
	const char *epoch, *release, *pre_n, *post_n, *dev_n, *local;
	size_t epochlen, releaselen, pre_nlen, post_nlen, dev_nlen, locallen;
	int pre;		/* PRE_* */
	bool post, dev;		/* numbers default to 0 (length 0) */
};

static bool is_sep(const char *p, const char *end)
{
	return p < end && (*p == '-' || *p == '_' || *p == '.');
}

/* Case-insensitive match of the lower-case word w at p. */
static bool word_at(const char *p, const char *end, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(end - p) < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (ks_tolower((unsigned char)p[i]) != w[i])
			return false;
	return true;
}

static const char *digits_end(const char *p, const char *end)
{
	while (p < end && ks_isdigit(*p))
		p++;
	return p;
}

/*
 * `[-_.]?(word)[-_.]?([0-9]+)?` at *pp for the first word of `words` that matches (only one
 * can ever lead to a full match, see the comment on pre-release spellings below). Returns
 * the index of the word or -1; on success *pp moves past the match and the number is set.
 */
static int letter_number(const char **pp, const char *end, const char *const *words,
			 const char **num, size_t *numlen)
{
	const char *p = *pp;

	if (is_sep(p, end))
		p++;
	for (int i = 0; words[i]; i++) {
		const char *q;

		if (!word_at(p, end, words[i]))
			continue;
		q = p + strlen(words[i]);
		if (is_sep(q, end))
			q++;
		*num = q;
		*numlen = (size_t)(digits_end(q, end) - q);
		*pp = q + *numlen;
		return i;
	}
	return -1;
}

static int pep440_parse(const char *v, size_t n, struct pep440 *out, struct kensa_err *err)
{
	/*
	 * Longest spelling first: the regex tries "a" before "alpha", but "a" followed by "lpha"
	 * can never complete a match (no later part starts with l, e, v), so at most one
	 * spelling of each list can, and trying the longest first finds the same one.
	 */
	static const char *const pre_words[] = { "preview", "alpha", "beta", "pre", "rc", "a", "b",
						  "c", NULL };
	static const int pre_kind[] = {
		PRE_RC, PRE_A, PRE_B, PRE_RC, PRE_RC, PRE_A, PRE_B, PRE_RC,
	};
	static const char *const post_words[] = { "post", "rev", "r", NULL };
	static const char *const dev_words[] = { "dev", NULL };
	const char *s = v, *end, *p, *d;
	size_t len = n;
	int k;

	ks_version_trim(&s, &len, KS_SPACE_PYTHON);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return ks_version_malformed(err, &ks_version_pep440, v, n,
						    "not a PEP 440 version (non-ASCII character)");
	end = s + len;
	memset(out, 0, sizeof(*out));
	p = s;
	if (p < end && (*p == 'v' || *p == 'V'))
		p++;

	d = digits_end(p, end);
	if (d > p && d < end && *d == '!') {
		out->epoch = p;
		out->epochlen = (size_t)(d - p);
		p = d + 1;
		d = digits_end(p, end);
	}
	if (d == p)
		return ks_version_malformed(err, &ks_version_pep440, v, n,
					    "not a PEP 440 version (no release number)");
	out->release = p;
	p = d;
	while (p + 1 < end && *p == '.' && ks_isdigit(p[1]))
		p = digits_end(p + 1, end);
	out->releaselen = (size_t)(p - out->release);

	k = letter_number(&p, end, pre_words, &out->pre_n, &out->pre_nlen);
	if (k >= 0)
		out->pre = pre_kind[k];

	if (p + 1 < end && *p == '-' && ks_isdigit(p[1])) {
		out->post = true;
		out->post_n = p + 1;
		p = digits_end(p + 1, end);
		out->post_nlen = (size_t)(p - out->post_n);
	} else if (letter_number(&p, end, post_words, &out->post_n, &out->post_nlen) >= 0) {
		out->post = true;
	}

	if (letter_number(&p, end, dev_words, &out->dev_n, &out->dev_nlen) >= 0)
		out->dev = true;

	if (p < end && *p == '+') {
		out->local = ++p;
		for (;;) {
			const char *q = p;

			while (q < end && ks_isalnum(*q))
				q++;
			if (q == p)
				return ks_version_malformed(
					err, &ks_version_pep440, v, n,
					"not a PEP 440 version (bad local part)");
			p = q;
			if (!is_sep(p, end))
				break;
			p++;
		}
		out->locallen = (size_t)(p - out->local);
	}
	if (p != end)
		return ks_version_malformed(err, &ks_version_pep440, v, n,
					    "not a PEP 440 version");
	return 0;
}

/* Next dot-separated number of a release segment list; "" (0) once exhausted. */
static void next_number(const char **p, const char *end, const char **num, size_t *len)
{
	const char *q;

	if (*p >= end) {
		*num = "0";
		*len = 1;
		return;
	}
	q = digits_end(*p, end);
	*num = *p;
	*len = (size_t)(q - *p);
	*p = q < end ? q + 1 : q;
}

/* Zero-padded comparison equals packaging's comparison of trailing-zero-stripped tuples. */
static int release_cmp(const struct pep440 *a, const struct pep440 *b)
{
	const char *pa = a->release, *ea = pa + a->releaselen;
	const char *pb = b->release, *eb = pb + b->releaselen;

	while (pa < ea || pb < eb) {
		const char *na, *nb;
		size_t la, lb;
		int r;

		next_number(&pa, ea, &na, &la);
		next_number(&pb, eb, &nb, &lb);
		r = ks_version_numcmp(na, la, nb, lb);
		if (r)
			return r;
	}
	return 0;
}

static int num_or_zero_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	return ks_version_numcmp(alen ? a : "0", alen ? alen : 1, blen ? b : "0", blen ? blen : 1);
}

/* The pre-release sort key: -1 for a dev-only release, 1 for none, 0 for a real one. */
static int pre_rank(const struct pep440 *v)
{
	if (v->pre == PRE_NONE)
		return !v->post && v->dev ? -1 : 1;
	return 0;
}

static bool is_all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!ks_isdigit(s[i]))
			return false;
	return true;
}

/* Local versions: parts split on [-_.]; numbers compare numerically and after strings. */
static int local_cmp(const struct pep440 *a, const struct pep440 *b)
{
	const char *pa, *ea, *pb, *eb;

	if (!a->local || !b->local)
		return KS_CMP(a->local != NULL, b->local != NULL);
	pa = a->local;
	ea = pa + a->locallen;
	pb = b->local;
	eb = pb + b->locallen;
	for (;;) {
		const char *qa = pa, *qb = pb;
		bool na, nb;
		int r;

		if (pa >= ea || pb >= eb)
			return KS_CMP(pa < ea, pb < eb);
		while (qa < ea && !is_sep(qa, ea))
			qa++;
		while (qb < eb && !is_sep(qb, eb))
			qb++;
		na = is_all_digits(pa, (size_t)(qa - pa));
		nb = is_all_digits(pb, (size_t)(qb - pb));
		if (na != nb)
			return na ? 1 : -1;
		if (na) {
			r = ks_version_numcmp(pa, (size_t)(qa - pa), pb, (size_t)(qb - pb));
		} else {
			const char *x = pa, *y = pb;

			r = 0;
			for (; !r && x < qa && y < qb; x++, y++)
				r = KS_CMP(ks_tolower((unsigned char)*x),
					   ks_tolower((unsigned char)*y));
			if (!r)
				r = KS_CMP(qa - x, qb - y);
		}
		if (r)
			return r;
		pa = qa < ea ? qa + 1 : qa;
		pb = qb < eb ? qb + 1 : qb;
	}
}

static int pep440_order(const struct pep440 *a, const struct pep440 *b)
{
	int r;

	r = num_or_zero_cmp(a->epoch, a->epochlen, b->epoch, b->epochlen);
	if (!r)
		r = release_cmp(a, b);
	if (!r)
		r = KS_CMP(pre_rank(a), pre_rank(b));
	if (!r && a->pre != PRE_NONE) {
		r = KS_CMP(a->pre, b->pre);
		if (!r)
			r = num_or_zero_cmp(a->pre_n, a->pre_nlen, b->pre_n, b->pre_nlen);
	}
	if (!r)
		r = KS_CMP(a->post, b->post);
	if (!r && a->post)
		r = num_or_zero_cmp(a->post_n, a->post_nlen, b->post_n, b->post_nlen);
	if (!r)
		r = KS_CMP(!a->dev, !b->dev);
	if (!r && a->dev)
		r = num_or_zero_cmp(a->dev_n, a->dev_nlen, b->dev_n, b->dev_nlen);
	if (!r)
		r = local_cmp(a, b);
	return r;
}

static int pep440_compare(const char *a, size_t alen, const char *b, size_t blen, int *cmp,
			  struct kensa_err *err)
{
	struct pep440 va, vb;

	if (pep440_parse(a, alen, &va, err) || pep440_parse(b, blen, &vb, err))
		return KENSA_EFORMAT;
	*cmp = pep440_order(&va, &vb);
	return 0;
}

static int pep440_check(const char *v, size_t n, struct kensa_err *err)
{
	struct pep440 pv;

	return pep440_parse(v, n, &pv, err);
}

const struct kensa_version_scheme ks_version_pep440 = {
	.name = "pep440",
	.label = "PEP 440",
	.compare = pep440_compare,
	.check = pep440_check,
};
