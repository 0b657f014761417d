/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.h — the inside of struct kensa_report (internal), shared by the scan pipeline
 * (scan.c), the risk model (model.c), image checks (lib/checks/image.c) and the output
 * writers (lib/report/). Everything hangs off one arena freed by kensa_report_free().
 */
#ifndef KS_REPORT_H
#define KS_REPORT_H

#include <stdio.h>

#include "kensa/scan.h"
#include "match/match.h"
#include "util/json.h"

/* Runtime evidence read from profiles (profile_in.c). */
struct ks_inuse {
	const char *file, *how, *process;
};

struct ks_profiles {
	size_t n;			/* profiles read */
	struct ks_map by_purl;		/* purl → struct ks_inuse * */
	struct ks_map by_key;		/* "eco\nname\nversion" → struct ks_inuse * */
	const char *engines;		/* "ebpf", "proc", "ebpf+proc" */
	const char *started;
	double duration_s;
	uint64_t dropped;
	bool listening;			/* some workload listened on a socket */
	const char *listening_what;	/* "tcp 127.0.0.1:3000 (node)" */
	bool root;			/* some process ran as root */
	bool proc_engine;		/* short-lived opens may be missed */
};

struct ks_ignore {
	const char *id, *package, *reason, *expires;
	bool expired;
};

struct ks_vex_stmt {
	const char *vuln, *product, *status, *justification, *document;
};

struct ks_policy {
	const char *fail_on;		/* condition, or NULL */
	double epss_threshold;		/* NAN: not set */
	struct ks_ignore *ignores;
	size_t nignores;
	const char **vex_files;
	size_t nvex_files;
	const char **required_labels;
	size_t nrequired_labels;
	const char **check_fail;	/* check ids or severities that fail the policy */
	size_t ncheck_fail;
};

struct ks_upgrade {
	const struct kensa_package *pkg;
	const char *to;			/* smallest version fixing all its fixable findings */
	size_t fixes;			/* findings it fixes */
	size_t needs_action;		/* of which need action */
	const char *action;
};

struct kensa_report {
	struct ks_arena arena;
	const struct kensa_inventory *inv;
	struct kensa_finding *findings;
	size_t nfindings, capfindings;
	struct kensa_check *checks;
	size_t nchecks, capchecks;
	struct ks_upgrade *upgrades;
	size_t nupgrades;
	struct kensa_funnel funnel;
	size_t suppressed;
	struct ks_match_stats stats;
	struct ks_profiles profiles;
	struct ks_policy policy;
	struct ks_vex_stmt *vex;
	size_t nvex;
	double epss_threshold;
	bool critical_network;
	const char *criticality;	/* business scope of the target */
	const char *scope;		/* the scope entry that matched, or NULL */
	int32_t base_layers;		/* layers [0, base_layers) are the base image */
	const char *db_path;
	int64_t db_updated;
	char created[32];
	int64_t now;
	double elapsed_s;
};

/* profile_in.c */
int ks_profiles_read(struct kensa_report *r, const char *const *files, size_t n, struct kensa_err *err);
const struct ks_inuse *ks_profiles_lookup(const struct kensa_report *r, const struct kensa_package *p);

/* policy.c: policy file, scope file, VEX documents */
int ks_policy_read(struct kensa_report *r, const char *path, struct kensa_err *err);
int ks_scopes_apply(struct kensa_report *r, const char *path, struct kensa_err *err);
int ks_vex_read(struct kensa_report *r, const char *path, struct kensa_err *err);
/* Suppress findings per policy ignores (not expired) and VEX statements. */
void ks_policy_suppress(struct kensa_report *r);

/* model.c: risk score, tier, needs-action rule, reasons, actions, funnel, upgrades */
int ks_model_apply(struct kensa_report *r, struct kensa_err *err);

/* lib/checks/image.c */
int ks_checks_run(struct kensa_report *r, struct kensa_err *err);
/* Layers [0, n) taken as the base image (see image.c). */
int32_t ks_checks_base_layers(const struct kensa_inventory *inv);
struct kensa_check *ks_report_add_check(struct kensa_report *r);

/* small helpers */
const char *ks_report_layer_words(const struct kensa_report *r, int32_t layer);
bool ks_report_layer_is_base(const struct kensa_report *r, int32_t layer);

/* lib/report/: the output writer table */
struct ks_report_format {
	const char *name;
	int (*write)(const struct kensa_report *r, const struct kensa_report_view *view,
		     bool (*shown)(const struct kensa_report *, const struct kensa_finding *, const void *),
		     const void *filter, FILE *out, struct kensa_err *err);
};

#endif
