// SPDX-License-Identifier: Apache-2.0
/*
 * cvss4.c — CVSS v4.0 scores with the specification's macro-vector method (section 8):
 * the vector's effective metrics (environmental modifications applied, E, CR, IR, AR
 * defaulting to their worst case) fall into one MacroVector of six equivalence classes
 * EQ1–EQ6; its score comes from the specification's lookup table and is lowered by the
 * vector's mean proportional severity distance to the MacroVector's highest-severity
 * vectors, then rounded to one decimal.
 *
 * base_score is CVSS-B (threat and environmental metrics ignored); score is the same
 * computation with every metric the vector carries (CVSS-BT, -BE, -BTE). Supplemental
 * metrics are parsed and kept but, as the specification says, never change a score.
 * Arithmetic follows FIRST's reference calculator operation by operation (doubles, same
 * order of additions), so the results match it bit for bit before rounding.
 *
 * Not here: parsing (cvss.c).
 */
#include <math.h>

#include "risk/cvss.h"
#include "util/util.h"

enum {
	AV, AC, AT, PR, UI, VC, VI, VA, SC, SI, SA,		/* base */
	E,							/* threat */
	CR, IR, AR, MAV, MAC, MAT, MPR, MUI, MVC, MVI, MVA, MSC, MSI, MSA, /* environmental */
	S, AU, R, V, RE, U,					/* supplemental */
	N_METRICS
};

/* The specification's Table 23 order; optional metrics start with X. */
static const struct ks_cvss_metric metrics[N_METRICS] = {
	[AV] = { "AV", { "N", "A", "L", "P" }, true },
	[AC] = { "AC", { "L", "H" }, true },
	[AT] = { "AT", { "N", "P" }, true },
	[PR] = { "PR", { "N", "L", "H" }, true },
	[UI] = { "UI", { "N", "P", "A" }, true },
	[VC] = { "VC", { "H", "L", "N" }, true },
	[VI] = { "VI", { "H", "L", "N" }, true },
	[VA] = { "VA", { "H", "L", "N" }, true },
	[SC] = { "SC", { "H", "L", "N" }, true },
	[SI] = { "SI", { "H", "L", "N" }, true },
	[SA] = { "SA", { "H", "L", "N" }, true },
	[E] = { "E", { "X", "A", "P", "U" }, false },
	[CR] = { "CR", { "X", "H", "M", "L" }, false },
	[IR] = { "IR", { "X", "H", "M", "L" }, false },
	[AR] = { "AR", { "X", "H", "M", "L" }, false },
	[MAV] = { "MAV", { "X", "N", "A", "L", "P" }, false },
	[MAC] = { "MAC", { "X", "L", "H" }, false },
	[MAT] = { "MAT", { "X", "N", "P" }, false },
	[MPR] = { "MPR", { "X", "N", "L", "H" }, false },
	[MUI] = { "MUI", { "X", "N", "P", "A" }, false },
	[MVC] = { "MVC", { "X", "H", "L", "N" }, false },
	[MVI] = { "MVI", { "X", "H", "L", "N" }, false },
	[MVA] = { "MVA", { "X", "H", "L", "N" }, false },
	[MSC] = { "MSC", { "X", "H", "L", "N" }, false },
	[MSI] = { "MSI", { "X", "S", "H", "L", "N" }, false },
	[MSA] = { "MSA", { "X", "S", "H", "L", "N" }, false },
	[S] = { "S", { "X", "N", "P" }, false },
	[AU] = { "AU", { "X", "N", "Y" }, false },
	[R] = { "R", { "X", "A", "U", "I" }, false },
	[V] = { "V", { "X", "D", "C" }, false },
	[RE] = { "RE", { "X", "L", "M", "H" }, false },
	[U] = { "U", { "X", "Clear", "Green", "Amber", "Red" }, false },
};

#define NONE (-1.0)

/*
 * MacroVector scores, the specification's lookup table (FIRST calculator cvss_lookup.js;
 * tests/data/cvss/v40-macrovectors.tsv holds the same 270 values for the reference
 * implementation), indexed by EQ1..EQ6 as the digits of a mixed-radix number (3 2 3 3 3 2):
 * each line is one EQ1 EQ2 EQ3 prefix. NONE: EQ3=2 with EQ6=0 cannot happen.
 */
