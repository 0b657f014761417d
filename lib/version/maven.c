// SPDX-License-Identifier: Apache-2.0
/*
 * maven.c — Maven artifact versions, ordered exactly as Maven 3.8's ComparableVersion (the
 * class the Maven resolver and OSV's Maven ecosystem use).
 *
 * The version is split, case-insensitively, into items: '.' separates items, '-' and every
 * switch between digits and non-digits start a nested sub-list, and so does a qualifier
 * that follows other items without a '-' ("1.0-rc1" and "1.0.rc1" are both
 * [1, [rc, [1]]]). Numbers compare numerically; qualifiers order as
 *   alpha (a1) < beta (b1) < milestone (m1) < rc = cr < snapshot < "" = ga = final =
 *   release < sp < any other qualifier (alphabetically)
 * and a qualifier sorts before a number, a sub-list between them ("1-1" < "1.1",
 * "1-sp" < "1-1"). Trailing zeros and release qualifiers of each list are dropped first
 * ("1.0.0" = "1", "1-ga" = "1", "1.0-1" = "1-1").
 *
 * Maven itself accepts any string; here the empty string and anything outside printable
 * ASCII are refused rather than guessed at (Java's Unicode digits and case rules).
 * Numbers keep Maven's quirk of typing by length: an all-zero run of 10 or more digits is
 * a "long" zero and sorts above every short number.
 */
#include "scheme.h"

enum item_kind { ITEM_NUMBER, ITEM_STRING, ITEM_LIST, ITEM_NONE };

struct item {
	uint16_t off, len;	/* into the version text */
	uint8_t kind;		/* ITEM_NUMBER or ITEM_STRING */
	uint8_t rank;		/* number: 0 int, 1 long, 2 big; string: qualifier rank 0..7 */
};

#define RANK_RELEASE 5
#define RANK_UNKNOWN 7

struct maven_version {
	const char *s;
	size_t nitems;
	size_t nlevels;		/* lists that survive normalization: levels 0 .. nlevels-1 */
	struct item items[KENSA_VERSION_MAX + 1];
	uint16_t level_start[KENSA_VERSION_MAX + 2];	/* first item of each level */
	uint16_t level_len[KENSA_VERSION_MAX + 2];	/* items left after normalization */
};

static bool word_eq(const char *p, size_t n, const char *w)
{
	if (strlen(w) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (ks_tolower((unsigned char)p[i]) != w[i])
			return false;
	return true;
}

/* StringItem(value, followedByDigit) with its aliases, then comparableQualifier()'s rank. */
static void string_item(struct item *it, const char *s, bool followed_by_digit)
{
	static const char *const qualifiers[] = {
		"alpha", "beta", "milestone", "rc", "snapshot", "", "sp",
	};
	const char *p = s + it->off;
	size_t n = it->len;

	it->kind = ITEM_STRING;
	if (followed_by_digit && n == 1) {
		switch (ks_tolower((unsigned char)p[0])) {
		case 'a': it->rank = 0; return;
		case 'b': it->rank = 1; return;
		case 'm': it->rank = 2; return;
		default: break;
		}
	}
	if (word_eq(p, n, "ga") || word_eq(p, n, "final") || word_eq(p, n, "release")) {
		it->rank = RANK_RELEASE;
		return;
	}
	if (word_eq(p, n, "cr")) {
		it->rank = 3;
		return;
	}
	for (uint8_t i = 0; i < KS_ARRAY_SIZE(qualifiers); i++) {
		if (word_eq(p, n, qualifiers[i])) {
			it->rank = i;
			return;
		}
	}
	it->rank = RANK_UNKNOWN;
}

/* parseItem(true, buf): IntItem up to 9 digits, LongItem up to 18, else BigIntegerItem,
 * measured after stripLeadingZeroes() (which leaves an all-zero run as it is). */
static void number_item(struct item *it, const char *s)
{
	const char *p = s + it->off;
	size_t n = it->len, k = 0;

	while (k < n && p[k] == '0')
		k++;
	if (k < n) {
		it->off = (uint16_t)(it->off + k);
		it->len = (uint16_t)(n - k);
	}
	it->kind = ITEM_NUMBER;
	it->rank = it->len <= 9 ? 0 : it->len <= 18 ? 1 : 2;
}

static bool item_is_null(const struct item *it, const char *s)
{
	if (it->kind == ITEM_STRING)
		return it->rank == RANK_RELEASE;
	for (size_t i = 0; i < it->len; i++)
		if (s[it->off + i] != '0')
			return false;
	return true;
}

static int maven_parse(const char *v, size_t n, struct maven_version *out, struct kensa_err *err)
{
	size_t start = 0, level = 0;
	bool digit = false;

	if (n == 0)
		return ks_version_malformed(err, &ks_version_maven, v, n, "empty version");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] > 0x7e)
			return ks_version_malformed(err, &ks_version_maven, v, n,
						    "character outside printable ASCII");
	out->s = v;
	out->nitems = 0;
	out->level_start[0] = 0;

