// SPDX-License-Identifier: Apache-2.0
/*
 * cvss3.c — CVSS v3.0 and v3.1 scores: base, temporal and environmental, with the
 * formulas and weights of the FIRST specifications (v3.1 section 7, v3.0 section 8).
 *
 * The two versions differ in two places, both kept:
 *  - Roundup: v3.1 (Appendix A) rounds the input to 5 decimals as an integer first, so
 *    float noise such as 4.000000000000001 rounds up to 4.0, not 4.1; v3.0 rounds up the
 *    naive way, ceil(x * 10) / 10, exactly as FIRST's v3.0 calculator, noise included.
 *  - the environmental Modified Impact for a changed scope: v3.1 scales M.ISS by 0.9731 and
 *    raises to the 13th power, v3.0 raises to the 15th.
 * Every product is evaluated in the order the reference calculators use, so the float
 * results (and hence the rounding) are the same bit for bit.
 *
 * Not here: parsing (cvss.c).
 */
#include <math.h>

#include "risk/cvss.h"
#include "util/util.h"

enum {
	AV, AC, PR, UI, S, C, I, A,		/* base */
	E, RL, RC,				/* temporal */
	CR, IR, AR, MAV, MAC, MPR, MUI, MS, MC, MI, MA, /* environmental */
	N_METRICS
};

/* Value lists in the order of the weight tables below; optional metrics start with X. */
static const struct ks_cvss_metric metrics[N_METRICS] = {
	[AV] = { "AV", { "N", "A", "L", "P" }, true },
	[AC] = { "AC", { "L", "H" }, true },
	[PR] = { "PR", { "N", "L", "H" }, true },
	[UI] = { "UI", { "N", "R" }, true },
	[S] = { "S", { "U", "C" }, true },
	[C] = { "C", { "H", "L", "N" }, true },
	[I] = { "I", { "H", "L", "N" }, true },
	[A] = { "A", { "H", "L", "N" }, true },
	[E] = { "E", { "X", "U", "P", "F", "H" }, false },
	[RL] = { "RL", { "X", "O", "T", "W", "U" }, false },
	[RC] = { "RC", { "X", "U", "R", "C" }, false },
	[CR] = { "CR", { "X", "L", "M", "H" }, false },
	[IR] = { "IR", { "X", "L", "M", "H" }, false },
	[AR] = { "AR", { "X", "L", "M", "H" }, false },
	[MAV] = { "MAV", { "X", "N", "A", "L", "P" }, false },
	[MAC] = { "MAC", { "X", "L", "H" }, false },
	[MPR] = { "MPR", { "X", "N", "L", "H" }, false },
	[MUI] = { "MUI", { "X", "N", "R" }, false },
	[MS] = { "MS", { "X", "U", "C" }, false },
	[MC] = { "MC", { "X", "H", "L", "N" }, false },
	[MI] = { "MI", { "X", "H", "L", "N" }, false },
	[MA] = { "MA", { "X", "H", "L", "N" }, false },
};

static const double w_av[] = { 0.85, 0.62, 0.55, 0.2 };		/* N A L P */
static const double w_ac[] = { 0.77, 0.44 };			/* L H */
static const double w_pr_unchanged[] = { 0.85, 0.62, 0.27 };	/* N L H */
static const double w_pr_changed[] = { 0.85, 0.68, 0.5 };
static const double w_ui[] = { 0.85, 0.62 };			/* N R */
static const double w_cia[] = { 0.56, 0.22, 0 };		/* H L N */
static const double w_e[] = { 1, 0.91, 0.94, 0.97, 1 };		/* X U P F H */
static const double w_rl[] = { 1, 0.95, 0.96, 0.97, 1 };	/* X O T W U */
static const double w_rc[] = { 1, 0.92, 0.96, 1 };		/* X U R C */
static const double w_req[] = { 1, 0.5, 1, 1.5 };		/* X L M H */

/* v3.1 Appendix A: the smallest number, to one decimal, equal to or higher than x. */
static double roundup31(double x)
{
	long long i = llround(x * 100000);

	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (double)(i / 10000 + 1) / 10.0;
}

static double roundup30(double x)
{
	return ceil(x * 10) / 10;
}

/* The metrics one score formula reads, as indexes into the weight tables. */
struct v3_input {
	unsigned av, ac, pr, ui, c, i, a;
	bool changed;
};

/* Impact and exploitability sub scores combined and rounded: the base-score shape. */
static double combine(double (*roundup)(double), double impact, double expl, bool changed)
{
	if (impact <= 0)
		return 0;
	if (!changed)
		return roundup(fmin(impact + expl, 10));
	return roundup(fmin(1.08 * (impact + expl), 10));
}

