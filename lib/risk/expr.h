/* SPDX-License-Identifier: Apache-2.0 */
/*
 * expr.h — the condition language of `--fail-on EXPR` and of policy files (docs/policy.md).
 *
 *   needs_action
 *   kev or epss >= 0.5
 *   severity >= high and fixable and not in_use == no
 *   (ecosystem == npm or ecosystem == PyPI) and cvss >= 9
 *
 * Predicates: booleans needs_action, fixable, exploitable, kev, network, listening, root,
 * in_use (in use at runtime); comparisons (==, !=, <, <=, >, >=) on severity / tier /
 * criticality (none < low < medium < high < critical), cvss, epss, risk (numbers),
 * in_use (yes / no / unknown), ecosystem, id (advisory id or any alias), package (name).
 * Operators: and, or, not (also &&, ||, !), parentheses.
 */
#ifndef KS_EXPR_H
#define KS_EXPR_H

#include "kensa/scan.h"
#include "util/util.h"

struct ks_expr;

/* Parse; the expression lives in arena `a`. NULL with err filled (naming the position). */
struct ks_expr *ks_expr_parse(struct ks_arena *a, const char *text, struct kensa_err *err);
bool ks_expr_eval(const struct ks_expr *e, const struct kensa_finding *f);

#endif
