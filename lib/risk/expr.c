// SPDX-License-Identifier: Apache-2.0
/*
 * expr.c — parser (recursive descent) and evaluator of the condition language (expr.h).
 * Errors name the position and the token: "--fail-on: expected a value after '>=' at 14".
 */
#include <math.h>
#include <stdlib.h>
#include <strings.h>

#include "expr.h"

enum op { OP_AND = 1, OP_OR, OP_NOT, OP_PRED };
enum cmp { CMP_TRUE = 0, CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };
enum field {
	F_NEEDS_ACTION = 1, F_FIXABLE, F_EXPLOITABLE, F_KEV, F_NETWORK, F_LISTENING, F_ROOT, F_IN_USE,
	F_SEVERITY, F_TIER, F_CRITICALITY, F_CVSS, F_EPSS, F_RISK, F_ECOSYSTEM, F_ID, F_PACKAGE,
};

struct ks_expr {
	enum op op;
	struct ks_expr *l, *r;
	enum field field;
	enum cmp cmp;
	double num;
	const char *str;
};

static const struct {
	const char *name;
	enum field field;
	char kind;	/* 'b' boolean, 'o' ordinal, 'n' number, 's' string, 'u' in_use */
} fields[] = {
	{ "needs_action", F_NEEDS_ACTION, 'b' }, { "fixable", F_FIXABLE, 'b' },
	{ "exploitable", F_EXPLOITABLE, 'b' }, { "kev", F_KEV, 'b' }, { "network", F_NETWORK, 'b' },
	{ "listening", F_LISTENING, 'b' }, { "root", F_ROOT, 'b' }, { "in_use", F_IN_USE, 'u' },
	{ "severity", F_SEVERITY, 'o' }, { "tier", F_TIER, 'o' }, { "criticality", F_CRITICALITY, 'o' },
	{ "cvss", F_CVSS, 'n' }, { "epss", F_EPSS, 'n' }, { "risk", F_RISK, 'n' },
	{ "ecosystem", F_ECOSYSTEM, 's' }, { "id", F_ID, 's' }, { "package", F_PACKAGE, 's' },
};

static const char *const levels[] = { "none", "low", "medium", "high", "critical" };

static int level_of(const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < 5; i++)
		if (strcasecmp(s, levels[i]) == 0)
			return i;
	return -1;
}

struct parser {
	struct ks_arena *a;
	const char *text, *p;
	struct kensa_err *err;
	int depth;
};

static void skip_ws(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n')
		ps->p++;
}

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '.' || c == '-' || c == ':' || c == '/' || c == '@' || c == '+' || c == '~';
}

/* Read a word or a quoted string. */
static char *token(struct parser *ps)
{
	const char *s;

	skip_ws(ps);
	s = ps->p;
	if (*s == '"' || *s == '\'') {
		const char *e = strchr(s + 1, *s);

		if (!e)
			return NULL;
		ps->p = e + 1;
		return ks_arena_strndup(ps->a, s + 1, (size_t)(e - s - 1));
	}
	while (word_char(*ps->p))
		ps->p++;
	return ps->p > s ? ks_arena_strndup(ps->a, s, (size_t)(ps->p - s)) : NULL;
}

static bool accept(struct parser *ps, const char *kw)
{
	size_t n = strlen(kw);

	skip_ws(ps);
	if (strncmp(ps->p, kw, n) != 0)
		return false;
	if (word_char(kw[0]) && word_char(ps->p[n]))
		return false;	/* "and" must not match "android" */
	ps->p += n;
	return true;
}

static struct ks_expr *fail(struct parser *ps, const char *what)
{
	kensa_err_set(ps->err, KENSA_EINVAL, "condition '%s': %s at position %ld", ps->text, what,
		      (long)(ps->p - ps->text) + 1);
	return NULL;
}

static struct ks_expr *parse_or(struct parser *ps);