static const double macro_scores[3 * 2 * 3 * 3 * 3 * 2] = {
	/* 000... */ 10.0, 9.9, 9.8, 9.5, 9.5, 9.2, 10.0, 9.6, 9.3,
			8.7, 9.1, 8.1, 9.3, 9.0, 8.9, 8.0, 8.1, 6.8,
	/* 001... */ 9.8, 9.5, 9.5, 9.2, 9.0, 8.4, 9.3, 9.2, 8.9,
			8.1, 8.1, 6.5, 8.8, 8.0, 7.8, 7.0, 6.9, 4.8,
	/* 002... */ NONE, 9.2, NONE, 8.2, NONE, 7.2, NONE, 7.9, NONE,
			6.9, NONE, 5.0, NONE, 6.9, NONE, 5.5, NONE, 2.7,
	/* 010... */ 9.9, 9.7, 9.5, 9.2, 9.2, 8.5, 9.5, 9.1, 9.0,
			8.3, 8.4, 7.1, 9.2, 8.1, 8.2, 7.1, 7.2, 5.3,
	/* 011... */ 9.5, 9.3, 9.2, 8.5, 8.5, 7.3, 9.2, 8.2, 8.0,
			7.2, 7.0, 5.9, 8.4, 7.0, 7.1, 5.2, 5.0, 3.0,
	/* 012... */ NONE, 8.6, NONE, 7.5, NONE, 5.2, NONE, 7.1, NONE,
			5.2, NONE, 2.9, NONE, 6.3, NONE, 2.9, NONE, 1.7,
	/* 100... */ 9.8, 9.5, 9.4, 8.7, 9.1, 8.1, 9.4, 8.9, 8.6,
			7.4, 7.7, 6.4, 8.7, 7.5, 7.4, 6.3, 6.3, 4.9,
	/* 101... */ 9.4, 8.9, 8.8, 7.7, 7.6, 6.7, 8.6, 7.6, 7.4,
			5.8, 5.9, 5.0, 7.2, 5.7, 5.7, 5.2, 5.2, 2.5,
	/* 102... */ NONE, 8.3, NONE, 7.0, NONE, 5.4, NONE, 6.5, NONE,
			5.8, NONE, 2.6, NONE, 5.3, NONE, 2.1, NONE, 1.3,
	/* 110... */ 9.5, 9.0, 8.8, 7.6, 7.6, 7.0, 9.0, 7.7, 7.5,
			6.2, 6.1, 5.3, 7.7, 6.6, 6.8, 5.9, 5.2, 3.0,
	/* 111... */ 8.9, 7.8, 7.6, 6.7, 6.2, 5.8, 7.4, 5.9, 5.7,
			5.7, 4.7, 2.3, 6.1, 5.2, 5.7, 2.9, 2.4, 1.6,
	/* 112... */ NONE, 7.1, NONE, 5.9, NONE, 3.0, NONE, 5.8, NONE,
			2.6, NONE, 1.5, NONE, 2.3, NONE, 1.3, NONE, 0.6,
	/* 200... */ 9.3, 8.7, 8.6, 7.2, 7.5, 5.8, 8.6, 7.4, 7.4,
			6.1, 5.6, 3.4, 7.0, 5.4, 5.2, 4.0, 4.0, 2.2,
	/* 201... */ 8.5, 7.5, 7.4, 5.5, 6.2, 5.1, 7.2, 5.7, 5.5,
			4.1, 4.6, 1.9, 5.3, 3.6, 3.4, 1.9, 1.9, 0.8,
	/* 202... */ NONE, 6.4, NONE, 5.1, NONE, 2.0, NONE, 4.7, NONE,
			2.1, NONE, 1.1, NONE, 2.4, NONE, 0.9, NONE, 0.4,
	/* 210... */ 8.8, 7.5, 7.3, 5.3, 6.0, 5.0, 7.3, 5.5, 5.9,
			4.0, 4.1, 2.0, 5.4, 4.3, 4.5, 2.2, 2.0, 1.1,
	/* 211... */ 7.5, 5.5, 5.8, 4.5, 4.0, 2.1, 6.1, 5.1, 4.8,
			1.8, 2.0, 0.9, 4.6, 1.8, 1.7, 0.7, 0.8, 0.2,
	/* 212... */ NONE, 5.3, NONE, 2.4, NONE, 1.4, NONE, 2.4, NONE,
			1.2, NONE, 0.5, NONE, 1.0, NONE, 0.3, NONE, 0.1,
};

