// SPDX-License-Identifier: Apache-2.0
/*
 * semver_range.c — npm range satisfaction, exactly like node-semver 7's
 * satisfies(version, range) with default options (classes/range.js, classes/comparator.js,
 * internal/re.js, internal/trim-comparator-whitespace.js).
 *
 * node-semver does not parse ranges with a grammar: it rewrites the range text through a
 * fixed sequence of regular-expression replacements (hyphen ranges, operator spacing, '~'
 * and '^' spacing, carets, tildes, x-ranges, stars, ">=0.0.0") and only then splits it into
 * comparators. Quirks of that pipeline are part of what npm accepts ("^ 1.2" is "^1.2",
 * ">= 1.2" is ">=1.2", "1.2.3 +build" drops the build, "* || 1.0.0-beta" matches no
 * prerelease), so this file replays the same steps on the same text, in order, with each
 * regular expression replaced by a small matcher that finds the same match (the comments
 * give the expression). Sizes follow node-semver's "safe" expressions ({0,256}, {0,250}).
 *
 * Unlike kensa_version_compare(), this allocates (one arena per call, freed before
 * returning): range rewriting builds strings. Ranges are bounded by KENSA_SEMVER_RANGE_MAX.
 */
#include "scheme.h"

#define MAX_SAFE_INTEGER 9007199254740991ULL	/* 2^53 - 1 */

struct str {
	const char *p;		/* NULL: an undefined capture (JavaScript undefined) */
	size_t n;
};

#define STR_NONE ((struct str){ NULL, 0 })

struct comparator {
	enum { OP_EQ, OP_LT, OP_LE, OP_GT, OP_GE } op;
	bool any;		/* the empty comparator: matches everything */
	bool null_set;		/* "<0.0.0-0": matches nothing */
	struct ks_semver v;
};

struct cset {
	struct comparator *c;
	size_t n, cap;
};

struct range {
	struct cset *sets;
	size_t n, cap;
};

struct ctx {
	struct ks_arena arena;
	bool oom;
};

/* ---------------------------------------------------------------- strings in the arena */

static struct str dup_str(struct ctx *x, const char *p, size_t n)
{
	char *d = ks_arena_alloc(&x->arena, n + 1);

	if (!d) {
		x->oom = true;
		return (struct str){ "", 0 };
	}
	memcpy(d, p, n);
	return (struct str){ d, n };
}

static struct str buf_str(struct ctx *x, struct ks_buf *b)
{
	struct str s;

	if (b->len == 0 && !b->data)
		return (struct str){ "", 0 };
	s = dup_str(x, b->data, b->len);
	ks_buf_release(b);
	return s;
}

static void add(struct ctx *x, struct ks_buf *b, const char *p, size_t n)
{
	if (ks_buf_add(b, p, n) != 0)
		x->oom = true;
}

static void adds(struct ctx *x, struct ks_buf *b, struct str s)
{
	add(x, b, s.p ? s.p : "", s.n);
}

static void addz(struct ctx *x, struct ks_buf *b, const char *z)
{
	add(x, b, z, strlen(z));
}

/* A list of strings (results of split()). */
struct strv {
	struct str *v;
	size_t n, cap;
};

static void strv_push(struct ctx *x, struct strv *l, struct str s)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct str *v = ks_arena_alloc(&x->arena, cap * sizeof(*v));

		if (!v) {
			x->oom = true;
			return;
		}
		if (l->n)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
}

/* After the first normalization every whitespace character is a plain space. */
static bool is_ws(char c)
{
	return c == ' ';
}

/* String.prototype.trim() (the text holds no other whitespace than ' ' by now) */
static struct str trim(struct str s)
{
	while (s.n && is_ws(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_ws(s.p[s.n - 1]))
		s.n--;
	return s;
}

/* s.split(' ') */
static struct strv split_space(struct ctx *x, struct str s)
{
	struct strv l = { 0 };
	size_t start = 0;

	for (size_t i = 0; i <= s.n; i++) {
		if (i == s.n || s.p[i] == ' ') {
			strv_push(x, &l, (struct str){ s.p + start, i - start });
			start = i + 1;
		}
	}
	return l;
}

/* s.split(/\s+/) */
static struct strv split_ws(struct ctx *x, struct str s)
{
	struct strv l = { 0 };
	size_t start = 0, i = 0;

	while (i <= s.n) {
		if (i == s.n) {
			strv_push(x, &l, (struct str){ s.p + start, i - start });
			break;
		}
		if (is_ws(s.p[i])) {
			size_t j = i;

			while (j < s.n && is_ws(s.p[j]))
				j++;
			strv_push(x, &l, (struct str){ s.p + start, i - start });
			start = j;
			i = j;
			continue;
		}
		i++;
	}
	return l;
}

/* list.join(' ') */
static struct str join(struct ctx *x, const struct strv *l)
{
	struct ks_buf b = KS_BUF_INIT;

