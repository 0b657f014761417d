// SPDX-License-Identifier: Apache-2.0
/*
 * cdx_vex.c — CycloneDX VEX (a BOM with vulnerabilities[], CycloneDX 1.4–1.6 JSON).
 *
 * Kept per vulnerability and affects[].ref: a VEX statement whose product is the referenced
 * component's purl (refs are resolved through the document's components, nested ones
 * included; an unresolved ref, e.g. a BOM-Link into another document, is kept as written).
 * analysis.state maps to OpenVEX's statuses (not_affected / false_positive → not_affected,
 * exploitable → affected, resolved / resolved_with_pedigree → fixed, in_triage →
 * under_investigation; the original state is kept as raw_status); justification, detail
 * (impact) and response[] (action) are kept as written. ratings[] with a CVSS method become
 * severity rows (provider "cdx-vex:<source name>"), cwes[] become CWE rows.
 *
 * A vulnerability without analysis is a finding report, not VEX: its ratings and CWEs are
 * kept, no statement is made up.
 */
#include <math.h>

#include "vulndb.h"

#define CDX_MAX_DEPTH 32
#define CDX_MAX_COMPONENTS 1000000
#define CDX_MAX_FIELD ((size_t)64 << 10)

static bool cdx_sniff(const cJSON *doc)
{
	const char *f = ks_json_str(doc, "bomFormat");

	return f && strcmp(f, "CycloneDX") == 0 && ks_json_arr(doc, "vulnerabilities");
}

static const struct {
	const char *state, *status;
} states[] = {
	{ "not_affected", "not_affected" },    { "false_positive", "not_affected" },
	{ "exploitable", "affected" },	       { "resolved", "fixed" },
	{ "resolved_with_pedigree", "fixed" }, { "in_triage", "under_investigation" },
};

static const struct {
	const char *method, *type;
} methods[] = {
	{ "CVSSv2", "CVSS_V2" },
	{ "CVSSv3", "CVSS_V3" },
	{ "CVSSv31", "CVSS_V3" },
	{ "CVSSv4", "CVSS_V4" },
};

/* bom-ref → purl for every component (iterative: nested components without recursion). */
static int index_components(const cJSON *doc, struct ks_map *refs)
{
	const cJSON *stack[CDX_MAX_DEPTH];
	size_t depth = 0, seen = 0;
	const cJSON *c;

	if (ks_json_obj(ks_json_obj(doc, "metadata"), "component")) {
		const cJSON *m = ks_json_obj(ks_json_obj(doc, "metadata"), "component");
		const char *ref = ks_json_str(m, "bom-ref"), *purl = ks_json_str(m, "purl");

		if (ref && purl && ks_map_puts(refs, ref, (uint64_t)(uintptr_t)purl))
			return KENSA_ENOMEM;
	}
	c = ks_json_arr(doc, "components") ? ks_json_arr(doc, "components")->child : NULL;
	while (c || depth) {
		if (!c) {
			c = stack[--depth]->next;
			continue;
		}
		if (++seen > CDX_MAX_COMPONENTS)
			break;
		{
			const char *ref = ks_json_str(c, "bom-ref"), *purl = ks_json_str(c, "purl");
			const cJSON *kids = ks_json_arr(c, "components");

			if (ref && purl && ks_map_puts(refs, ref, (uint64_t)(uintptr_t)purl))
				return KENSA_ENOMEM;
			if (kids && kids->child && depth < CDX_MAX_DEPTH) {
				stack[depth++] = c;
				c = kids->child;
				continue;
			}
		}
		c = c->next;
	}
	return 0;
}

static char *responses(struct ks_import *im, const cJSON *arr)
{
	struct ks_buf b = KS_BUF_INIT;
	char *out = NULL;

	ks_json_each(r, arr) {
		if (!cJSON_IsString(r) || !ks_vdb_text_ok(r->valuestring, 64))
			continue;
		if ((b.len && ks_buf_addc(&b, ',')) || ks_buf_adds(&b, r->valuestring))
			break;
	}
	if (b.data)
		out = ks_arena_strdup(ks_import_arena(im), b.data);
	ks_buf_release(&b);
	return out;
}

