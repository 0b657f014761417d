// SPDX-License-Identifier: Apache-2.0
/*
 * apk.c — Alpine, Wolfi and Chainguard package versions, ordered as apk-tools (2.14 / 3.x,
 * src/version.c) orders them.
 *
 *   digit{.digit}...{letter}{_suffix{number}}...{~hash}{-rN}
 *
 * e.g. 1.2.3, 1.2.3a, 1.2.3_rc1, 1.2.3_p2-r4, 1.0_alpha_pre2, 6.0~842f055-r0. Suffixes:
 * _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p. Numbers compare
 * numerically, except that a later number with a leading zero compares as a string
 * ("1.02" < "1.1", "8.2.0" < "8.2.001"); a letter compares by its byte; a hash by string.
 * Numbers wrap at 2^64 exactly like apk's apk_blob_pull_uint().
 *
 * Refused, as apk_version_validate() refuses: anything not matching the grammar (no
 * leading 'v', no uppercase, "1.0bc", "1.2a3", "_foo", "-r" without a number, …).
 */
#include "scheme.h"

enum token {
	TOKEN_INITIAL_DIGIT,
	TOKEN_DIGIT,
	TOKEN_LETTER,
	TOKEN_SUFFIX,
	TOKEN_SUFFIX_NO,
	TOKEN_COMMIT_HASH,
	TOKEN_REVISION_NO,
	TOKEN_END,
	TOKEN_INVALID,
};

enum suffix {
	SUFFIX_INVALID,
	SUFFIX_ALPHA,
	SUFFIX_BETA,
	SUFFIX_PRE,
	SUFFIX_RC,
	SUFFIX_NONE,
	SUFFIX_CVS,
	SUFFIX_SVN,
	SUFFIX_GIT,
	SUFFIX_HG,
	SUFFIX_P,
};

struct token_state {
	enum token token;
	enum suffix suffix;
	uint64_t number;
	const char *value;
	size_t len;
};

struct blob {
	const char *p;
	size_t n;
};

static enum suffix suffix_value(const char *s, size_t n)
{
	static const char *const names[] = {
		[SUFFIX_ALPHA] = "alpha", [SUFFIX_BETA] = "beta", [SUFFIX_PRE] = "pre",
		[SUFFIX_RC] = "rc", [SUFFIX_CVS] = "cvs", [SUFFIX_SVN] = "svn",
		[SUFFIX_GIT] = "git", [SUFFIX_HG] = "hg", [SUFFIX_P] = "p",
	};