static struct ks_expr *parse_primary(struct parser *ps)
{
	struct ks_expr *e;
	char *name;
	size_t fi;

	if (++ps->depth > 64)
		return fail(ps, "nested too deeply");
	if (accept(ps, "(")) {
		e = parse_or(ps);
		if (!e)
			return NULL;
		if (!accept(ps, ")"))
			return fail(ps, "expected ')'");
		ps->depth--;
		return e;
	}
	if (accept(ps, "not") || accept(ps, "!")) {
		e = ks_arena_alloc(ps->a, sizeof(*e));
		if (!e)
			return fail(ps, "out of memory");
		e->op = OP_NOT;
		e->l = parse_primary(ps);
		ps->depth--;
		return e->l ? e : NULL;
	}
	name = token(ps);
	if (!name)
		return fail(ps, "expected a condition");
	for (fi = 0; fi < KS_ARRAY_SIZE(fields); fi++)
		if (strcmp(fields[fi].name, name) == 0)
			break;
	if (fi == KS_ARRAY_SIZE(fields)) {
		ps->p -= strlen(name);
		return fail(ps, "unknown field (needs_action, fixable, exploitable, kev, network, listening, root, "
				"in_use, severity, tier, criticality, cvss, epss, risk, ecosystem, id, package)");
	}
	e = ks_arena_alloc(ps->a, sizeof(*e));
	if (!e)
		return fail(ps, "out of memory");
	e->op = OP_PRED;
	e->field = fields[fi].field;
	skip_ws(ps);
	if (accept(ps, ">="))
		e->cmp = CMP_GE;
	else if (accept(ps, "<="))
		e->cmp = CMP_LE;
	else if (accept(ps, "!="))
		e->cmp = CMP_NE;
	else if (accept(ps, "=="))
		e->cmp = CMP_EQ;
	else if (accept(ps, ">"))
		e->cmp = CMP_GT;
	else if (accept(ps, "<"))
		e->cmp = CMP_LT;
	else if (accept(ps, "="))
		e->cmp = CMP_EQ;
	if (e->cmp == CMP_TRUE) {
		if (fields[fi].kind != 'b' && fields[fi].kind != 'u')
			return fail(ps, "this field needs a comparison (e.g. severity >= high)");
		ps->depth--;
		return e;
	}
	e->str = token(ps);
	if (!e->str)
		return fail(ps, "expected a value");
	switch (fields[fi].kind) {
	case 'b':
		return fail(ps, "a yes/no field takes no comparison");
	case 'o':
		e->num = level_of(e->str);
		if (e->num < 0)
			return fail(ps, "expected none, low, medium, high or critical");
		break;
	case 'n': {
		char *end;

		e->num = strtod(e->str, &end);
		if (*end || !isfinite(e->num))
			return fail(ps, "expected a number");
		break;
	}
	case 'u':
		if (strcmp(e->str, "yes") && strcmp(e->str, "no") && strcmp(e->str, "unknown"))
			return fail(ps, "expected yes, no or unknown");
		if (e->cmp != CMP_EQ && e->cmp != CMP_NE)
			return fail(ps, "in_use compares with == or !=");
		break;
	default:
		if (e->cmp != CMP_EQ && e->cmp != CMP_NE)
			return fail(ps, "text fields compare with == or !=");
	}
	ps->depth--;
	return e;
}

static struct ks_expr *binary(struct parser *ps, enum op op, struct ks_expr *l, struct ks_expr *r)
{
	struct ks_expr *e;

	if (!l || !r)
		return NULL;
	e = ks_arena_alloc(ps->a, sizeof(*e));
	if (!e)
		return fail(ps, "out of memory");
	e->op = op;
	e->l = l;
	e->r = r;
	return e;
}

static struct ks_expr *parse_and(struct parser *ps)
{
	struct ks_expr *e = parse_primary(ps);