#define ADD(o, l, number, fbd)                                                        \
	do {                                                                           \
		struct item *it_ = &out->items[out->nitems++];                          \
		it_->off = (uint16_t)(o);                                               \
		it_->len = (uint16_t)(l);                                               \
		if (number)                                                             \
			number_item(it_, v);                                            \
		else                                                                    \
			string_item(it_, v, fbd);                                       \
	} while (0)
#define NEW_LIST()                                                                     \
	do {                                                                           \
		level++;                                                               \
		out->level_start[level] = (uint16_t)out->nitems;                      \
	} while (0)

	/* ComparableVersion.parseVersion() */
	for (size_t i = 0; i < n; i++) {
		char c = v[i];

		if (c == '.' || c == '-') {
			if (i == start)
				ADD(i, 0, true, false);	/* IntItem.ZERO */
			else
				ADD(start, i - start, digit, false);
			start = i + 1;
			if (c == '-')
				NEW_LIST();
		} else if (ks_isdigit(c)) {
			if (!digit && i > start) {
				/* a qualifier before digits opens its own sub-list:
				 * "1.0.sp1" = 1-sp-1 */
				if (out->nitems > out->level_start[level])
					NEW_LIST();
				ADD(start, i - start, false, true);
				start = i;
				NEW_LIST();
			}
			digit = true;
		} else {
			if (digit && i > start) {
				ADD(start, i - start, true, false);
				start = i;
				NEW_LIST();
			}
			digit = false;
		}
	}
	if (n > start) {
		if (!digit && out->nitems > out->level_start[level])
			NEW_LIST();
		ADD(start, n - start, digit, false);
	}
#undef ADD
#undef NEW_LIST
	out->level_start[level + 1] = (uint16_t)out->nitems;

	/* normalize(), deepest list first: drop trailing null items, then empty sub-lists */
	out->nlevels = 0;
	for (size_t k = level + 1; k-- > 0;) {
		size_t first = out->level_start[k], end = out->level_start[k + 1];

		while (end > first && item_is_null(&out->items[end - 1], v))
			end--;
		out->level_len[k] = (uint16_t)(end - first);
		if (!out->nlevels && (end > first || k == 0))
			out->nlevels = k + 1;
	}
	return 0;
}

struct elem {
	enum item_kind kind;
	const struct item *it;
	size_t level;		/* for ITEM_LIST: the sub-list's level */
};

static struct elem elem_at(const struct maven_version *v, size_t level, size_t j)
{
	if (j < v->level_len[level])
		return (struct elem){ (enum item_kind)v->items[v->level_start[level] + j].kind,
				      &v->items[v->level_start[level] + j], 0 };
	if (j == v->level_len[level] && level + 1 < v->nlevels)
		return (struct elem){ ITEM_LIST, NULL, level + 1 };
	return (struct elem){ ITEM_NONE, NULL, 0 };
}