static double exploitability(const struct v3_input *in)
{
	const double *w_pr = in->changed ? w_pr_changed : w_pr_unchanged;

	return 8.22 * w_av[in->av] * w_ac[in->ac] * w_pr[in->pr] * w_ui[in->ui];
}

static double base_score(double (*roundup)(double), const struct v3_input *in)
{
	double iss = 1 - ((1 - w_cia[in->c]) * (1 - w_cia[in->i]) * (1 - w_cia[in->a]));
	double impact;

	if (in->changed)
		impact = 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15);
	else
		impact = 6.42 * iss;
	return combine(roundup, impact, exploitability(in), in->changed);
}

/* A modified metric (value list X + the base list) or, when not defined, the base metric. */
static unsigned modified(const struct kensa_cvss *c, unsigned mod, unsigned base)
{
	unsigned v = ks_cvss_val(c, mod);

	return v ? v - 1 : ks_cvss_val(c, base);
}

/* The temporal multipliers, applied left to right as the reference calculators do. */
static double temporal(double (*roundup)(double), const struct kensa_cvss *c, double score)
{
	return roundup(score * w_e[ks_cvss_val(c, E)] * w_rl[ks_cvss_val(c, RL)] *
		       w_rc[ks_cvss_val(c, RC)]);
}

static double environmental(const struct kensa_cvss *c, bool v31)
{
	double (*roundup)(double) = v31 ? roundup31 : roundup30;
	struct v3_input in = {
		.av = modified(c, MAV, AV), .ac = modified(c, MAC, AC), .pr = modified(c, MPR, PR),
		.ui = modified(c, MUI, UI), .c = modified(c, MC, C), .i = modified(c, MI, I),
		.a = modified(c, MA, A), .changed = modified(c, MS, S) == 1,
	};
	double miss = fmin(1 - ((1 - w_cia[in.c] * w_req[ks_cvss_val(c, CR)]) *
				(1 - w_cia[in.i] * w_req[ks_cvss_val(c, IR)]) *
				(1 - w_cia[in.a] * w_req[ks_cvss_val(c, AR)])), 0.915);
	double impact;

	if (!in.changed)
		impact = 6.42 * miss;
	else if (v31)
		impact = 7.52 * (miss - 0.029) - 3.25 * pow(miss * 0.9731 - 0.02, 13);
	else
		impact = 7.52 * (miss - 0.029) - 3.25 * pow(miss - 0.02, 15);
	if (impact <= 0)
		return 0;
	/* The environmental score is the temporal formula applied to the modified base score. */
	return temporal(roundup, c, combine(roundup, impact, exploitability(&in), in.changed));
}

static void score(struct kensa_cvss *c, bool v31)
{
	double (*roundup)(double) = v31 ? roundup31 : roundup30;
	static const char av[] = "NALP", lh[] = "LH", nlh[] = "NLH", nr[] = "NR", hln[] = "HLN";
	struct v3_input in = {
		.av = ks_cvss_val(c, AV), .ac = ks_cvss_val(c, AC), .pr = ks_cvss_val(c, PR),
		.ui = ks_cvss_val(c, UI), .c = ks_cvss_val(c, C), .i = ks_cvss_val(c, I),
		.a = ks_cvss_val(c, A), .changed = ks_cvss_val(c, S) == 1,
	};
	bool has_temporal = false, has_env = false;

	c->base_score = base_score(roundup, &in);
	c->score = c->base_score;
	for (unsigned m = E; m <= RC; m++)
		has_temporal |= ks_cvss_defined(c, m);
	for (unsigned m = CR; m <= MA; m++)
		has_env |= ks_cvss_defined(c, m);
	if (has_env)
		c->score = environmental(c, v31);
	else if (has_temporal)
		c->score = temporal(roundup, c, c->base_score);

	c->attack_vector = av[in.av];
	c->attack_complexity = lh[in.ac];
	c->privileges_required = nlh[in.pr];
	c->user_interaction = nr[in.ui];
	c->scope_changed = in.changed;
	c->confidentiality = hln[in.c];
	c->integrity = hln[in.i];
	c->availability = hln[in.a];
}

static void score30(struct kensa_cvss *c)
{
	score(c, false);
}

static void score31(struct kensa_cvss *c)
{
	score(c, true);
}

const struct ks_cvss_scheme ks_cvss_v30 = {
	.version = KENSA_CVSS_V30,
	.prefix = "CVSS:3.0/",
	.ordered = false,
	.metrics = metrics,
	.count = N_METRICS,
	.score = score30,
};

const struct ks_cvss_scheme ks_cvss_v31 = {
	.version = KENSA_CVSS_V31,
	.prefix = "CVSS:3.1/",
	.ordered = false,
	.metrics = metrics,
	.count = N_METRICS,
	.score = score31,
};