	for (size_t i = 0; i < l->n; i++) {
		if (i)
			addz(x, &b, " ");
		adds(x, &b, l->v[i]);
	}
	return buf_str(x, &b);
}

static bool str_eq(struct str s, const char *z)
{
	return s.p && s.n == strlen(z) && memcmp(s.p, z, s.n) == 0;
}

/* ---------------------------------------------------------------- token matchers */

static char at(struct str s, size_t i)
{
	return i < s.n ? s.p[i] : '\0';
}

static bool is_ident_char(char c)
{
	return ks_isalnum(c) || c == '-';
}

/*
 * One PRERELEASEIDENTIFIER over exactly [p, p + n), safe form:
 *   \d{0,256}[a-zA-Z-][a-zA-Z0-9-]{0,250} | 0 | [1-9]\d{0,256}
 */
static bool pre_ident_ok(const char *p, size_t n)
{
	size_t k = 0;

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_ident_char(p[i]))
			return false;
	while (k < n && ks_isdigit(p[k]))
		k++;
	if (k < n)	/* alphanumeric: digits, then a letter or '-', then up to 250 more */
		return k <= 256 && n - k - 1 <= 250;
	return (n == 1 && p[0] == '0') || (p[0] != '0' && n <= 257);
}

/* PRERELEASE identifiers "a.b.c" (without the '-') over exactly s. */
static bool prerelease_ok(struct str s)
{
	size_t start = 0;

	for (size_t i = 0; i <= s.n; i++) {
		if (i == s.n || s.p[i] == '.') {
			if (!pre_ident_ok(s.p + start, i - start))
				return false;
			start = i + 1;
		}
	}
	return true;
}

/* BUILD identifiers "a.b" (without the '+') over exactly s: [a-zA-Z0-9-]{1,250} each. */
static bool build_ok(struct str s)
{
	size_t start = 0;

	for (size_t i = 0; i <= s.n; i++) {
		if (i == s.n || s.p[i] == '.') {
			if (i == start || i - start > 250)
				return false;
			start = i + 1;
		} else if (!is_ident_char(s.p[i])) {
			return false;
		}
	}
	return true;
}

/* XRANGEIDENTIFIER at s[*i]: 0|[1-9]\d{0,256}|x|X|\* */
static bool xid(struct str s, size_t *i, struct str *out)
{
	size_t j = *i;
	char c = at(s, j);

	if (c == 'x' || c == 'X' || c == '*') {
		*out = (struct str){ s.p + j, 1 };
		*i = j + 1;
		return true;
	}
	if (!ks_isdigit(c))
		return false;
	if (c == '0') {
		j++;
	} else {
		while (j < s.n && ks_isdigit(s.p[j]))
			j++;
		if (j - *i > 257)
			return false;
	}
	*out = (struct str){ s.p + *i, j - *i };
	*i = j;
	return true;
}

struct xr {
	struct str M, m, p, pr;
};

/*
 * XRANGEPLAIN matching all of s:
 *   [v=\s]*(XID)(?:\.(XID)(?:\.(XID)(?:-(PRERELEASE))?(?:\+BUILD)?)?)?
 */
static bool xrange_plain(struct str s, struct xr *x)
{
	size_t i = 0;

	*x = (struct xr){ STR_NONE, STR_NONE, STR_NONE, STR_NONE };
	while (i < s.n && (s.p[i] == 'v' || s.p[i] == '=' || is_ws(s.p[i])))
		i++;
	if (!xid(s, &i, &x->M))
		return false;
	if (i == s.n)
		return true;
	if (s.p[i] != '.')
		return false;
	i++;
	if (!xid(s, &i, &x->m))
		return false;
	if (i == s.n)
		return true;
	if (s.p[i] != '.')
		return false;
	i++;
	if (!xid(s, &i, &x->p))
		return false;
	if (at(s, i) == '-') {
		size_t j = ++i;

		while (j < s.n && s.p[j] != '+')
			j++;
		x->pr = (struct str){ s.p + i, j - i };
		if (!prerelease_ok(x->pr))
			return false;
		i = j;
	}
	if (at(s, i) == '+') {
		if (!build_ok((struct str){ s.p + i + 1, s.n - i - 1 }))
			return false;
		i = s.n;
	}
	return i == s.n;
}

/* isX(): !id || id.toLowerCase() === 'x' || id === '*' */
static bool is_x(struct str id)
{
	return !id.p || id.n == 0 ||
	       (id.n == 1 && (id.p[0] == 'x' || id.p[0] == 'X' || id.p[0] == '*'));
}

