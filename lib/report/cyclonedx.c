// SPDX-License-Identifier: Apache-2.0
/*
 * cyclonedx.c — the scan report as a CycloneDX 1.6 VDR (format "cyclonedx"): the same
 * components as `kensa sbom -f cyclonedx` (written by the shared lib/sbom code, so both
 * documents describe a package identically) plus vulnerabilities[] for the findings the view
 * shows. Not the SBOM itself (lib/sbom/cyclonedx.c), and not a reader.
 *
 * Per vulnerability: id (the id a person knows it by) and its source, the other ids as
 * references, one CVSS rating (kensa's chosen vector: score, vector, method CVSSv2 / CVSSv3
 * / CVSSv31 / CVSSv4, who gave it) or else the feed's severity word, CWEs, description and
 * detail, the action as recommendation, affects[] pointing at the component's bom-ref with
 * the installed version, the vers range that contains it and the fixed versions, and the
 * analysis:
 *   needs action                       exploitable (response update when a fix exists)
 *   a profile never saw it loaded      not_affected, justification code_not_reachable
 *   VEX not_affected / fixed           not_affected (the VEX justification) / resolved
 *   ignored by policy                  in_triage, response will_not_fix
 *   anything else                      in_triage
 * kensa's evidence (risk, tier, EPSS, KEV, in use, reasons …) goes in properties "kensa:*";
 * the funnel in metadata.properties. Validated in tests against the official bom-1.6 schema.
 */
#include <math.h>
#include <stdlib.h>
#include <strings.h>

#include "common.h"
#include "kensa/kensa.h"
#include "sbom/sbom.h"

#define CDX_MAX_FIXED 8 /* fixed versions listed per affected component */

static void prop(struct ks_jw *w, const char *name, const char *value)
{
	if (!value)
		return;
	ks_jw_obj(w);
	ks_jw_kstr(w, "name", name);
	ks_jw_kstr(w, "value", value);
	ks_jw_obj_end(w);
}

static void propf(struct ks_jw *w, struct ks_arena *a, const char *name, double v, int decimals)
{
	if (!isnan(v))
		prop(w, name, ks_arena_printf(a, "%.*f", decimals, v));
}

static void source(struct ks_jw *w, struct ks_arena *a, const char *id)
{
	const char *name, *url;

	ks_report_advisory_link(a, id, &name, &url);
	ks_jw_key(w, "source");
	ks_jw_obj(w);
	ks_jw_kstr(w, "name", name);
	if (url)
		ks_jw_kstr(w, "url", url);
	ks_jw_obj_end(w);
}

static const char *cvss_method(const char *version)
{
	if (!version)
		return "other";
	if (strcmp(version, "3.1") == 0)
		return "CVSSv31";
	if (strcmp(version, "3.0") == 0)
		return "CVSSv3";
	if (strcmp(version, "4.0") == 0)
		return "CVSSv4";
	if (strcmp(version, "2.0") == 0)
		return "CVSSv2";
	return "other";
}

/* CycloneDX analysis.justification for a VEX justification (OpenVEX or CycloneDX words). */
static const char *cdx_justification(const char *words)
{
	static const char *const map[][2] = {
		{ "component_not_present", "code_not_present" },
		{ "vulnerable_code_not_present", "code_not_present" },
		{ "vulnerable_code_not_in_execute_path", "code_not_reachable" },
		{ "vulnerable_code_cannot_be_controlled_by_adversary", "requires_environment" },
		{ "inline_mitigations_already_exist", "protected_by_mitigating_control" },
	};
	static const char *const cdx[] = {
		"code_not_present", "code_not_reachable", "requires_configuration",
		"requires_dependency", "requires_environment", "protected_by_compiler",
		"protected_at_runtime", "protected_at_perimeter", "protected_by_mitigating_control",
	};

	for (size_t i = 0; i < KS_ARRAY_SIZE(map); i++)
		if (strncmp(words, map[i][0], strlen(map[i][0])) == 0)
			return map[i][1];
	for (size_t i = 0; i < KS_ARRAY_SIZE(cdx); i++)
		if (strncmp(words, cdx[i], strlen(cdx[i])) == 0)
			return cdx[i];
	return NULL;
}

