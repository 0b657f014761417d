// SPDX-License-Identifier: Apache-2.0
/*
 * scan.c — kensa_scan_run(): match an inventory, gather the evidence of every finding from
 * the database (aliases, CVSS vectors scored by kensa, KEV, EPSS, SSVC) and the runtime
 * profiles, apply policy/VEX/scopes, run the risk model and the image checks.
 *
 * The CVSS vector shown for a finding is chosen, not averaged (docs/risk.md): the matched
 * record's own vector first (it is about this package), then another feed record of the
 * same alias group (e.g. the GHSA for a CVE matched through Debian), then the CNA's vector
 * from the CVE record, then NVD, then the CISA ADP; within a source CVSS 3.1, 3.0, 4.0, 2.0
 * in that order, so scores stay comparable across findings. Every finding says which and why.
 */
#include <math.h>
#include <stdlib.h>
#include <strings.h>
#include <time.h>

#include "kensa/cvss.h"
#include "kensa/vulndb.h"
#include "report.h"
#include "sbom/inv.h"
#include "sbom/sbom.h"

/* ---------------------------------------------------------------- accessors */

const struct kensa_finding *kensa_report_findings(const struct kensa_report *r, size_t *n)
{
	*n = r->nfindings;
	return r->findings;
}

const struct kensa_check *kensa_report_checks(const struct kensa_report *r, size_t *n)
{
	*n = r->nchecks;
	return r->checks;
}

const struct kensa_funnel *kensa_report_funnel(const struct kensa_report *r) { return &r->funnel; }
const struct kensa_inventory *kensa_report_inventory(const struct kensa_report *r) { return r->inv; }

void kensa_report_free(struct kensa_report *r)
{
	if (!r)
		return;
	free(r->findings);
	free(r->checks);
	free(r->upgrades);
	free(r->vex);
	ks_map_release(&r->profiles.by_purl);
	ks_map_release(&r->profiles.by_key);
	ks_arena_release(&r->arena);
	free(r);
}

/* ---------------------------------------------------------------- evidence */

struct vector_pick {
	struct kensa_cvss cvss;
	const struct kensa_severity *sev;
	int rank;
};

/* Lower is better: where the vector comes from, then its CVSS version. */
static int vector_rank(const struct kensa_severity *s, const char *matched_id, int version)
{
	int src, ver;

	if (strcmp(s->provider, "osv") == 0 && strcmp(s->id, matched_id) == 0)
		src = 0;
	else if (strcmp(s->provider, "osv") == 0)
		src = 1;
	else if (strncmp(s->provider, "cve5:cna", 8) == 0)
		src = 2;
	else if (strncmp(s->provider, "nvd", 3) == 0)
		src = strstr(s->provider, "Primary") ? 3 : 4;
	else if (strncmp(s->provider, "cve5:adp", 8) == 0)
		src = 5;
	else
		src = 6;
	ver = version == KENSA_CVSS_V31 ? 0 : version == KENSA_CVSS_V30 ? 1 : version == KENSA_CVSS_V40 ? 2 : 3;
	return src * 10 + ver;
}

static const char *source_words(struct kensa_report *r, const struct kensa_severity *s, const char *matched_id)
{
	if (strcmp(s->provider, "osv") == 0 && strcmp(s->id, matched_id) == 0)
		return ks_arena_printf(&r->arena, "the matched advisory %s gives this vector for the package", s->id);
	if (strcmp(s->provider, "osv") == 0)
		return ks_arena_printf(&r->arena, "no vector on the matched record; %s, about the same "
					      "vulnerability, gives it", s->id);
	if (strncmp(s->provider, "cve5:cna", 8) == 0)
		return ks_arena_printf(&r->arena, "no package-specific vector; the CNA (%s) scored %s", s->provider + 9,
				       s->id);
	if (strncmp(s->provider, "nvd", 3) == 0)
		return ks_arena_printf(&r->arena, "no package or CNA vector; NVD scored %s", s->id);
	if (strncmp(s->provider, "cve5:adp", 8) == 0)
		return ks_arena_printf(&r->arena, "no package, CNA or NVD vector; the CISA ADP scored %s", s->id);
	return ks_arena_printf(&r->arena, "the only vector known for %s (%s)", s->id, s->provider);
}

