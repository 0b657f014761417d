// SPDX-License-Identifier: Apache-2.0
/*
 * cvss2.c — CVSS v2.0 scores (base, temporal, environmental) with the equations of the
 * FIRST "Complete Guide to the CVSS Version 2" section 3.2. Some feeds carry only v2
 * vectors, so kensa scores them too.
 *
 * Rounding is round_to_1_decimal (half up) as in the guide and NVD's calculator. Metrics
 * must come in the guide's order (base, then temporal, then environmental); a group may
 * be partial (missing metrics are Not Defined). Not here: parsing (cvss.c).
 */
#include <math.h>

#include "risk/cvss.h"
#include "util/util.h"

enum { AV, AC, AU, C, I, A, E, RL, RC, CDP, TD, CR, IR, AR, N_METRICS };

/* Value lists in the order of the weight tables below; optional metrics start with ND. */
static const struct ks_cvss_metric metrics[N_METRICS] = {
	[AV] = { "AV", { "L", "A", "N" }, true },
	[AC] = { "AC", { "H", "M", "L" }, true },
	[AU] = { "Au", { "M", "S", "N" }, true },
	[C] = { "C", { "N", "P", "C" }, true },
	[I] = { "I", { "N", "P", "C" }, true },
	[A] = { "A", { "N", "P", "C" }, true },
	[E] = { "E", { "ND", "U", "POC", "F", "H" }, false },
	[RL] = { "RL", { "ND", "OF", "TF", "W", "U" }, false },
	[RC] = { "RC", { "ND", "UC", "UR", "C" }, false },
	[CDP] = { "CDP", { "ND", "N", "L", "LM", "MH", "H" }, false },
	[TD] = { "TD", { "ND", "N", "L", "M", "H" }, false },
	[CR] = { "CR", { "ND", "L", "M", "H" }, false },
	[IR] = { "IR", { "ND", "L", "M", "H" }, false },
	[AR] = { "AR", { "ND", "L", "M", "H" }, false },
};

static const double w_av[] = { 0.395, 0.646, 1.0 };		/* L A N */
static const double w_ac[] = { 0.35, 0.61, 0.71 };		/* H M L */
static const double w_au[] = { 0.45, 0.56, 0.704 };		/* M S N */
static const double w_cia[] = { 0.0, 0.275, 0.660 };		/* N P C */
static const double w_e[] = { 1.0, 0.85, 0.9, 0.95, 1.0 };	/* ND U POC F H */
static const double w_rl[] = { 1.0, 0.87, 0.90, 0.95, 1.0 };	/* ND OF TF W U */
static const double w_rc[] = { 1.0, 0.90, 0.95, 1.0 };		/* ND UC UR C */
static const double w_cdp[] = { 0, 0, 0.1, 0.3, 0.4, 0.5 };	/* ND N L LM MH H */
static const double w_td[] = { 1.0, 0, 0.25, 0.75, 1.0 };	/* ND N L M H */
static const double w_req[] = { 1.0, 0.5, 1.0, 1.51 };		/* ND L M H */

/* BaseScore = round_to_1_decimal(((0.6 * Impact) + (0.4 * Exploitability) - 1.5) * f(Impact)) */
static double base_equation(const struct kensa_cvss *c, double impact)
{
	double expl = 20 * w_av[ks_cvss_val(c, AV)] * w_ac[ks_cvss_val(c, AC)] *
		      w_au[ks_cvss_val(c, AU)];
	double f = impact == 0 ? 0 : 1.176;

	return ks_cvss_round1(((0.6 * impact) + (0.4 * expl) - 1.5) * f);
}

static double temporal_equation(const struct kensa_cvss *c, double base)
{
	return ks_cvss_round1(base * w_e[ks_cvss_val(c, E)] * w_rl[ks_cvss_val(c, RL)] *
			      w_rc[ks_cvss_val(c, RC)]);
}

static void score(struct kensa_cvss *c)
{
	static const char av[] = "LAN", ac[] = "HML", au[] = "HLN", cia[] = "NLH";
	double wc = w_cia[ks_cvss_val(c, C)], wi = w_cia[ks_cvss_val(c, I)];
	double wa = w_cia[ks_cvss_val(c, A)];
	double impact = 10.41 * (1 - (1 - wc) * (1 - wi) * (1 - wa));
	bool has_temporal = false, has_env = false;

	c->base_score = base_equation(c, impact);
	c->score = c->base_score;
	for (unsigned m = E; m <= RC; m++)
		has_temporal |= ks_cvss_defined(c, m);
	for (unsigned m = CDP; m <= AR; m++)
		has_env |= ks_cvss_defined(c, m);
	if (has_env) {
		double adj_impact = fmin(10, 10.41 * (1 - (1 - wc * w_req[ks_cvss_val(c, CR)]) *
						    (1 - wi * w_req[ks_cvss_val(c, IR)]) *
						    (1 - wa * w_req[ks_cvss_val(c, AR)])));
		double adj_temporal = temporal_equation(c, base_equation(c, adj_impact));

		double cdp = w_cdp[ks_cvss_val(c, CDP)], td = w_td[ks_cvss_val(c, TD)];

		c->score = ks_cvss_round1((adj_temporal + (10 - adj_temporal) * cdp) * td);
	} else if (has_temporal) {
		c->score = temporal_equation(c, c->base_score);
	}

	c->attack_vector = av[ks_cvss_val(c, AV)];
	c->attack_complexity = ac[ks_cvss_val(c, AC)];
	c->privileges_required = au[ks_cvss_val(c, AU)];
	c->confidentiality = cia[ks_cvss_val(c, C)];
	c->integrity = cia[ks_cvss_val(c, I)];
	c->availability = cia[ks_cvss_val(c, A)];
}

const struct ks_cvss_scheme ks_cvss_v2 = {
	.version = KENSA_CVSS_V2,
	.prefix = "",
	.ordered = true,
	.metrics = metrics,
	.count = N_METRICS,
	.score = score,
};
