// SPDX-License-Identifier: Apache-2.0
/*
 * json.c — the scan report as JSON (format "json"): the stable contract other tools and the
 * tests read, described by docs/schemas/scan.schema.json. It keeps at least summary.funnel
 * {total, fixable, exploitable, in_use, needs_action} and findings[] with id, aliases,
 * package {ecosystem, name, version, purl}, fixed_versions, in_use, kev, epss, cvss, risk,
 * needs_action and reasons.
 */
#include <math.h>
#include <strings.h>

#include "kensa/kensa.h"
#include "common.h"
#include "risk/report.h"
#include "sbom/inv.h"
#include "util/json.h"

static const char *in_use_word(enum kensa_in_use u)
{
	return u == KENSA_IN_USE_YES ? "yes" : u == KENSA_IN_USE_NO ? "no" : "unknown";
}

static void char_field(struct ks_jw *w, const char *key, char c, const char *const *names)
{
	ks_jw_key(w, key);
	if (!c) {
		ks_jw_null(w);
		return;
	}
	for (size_t i = 0; names[i]; i += 2)
		if (names[i][0] == c) {
			ks_jw_str(w, names[i + 1]);
			return;
		}
	ks_jw_null(w);
}

static void write_finding(struct ks_jw *w, const struct kensa_report *r, const struct kensa_finding *f)
{
	static const char *const av[] = { "N", "network", "A", "adjacent", "L", "local", "P", "physical", NULL };
	static const char *const pr[] = { "N", "none", "L", "low", "H", "high", NULL };
	static const char *const ui[] = { "N", "none", "R", "required", "P", "passive", "A", "active", NULL };
	const struct kensa_package *p = f->pkg;

	ks_jw_obj(w);
	ks_jw_kstr(w, "id", f->id);
	ks_jw_kstr(w, "cve", f->cve);
	ks_jw_key(w, "aliases");
	ks_jw_arr(w);
	for (size_t i = 0; i < f->naliases; i++)
		ks_jw_str(w, f->aliases[i]);
	ks_jw_arr_end(w);
	ks_jw_kstr(w, "summary", f->summary);
	ks_jw_kstr(w, "details", f->details);
	ks_jw_key(w, "cwes");
	ks_jw_arr(w);
	for (size_t i = 0; i < f->ncwes; i++)
		ks_jw_str(w, f->cwes[i]);
	ks_jw_arr_end(w);
	ks_jw_key(w, "package");
	ks_jw_obj(w);
	ks_jw_kstr(w, "ecosystem", p->ecosystem);
	ks_jw_kstr(w, "name", p->name);
	ks_jw_kstr(w, "version", p->version);
	ks_jw_kstr(w, "purl", p->purl);
	ks_jw_kstr(w, "location", p->location);
	if (p->source_name) {
		ks_jw_key(w, "source");
		ks_jw_obj(w);
		ks_jw_kstr(w, "name", p->source_name);
		ks_jw_kstr(w, "version", p->source_version);
		ks_jw_obj_end(w);
	}
	ks_jw_key(w, "layer");
	if (p->layer >= 0) {
		size_t nl;
		const struct kensa_layer *l = kensa_inventory_layers(r->inv, &nl);

		ks_jw_obj(w);
		ks_jw_kint(w, "index", p->layer);
		ks_jw_kbool(w, "base", ks_report_layer_is_base(r, p->layer));
		if ((size_t)p->layer < nl) {
			ks_jw_kstr(w, "digest", l[p->layer].digest);
			ks_jw_kstr(w, "created_by", l[p->layer].created_by);
		}
		ks_jw_obj_end(w);
	} else {
		ks_jw_null(w);
	}
	ks_jw_obj_end(w);
	ks_jw_key(w, "matched");
	ks_jw_obj(w);
	ks_jw_kstr(w, "ecosystem", f->match_ecosystem);
	ks_jw_kstr(w, "name", f->match_name);
	ks_jw_kstr(w, "version", f->match_version);
	ks_jw_kstr(w, "via", f->via);
	ks_jw_kstr(w, "range", f->range);
	ks_jw_kstr(w, "range_vers", f->range_vers);
	ks_jw_obj_end(w);
	ks_jw_key(w, "fixed_versions");
	ks_jw_arr(w);
	for (size_t i = 0; i < f->nfixed; i++)
		ks_jw_str(w, f->fixed_versions[i]);
	ks_jw_arr_end(w);
	ks_jw_kstr(w, "fix_status", f->fix_status);
	ks_jw_kstr(w, "severity", f->severity);
	ks_jw_key(w, "cvss");
	if (f->has_cvss) {
		ks_jw_obj(w);
		ks_jw_key(w, "score");
		ks_jw_numf(w, f->cvss.score, 1);
		ks_jw_kstr(w, "vector", f->cvss.vector);
		ks_jw_kstr(w, "version", f->cvss.version);
		ks_jw_kstr(w, "source", f->cvss.source);
		ks_jw_kstr(w, "why", f->cvss.why);
		char_field(w, "attack_vector", f->cvss.attack_vector, av);
		char_field(w, "privileges_required", f->cvss.privileges_required, pr);
		char_field(w, "user_interaction", f->cvss.user_interaction, ui);
		ks_jw_obj_end(w);
	} else {
		ks_jw_null(w);
	}
	ks_jw_kbool(w, "kev", f->kev);
	ks_jw_kstr(w, "kev_date_added", f->kev_date_added);
	ks_jw_kbool(w, "kev_ransomware", f->kev_ransomware);
	ks_jw_key(w, "epss");
	if (isnan(f->epss))
		ks_jw_null(w);
	else
		ks_jw_num(w, f->epss);
	ks_jw_key(w, "epss_percentile");
	if (isnan(f->epss_percentile))
		ks_jw_null(w);
	else
		ks_jw_num(w, f->epss_percentile);
	ks_jw_kstr(w, "ssvc_exploitation", f->ssvc_exploitation);
	ks_jw_kstr(w, "in_use", in_use_word(f->in_use));
	ks_jw_key(w, "in_use_evidence");
	if (f->in_use_evidence) {
		ks_jw_obj(w);
		ks_jw_kstr(w, "detail", f->in_use_evidence);
		ks_jw_kstr(w, "file", f->in_use_file);
		ks_jw_kstr(w, "how", f->in_use_how);
		ks_jw_kstr(w, "process", f->in_use_process);
		ks_jw_obj_end(w);
	} else {
		ks_jw_null(w);
	}
	ks_jw_key(w, "exposure");
	ks_jw_obj(w);
	ks_jw_kbool(w, "network", f->network);
	ks_jw_kbool(w, "listening", f->listening);
	ks_jw_kbool(w, "root", f->root);
	ks_jw_obj_end(w);
	ks_jw_kstr(w, "criticality", f->criticality);
	ks_jw_kbool(w, "fixable", f->fixable);
	ks_jw_kbool(w, "exploitable", f->exploitable);
	ks_jw_key(w, "risk");
	ks_jw_obj(w);
	ks_jw_key(w, "score");
	ks_jw_numf(w, f->risk, 1);
	ks_jw_kstr(w, "tier", f->tier);
	ks_jw_obj_end(w);
	ks_jw_kbool(w, "needs_action", f->needs_action);
	ks_jw_key(w, "reasons");
	ks_jw_arr(w);
	for (size_t i = 0; i < f->nreasons; i++)
		ks_jw_str(w, f->reasons[i]);
	ks_jw_arr_end(w);
	ks_jw_kstr(w, "action", f->action);
	ks_jw_key(w, "suppressed");
	if (f->suppressed) {
		ks_jw_obj(w);
		ks_jw_kstr(w, "by", f->suppressed_by);
		ks_jw_obj_end(w);
	} else {
		ks_jw_null(w);
	}
	ks_jw_obj_end(w);
}