static const char *version_text(int v)
{
	switch (v) {
	case KENSA_CVSS_V2: return "2.0";
	case KENSA_CVSS_V30: return "3.0";
	case KENSA_CVSS_V31: return "3.1";
	case KENSA_CVSS_V40: return "4.0";
	default: return "?";
	}
}

/* Severity word from a record's database_specific ("severity": "HIGH" in GHSA records). */
static const char *feed_severity(struct kensa_report *r, const struct kensa_advisory *adv)
{
	for (size_t i = 0; i < adv->nrecords; i++) {
		cJSON *ds;
		const char *sv;
		const char *out = NULL;

		if (!adv->records[i].database_specific)
			continue;
		ds = cJSON_Parse(adv->records[i].database_specific);
		sv = ks_json_str(ds, "severity");
		if (sv) {
			static const char *const known[] = { "LOW", "MEDIUM", "MODERATE", "HIGH", "CRITICAL" };

			for (size_t k = 0; k < KS_ARRAY_SIZE(known); k++)
				if (strcasecmp(sv, known[k]) == 0)
					out = k == 2 ? "MEDIUM" : known[k];
		}
		cJSON_Delete(ds);
		if (out)
			return out;
	}
	(void)r;
	return NULL;
}

static void evidence_from(struct kensa_report *r, struct kensa_finding *f, const struct kensa_advisory *adv)
{
	struct vector_pick best = { .rank = 1000 };
	const char **aliases;
	size_t na = 0;

	/* aliases: every other id of the group */
	aliases = ks_arena_alloc(&r->arena, (adv->nids + 1) * sizeof(*aliases));
	for (size_t i = 0; aliases && i < adv->nids; i++) {
		if (strcmp(adv->ids[i], f->id) == 0)
			continue;
		aliases[na++] = ks_arena_strdup(&r->arena, adv->ids[i]);
		if (!f->cve && strncmp(adv->ids[i], "CVE-", 4) == 0)
			f->cve = aliases[na - 1];
	}
	if (!f->cve && strncmp(f->id, "CVE-", 4) == 0)
		f->cve = f->id;
	f->aliases = aliases;
	f->naliases = na;
	for (size_t i = 0; i < adv->nrecords; i++) {
		if (adv->records[i].summary && (!f->summary || strcmp(adv->records[i].id, f->id) == 0))
			f->summary = ks_arena_strdup(&r->arena, adv->records[i].summary);
		if (adv->records[i].details && (!f->details || strcmp(adv->records[i].id, f->id) == 0))
			f->details = ks_arena_strdup(&r->arena, adv->records[i].details);
	}
	/* weaknesses: every CWE any provider names for the group, once each */
	if (adv->ncwes) {
		const char **cwes = ks_arena_alloc(&r->arena, adv->ncwes * sizeof(*cwes));
		size_t nc = 0;

		for (size_t i = 0; cwes && i < adv->ncwes; i++) {
			bool seen = false;

			if (!adv->cwes[i].cwe)
				continue;
			for (size_t k = 0; k < nc && !seen; k++)
				seen = strcmp(cwes[k], adv->cwes[i].cwe) == 0;
			if (!seen)
				cwes[nc++] = ks_arena_strdup(&r->arena, adv->cwes[i].cwe);
		}
		f->cwes = cwes;
		f->ncwes = cwes ? nc : 0;
	}
	/* CVSS: choose (see the file comment) */
	for (size_t i = 0; i < adv->nseverities; i++) {
		const struct kensa_severity *s = &adv->severities[i];
		struct kensa_cvss c = KENSA_CVSS_INIT;
		int rank;

		if (!s->vector || kensa_cvss_parse(s->vector, &c, NULL) != 0)
			continue;
		rank = vector_rank(s, f->id, c.version);
		if (rank < best.rank) {
			best.rank = rank;
			best.cvss = c;
			best.sev = s;
		}
	}
	if (best.sev) {
		f->has_cvss = true;
		f->cvss.score = best.cvss.base_score;
		f->cvss.vector = ks_arena_strdup(&r->arena, best.sev->vector);
		f->cvss.version = version_text(best.cvss.version);
		f->cvss.source = ks_arena_strdup(&r->arena, best.sev->provider);
		f->cvss.why = source_words(r, best.sev, f->id);
		f->cvss.severity = best.cvss.severity;
		f->cvss.attack_vector = best.cvss.attack_vector;
		f->cvss.privileges_required = best.cvss.privileges_required;
		f->cvss.user_interaction = best.cvss.user_interaction;
		f->severity = best.cvss.severity;
		f->network = best.cvss.attack_vector == 'N';
	} else {
		const char *fs = feed_severity(r, adv);

		f->severity = fs ? fs : "UNKNOWN";
	}
	/* exploitation */
	for (size_t i = 0; i < adv->nkev; i++) {
		f->kev = true;
		if (adv->kev[i].date_added && (!f->kev_date_added || strcmp(adv->kev[i].date_added, f->kev_date_added) < 0))
			f->kev_date_added = ks_arena_strdup(&r->arena, adv->kev[i].date_added);
		if (adv->kev[i].ransomware && strcasecmp(adv->kev[i].ransomware, "Known") == 0)
			f->kev_ransomware = true;
	}
	for (size_t i = 0; i < adv->nepss; i++) {
		if (isnan(f->epss) || adv->epss[i].score > f->epss) {
			f->epss = adv->epss[i].score;
			f->epss_percentile = adv->epss[i].percentile;
		}
	}
	for (size_t i = 0; i < adv->nssvc; i++) {
		const char *e = adv->ssvc[i].exploitation;
		static const char *const order[] = { "none", "poc", "active" };
		int have = -1, got = -1;

		for (int k = 0; k < 3; k++) {
			if (f->ssvc_exploitation && strcmp(f->ssvc_exploitation, order[k]) == 0)
				have = k;
			if (e && strcasecmp(e, order[k]) == 0)
				got = k;
		}
		if (got > have)
			f->ssvc_exploitation = order[got];
	}
}