	while (e && (accept(ps, "and") || accept(ps, "&&")))
		e = binary(ps, OP_AND, e, parse_primary(ps));
	return e;
}

static struct ks_expr *parse_or(struct parser *ps)
{
	struct ks_expr *e = parse_and(ps);

	while (e && (accept(ps, "or") || accept(ps, "||")))
		e = binary(ps, OP_OR, e, parse_and(ps));
	return e;
}

struct ks_expr *ks_expr_parse(struct ks_arena *a, const char *text, struct kensa_err *err)
{
	struct parser ps = { a, text, text, err, 0 };
	struct ks_expr *e = parse_or(&ps);

	if (!e)
		return NULL;
	skip_ws(&ps);
	if (*ps.p)
		return fail(&ps, "unexpected text");
	return e;
}

static bool cmp_num(enum cmp c, double a, double b)
{
	switch (c) {
	case CMP_EQ: return a == b;
	case CMP_NE: return a != b;
	case CMP_LT: return a < b;
	case CMP_LE: return a <= b;
	case CMP_GT: return a > b;
	case CMP_GE: return a >= b;
	default: return a != 0;
	}
}

static bool pred(const struct ks_expr *e, const struct kensa_finding *f)
{
	switch (e->field) {
	case F_NEEDS_ACTION: return f->needs_action;
	case F_FIXABLE: return f->fixable;
	case F_EXPLOITABLE: return f->exploitable;
	case F_KEV: return f->kev;
	case F_NETWORK: return f->network;
	case F_LISTENING: return f->listening;
	case F_ROOT: return f->root;
	case F_IN_USE: {
		static const char *const names[] = { "unknown", "yes", "no" };

		if (e->cmp == CMP_TRUE)
			return f->in_use == KENSA_IN_USE_YES;
		return (strcmp(names[f->in_use], e->str) == 0) == (e->cmp == CMP_EQ);
	}
	case F_SEVERITY: {
		int l = level_of(f->severity);

		return l >= 0 && cmp_num(e->cmp, l, e->num);
	}
	case F_TIER: {
		int l = level_of(f->tier);

		return l >= 0 && cmp_num(e->cmp, l, e->num);
	}
	case F_CRITICALITY: {
		int l = level_of(f->criticality);

		return l >= 0 && cmp_num(e->cmp, l, e->num);
	}
	case F_CVSS: return f->has_cvss && cmp_num(e->cmp, f->cvss.score, e->num);
	case F_EPSS: return !isnan(f->epss) && cmp_num(e->cmp, f->epss, e->num);
	case F_RISK: return cmp_num(e->cmp, f->risk, e->num);
	case F_ECOSYSTEM: {
		bool eq = f->pkg && f->pkg->ecosystem && strcasecmp(f->pkg->ecosystem, e->str) == 0;

		return eq == (e->cmp == CMP_EQ);
	}
	case F_PACKAGE: {
		bool eq = f->pkg && f->pkg->name && strcmp(f->pkg->name, e->str) == 0;

		return eq == (e->cmp == CMP_EQ);
	}
	case F_ID: {
		bool eq = (f->id && strcasecmp(f->id, e->str) == 0) || (f->cve && strcasecmp(f->cve, e->str) == 0);

		for (size_t i = 0; i < f->naliases && !eq; i++)
			eq = strcasecmp(f->aliases[i], e->str) == 0;
		return eq == (e->cmp == CMP_EQ);
	}
	}
	return false;
}

bool ks_expr_eval(const struct ks_expr *e, const struct kensa_finding *f)
{
	switch (e->op) {
	case OP_AND: return ks_expr_eval(e->l, f) && ks_expr_eval(e->r, f);
	case OP_OR: return ks_expr_eval(e->l, f) || ks_expr_eval(e->r, f);
	case OP_NOT: return !ks_expr_eval(e->l, f);
	case OP_PRED: return pred(e, f);
	}
	return false;
}