/*
 * `${+id + 1}` for a digit string. Exact below 2^53; above, JavaScript's double result is
 * >= 2^53 and every comparator built from it is refused (major/minor/patch above 2^53 - 1,
 * or "1e+21" notation), so any number >= 2^53 gives the same outcome.
 */
static void add_inc(struct ctx *x, struct ks_buf *b, struct str id)
{
	char num[32];
	uint64_t v = 0;

	if (id.n > 16) {
		addz(x, b, "99999999999999999999");
		return;
	}
	for (size_t i = 0; i < id.n; i++)
		v = v * 10 + (uint64_t)(id.p[i] - '0');
	snprintf(num, sizeof(num), "%llu", (unsigned long long)(v + 1));
	addz(x, b, num);
}

/* ---------------------------------------------------------------- the rewriting steps */

/* range.replace(BUILDSTRIPRE, '') — BUILDSTRIPRE = /\+([a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*)/g */
static struct str strip_builds(struct ctx *x, struct str s)
{
	struct ks_buf b = KS_BUF_INIT;
	size_t i = 0;

	if (!memchr(s.p, '+', s.n))
		return s;
	while (i < s.n) {
		if (s.p[i] == '+' && is_ident_char(at(s, i + 1))) {
			size_t j = i + 1;

			while (j < s.n && is_ident_char(s.p[j]))
				j++;
			while (at(s, j) == '.' && is_ident_char(at(s, j + 1))) {
				j++;
				while (j < s.n && is_ident_char(s.p[j]))
					j++;
			}
			i = j;
			continue;
		}
		add(x, &b, s.p + i, 1);
		i++;
	}
	return buf_str(x, &b);
}

/* comp.replace(re[t.BUILD], '') — the first match only, safe form ({1,250} per identifier) */
static struct str strip_first_build(struct ctx *x, struct str s)
{
	struct ks_buf b = KS_BUF_INIT;

	for (size_t i = 0; i < s.n; i++) {
		size_t j, k;

		if (s.p[i] != '+' || !is_ident_char(at(s, i + 1)))
			continue;
		j = i + 1;
		for (k = 0; k < 250 && j < s.n && is_ident_char(s.p[j]); k++)
			j++;
		while (at(s, j) == '.' && is_ident_char(at(s, j + 1))) {
			j++;
			for (k = 0; k < 250 && j < s.n && is_ident_char(s.p[j]); k++)
				j++;
		}
		add(x, &b, s.p, i);
		add(x, &b, s.p + j, s.n - j);
		return buf_str(x, &b);
	}
	return s;
}

/*
 * HYPHENRANGE: ^\s?(XRANGEPLAIN)\s-\s(XRANGEPLAIN)\s?$ replaced by hyphenReplace(). The
 * left part cannot contain " - " (its only spaces are in the [v=\s]* prefix), so the split
 * is at the first " - ".
 */
static struct str hyphen_replace(struct ctx *x, struct str s)
{
	struct ks_buf b = KS_BUF_INIT;
	struct str from, to;
	struct xr f, t;
	size_t i;

	for (i = 0; i + 3 <= s.n; i++)
		if (memcmp(s.p + i, " - ", 3) == 0)
			break;
	if (i + 3 > s.n)
		return s;
	from = (struct str){ s.p, i };
	to = (struct str){ s.p + i + 3, s.n - i - 3 };
	if (!xrange_plain(from, &f) || !xrange_plain(to, &t))
		return s;

	if (is_x(f.M)) {
		/* from = '' */
	} else if (is_x(f.m)) {
		addz(x, &b, ">=");
		adds(x, &b, f.M);
		addz(x, &b, ".0.0");
	} else if (is_x(f.p)) {
		addz(x, &b, ">=");
		adds(x, &b, f.M);
		addz(x, &b, ".");
		adds(x, &b, f.m);
		addz(x, &b, ".0");
	} else {
		addz(x, &b, ">=");
		adds(x, &b, from);
	}
	addz(x, &b, " ");
	if (is_x(t.M)) {
		/* to = '' */
	} else if (is_x(t.m)) {
		addz(x, &b, "<");
		add_inc(x, &b, t.M);
		addz(x, &b, ".0.0-0");
	} else if (is_x(t.p)) {
		addz(x, &b, "<");
		adds(x, &b, t.M);
		addz(x, &b, ".");
		add_inc(x, &b, t.m);
		addz(x, &b, ".0-0");
	} else if (t.pr.p && t.pr.n) {
		addz(x, &b, "<=");
		adds(x, &b, t.M);
		addz(x, &b, ".");
		adds(x, &b, t.m);
		addz(x, &b, ".");
		adds(x, &b, t.p);
		addz(x, &b, "-");
		adds(x, &b, t.pr);
	} else {
		addz(x, &b, "<=");
		adds(x, &b, to);
	}
	return trim(buf_str(x, &b));
}

/* ---- internal/trim-comparator-whitespace.js, ported function by function */