/* VEX statements the database holds about an advisory's group, kept once per advisory. */
static void keep_db_vex(struct kensa_report *r, const struct kensa_advisory *adv)
{
	for (size_t i = 0; i < adv->nvex; i++) {
		const struct kensa_vex *v = &adv->vex[i];
		struct ks_vex_stmt *s;
		void *grown = realloc(r->vex, (r->nvex + 1) * sizeof(*r->vex));

		if (!grown)
			break;
		r->vex = grown;
		s = &r->vex[r->nvex++];
		s->vuln = ks_arena_strdup(&r->arena, v->vulnerability);
		s->product = ks_arena_strdup(&r->arena, v->subcomponent ? v->subcomponent : v->product);
		s->status = ks_arena_strdup(&r->arena, v->status);
		s->justification = ks_arena_strdup(&r->arena, v->justification);
		s->document = ks_arena_strdup(&r->arena, v->document);
	}
}

/* ---------------------------------------------------------------- the run */

struct adv_cache {
	struct ks_map ids;		/* advisory id → index in advs */
	struct kensa_advisory **advs;
	size_t n, cap;
};

static const struct kensa_advisory *cached_advisory(struct kensa_report *r, struct adv_cache *ac,
						   struct kensa_db *db, const char *id)
{
	uint64_t v;
	struct kensa_advisory *adv = NULL;

	if (ks_map_gets(&ac->ids, id, &v))
		return ac->advs[v];
	if (kensa_db_advisory_get(db, id, &adv, NULL) != 0)
		adv = NULL;
	if (KS_GROW(ac->advs, ac->cap, ac->n + 1)) {
		kensa_db_advisory_free(adv);
		return NULL;
	}
	ac->advs[ac->n] = adv;
	if (ks_map_puts(&ac->ids, id, ac->n)) {
		kensa_db_advisory_free(adv);
		return NULL;
	}
	ac->n++;
	if (adv)
		keep_db_vex(r, adv);
	return adv;
}