	for (size_t i = 0; i < KS_ARRAY_SIZE(names); i++)
		if (names[i] && strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
			return (enum suffix)i;
	return SUFFIX_INVALID;
}

/* apk_blob_pull_uint(b, 10): digits, wrapping at 2^64 */
static void parse_digits(struct token_state *t, struct blob *b)
{
	const char *start = b->p;

	t->number = 0;
	while (b->n && ks_isdigit(*b->p)) {
		t->number = t->number * 10 + (uint64_t)(*b->p - '0');
		b->p++;
		b->n--;
	}
	t->value = start;
	t->len = (size_t)(b->p - start);
	if (t->len == 0)
		t->token = TOKEN_INVALID;
}

static void token_first(struct token_state *t, struct blob *b)
{
	t->token = TOKEN_INITIAL_DIGIT;
	parse_digits(t, b);
}

static void token_next(struct token_state *t, struct blob *b)
{
	const char *start;

	if (b->n == 0) {
		t->token = TOKEN_END;
		return;
	}
	switch (*b->p) {
	case 'a' ... 'z':
		if (t->token > TOKEN_DIGIT)
			goto invalid;
		t->value = b->p;
		t->len = 1;
		t->token = TOKEN_LETTER;
		b->p++;
		b->n--;
		return;
	case '.':
		if (t->token > TOKEN_DIGIT)
			goto invalid;
		b->p++;
		b->n--;
		/* a number follows the dot */
		__attribute__((fallthrough));
	case '0' ... '9':
		if (t->token == TOKEN_INITIAL_DIGIT || t->token == TOKEN_DIGIT)
			t->token = TOKEN_DIGIT;
		else if (t->token == TOKEN_SUFFIX)
			t->token = TOKEN_SUFFIX_NO;
		else
			goto invalid;
		parse_digits(t, b);
		return;
	case '_':
		if (t->token > TOKEN_SUFFIX_NO)
			goto invalid;
		b->p++;
		b->n--;
		start = b->p;
		while (b->n && ks_islower(*b->p)) {
			b->p++;
			b->n--;
		}
		t->value = start;
		t->len = (size_t)(b->p - start);
		t->suffix = suffix_value(t->value, t->len);
		if (t->suffix == SUFFIX_INVALID)
			goto invalid;
		t->token = TOKEN_SUFFIX;
		return;
	case '~':
		if (t->token >= TOKEN_COMMIT_HASH)
			goto invalid;
		b->p++;
		b->n--;
		start = b->p;
		while (b->n && (ks_isdigit(*b->p) || (*b->p >= 'a' && *b->p <= 'f'))) {
			b->p++;
			b->n--;
		}
		t->value = start;
		t->len = (size_t)(b->p - start);
		if (t->len == 0)
			goto invalid;
		t->token = TOKEN_COMMIT_HASH;
		return;
	case '-':
		if (t->token >= TOKEN_REVISION_NO || b->n < 2 || b->p[1] != 'r')
			goto invalid;
		b->p += 2;
		b->n -= 2;
		t->token = TOKEN_REVISION_NO;
		parse_digits(t, b);
		return;
	default:
		break;
	}
invalid:
	t->token = TOKEN_INVALID;
}

/* apk_blob_sort(): memcmp of the common length, then the shorter first */
static int blob_sort(const struct token_state *a, const struct token_state *b)
{
	int r = memcmp(a->value, b->value, KS_MIN(a->len, b->len));

	return r ? KS_CMP(r, 0) : KS_CMP(a->len, b->len);
}

static int token_cmp(const struct token_state *ta, const struct token_state *tb)
{
	switch (ta->token) {
	case TOKEN_DIGIT:
		/* a leading zero on either side: string comparison, as in Gentoo's rules */
		if (ta->value[0] == '0' || tb->value[0] == '0')
			return blob_sort(ta, tb);
		__attribute__((fallthrough));
	case TOKEN_INITIAL_DIGIT:
	case TOKEN_SUFFIX_NO:
	case TOKEN_REVISION_NO:
		return KS_CMP(ta->number, tb->number);
	case TOKEN_LETTER:
		return KS_CMP((unsigned char)ta->value[0], (unsigned char)tb->value[0]);
	case TOKEN_SUFFIX:
		return KS_CMP(ta->suffix, tb->suffix);
	default:
		return blob_sort(ta, tb);
	}
}

static int apk_check(const char *v, size_t n, struct kensa_err *err)
{
	struct blob b = { v, n };
	struct token_state t = { 0 };

	for (token_first(&t, &b); t.token < TOKEN_END; token_next(&t, &b))
		;
	if (t.token != TOKEN_END)
		return ks_version_malformed(
			err, &ks_version_apk, v, n,
			"not an apk version (digit{.digit}{letter}{_suffix{N}}{~hash}{-rN})");
	return 0;
}

static int apk_compare(const char *a, size_t alen, const char *b, size_t blen, int *cmp,
		       struct kensa_err *err)
{
	struct blob ba = { a, alen }, bb = { b, blen };
	struct token_state ta = { 0 }, tb = { 0 };

	if (apk_check(a, alen, err) || apk_check(b, blen, err))
		return KENSA_EFORMAT;
	for (token_first(&ta, &ba), token_first(&tb, &bb);
	     ta.token == tb.token && ta.token < TOKEN_END;
	     token_next(&ta, &ba), token_next(&tb, &bb)) {
		int r = token_cmp(&ta, &tb);

		if (r) {
			*cmp = r;
			return 0;
		}
	}
	/* equal so far: the longer one is newer unless what follows is a pre-release suffix */
	if (ta.token == tb.token)
		*cmp = 0;
	else if (ta.token == TOKEN_SUFFIX && ta.suffix < SUFFIX_NONE)
		*cmp = -1;
	else if (tb.token == TOKEN_SUFFIX && tb.suffix < SUFFIX_NONE)
		*cmp = 1;
	else
		*cmp = KS_CMP(tb.token, ta.token);
	return 0;
}

const struct kensa_version_scheme ks_version_apk = {
	.name = "apk",
	.label = "Alpine",
	.compare = apk_compare,
	.check = apk_check,
};