#define MAX_LENGTH 256
#define MAX_SAFE_BUILD_LENGTH (MAX_LENGTH - 6)

static bool is_letter(char c)
{
	return ks_isalpha(c);
}

static bool is_version_prefix(char c)
{
	return c == 'v' || c == '=' || is_ws(c);
}

static bool is_version_start(char c)
{
	return ks_isdigit(c) || c == 'x' || c == 'X' || c == '*';
}

static size_t find_digits_end(struct str r, size_t start, size_t limit)
{
	size_t end = start;

	if (!ks_isdigit(at(r, start)))
		return start;
	while (ks_isdigit(at(r, end)))
		end++;
	return KS_MIN(start + limit, end);
}

static size_t find_number_end(struct str r, size_t start, bool loose)
{
	if (!loose && at(r, start) == '0')
		return start + 1;
	return find_digits_end(r, start, loose ? MAX_LENGTH : MAX_LENGTH + 1);
}

static size_t find_pre_ident_end(struct str r, size_t start, bool loose)
{
	size_t digits_end = find_digits_end(r, start, MAX_LENGTH);

	if (is_letter(at(r, digits_end)) || at(r, digits_end) == '-') {
		size_t end = digits_end + 1, limit = end + MAX_SAFE_BUILD_LENGTH;

		while (end < limit && is_ident_char(at(r, end)))
			end++;
		return end;
	}
	return find_number_end(r, start, loose);
}

static size_t find_prerelease_end(struct str r, size_t start, bool loose)
{
	bool hyphen = at(r, start) == '-';
	size_t ident_start, end;

	if (!loose && !hyphen)
		return start;
	ident_start = start + (hyphen ? 1 : 0);
	end = find_pre_ident_end(r, ident_start, loose);
	if (end == ident_start) {
		if (!loose || !hyphen)
			return start;
		end = find_pre_ident_end(r, start, loose);
	}
	while (at(r, end) == '.') {
		size_t next = find_pre_ident_end(r, end + 1, loose);

		if (next == end + 1)
			break;
		end = next;
	}
	return end;
}

static size_t find_build_ident_end(struct str r, size_t start)
{
	size_t end = start;

	while (end - start < MAX_SAFE_BUILD_LENGTH && is_ident_char(at(r, end)))
		end++;
	return end;
}

static size_t find_build_end(struct str r, size_t start)
{
	size_t end;

	if (at(r, start) != '+')
		return start;
	end = find_build_ident_end(r, start + 1);
	if (end == start + 1)
		return start;
	while (at(r, end) == '.') {
		size_t next = find_build_ident_end(r, end + 1);

		if (next == end + 1)
			break;
		end = next;
	}
	return end;
}

static size_t find_loose_full_version_end(struct str r, size_t start)
{
	size_t end = start;

	for (int component = 0; component < 3; component++) {
		size_t next = find_number_end(r, end, true);

		if (next == end)
			return start;
		end = next;
		if (component < 2) {
			if (at(r, end) != '.')
				return start;
			end++;
		}
	}
	return find_build_end(r, find_prerelease_end(r, end, true));
}

static size_t find_partial_component_end(struct str r, size_t start)
{
	if (ks_isdigit(at(r, start)))
		return find_number_end(r, start, false);
	return is_version_start(at(r, start)) ? start + 1 : start;
}

static size_t find_partial_version_end(struct str r, size_t start)
{
	size_t end = find_partial_component_end(r, start);

	for (int component = 0; component < 2; component++) {
		size_t next;

		if (at(r, end) != '.')
			return end;
		next = find_partial_component_end(r, end + 1);
		if (next == end + 1)
			return end;
		end = next;
	}
	return find_build_end(r, find_prerelease_end(r, end, false));
}

static size_t find_version_end(struct str r, size_t start)
{
	size_t full = find_loose_full_version_end(r, start);

	return full != start ? full : find_partial_version_end(r, start);
}

/* Returns the index of the removable space, or SIZE_MAX. */
static size_t find_removable_ws(struct str r, size_t match_start)
{
	size_t pos = match_start;

	if (is_ws(at(r, pos)))
		pos++;
	if (at(r, pos) == '<' || at(r, pos) == '>')
		pos++;
	if (at(r, pos) == '=')
		pos++;
	return is_ws(at(r, pos)) ? pos : SIZE_MAX;
}

static struct str trim_comparator_ws(struct ctx *x, struct str r)
{
	struct ks_buf b = KS_BUF_INIT;
	size_t copy_from = 0, cursor = 0;
	bool changed = false;