static int64_t now_from(const struct kensa_scan_opts *o)
{
	return o->now ? o->now : (int64_t)time(NULL);
}

int kensa_scan_run(const struct kensa_inventory *inv, struct kensa_db *db, const struct kensa_scan_opts *opts,
		   struct kensa_report **out, struct kensa_err *err)
{
	struct kensa_scan_opts defaults = KENSA_SCAN_OPTS_INIT;
	struct kensa_report *r = NULL;
	struct ks_match *m = NULL;
	size_t nm = 0;
	struct adv_cache ac;
	uint64_t t0 = ks_now_ns();
	int result;

	memset(&ac, 0, sizeof(ac));
	*out = NULL;
	if (!opts)
		opts = &defaults;
	r = calloc(1, sizeof(*r));
	if (!r)
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	r->inv = inv;
	r->epss_threshold = opts->epss_threshold;
	r->critical_network = opts->critical_network_needs_action;
	r->now = now_from(opts);
	r->policy.epss_threshold = NAN;
	ks_sbom_timestamp(r->created);
	if (opts->policy_file) {
		result = ks_policy_read(r, opts->policy_file, err);
		if (result)
			goto out;
		if (!isnan(r->policy.epss_threshold))
			r->epss_threshold = r->policy.epss_threshold;
	}
	for (size_t i = 0; i < opts->nvex; i++) {
		result = ks_vex_read(r, opts->vex_files[i], err);
		if (result)
			goto out;
	}
	for (size_t i = 0; i < r->policy.nvex_files; i++) {
		result = ks_vex_read(r, r->policy.vex_files[i], err);
		if (result)
			goto out;
	}
	result = ks_scopes_apply(r, opts->scopes_file, err);
	if (result)
		goto out;
	result = ks_profiles_read(r, opts->profiles, opts->nprofiles, err);
	if (result)
		goto out;

	result = ks_match_inventory(db, inv, &r->arena, &m, &nm, &r->stats, err);
	if (result)
		goto out;
	r->findings = calloc(nm ? nm : 1, sizeof(*r->findings));
	if (!r->findings) {
		result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nm; i++) {
		struct kensa_finding *f = &r->findings[r->nfindings++];
		const struct kensa_package *p = kensa_inventory_package(inv, m[i].pkg);
		const struct kensa_advisory *adv;

		f->id = m[i].advisory;
		f->pkg = p;
		f->match_ecosystem = m[i].ecosystem;
		f->match_name = m[i].name;
		f->match_version = m[i].version;
		f->via = m[i].via;
		f->range = m[i].range;
		f->range_vers = m[i].vers;
		f->fixed_versions = m[i].fixed;
		f->nfixed = m[i].nfixed;
		f->fixable = m[i].nfixed > 0;
		f->fix_status = m[i].fix_status ? m[i].fix_status : f->fixable ? "fixed" : "no fix";
		f->epss = NAN;
		f->epss_percentile = NAN;
		f->layer = p->layer;
		adv = cached_advisory(r, &ac, db, f->id);
		if (adv)
			evidence_from(r, f, adv);
		else
			f->severity = "UNKNOWN";
	}
	ks_policy_suppress(r);
	r->base_layers = ks_checks_base_layers(inv);
	result = ks_model_apply(r, err);
	if (!result)
		result = ks_checks_run(r, err);
	if (result)
		goto out;
	r->elapsed_s = (double)(ks_now_ns() - t0) / 1e9;
	*out = r;
	r = NULL;
out:
	for (size_t i = 0; i < ac.n; i++)
		kensa_db_advisory_free(ac.advs[i]);
	free(ac.advs);
	ks_map_release(&ac.ids);
	free(m);
	kensa_report_free(r);
	return result;
}