static int json_write(const struct kensa_report *r, const struct kensa_report_view *view,
		      bool (*shown)(const struct kensa_report *, const struct kensa_finding *, const void *),
		      const void *filter, FILE *out, struct kensa_err *err)
{
	const struct kensa_inventory *inv = r->inv;
	const struct kensa_image *img = kensa_inventory_image(inv);
	const struct kensa_os *os = kensa_inventory_os(inv);
	struct ks_jw w;
	size_t shown_n = 0;
	size_t sev[6] = { 0 };
	static const char *const sevs[] = { "critical", "high", "medium", "low", "none", "unknown" };
	int result;

	ks_jw_init(&w, out, true);
	ks_jw_obj(&w);
	ks_jw_kstr(&w, "$schema", "https://kensa.dev/schemas/scan-1.json");
	ks_jw_key(&w, "tool");
	ks_jw_obj(&w);
	ks_jw_kstr(&w, "name", "kensa");
	ks_jw_kstr(&w, "version", KENSA_VERSION);
	ks_jw_obj_end(&w);
	ks_jw_kstr(&w, "created", r->created);
	ks_jw_key(&w, "target");
	ks_jw_obj(&w);
	ks_jw_kstr(&w, "name", kensa_inventory_target(inv));
	ks_jw_kstr(&w, "kind", inv->target_kind);
	ks_jw_kstr(&w, "image", img ? img->name : NULL);
	ks_jw_kstr(&w, "image_id", img ? img->id : NULL);
	ks_jw_kstr(&w, "os", os->pretty_name ? os->pretty_name : os->id);
	ks_jw_kint(&w, "packages", (int64_t)kensa_inventory_count(inv));
	ks_jw_kint(&w, "base_layers", r->base_layers);
	ks_jw_kstr(&w, "criticality", r->criticality);
	ks_jw_kstr(&w, "scope", r->scope);
	ks_jw_obj_end(&w);
	ks_jw_key(&w, "profile");
	if (r->profiles.n) {
		ks_jw_obj(&w);
		ks_jw_kint(&w, "profiles", (int64_t)r->profiles.n);
		ks_jw_kstr(&w, "engines", r->profiles.engines);
		ks_jw_kstr(&w, "started", r->profiles.started);
		ks_jw_knum(&w, "duration_s", r->profiles.duration_s);
		ks_jw_kint(&w, "dropped_events", (int64_t)r->profiles.dropped);
		ks_jw_obj_end(&w);
	} else {
		ks_jw_null(&w);
	}
	ks_jw_key(&w, "settings");
	ks_jw_obj(&w);
	ks_jw_knum(&w, "epss_threshold", r->epss_threshold);
	ks_jw_kbool(&w, "critical_network_is_exploitable", r->critical_network);
	ks_jw_kstr(&w, "filter", view->filter);
	ks_jw_obj_end(&w);

	ks_report_severity_counts(r, sev);
	ks_jw_key(&w, "summary");
	ks_jw_obj(&w);
	ks_jw_key(&w, "funnel");
	ks_report_write_funnel(&w, r);
	ks_jw_key(&w, "reduction_percent");
	ks_jw_numf(&w, r->funnel.total ? 100.0 * (1.0 - (double)r->funnel.needs_action / (double)r->funnel.total) : 0, 1);
	ks_jw_key(&w, "severity");
	ks_jw_obj(&w);
	/* counts are by rank: [5] critical … [1] none, [0] unknown */
	for (size_t j = 0; j < 6; j++)
		ks_jw_kint(&w, sevs[j], (int64_t)sev[5 - j]);
	ks_jw_obj_end(&w);
	ks_jw_kint(&w, "suppressed", (int64_t)r->suppressed);
	ks_jw_kint(&w, "checks", (int64_t)r->nchecks);
	ks_jw_obj_end(&w);

	ks_jw_key(&w, "findings");
	ks_jw_arr(&w);
	for (size_t i = 0; i < r->nfindings; i++) {
		if (!shown(r, &r->findings[i], filter))
			continue;
		write_finding(&w, r, &r->findings[i]);
		shown_n++;
	}
	ks_jw_arr_end(&w);
	ks_jw_kint(&w, "findings_shown", (int64_t)shown_n);

	ks_jw_key(&w, "upgrades");
	ks_jw_arr(&w);
	for (size_t i = 0; i < r->nupgrades; i++) {
		const struct ks_upgrade *u = &r->upgrades[i];

		ks_jw_obj(&w);
		ks_jw_kstr(&w, "ecosystem", u->pkg->ecosystem);
		ks_jw_kstr(&w, "package", u->pkg->name);
		ks_jw_kstr(&w, "installed", u->pkg->version);
		ks_jw_kstr(&w, "fixed_by", u->to);
		ks_jw_kint(&w, "fixes", (int64_t)u->fixes);
		ks_jw_kint(&w, "needs_action", (int64_t)u->needs_action);
		ks_jw_kstr(&w, "action", u->action);
		ks_jw_obj_end(&w);
	}
	ks_jw_arr_end(&w);

	ks_jw_key(&w, "checks");
	ks_jw_arr(&w);
	for (size_t i = 0; i < r->nchecks; i++) {
		const struct kensa_check *c = &r->checks[i];

		ks_jw_obj(&w);
		ks_jw_kstr(&w, "id", c->id);
		ks_jw_kstr(&w, "title", c->title);
		ks_jw_kstr(&w, "severity", c->severity);
		ks_jw_kstr(&w, "detail", c->detail);
		ks_jw_kstr(&w, "fix", c->fix);
		ks_jw_kstr(&w, "path", c->path);
		ks_jw_key(&w, "layer");
		if (c->layer >= 0)
			ks_jw_int(&w, c->layer);
		else
			ks_jw_null(&w);
		ks_jw_obj_end(&w);
	}
	ks_jw_arr_end(&w);

	ks_jw_key(&w, "stats");
	ks_jw_obj(&w);
	ks_jw_kint(&w, "packages_matched", (int64_t)r->stats.packages);
	ks_jw_kint(&w, "covered_by_distro_package", (int64_t)r->stats.covered_by_owner);
	ks_jw_kint(&w, "versions_not_comparable", (int64_t)r->stats.skipped_version);
	ks_jw_kint(&w, "affected_entries", (int64_t)r->stats.entries);
	ks_jw_kint(&w, "feed_versions_refused", (int64_t)r->stats.bad_events);
	ks_jw_knum(&w, "seconds", r->elapsed_s);
	ks_jw_obj_end(&w);
	ks_jw_obj_end(&w);
	result = ks_jw_finish(&w);
	if (result)
		kensa_err_set(err, result, "cannot write the report: %s", kensa_strerror(result));
	return result;
}

const struct ks_report_format ks_report_json = { "json", json_write };
