/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cvss.h — CVSS vector parsing and scoring: v2.0, v3.0, v3.1 and v4.0.
 *
 * kensa scores vectors itself instead of trusting the number stored beside them in a feed:
 * kensa_cvss_parse() checks a vector strictly against its specification (prefix, every
 * mandatory metric exactly once, known values only, v2/v4 metrics in the specification's
 * order) and computes its scores with the specification's own arithmetic (v3.1's
 * floating-point-safe Roundup, v3.0's naive one, v4.0's macro-vector interpolation). A
 * vector is untrusted input: any string is accepted and either parsed or refused with
 * KENSA_EFORMAT and a message naming it.
 *
 * Not here: choosing which of several vectors of a CVE to believe, or ranking findings;
 * that is the risk engine's job. See docs/cvss.md for the rules and the test sources.
 */
#ifndef KENSA_CVSS_H
#define KENSA_CVSS_H

#include <stdbool.h>
#include <stddef.h>

#include "kensa/error.h"

#ifdef __cplusplus
extern "C" {
#endif

enum kensa_cvss_version {
	KENSA_CVSS_V2 = 2,	/* "AV:N/AC:L/Au:N/C:P/I:P/A:P", optionally in parentheses */
	KENSA_CVSS_V30 = 30,	/* "CVSS:3.0/..." */
	KENSA_CVSS_V31 = 31,	/* "CVSS:3.1/..." */
	KENSA_CVSS_V40 = 40,	/* "CVSS:4.0/..." */
};

/* Most metrics of one vector (v4.0 has 32: 11 base, 1 threat, 14 environmental, 6 supplemental). */
#define KENSA_CVSS_METRICS_MAX 32

/*
 * A parsed and scored vector: a small value type, no pointers to free (severity points to a
 * static string). The convenience fields are normalized across versions so the risk engine
 * need not know which version it looks at; anything else is read with kensa_cvss_metric().
 */
struct kensa_cvss {
	int version;			/* enum kensa_cvss_version */
	double base_score;		/* base score, 0.0–10.0, one decimal (v4.0: CVSS-B) */
	double score;			/* every metric group the vector carries applied: v2/v3 the
					 * environmental score when an environmental metric is set,
					 * else the temporal score; v4.0 CVSS-BT/BE/BTE; equal to
					 * base_score for a base-only vector */
	const char *severity;		/* rating of base_score: "NONE", "LOW", "MEDIUM", "HIGH",
					 * "CRITICAL" (v2 uses NVD's LOW/MEDIUM/HIGH), static */
	char attack_vector;		/* 'N' network, 'A' adjacent, 'L' local, 'P' physical */
	char attack_complexity;		/* 'L', 'H' (v2 also 'M') */
	char attack_requirements;	/* v4.0 'N', 'P'; 0 before v4.0 */
	char privileges_required;	/* 'N', 'L', 'H'; v2 from Au: N → 'N', S → 'L', M → 'H' */
	char user_interaction;		/* v3 'N', 'R'; v4.0 'N', 'P' passive, 'A' active; v2 0 */
	bool scope_changed;		/* v3 S:C; v4.0 any subsequent-system impact (SC/SI/SA
					 * not N); v2 false */
	char confidentiality;		/* 'H', 'L', 'N' impact on the vulnerable system */
	char integrity;			/* (v2 C → 'H', P → 'L', N → 'N') */
	char availability;
	/* Value of each metric, by the version's table: 0 absent, i + 1 the i-th allowed value.
	 * Private to the library: use kensa_cvss_metric() and kensa_cvss_format(). */
	unsigned char metric[KENSA_CVSS_METRICS_MAX];
};

#define KENSA_CVSS_INIT { 0 }

/*
 * Parse and score `vector` (NUL-terminated, at most 1024 bytes). On success fills *out and
 * returns 0; on failure returns KENSA_EFORMAT (err names the vector and what is wrong) and
 * leaves *out zeroed. v3 metrics may come in any order (the v3 specifications allow it);
 * v2 and v4.0 metrics must follow the order of their specification's table.
 */
KENSA_API int kensa_cvss_parse(const char *vector, struct kensa_cvss *out, struct kensa_err *err);

/*
 * Value of metric `key` ("AV", "E", "MSI", "Au", ...) as written in vectors ("N", "POC",
 * "Amber"), or NULL when the vector does not carry it or the version has no such metric.
 * Explicit not-defined values ("X", "ND") are returned as written. Static string.
 */
KENSA_API const char *kensa_cvss_metric(const struct kensa_cvss *c, const char *key);

/*
 * Write the canonical form of c into buf: the version prefix, then every metric the vector
 * carries in the specification's order, not-defined ones ("X", "ND") left out. Parsing the
 * result gives the same scores. Returns the length, or KENSA_ELIMIT when `size` is too
 * small (buf then holds a truncated, NUL-terminated prefix). 256 bytes always suffice.
 */
KENSA_API int kensa_cvss_format(const struct kensa_cvss *c, char *buf, size_t size);

/*
 * Qualitative rating of a score under `version`: "NONE" (0.0), "LOW", "MEDIUM", "HIGH",
 * "CRITICAL" for v3/v4.0; NVD's "LOW" (0.0–3.9), "MEDIUM", "HIGH" (7.0–10.0) for v2.
 * Static string; "UNKNOWN" for a score outside 0–10 or an unknown version.
 */
KENSA_API const char *kensa_cvss_severity(int version, double score);

#ifdef __cplusplus
}
#endif
#endif