static void analysis(struct ks_jw *w, struct ks_arena *a, const struct kensa_finding *f)
{
	const char *state, *justification = NULL, *response = NULL, *detail = NULL;
	const char *by = f->suppressed_by ? f->suppressed_by : "";

	if (f->suppressed && strncmp(by, "vex: not_affected", 17) == 0) {
		state = "not_affected";
		justification = by[17] == ',' ? cdx_justification(by + 19) : NULL;
		detail = by;
	} else if (f->suppressed && strncmp(by, "vex: fixed", 10) == 0) {
		state = "resolved";
		detail = by;
	} else if (f->suppressed) {
		state = "in_triage";
		response = "will_not_fix";
		detail = by;
	} else if (f->needs_action) {
		state = "exploitable";
		response = f->fixable ? "update" : NULL;
	} else if (f->in_use == KENSA_IN_USE_NO) {
		state = "not_affected";
		justification = "code_not_reachable";
		detail = f->in_use_evidence;
	} else {
		state = "in_triage";
	}
	if (!detail && f->nreasons) {
		struct ks_buf b = KS_BUF_INIT;

		for (size_t i = 0; i < f->nreasons; i++)
			ks_buf_printf(&b, "%s%s", i ? "; " : "", f->reasons[i]);
		detail = b.data ? ks_arena_strdup(a, b.data) : NULL;
		ks_buf_release(&b);
	}
	ks_jw_key(w, "analysis");
	ks_jw_obj(w);
	ks_jw_kstr(w, "state", state);
	if (justification)
		ks_jw_kstr(w, "justification", justification);
	if (response) {
		ks_jw_key(w, "response");
		ks_jw_arr(w);
		ks_jw_str(w, response);
		ks_jw_arr_end(w);
	}
	if (detail && *detail)
		ks_jw_kstr(w, "detail", detail);
	ks_jw_obj_end(w);
}