	while (cursor < r.n) {
		size_t match_start = cursor, ws;

		if (r.p[cursor] == '<' || r.p[cursor] == '>') {
			cursor++;
		} else if (!is_version_prefix(r.p[cursor]) && !is_version_start(r.p[cursor])) {
			cursor++;
			continue;
		}
		while (cursor < r.n && is_version_prefix(r.p[cursor]))
			cursor++;
		if (!is_version_start(at(r, cursor)))
			continue;
		ws = find_removable_ws(r, match_start);
		if (ws != SIZE_MAX) {
			add(x, &b, r.p + copy_from, ws - copy_from);
			copy_from = ws + 1;
			changed = true;
		}
		cursor = find_version_end(r, cursor);
	}
	if (!changed)
		return r;
	add(x, &b, r.p + copy_from, r.n - copy_from);
	return buf_str(x, &b);
}

/* TILDETRIM /(\s?)~>?\s/g → '$1~' and CARETTRIM /(\s?)\^\s/g → '$1^' */
static struct str lone_op_trim(struct ctx *x, struct str s, char op)
{
	struct ks_buf b = KS_BUF_INIT;
	bool changed = false;

	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] == op) {
			if (op == '~' && at(s, i + 1) == '>' && is_ws(at(s, i + 2))) {
				add(x, &b, &op, 1);
				i += 2;
				changed = true;
				continue;
			}
			if (is_ws(at(s, i + 1))) {
				add(x, &b, &op, 1);
				i += 1;
				changed = true;
				continue;
			}
		}
		add(x, &b, s.p + i, 1);
	}
	if (!changed) {
		ks_buf_release(&b);
		return s;
	}
	return buf_str(x, &b);
}

/* replaceCaret(): /^\^XRANGEPLAIN$/ */
static struct str replace_caret(struct ctx *x, struct str c)
{
	struct ks_buf b = KS_BUF_INIT;
	struct xr r;
	bool M0;

	if (at(c, 0) != '^' || !xrange_plain((struct str){ c.p + 1, c.n - 1 }, &r))
		return c;
	M0 = str_eq(r.M, "0");
	if (is_x(r.M)) {
		return (struct str){ "", 0 };
	} else if (is_x(r.m)) {
		addz(x, &b, ">=");
		adds(x, &b, r.M);
		addz(x, &b, ".0.0 <");
		add_inc(x, &b, r.M);
		addz(x, &b, ".0.0-0");
	} else if (is_x(r.p)) {
		addz(x, &b, ">=");
		adds(x, &b, r.M);
		addz(x, &b, ".");
		adds(x, &b, r.m);
		addz(x, &b, ".0 <");
		if (M0) {
			adds(x, &b, r.M);
			addz(x, &b, ".");
			add_inc(x, &b, r.m);
			addz(x, &b, ".0-0");
		} else {
			add_inc(x, &b, r.M);
			addz(x, &b, ".0.0-0");
		}
	} else {
		addz(x, &b, ">=");
		adds(x, &b, r.M);
		addz(x, &b, ".");
		adds(x, &b, r.m);
		addz(x, &b, ".");
		adds(x, &b, r.p);
		if (r.pr.p && r.pr.n) {
			addz(x, &b, "-");
			adds(x, &b, r.pr);
		}
		addz(x, &b, " <");
		if (M0 && str_eq(r.m, "0")) {
			adds(x, &b, r.M);
			addz(x, &b, ".");
			adds(x, &b, r.m);
			addz(x, &b, ".");
			add_inc(x, &b, r.p);
			addz(x, &b, "-0");
		} else if (M0) {
			adds(x, &b, r.M);
			addz(x, &b, ".");
			add_inc(x, &b, r.m);
			addz(x, &b, ".0-0");
		} else {
			add_inc(x, &b, r.M);
			addz(x, &b, ".0.0-0");
		}
	}
	return buf_str(x, &b);
}

/* replaceTilde(): /^~>?XRANGEPLAIN$/ */
static struct str replace_tilde(struct ctx *x, struct str c)
{
	struct ks_buf b = KS_BUF_INIT;
	size_t i = 1;
	struct xr r;

	if (at(c, 0) != '~')
		return c;
	if (at(c, 1) == '>')
		i = 2;
	if (!xrange_plain((struct str){ c.p + i, c.n - i }, &r))
		return c;
	if (is_x(r.M))
		return (struct str){ "", 0 };
	addz(x, &b, ">=");
	adds(x, &b, r.M);
	if (is_x(r.m)) {
		addz(x, &b, ".0.0 <");
		add_inc(x, &b, r.M);
		addz(x, &b, ".0.0-0");
		return buf_str(x, &b);
	}
	addz(x, &b, ".");
	adds(x, &b, r.m);
	if (is_x(r.p)) {
		addz(x, &b, ".0");
	} else {
		addz(x, &b, ".");
		adds(x, &b, r.p);
		if (r.pr.p && r.pr.n) {
			addz(x, &b, "-");
			adds(x, &b, r.pr);
		}
	}
	addz(x, &b, " <");
	adds(x, &b, r.M);
	addz(x, &b, ".");
	add_inc(x, &b, r.m);
	addz(x, &b, ".0-0");
	return buf_str(x, &b);
}

