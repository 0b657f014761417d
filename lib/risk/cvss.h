/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cvss.h — what the CVSS parser (cvss.c) shares with the per-version scorers (cvss2.c,
 * cvss3.c, cvss4.c): one table per version listing its metrics and their allowed values in
 * the specification's order, and the scoring function that reads them.
 *
 * Internal only. A metric's value is stored in kensa_cvss.metric[] as 1 + its index in the
 * metric's value list, 0 when absent. Optional metrics list their not-defined value ("X",
 * "ND") first, so ks_cvss_val() gives 0 for both "absent" and "not defined".
 */
#ifndef KS_RISK_CVSS_H
#define KS_RISK_CVSS_H

#include <stdbool.h>

#include "kensa/cvss.h"

#define KS_CVSS_VALUES_MAX 6

struct ks_cvss_metric {
	const char *key;			/* "AV" */
	const char *values[KS_CVSS_VALUES_MAX];	/* allowed values, NULL-terminated when shorter */
	bool mandatory;
};

struct ks_cvss_scheme {
	int version;				/* enum kensa_cvss_version */
	const char *prefix;			/* "CVSS:3.1/"; "" for v2 */
	bool ordered;				/* metrics must follow the table's order */
	const struct ks_cvss_metric *metrics;
	unsigned count;
	/* Fill base_score, score and the convenience fields from c->metric[] (all mandatory
	 * metrics are present, every value is in range). */
	void (*score)(struct kensa_cvss *c);
};

extern const struct ks_cvss_scheme ks_cvss_v2;
extern const struct ks_cvss_scheme ks_cvss_v30;
extern const struct ks_cvss_scheme ks_cvss_v31;
extern const struct ks_cvss_scheme ks_cvss_v40;

/* Index of metric i's value in its value list (0 when absent or not defined, see above). */
static inline unsigned ks_cvss_val(const struct kensa_cvss *c, unsigned i)
{
	return c->metric[i] ? (unsigned)c->metric[i] - 1 : 0;
}

/* Is optional metric i given a value other than its not-defined one? */
static inline bool ks_cvss_defined(const struct kensa_cvss *c, unsigned i)
{
	return c->metric[i] > 1;
}

/*
 * round_to_1_decimal of v2 and v4.0: half up, as on the exact value. Doubles carry noise
 * (8.6 - 7.15 gives 1.4499999999999993), so a value less than KS_CVSS_EPSILON below a
 * half counts as the half; exact scores never come that close to a half without being
 * one (tests/cli/cvss-reference.py checks against exact rational arithmetic).
 */
#define KS_CVSS_EPSILON 1e-9
double ks_cvss_round1(double x);

#endif