/*
 * The metrics scoring reads, in FIRST's severity-distance order, with their effective
 * values as letters (modifications applied).
 */
enum {
	D_AV, D_PR, D_UI, D_AC, D_AT, D_VC, D_VI, D_VA, D_SC, D_SI, D_SA, D_CR, D_IR, D_AR, D_E,
	N_D
};

/* Severity level of a value (tenths), by metric; the levels of the specification's scoring. */
static double level(unsigned d, char v)
{
	switch (d) {
	case D_AV: return v == 'N' ? 0.0 : v == 'A' ? 0.1 : v == 'L' ? 0.2 : 0.3;
	case D_PR: return v == 'N' ? 0.0 : v == 'L' ? 0.1 : 0.2;
	case D_UI: return v == 'N' ? 0.0 : v == 'P' ? 0.1 : 0.2;
	case D_AC: return v == 'L' ? 0.0 : 0.1;
	case D_AT: return v == 'N' ? 0.0 : 0.1;
	case D_VC: case D_VI: case D_VA: return v == 'H' ? 0.0 : v == 'L' ? 0.1 : 0.2;
	case D_SC: return v == 'H' ? 0.1 : v == 'L' ? 0.2 : 0.3;
	case D_SI: case D_SA: return v == 'S' ? 0.0 : v == 'H' ? 0.1 : v == 'L' ? 0.2 : 0.3;
	case D_CR: case D_IR: case D_AR: return v == 'H' ? 0.0 : v == 'M' ? 0.1 : 0.2;
	default: return v == 'A' ? 0.0 : v == 'P' ? 0.1 : 0.2;	/* E */
	}
}

/*
 * Highest-severity vectors of each EQ level (specification section 8.2, FIRST calculator
 * max_composed.js): the values of the EQ's metrics, in the D_* order of those metrics.
 */
static const char *const max_eq1[3][3] = {	/* AV PR UI */
	{ "NNN" }, { "ANN", "NLN", "NNP" }, { "PNN", "ALP" },
};
static const char *const max_eq2[2][2] = {	/* AC AT */
	{ "LN" }, { "HN", "LP" },
};
static const char *const max_eq3eq6[3][2][5] = {	/* VC VI VA CR IR AR */
	{ { "HHHHHH" }, { "HHLMMH", "HHHMMM" } },
	{ { "LHHHHH", "HLHHHH" }, { "LHLHMH", "LHHHMM", "HLHMHM", "HLLMHH", "LLHHHM" } },
	{ { NULL }, { "LLLHHH" } },
};
static const char *const max_eq4[3] = { "HSS", "HHH", "LLL" };	/* SC SI SA */
static const char max_eq5[3] = { 'A', 'P', 'U' };		/* E */

/* Depth of each MacroVector level (max severity distance + 1), in tenths below. */
static const double depth_eq1[3] = { 1, 4, 5 };
static const double depth_eq2[2] = { 1, 2 };
static const double depth_eq3eq6[3][2] = { { 7, 6 }, { 8, 8 }, { NONE, 10 } };
static const double depth_eq4[3] = { 6, 5, 4 };

static double lookup(int e1, int e2, int e3, int e4, int e5, int e6)
{
	if (e1 > 2 || e2 > 1 || e3 > 2 || e4 > 2 || e5 > 2 || e6 > 1)
		return NAN;
	double v = macro_scores[((((e1 * 2 + e2) * 3 + e3) * 3 + e4) * 3 + e5) * 2 + e6];

	return v < 0 ? NAN : v;
}

/* Value letter of metric m; optional metrics give 'X' when absent. */
static char letter(const struct kensa_cvss *c, unsigned m)
{
	return c->metric[m] ? metrics[m].values[c->metric[m] - 1][0] : 'X';
}

/* Effective value: the modified metric when defined, else the base one. */
static char effective(const struct kensa_cvss *c, unsigned base, unsigned mod, bool with_env)
{
	char v = with_env ? letter(c, mod) : 'X';

	return v != 'X' ? v : letter(c, base);
}