/* replaceXRange(): /^((?:<|>)?=?)\s?XRANGEPLAIN$/ */
static struct str replace_xrange(struct ctx *x, struct str c)
{
	struct ks_buf b = KS_BUF_INIT;
	struct str gtlt;
	size_t i = 0;
	struct xr r;
	bool xM, xm, xp;

	c = trim(c);
	if (at(c, i) == '<' || at(c, i) == '>')
		i++;
	if (at(c, i) == '=')
		i++;
	gtlt = (struct str){ c.p, i };
	if (is_ws(at(c, i)))
		i++;
	if (!xrange_plain((struct str){ c.p + i, c.n - i }, &r))
		return c;
	/* invalidXRangeOrder(M, m, p) */
	if ((is_x(r.M) && !is_x(r.m)) || (is_x(r.m) && r.p.p && r.p.n && !is_x(r.p)))
		return c;
	xM = is_x(r.M);
	xm = xM || is_x(r.m);
	xp = xm || is_x(r.p);
	if (str_eq(gtlt, "=") && xp)
		gtlt.n = 0;

	if (xM) {
		if (str_eq(gtlt, ">") || str_eq(gtlt, "<"))
			return (struct str){ "<0.0.0-0", 8 };
		return (struct str){ "*", 1 };
	}
	if (gtlt.n && xp) {
		/* M, m, p become numbers or stay the captured text; track which */
		struct str M = r.M, m = r.m;
		bool incM = false, incm = false;
		const char *op;

		if (xm)
			m = (struct str){ "0", 1 };
		if (str_eq(gtlt, ">")) {
			op = ">=";
			if (xm)
				incM = true;
			else
				incm = true;
		} else if (str_eq(gtlt, "<=")) {
			op = "<";
			if (xm)
				incM = true;
			else
				incm = true;
		} else {
			op = str_eq(gtlt, ">=") ? ">=" : "<";
		}
		addz(x, &b, op);
		if (incM)
			add_inc(x, &b, M);
		else
			adds(x, &b, M);
		addz(x, &b, ".");
		if (incm)
			add_inc(x, &b, m);
		else
			adds(x, &b, m);
		addz(x, &b, ".0");
		if (strcmp(op, "<") == 0)
			addz(x, &b, "-0");
		return buf_str(x, &b);
	}
	if (xm) {
		addz(x, &b, ">=");
		adds(x, &b, r.M);
		addz(x, &b, ".0.0 <");
		add_inc(x, &b, r.M);
		addz(x, &b, ".0.0-0");
		return buf_str(x, &b);
	}
	if (xp) {
		addz(x, &b, ">=");
		adds(x, &b, r.M);
		addz(x, &b, ".");
		adds(x, &b, r.m);
		addz(x, &b, ".0 <");
		adds(x, &b, r.M);
		addz(x, &b, ".");
		add_inc(x, &b, r.m);
		addz(x, &b, ".0-0");
		return buf_str(x, &b);
	}
	return c;
}

/* replaceStars(): comp.trim().replace(/(<|>)?=?\s?\*\/, '') — the first match */
static struct str replace_stars(struct ctx *x, struct str c)
{
	struct ks_buf b = KS_BUF_INIT;

	c = trim(c);
	for (size_t i = 0; i < c.n; i++) {
		size_t j = i;

		if (c.p[j] == '<' || c.p[j] == '>')
			j++;
		if (at(c, j) == '=')
			j++;
		if (is_ws(at(c, j)))
			j++;
		if (at(c, j) != '*')
			continue;
		add(x, &b, c.p, i);
		add(x, &b, c.p + j + 1, c.n - j - 1);
		return buf_str(x, &b);
	}
	return c;
}

/* .trim().split(/\s+/).map(f).join(' ') */
static struct str map_words(struct ctx *x, struct str s, bool trim_first,
			    struct str (*f)(struct ctx *, struct str))
{
	struct strv words = split_ws(x, trim_first ? trim(s) : s);

	for (size_t i = 0; i < words.n; i++)
		words.v[i] = f(x, words.v[i]);
	return join(x, &words);
}

/* parseComparator() in classes/range.js */
static struct str parse_comparator(struct ctx *x, struct str comp)
{
	comp = strip_first_build(x, comp);
	comp = map_words(x, comp, true, replace_caret);
	comp = map_words(x, comp, true, replace_tilde);
	comp = map_words(x, comp, false, replace_xrange);
	return replace_stars(x, comp);
}

/* ---------------------------------------------------------------- comparators and sets */