/* Item.compareTo(null) for a number or string */
static int item_vs_null(const struct item *it, const char *s)
{
	if (it->kind == ITEM_NUMBER)
		return item_is_null(it, s) ? 0 : 1;
	return KS_CMP(it->rank, RANK_RELEASE);
}

/* ListItem.compareTo(null): its items against null in turn, then its sub-list */
static int list_vs_null(const struct maven_version *v, size_t level)
{
	for (; level < v->nlevels; level++) {
		for (size_t j = 0; j < v->level_len[level]; j++) {
			int r = item_vs_null(&v->items[v->level_start[level] + j], v->s);

			if (r)
				return r;
		}
	}
	return 0;
}

static int elem_vs_null(const struct maven_version *v, struct elem e)
{
	return e.kind == ITEM_LIST ? list_vs_null(v, e.level) : item_vs_null(e.it, v->s);
}

static int string_cmp(const struct maven_version *a, const struct item *x,
		      const struct maven_version *b, const struct item *y)
{
	if (x->rank != y->rank || x->rank != RANK_UNKNOWN)
		return KS_CMP(x->rank, y->rank);
	for (size_t i = 0; i < x->len && i < y->len; i++) {
		int r = KS_CMP(ks_tolower((unsigned char)a->s[x->off + i]),
			       ks_tolower((unsigned char)b->s[y->off + i]));

		if (r)
			return r;
	}
	return KS_CMP(x->len, y->len);
}

/* Item.compareTo(item) for everything but list against list */
static int elem_cmp(const struct maven_version *a, struct elem x, const struct maven_version *b,
		    struct elem y)
{
	/* order of kinds where they differ: string < list < number */
	static const int kind_order[] = { [ITEM_STRING] = 0, [ITEM_LIST] = 1, [ITEM_NUMBER] = 2 };

	if (x.kind != y.kind)
		return KS_CMP(kind_order[x.kind], kind_order[y.kind]);
	if (x.kind == ITEM_STRING)
		return string_cmp(a, x.it, b, y.it);
	if (x.it->rank != y.it->rank)
		return KS_CMP(x.it->rank, y.it->rank);
	return ks_version_numcmp(a->s + x.it->off, x.it->len, b->s + y.it->off, y.it->len);
}

static int maven_order(const struct maven_version *a, const struct maven_version *b)
{
	size_t la = 0, lb = 0;

	for (;;) {
		bool descend = false;

		for (size_t j = 0; !descend; j++) {
			struct elem x = elem_at(a, la, j), y = elem_at(b, lb, j);
			int r;

			if (x.kind == ITEM_NONE && y.kind == ITEM_NONE)
				return 0;
			if (x.kind == ITEM_LIST && y.kind == ITEM_LIST) {
				la = x.level;
				lb = y.level;
				descend = true;
				continue;
			}
			if (x.kind == ITEM_NONE)
				r = -elem_vs_null(b, y);
			else if (y.kind == ITEM_NONE)
				r = elem_vs_null(a, x);
			else
				r = elem_cmp(a, x, b, y);
			if (r)
				return r;
		}
	}
}

static int maven_compare(const char *a, size_t alen, const char *b, size_t blen, int *cmp,
			 struct kensa_err *err)
{
	struct maven_version va, vb;

	if (maven_parse(a, alen, &va, err) || maven_parse(b, blen, &vb, err))
		return KENSA_EFORMAT;
	*cmp = maven_order(&va, &vb);
	return 0;
}

static int maven_check(const char *v, size_t n, struct kensa_err *err)
{
	struct maven_version mv;

	return maven_parse(v, n, &mv, err);
}

const struct kensa_version_scheme ks_version_maven = {
	.name = "maven",
	.label = "Maven",
	.compare = maven_compare,
	.check = maven_check,
};