static double score_of(const struct kensa_cvss *c, bool all)
{
	char v[N_D], msi = all ? letter(c, MSI) : 'X', msa = all ? letter(c, MSA) : 'X';
	int eq1, eq2, eq3, eq4, eq5, eq6;
	double d[N_D] = { 0 }, value, lower[5], dist[4], depth[4], norm = 0, mean = 0;
	const char *const *m1, *const *m2, *const *m3;
	unsigned n1, n2, n3, n_lower = 0;
	bool found = false;

	v[D_AV] = effective(c, AV, MAV, all);
	v[D_PR] = effective(c, PR, MPR, all);
	v[D_UI] = effective(c, UI, MUI, all);
	v[D_AC] = effective(c, AC, MAC, all);
	v[D_AT] = effective(c, AT, MAT, all);
	v[D_VC] = effective(c, VC, MVC, all);
	v[D_VI] = effective(c, VI, MVI, all);
	v[D_VA] = effective(c, VA, MVA, all);
	v[D_SC] = effective(c, SC, MSC, all);
	v[D_SI] = effective(c, SI, MSI, all);
	v[D_SA] = effective(c, SA, MSA, all);
	/* Not defined means the worst case: E Attacked, requirements High. */
	v[D_E] = all && letter(c, E) != 'X' ? letter(c, E) : 'A';
	v[D_CR] = all && letter(c, CR) != 'X' ? letter(c, CR) : 'H';
	v[D_IR] = all && letter(c, IR) != 'X' ? letter(c, IR) : 'H';
	v[D_AR] = all && letter(c, AR) != 'X' ? letter(c, AR) : 'H';

	/* No impact at all, on either system: 0 (section 8.2's exception). */
	if (v[D_VC] == 'N' && v[D_VI] == 'N' && v[D_VA] == 'N' && v[D_SC] == 'N' &&
	    v[D_SI] == 'N' && v[D_SA] == 'N')
		return 0.0;

	/* Equivalence classes (specification Table 24). */
	if (v[D_AV] == 'N' && v[D_PR] == 'N' && v[D_UI] == 'N')
		eq1 = 0;
	else if ((v[D_AV] == 'N' || v[D_PR] == 'N' || v[D_UI] == 'N') && v[D_AV] != 'P')
		eq1 = 1;
	else
		eq1 = 2;
	eq2 = v[D_AC] == 'L' && v[D_AT] == 'N' ? 0 : 1;
	if (v[D_VC] == 'H' && v[D_VI] == 'H')
		eq3 = 0;
	else if (v[D_VC] == 'H' || v[D_VI] == 'H' || v[D_VA] == 'H')
		eq3 = 1;
	else
		eq3 = 2;
	if (msi == 'S' || msa == 'S')
		eq4 = 0;
	else if (v[D_SC] == 'H' || v[D_SI] == 'H' || v[D_SA] == 'H')
		eq4 = 1;
	else
		eq4 = 2;
	eq5 = v[D_E] == 'A' ? 0 : v[D_E] == 'P' ? 1 : 2;
	eq6 = (v[D_CR] == 'H' && v[D_VC] == 'H') || (v[D_IR] == 'H' && v[D_VI] == 'H') ||
	      (v[D_AR] == 'H' && v[D_VA] == 'H') ? 0 : 1;
	value = lookup(eq1, eq2, eq3, eq4, eq5, eq6);

	/* Score of the next lower MacroVector of each EQ (NaN: there is none). EQ3 and EQ6
	 * move together: from 00 either may step, the higher-scored step counts. */
	lower[0] = lookup(eq1 + 1, eq2, eq3, eq4, eq5, eq6);
	lower[1] = lookup(eq1, eq2 + 1, eq3, eq4, eq5, eq6);
	if (eq3 == 0 && eq6 == 0) {
		double l = lookup(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
		double r = lookup(eq1, eq2, eq3 + 1, eq4, eq5, eq6);

		lower[2] = isnan(l) || isnan(r) ? NAN : l > r ? l : r;
	} else if (eq3 == 1 && eq6 == 0) {
		lower[2] = lookup(eq1, eq2, eq3, eq4, eq5, eq6 + 1);
	} else if (eq3 == 2) {
		lower[2] = NAN;		/* 21 → 32 does not exist */
	} else {
		lower[2] = lookup(eq1, eq2, eq3 + 1, eq4, eq5, eq6);	/* 01 → 11, 11 → 21 */
	}
	lower[3] = lookup(eq1, eq2, eq3, eq4 + 1, eq5, eq6);
	lower[4] = lookup(eq1, eq2, eq3, eq4, eq5 + 1, eq6);

	/* Severity distances to the first highest-severity vector of the MacroVector that is
	 * at least as severe as ours in every metric (the last one tried when none is). */
	m1 = max_eq1[eq1];
	m2 = max_eq2[eq2];
	m3 = max_eq3eq6[eq3][eq6];
	for (n1 = 0; n1 < 3 && m1[n1] && !found; n1++) {
		for (n2 = 0; n2 < 2 && m2[n2] && !found; n2++) {
			for (n3 = 0; n3 < 5 && m3[n3] && !found; n3++) {
				char mx[N_D];

				memcpy(mx + D_AV, m1[n1], 3);
				memcpy(mx + D_AC, m2[n2], 2);
				mx[D_VC] = m3[n3][0];
				mx[D_VI] = m3[n3][1];
				mx[D_VA] = m3[n3][2];
				mx[D_CR] = m3[n3][3];
				mx[D_IR] = m3[n3][4];
				mx[D_AR] = m3[n3][5];
				memcpy(mx + D_SC, max_eq4[eq4], 3);
				mx[D_E] = max_eq5[eq5];
				found = true;
				for (unsigned k = 0; k < N_D; k++) {
					d[k] = level(k, v[k]) - level(k, mx[k]);
					found &= d[k] >= 0;
				}
			}
		}
	}
	dist[0] = d[D_AV] + d[D_PR] + d[D_UI];
	dist[1] = d[D_AC] + d[D_AT];
	dist[2] = d[D_VC] + d[D_VI] + d[D_VA] + d[D_CR] + d[D_IR] + d[D_AR];
	dist[3] = d[D_SC] + d[D_SI] + d[D_SA];
	depth[0] = depth_eq1[eq1] * 0.1;
	depth[1] = depth_eq2[eq2] * 0.1;
	depth[2] = depth_eq3eq6[eq3][eq6] * 0.1;
	depth[3] = depth_eq4[eq4] * 0.1;

	/* Each EQ that has a lower MacroVector moves the score down by the available
	 * distance times the proportion of the depth already used; EQ5 always by 0. */
	for (unsigned k = 0; k < 5; k++) {
		double available = value - lower[k];

		if (isnan(available))
			continue;
		n_lower++;
		norm += k < 4 ? available * (dist[k] / depth[k]) : available * 0;
	}
	if (n_lower)
		mean = norm / n_lower;
	value -= mean;
	/* Half up on the exact value (8.549999999999999 is 8.55 → 8.6), see ks_cvss_round1. */
	return ks_cvss_round1(value < 0 ? 0 : value > 10 ? 10 : value);
}

static void score(struct kensa_cvss *c)
{
	static const char av[] = "NALP", lh[] = "LH", np[] = "NP", nlh[] = "NLH", npa[] = "NPA",
			  hln[] = "HLN";

	c->base_score = score_of(c, false);
	c->score = score_of(c, true);
	c->attack_vector = av[ks_cvss_val(c, AV)];
	c->attack_complexity = lh[ks_cvss_val(c, AC)];
	c->attack_requirements = np[ks_cvss_val(c, AT)];
	c->privileges_required = nlh[ks_cvss_val(c, PR)];
	c->user_interaction = npa[ks_cvss_val(c, UI)];
	c->confidentiality = hln[ks_cvss_val(c, VC)];
	c->integrity = hln[ks_cvss_val(c, VI)];
	c->availability = hln[ks_cvss_val(c, VA)];
	c->scope_changed = hln[ks_cvss_val(c, SC)] != 'N' || hln[ks_cvss_val(c, SI)] != 'N' ||
			   hln[ks_cvss_val(c, SA)] != 'N';
}

const struct ks_cvss_scheme ks_cvss_v40 = {
	.version = KENSA_CVSS_V40,
	.prefix = "CVSS:4.0/",
	.ordered = true,
	.metrics = metrics,
	.count = N_METRICS,
	.score = score,
};