/* new Comparator(comp): /^((?:<|>)?=?)\s?(FULLPLAIN)$|^$/ then new SemVer(m[2]) */
static int comparator_parse(struct str s, struct comparator *c, struct kensa_err *err)
{
	size_t i = 0;
	struct str op;

	memset(c, 0, sizeof(*c));
	s = trim(s);
	if (s.n == 0) {
		c->any = true;
		return 0;
	}
	if (at(s, i) == '<' || at(s, i) == '>')
		i++;
	if (at(s, i) == '=')
		i++;
	op = (struct str){ s.p, i };
	if (is_ws(at(s, i)))
		i++;
	/* FULLPLAIN has no leading whitespace or '='; SemVer's own trim finds none either */
	if (i >= s.n || is_ws(s.p[i]) || s.p[i] == '=' || is_ws(s.p[s.n - 1]) ||
	    ks_semver_parse(s.p + i, s.n - i, &c->v, NULL) != 0) {
		char q[KS_VERSION_QUOTE_MAX];

		ks_version_quote(q, sizeof(q), s.p, s.n);
		return kensa_err_set(err, KENSA_EFORMAT, "invalid comparator '%s'", q);
	}
	if (str_eq(op, "<"))
		c->op = OP_LT;
	else if (str_eq(op, "<="))
		c->op = OP_LE;
	else if (str_eq(op, ">"))
		c->op = OP_GT;
	else if (str_eq(op, ">="))
		c->op = OP_GE;
	else
		c->op = OP_EQ;
	c->null_set = c->op == OP_LT && c->v.major == 0 && c->v.minor == 0 && c->v.patch == 0 &&
		      c->v.pre && c->v.prelen == 1 && c->v.pre[0] == '0';
	return 0;
}

static int cset_push(struct ctx *x, struct cset *set, const struct comparator *c)
{
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 4;
		struct comparator *v = ks_arena_alloc(&x->arena, cap * sizeof(*v));

		if (!v)
			return KENSA_ENOMEM;
		if (set->n)
			memcpy(v, set->c, set->n * sizeof(*v));
		set->c = v;
		set->cap = cap;
	}
	set->c[set->n++] = *c;
	return 0;
}

/* Range.prototype.parseRange() */
static int parse_set(struct ctx *x, struct str part, struct cset *set, struct kensa_err *err)
{
	struct strv words, comps;
	struct str s;
	struct comparator nullc;
	bool has_null = false, has_other = false;
	int result;

	s = strip_builds(x, part);
	s = hyphen_replace(x, s);
	s = trim_comparator_ws(x, s);
	s = lone_op_trim(x, s, '~');
	s = lone_op_trim(x, s, '^');
	words = split_space(x, s);
	for (size_t i = 0; i < words.n; i++)
		words.v[i] = parse_comparator(x, words.v[i]);
	comps = split_ws(x, join(x, &words));
	if (x->oom)
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");

	memset(set, 0, sizeof(*set));
	for (size_t i = 0; i < comps.n; i++) {
		struct comparator c;
		struct str comp = trim(comps.v[i]);

		if (str_eq(comp, ">=0.0.0"))	/* replaceGTE0 */
			comp.n = 0;
		result = comparator_parse(comp, &c, err);
		if (result)
			return result;
		if (c.null_set && !has_null) {
			nullc = c;
			has_null = true;
		}
		if (!c.any)
			has_other = true;
		result = cset_push(x, set, &c);
		if (result)
			return kensa_err_set(err, result, "out of memory");
	}
	/* a null-set comparator makes the whole set just that comparator */
	if (has_null) {
		set->n = 0;
		if (cset_push(x, set, &nullc))
			return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		return 0;
	}
	/* with more than one distinct comparator the empty one (any) is dropped */
	if (has_other) {
		size_t k = 0;

		for (size_t i = 0; i < set->n; i++)
			if (!set->c[i].any)
				set->c[k++] = set->c[i];
		set->n = k;
	} else if (set->n > 1) {
		set->n = 1;	/* several "any": one */
	}
	return 0;
}

static bool set_is_null(const struct cset *s)
{
	return s->n > 0 && s->c[0].null_set;
}

static bool set_is_any(const struct cset *s)
{
	return s->n == 1 && s->c[0].any;
}

/* new Range(range) */
static int range_parse(struct ctx *x, const char *text, size_t len, struct range *r,
		       struct kensa_err *err)
{
	struct ks_buf b = KS_BUF_INIT;
	const char *s = text;
	struct str raw;
	size_t n = len, start = 0;
	int result;