static int one_vuln(struct ks_import *im, const cJSON *v, const struct ks_map *refs,
		    const char *docid, const char *doc_ts)
{
	const cJSON *analysis = ks_json_obj(v, "analysis");
	const char *raw = ks_json_str(v, "id"),
		   *src = ks_json_str(ks_json_obj(v, "source"), "name");
	const char *state = ks_json_str(analysis, "state");
	struct kensa_vex x = { 0 };
	char provider[128];
	int result = 0;

	x.vulnerability = raw ? ks_import_id(im, raw) : NULL;
	if (!x.vulnerability) {
		ks_import_skip(im, raw ? "bad id" : "missing id", "%s",
			       raw ? "not a usable id" : "a vulnerability without id");
		return 0;
	}
	snprintf(provider, sizeof(provider), "cdx-vex:%s",
		 ks_vdb_text_ok(src, 96) ? src : "unknown");
	ks_json_each(r, ks_json_arr(v, "ratings"))
	{
		const char *method = ks_json_str(r, "method"), *vector = ks_json_str(r, "vector");
		const cJSON *score = ks_json_get(r, "score");

		for (size_t i = 0; method && i < KS_ARRAY_SIZE(methods) && !result; i++) {
			if (strcmp(method, methods[i].method) != 0 || !ks_vdb_text_ok(vector, 256))
				continue;
			result = ks_store_severity(
				im, 0, x.vulnerability, provider, methods[i].type, vector,
				cJSON_IsNumber(score) ? score->valuedouble : NAN);
			ks_import_count(im, "severities", 1);
		}
	}
	ks_json_each(c, ks_json_arr(v, "cwes")) {
		char cwe[32];

		if (result)
			break;
		if (!cJSON_IsNumber(c) || c->valuedouble < 0 || c->valuedouble > 1e9)
			continue;
		snprintf(cwe, sizeof(cwe), "CWE-%d", (int)c->valuedouble);
		result = ks_store_cwe(im, 0, x.vulnerability, provider, cwe);
	}
	if (result)
		return result;
	if (!analysis || !state) {
		ks_import_count(im, "without analysis", 1);
		ks_import_count(im, "records", 1);
		return 0;
	}
	for (size_t i = 0; i < KS_ARRAY_SIZE(states); i++)
		if (strcmp(state, states[i].state) == 0)
			x.status = states[i].status;
	if (!x.status) {
		ks_import_skip(im, "bad status", "%s: analysis.state '%.40s'", x.vulnerability,
			       state);
		return 0;
	}
	x.raw_status = state;
	x.justification = ks_import_str(analysis, "justification", 128);
	x.impact = ks_import_str(analysis, "detail", CDX_MAX_FIELD);
	x.action = responses(im, ks_json_arr(analysis, "response"));
	x.timestamp = ks_import_str(analysis, "lastUpdated", 64);
	if (!x.timestamp)
		x.timestamp = ks_import_str(v, "updated", 64);
	if (!x.timestamp)
		x.timestamp = doc_ts;
	x.document = docid;
	ks_json_each(a, ks_json_arr(v, "affects")) {
		const char *ref = ks_json_str(a, "ref");
		uint64_t purl;

		if (result)
			break;
		if (!ks_vdb_text_ok(ref, KS_VDB_MAX_NAME)) {
			ks_import_drop(im, "bad product", "%s: an affects[] item without ref",
				       x.vulnerability);
			continue;
		}
		x.product = ks_map_gets(refs, ref, &purl) ? (const char *)(uintptr_t)purl : ref;
		if (!ks_vdb_text_ok(x.product, KS_VDB_MAX_NAME))
			x.product = ref;
		result = ks_store_vex(im, &x);
	}
	if (!result)
		ks_import_count(im, "records", 1);
	return result;
}

static int cdx_import(struct ks_import *im, const cJSON *doc, const char *data, size_t len)
{
	struct ks_map refs = KS_MAP_INIT;
	const cJSON *vulns = ks_json_arr(doc, "vulnerabilities");
	const char *docid = ks_import_str(doc, "serialNumber", KS_VDB_MAX_NAME);
	const char *ts = ks_import_str(ks_json_obj(doc, "metadata"), "timestamp", 64);
	int result;

	(void)data;
	(void)len;
	if (!vulns) {
		ks_import_skip(im, "unknown schema", "no vulnerabilities[]");
		return 0;
	}
	if (!docid)
		docid = ks_import_name(im);
	ks_import_feed_info(im, ks_import_str(doc, "specVersion", 16), ts);
	result = index_components(doc, &refs);
	ks_json_each(v, vulns) {
		if (result)
			break;
		if (!cJSON_IsObject(v)) {
			ks_import_skip(im, "unknown schema",
				       "a vulnerabilities[] item that is not an object");
			continue;
		}
		result = one_vuln(im, v, &refs, docid, ts);
	}
	ks_map_release(&refs);
	return result;
}

const struct ks_importer ks_importer_cdx_vex = {
	.name = "cdx-vex",
	.per_record = false,
	.sniff_json = cdx_sniff,
	.import = cdx_import,
};
