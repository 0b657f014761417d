/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan.h — findings with their evidence, the risk engine, and the report that every output
 * format renders.
 *
 * kensa_scan_run() takes an inventory, a vulnerability database and optional runtime
 * profiles, and produces a report: one finding per (advisory, installed package), each with
 * the evidence (severity from a CVSS vector computed by kensa, exploitation: KEV / EPSS /
 * SSVC, fix, in use at runtime, exposure, business scope), a risk score and tier, whether it
 * "needs action" and why, and what to do about it; plus the funnel (N findings → fixable →
 * exploitable → in use → needs action) and the image checks. Everything in a report is owned
 * by it (kensa_report_free); the inventory must outlive the report.
 */
#ifndef KENSA_SCAN_H
#define KENSA_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kensa/inventory.h"

#ifdef __cplusplus
extern "C" {
#endif

enum kensa_in_use {
	KENSA_IN_USE_UNKNOWN = 0,	/* no profile covers this package: never read as "not in use" */
	KENSA_IN_USE_YES,
	KENSA_IN_USE_NO,
};

struct kensa_cvss_used {
	double score;			/* base score computed by kensa from `vector` */
	const char *vector;
	const char *version;		/* "2.0", "3.0", "3.1", "4.0" */
	const char *source;		/* who gave the vector: "nvd", "cna", "adp:CISA-ADP", "osv:GHSA-…" */
	const char *why;		/* why this vector was chosen over others */
	const char *severity;		/* "NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL" */
	char attack_vector;		/* 'N', 'A', 'L', 'P' */
	char privileges_required;	/* 'N', 'L', 'H' */
	char user_interaction;		/* 'N', 'R' (v3) / 'N', 'P', 'A' (v4) */
};

struct kensa_finding {
	const char *id;			/* the advisory record matched ("DEBIAN-DERIVED-…", "GHSA-…") */
	const char *cve;		/* its CVE alias, if any */
	const char *const *aliases;
	size_t naliases;
	const char *summary;
	const struct kensa_package *pkg;	/* the installed package, as the inventory knows it */
	const char *match_ecosystem;	/* ecosystem the record was matched in ("Debian:12", "npm") */
	const char *match_name;		/* name matched (the source package for distros) */
	const char *match_version;	/* version compared */
	const char *via;		/* which identity matched, in words */
	const char *range;		/* the range that contains the version, in words */
	const char *range_vers;		/* the same range as a purl vers range ("vers:npm/>=1.0.0|<1.2.6"),
					   or NULL */
	const char *const *fixed_versions;
	size_t nfixed;
	const char *fix_status;		/* "fixed", "no fix", or a distro status ("will not fix") */

	bool has_cvss;
	struct kensa_cvss_used cvss;
	const char *severity;		/* CVSS severity, else the feed's, else "UNKNOWN" */

	bool kev;
	const char *kev_date_added;
	bool kev_ransomware;
	double epss;			/* NAN when the feed has no score */
	double epss_percentile;
	const char *ssvc_exploitation;	/* "none", "poc", "active", or NULL */

	enum kensa_in_use in_use;
	const char *in_use_file;	/* a file of the package seen at runtime */
	const char *in_use_how;		/* "exec", "open", "mmap" */
	const char *in_use_process;	/* "node[1234]" */
	const char *in_use_evidence;	/* words: which profile, engine, window */

	bool fixable;
	bool exploitable;		/* KEV, EPSS ≥ threshold, or SSVC active/poc */
	bool network;			/* attack vector network */
	bool listening;			/* the workload listens on a socket (profile) */
	bool root;			/* runs as root (image config User or profile) */
	const char *criticality;	/* business scope: "critical", "high", "medium", "low" */

	double risk;			/* 0 – 100 */
	const char *tier;		/* "critical", "high", "medium", "low" */
	bool needs_action;
	const char *const *reasons;	/* the evidence, in words */
	size_t nreasons;
	const char *action;		/* what to do, in the user's terms */
	int32_t layer;			/* layer that brought the package in, -1 unknown */

	bool suppressed;		/* ignored by policy or VEX */
	const char *suppressed_by;	/* "policy: <reason> (until 2026-12-31)" or "vex: not_affected …" */

	const char *details;		/* the matched record's long description, or NULL */
	const char *const *cwes;	/* weaknesses of the alias group ("CWE-79"), unique */
	size_t ncwes;
};

/* An image check (runs as root, secrets, no healthcheck, …). */
struct kensa_check {
	const char *id;			/* "root-user", "secret", "no-healthcheck", "latest-tag", … */
	const char *title;
	const char *severity;		/* "CRITICAL", "HIGH", "MEDIUM", "LOW" */
	const char *detail;		/* what was found (secrets redacted) */
	const char *fix;		/* how to fix it */
	const char *path;		/* file involved, or NULL */
	int32_t layer;			/* layer involved, -1 for the config */
};

struct kensa_funnel {
	size_t total, fixable, exploitable, in_use, needs_action;
};

struct kensa_report;

/* Thresholds and inputs of the risk engine (docs/risk.md). */
struct kensa_scan_opts {
	double epss_threshold;		/* exploitable when EPSS ≥ this (default 0.1) */
	bool critical_network_needs_action; /* CVSS ≥ 9 and network-reachable counts like exploited */
	const char *const *profiles;	/* runtime profile JSON files (kensa profile output) */
	size_t nprofiles;
	const char *scopes_file;	/* YAML: patterns → criticality */
	const char *policy_file;	/* YAML policy: conditions, ignores, VEX files, required labels */
	const char *const *vex_files;
	size_t nvex;
	int64_t now;			/* "today" for ignore expiry (0 = the clock) */
};
#define KENSA_SCAN_OPTS_INIT { 0.1, true, NULL, 0, NULL, NULL, NULL, 0, 0 }

struct kensa_db;

/*
 * Match inv against db and build the report. inv and db are borrowed for the call; the
 * report keeps a pointer to inv (it must outlive the report). *out is owned by the caller.
 */
KENSA_API int kensa_scan_run(const struct kensa_inventory *inv, struct kensa_db *db,
			     const struct kensa_scan_opts *opts, struct kensa_report **out,
			     struct kensa_err *err);
KENSA_API void kensa_report_free(struct kensa_report *r);

/*
 * Accessors; borrowed until kensa_report_free(). Findings come in the order a reader should
 * take them: those that need action first, then by risk (highest first); suppressed ones last.
 */
KENSA_API const struct kensa_finding *kensa_report_findings(const struct kensa_report *r, size_t *n);
KENSA_API const struct kensa_check *kensa_report_checks(const struct kensa_report *r, size_t *n);
KENSA_API const struct kensa_funnel *kensa_report_funnel(const struct kensa_report *r);
KENSA_API const struct kensa_inventory *kensa_report_inventory(const struct kensa_report *r);

/*
 * Output formats, NULL-terminated ("table", "json", "sarif", "cyclonedx", "junit", "html",
 * "openvex"), borrowed forever.
 */
KENSA_API const char *const *kensa_report_formats(void);

struct kensa_report_view {
	const char *filter;		/* condition (policy language) selecting the findings shown;
					   NULL: all. The funnel always counts every finding. */
	bool color;			/* table: ANSI colours */
	unsigned width;			/* table: terminal width, 0 = 100 */
};
#define KENSA_REPORT_VIEW_INIT { NULL, false, 0 }

KENSA_API int kensa_report_write(const struct kensa_report *r, const char *format,
				 const struct kensa_report_view *view, FILE *out, struct kensa_err *err);

/*
 * Apply a policy condition (NULL: the policy file's fail_on, if any): *failed (OUT) is true
 * when a finding that is not suppressed matches `condition` ("needs_action", "kev or severity >= critical" …, docs/policy.md) or,
 * when the policy file asks for it, an image check of the listed ids or severities fails.
 * *nfailing (OUT, may be NULL) counts the matching findings.
 */
KENSA_API int kensa_report_policy(const struct kensa_report *r, const char *condition, bool *failed,
				  size_t *nfailing, struct kensa_err *err);

#ifdef __cplusplus
}
#endif
#endif