static void write_vuln(struct ks_jw *w, const struct kensa_report *r, const struct kensa_finding *f,
		       const char *const *refs, size_t index, struct ks_arena *a)
{
	const struct kensa_package *p = f->pkg;
	const char *id = ks_report_display_id(f);
	const char *src_name, *url;
	size_t nrefs = 0;

	ks_jw_obj(w);
	ks_jw_kstr(w, "bom-ref", ks_arena_printf(a, "kensa:vulnerability:%zu", index));
	ks_jw_kstr(w, "id", id);
	source(w, a, id);
	/* references: the matched record (when another id is shown) and every alias */
	for (size_t i = 0; i <= f->naliases; i++) {
		const char *ref = i == 0 ? f->id : f->aliases[i - 1];

		if (strcmp(ref, id) == 0)
			continue;
		if (!nrefs++) {
			ks_jw_key(w, "references");
			ks_jw_arr(w);
		}
		ks_jw_obj(w);
		ks_jw_kstr(w, "id", ref);
		source(w, a, ref);
		ks_jw_obj_end(w);
	}
	if (nrefs)
		ks_jw_arr_end(w);
	ks_jw_key(w, "ratings");
	ks_jw_arr(w);
	if (f->has_cvss) {
		ks_jw_obj(w);
		ks_jw_key(w, "source");
		ks_jw_obj(w);
		ks_jw_kstr(w, "name", f->cvss.source ? f->cvss.source : "unknown");
		ks_jw_obj_end(w);
		ks_jw_key(w, "score");
		ks_jw_numf(w, f->cvss.score, 1);
		if (ks_report_severity_rank(f->cvss.severity))
			ks_jw_kstr(w, "severity", ks_arena_strlower(a, f->cvss.severity));
		ks_jw_kstr(w, "method", cvss_method(f->cvss.version));
		ks_jw_kstr(w, "vector", f->cvss.vector);
		if (f->cvss.why)
			ks_jw_kstr(w, "justification", f->cvss.why);
		ks_jw_obj_end(w);
	} else if (ks_report_severity_rank(f->severity)) {
		ks_report_advisory_link(a, f->id, &src_name, &url);
		ks_jw_obj(w);
		ks_jw_key(w, "source");
		ks_jw_obj(w);
		ks_jw_kstr(w, "name", src_name);
		ks_jw_obj_end(w);
		ks_jw_kstr(w, "severity", ks_arena_strlower(a, f->severity));
		ks_jw_kstr(w, "method", "other");
		ks_jw_kstr(w, "justification",
			   "the advisory's severity word; no CVSS vector known");
		ks_jw_obj_end(w);
	}
	ks_jw_arr_end(w);
	if (f->ncwes) {
		size_t n = 0;

		for (size_t i = 0; i < f->ncwes; i++) {
			uint64_t v;
			const char *c = f->cwes[i];

			if (strncasecmp(c, "CWE-", 4) != 0 ||
			    !ks_parse_u64(c + 4, strlen(c + 4), &v) || v > INT32_MAX)
				continue;
			if (!n++) {
				ks_jw_key(w, "cwes");
				ks_jw_arr(w);
			}
			ks_jw_int(w, (int64_t)v);
		}
		if (n)
			ks_jw_arr_end(w);
	}
	if (f->summary && *f->summary)
		ks_jw_kstr(w, "description", f->summary);
	if (f->details && *f->details && (!f->summary || strcmp(f->details, f->summary) != 0))
		ks_jw_kstr(w, "detail", f->details);
	if (f->action && *f->action)
		ks_jw_kstr(w, "recommendation", f->action);
	ks_report_advisory_link(a, f->id, &src_name, &url);
	if (url) {
		ks_jw_key(w, "advisories");
		ks_jw_arr(w);
		ks_jw_obj(w);
		ks_jw_kstr(w, "title", ks_arena_printf(a, "%s (%s)", f->id, src_name));
		ks_jw_kstr(w, "url", url);
		ks_jw_obj_end(w);
		ks_jw_arr_end(w);
	}
	analysis(w, a, f);
	ks_jw_key(w, "affects");
	ks_jw_arr(w);
	ks_jw_obj(w);
	ks_jw_kstr(w, "ref", refs[p->index]);
	ks_jw_key(w, "versions");
	ks_jw_arr(w);
	if (p->version && *p->version) {
		ks_jw_obj(w);
		ks_jw_kstr(w, "version", p->version);
		ks_jw_kstr(w, "status", "affected");
		ks_jw_obj_end(w);
	}
	if (f->range_vers) {
		ks_jw_obj(w);
		ks_jw_kstr(w, "range", f->range_vers);
		ks_jw_kstr(w, "status", "affected");
		ks_jw_obj_end(w);
	}
	for (size_t i = 0; i < f->nfixed && i < CDX_MAX_FIXED; i++) {
		ks_jw_obj(w);
		ks_jw_kstr(w, "version", f->fixed_versions[i]);
		ks_jw_kstr(w, "status", "unaffected");
		ks_jw_obj_end(w);
	}
	ks_jw_arr_end(w);
	ks_jw_obj_end(w);
	ks_jw_arr_end(w);

	ks_jw_key(w, "properties");
	ks_jw_arr(w);
	prop(w, "kensa:advisory", f->id);
	propf(w, a, "kensa:risk", f->risk, 1);
	prop(w, "kensa:tier", f->tier);
	prop(w, "kensa:needs_action", f->needs_action ? "true" : "false");
	prop(w, "kensa:fixable", f->fixable ? "true" : "false");
	prop(w, "kensa:exploitable", f->exploitable ? "true" : "false");
	prop(w, "kensa:in_use", ks_report_in_use_word(f->in_use));
	prop(w, "kensa:in_use:evidence", f->in_use_evidence);
	prop(w, "kensa:kev", f->kev ? "true" : "false");
	prop(w, "kensa:kev:date_added", f->kev_date_added);
	if (f->kev_ransomware)
		prop(w, "kensa:kev:ransomware", "true");
	propf(w, a, "kensa:epss", f->epss, 5);
	propf(w, a, "kensa:epss:percentile", f->epss_percentile, 5);
	prop(w, "kensa:ssvc:exploitation", f->ssvc_exploitation);
	prop(w, "kensa:severity", f->severity);
	prop(w, "kensa:criticality", f->criticality);
	prop(w, "kensa:fix_status", f->fix_status);
	prop(w, "kensa:matched:via", f->via);
	prop(w, "kensa:matched:range", f->range);
	prop(w, "kensa:layer", ks_report_layer_words(r, p->layer));
	prop(w, "kensa:suppressed_by", f->suppressed ? f->suppressed_by : NULL);
	for (size_t i = 0; i < f->nreasons; i++)
		prop(w, "kensa:reason", f->reasons[i]);
	ks_jw_arr_end(w);
	ks_jw_obj_end(w);
}