	/* this.raw = range.trim().replace(/\s+/g, ' ') */
	ks_version_trim(&s, &n, KS_SPACE_JS);
	for (size_t i = 0; i < n;) {
		size_t k = ks_version_space_at(s + i, n - i, KS_SPACE_JS);

		if (!k) {
			add(x, &b, s + i, 1);
			i++;
			continue;
		}
		while (i < n && (k = ks_version_space_at(s + i, n - i, KS_SPACE_JS)))
			i += k;
		addz(x, &b, " ");
	}
	raw = buf_str(x, &b);
	if (x->oom)
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i <= raw.n; i++) {
		struct cset set;

		if (i < raw.n && !(raw.p[i] == '|' && at(raw, i + 1) == '|'))
			continue;
		result = parse_set(x, trim((struct str){ raw.p + start, i - start }), &set, err);
		if (result)
			return result;
		if (r->n == r->cap) {
			size_t cap = r->cap ? r->cap * 2 : 4;
			struct cset *v = ks_arena_alloc(&x->arena, cap * sizeof(*v));

			if (!v)
				return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
			if (r->n)
				memcpy(v, r->sets, r->n * sizeof(*v));
			r->sets = v;
			r->cap = cap;
		}
		r->sets[r->n++] = set;
		start = i + 2;
		i++;
	}

	/* several sets: drop null sets (keep the first if all are); one "any" set wins alone */
	if (r->n > 1) {
		size_t k = 0;

		for (size_t i = 0; i < r->n; i++)
			if (!set_is_null(&r->sets[i]))
				r->sets[k++] = r->sets[i];
		if (k == 0) {
			r->n = 1;
		} else {
			r->n = k;
			for (size_t i = 0; r->n > 1 && i < r->n; i++) {
				if (set_is_any(&r->sets[i])) {
					r->sets[0] = r->sets[i];
					r->n = 1;
				}
			}
		}
	}
	return 0;
}

static bool comparator_test(const struct comparator *c, const struct ks_semver *v)
{
	int r;

	if (c->any)
		return true;
	r = ks_semver_cmp(v, &c->v);
	switch (c->op) {
	case OP_LT: return r < 0;
	case OP_LE: return r <= 0;
	case OP_GT: return r > 0;
	case OP_GE: return r >= 0;
	default: return r == 0;
	}
}

/* testSet() */
static bool set_test(const struct cset *set, const struct ks_semver *v)
{
	for (size_t i = 0; i < set->n; i++)
		if (!comparator_test(&set->c[i], v))
			return false;
	if (!v->pre)
		return true;
	/* a prerelease passes only if a comparator names a prerelease of the same tuple */
	for (size_t i = 0; i < set->n; i++) {
		const struct comparator *c = &set->c[i];

		if (c->any || !c->v.pre)
			continue;
		if (c->v.major == v->major && c->v.minor == v->minor && c->v.patch == v->patch)
			return true;
	}
	return false;
}

static int range_check_len(const char *range, size_t *len, struct kensa_err *err)
{
	*len = strnlen(range, KENSA_SEMVER_RANGE_MAX + 1);
	if (*len > KENSA_SEMVER_RANGE_MAX)
		return kensa_err_set(err, KENSA_ELIMIT,
				     "npm range '%.40s…' is longer than %d bytes", range,
				     KENSA_SEMVER_RANGE_MAX);
	return 0;
}

int kensa_semver_satisfies(const char *range, const char *version, bool *ok, struct kensa_err *err)
{
	struct kensa_err inner = KENSA_ERR_INIT;
	struct ctx x = { KS_ARENA_INIT, false };
	struct ks_semver v;
	struct range r;
	size_t rlen, vlen;
	int result;

	if (!range || !version || !ok)
		return kensa_err_set(err, KENSA_EINVAL, "kensa_semver_satisfies: missing argument");
	result = range_check_len(range, &rlen, err);
	if (result)
		goto out;
	vlen = strnlen(version, KENSA_VERSION_MAX + 1);
	if (vlen > KENSA_VERSION_MAX) {
		result = ks_version_malformed(err, &ks_version_semver, version, vlen, "too long");
		goto out;
	}
	result = ks_semver_parse(version, vlen, &v, err);
	if (result)
		goto out;
	result = range_parse(&x, range, rlen, &r, &inner);
	if (result) {
		char q[KS_VERSION_QUOTE_MAX];

		ks_version_quote(q, sizeof(q), range, rlen);
		result = kensa_err_set(err, result, "malformed npm range '%s': %s", q, inner.msg);
		goto out;
	}
	*ok = false;
	for (size_t i = 0; i < r.n && !*ok; i++)
		*ok = set_test(&r.sets[i], &v);
out:
	ks_arena_release(&x.arena);
	return result;
}

bool kensa_semver_range_valid(const char *range)
{
	struct ctx x = { KS_ARENA_INIT, false };
	struct range r;
	size_t len;
	int result;

	if (!range)
		return false;
	result = range_check_len(range, &len, NULL);
	if (!result)
		result = range_parse(&x, range, len, &r, NULL);
	ks_arena_release(&x.arena);
	return result == 0;
}