static int cdx_vdr_write(const struct kensa_report *r, const struct kensa_report_view *view,
			 bool (*shown)(const struct kensa_report *, const struct kensa_finding *,
				       const void *),
			 const void *filter, FILE *out, struct kensa_err *err)
{
	struct ks_arena a = KS_ARENA_INIT;
	const char **refs = ks_cdx_refs(r->inv, &a);
	struct kensa_kv meta[9];
	size_t nmeta = 0, nshown = 0;
	struct ks_jw w;
	int result;

	if (!refs) {
		ks_arena_release(&a);
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < r->nfindings; i++)
		nshown += shown(r, &r->findings[i], filter);
	meta[nmeta++] =
		(struct kensa_kv){ "kensa:report", "vulnerability disclosure report (kensa scan)" };
	meta[nmeta++] = (struct kensa_kv){ "kensa:funnel:total",
					   ks_arena_printf(&a, "%zu", r->funnel.total) };
	meta[nmeta++] = (struct kensa_kv){ "kensa:funnel:fixable",
					   ks_arena_printf(&a, "%zu", r->funnel.fixable) };
	meta[nmeta++] = (struct kensa_kv){ "kensa:funnel:exploitable",
					   ks_arena_printf(&a, "%zu", r->funnel.exploitable) };
	meta[nmeta++] = (struct kensa_kv){ "kensa:funnel:in_use",
					   ks_arena_printf(&a, "%zu", r->funnel.in_use) };
	meta[nmeta++] = (struct kensa_kv){ "kensa:funnel:needs_action",
					   ks_arena_printf(&a, "%zu", r->funnel.needs_action) };
	meta[nmeta++] =
		(struct kensa_kv){ "kensa:suppressed", ks_arena_printf(&a, "%zu", r->suppressed) };
	meta[nmeta++] =
		(struct kensa_kv){ "kensa:findings_shown", ks_arena_printf(&a, "%zu", nshown) };
	if (view->filter)
		meta[nmeta++] = (struct kensa_kv){ "kensa:filter", view->filter };

	ks_jw_init(&w, out, true);
	ks_jw_obj(&w);
	ks_cdx_write_bom(&w, r->inv, refs, meta, nmeta, &a);
	ks_jw_key(&w, "vulnerabilities");
	ks_jw_arr(&w);
	for (size_t i = 0; i < r->nfindings; i++)
		if (shown(r, &r->findings[i], filter))
			write_vuln(&w, r, &r->findings[i], refs, i, &a);
	ks_jw_arr_end(&w);
	ks_jw_obj_end(&w);
	result = ks_jw_finish(&w);
	ks_arena_release(&a);
	if (result)
		kensa_err_set(err, result, "cannot write the CycloneDX report: %s",
			      kensa_strerror(result));
	return result;
}

const struct ks_report_format ks_report_cyclonedx = { "cyclonedx", cdx_vdr_write };
