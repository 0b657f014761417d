// SPDX-License-Identifier: Apache-2.0
/*
 * nvd.c — NVD CVE API 2.0 responses (https://nvd.nist.gov/developers/vulnerabilities): a page
 * of `vulnerabilities[].cve` objects, as saved from /rest/json/cves/2.0.
 *
 * Kept per CVE: a record (feed "nvd": description, published, lastModified; vulnStatus
 * "Rejected" as withdrawn), CVSS vectors and base scores from metrics cvssMetricV40 / V31 /
 * V30 / V2 (provider "nvd:<Primary|Secondary>:<source>"), CWE ids from weaknesses (the
 * "NVD-CWE-Other"/"noinfo" placeholders are not CWEs), and the CISA KEV fields NVD carries
 * (cisaExploitAdd, cisaActionDue, cisaRequiredAction, cisaVulnerabilityName).
 *
 * What it is not: a CPE matcher; configurations are not stored.
 */
#include <math.h>

#include "vulndb.h"

#define NVD_MAX_TS 64
#define NVD_MAX_ITEMS 1000000

static bool nvd_sniff(const cJSON *doc)
{
	const char *format = ks_json_str(doc, "format");
	const cJSON *v = ks_json_arr(doc, "vulnerabilities");

	if (!cJSON_IsObject(doc) || !v)
		return false;
	return (format && strncmp(format, "NVD_CVE", 7) == 0) || ks_json_obj(v->child, "cve");
}

static const struct {
	const char *key, *type;
} metric_keys[] = {
	{ "cvssMetricV40", "CVSS_V4" },
	{ "cvssMetricV31", "CVSS_V3" },
	{ "cvssMetricV30", "CVSS_V3" },
	{ "cvssMetricV2", "CVSS_V2" },
};

static int one_cve(struct ks_import *im, const cJSON *cve)
{
	const char *raw = ks_json_str(cve, "id"), *status;
	const cJSON *metrics = ks_json_obj(cve, "metrics");
	struct ks_adv a = { 0 };
	int64_t adv = 0;
	int result;

	a.id = raw ? ks_import_id(im, raw) : NULL;
	if (!a.id || strncmp(a.id, "CVE-", 4) != 0) {
		ks_import_skip(im, raw ? "bad id" : "missing id", "%s",
			       raw ? "not a CVE id" : "a cve without an id");
		return 0;
	}
	a.feed = "nvd";
	a.published = ks_import_str(cve, "published", NVD_MAX_TS);
	a.modified = ks_import_str(cve, "lastModified", NVD_MAX_TS);
	a.details = ks_cve_description(ks_json_arr(cve, "descriptions"), "value");
	status = ks_json_str(cve, "vulnStatus");
	if (status && strcmp(status, "Rejected") == 0)
		a.withdrawn = a.modified ? a.modified : "rejected";
	if (a.details && strlen(a.details) > KS_VDB_MAX_TEXT) {
		ks_import_skip(im, "too large", "%s: description over the limit", a.id);
		return 0;
	}
	result = ks_store_advisory(im, &a, &adv);
	for (size_t i = 0; i < KS_ARRAY_SIZE(metric_keys) && !result; i++) {
		ks_json_each(m, ks_json_arr(metrics, metric_keys[i].key)) {
			const cJSON *data = ks_json_obj(m, "cvssData");
			const char *vector = ks_json_str(data, "vectorString");
			const char *src = ks_json_str(m, "source"), *type = ks_json_str(m, "type");
			const cJSON *score = ks_json_get(data, "baseScore");
			char provider[160];

			if (!ks_vdb_text_ok(vector, 256)) {
				ks_import_drop(im, "bad severity", "%s: %s without a vector", a.id,
					       metric_keys[i].key);
				continue;
			}
			snprintf(provider, sizeof(provider), "nvd:%s:%s",
				 ks_vdb_text_ok(type, 32) ? type : "unknown",
				 ks_vdb_text_ok(src, 96) ? src : "unknown");
			result = ks_store_severity(
				im, adv, a.id, provider, metric_keys[i].type, vector,
				cJSON_IsNumber(score) ? score->valuedouble : NAN);
			if (result)
				break;
			ks_import_count(im, "severities", 1);
		}
	}
	ks_json_each(w, ks_json_arr(cve, "weaknesses")) {
		const char *src = ks_json_str(w, "source");
		char provider[128];

		if (result)
			break;
		snprintf(provider, sizeof(provider), "nvd:%s",
			 ks_vdb_text_ok(src, 96) ? src : "unknown");
		ks_json_each(d, ks_json_arr(w, "description"))
		{
			const char *cwe = ks_json_str(d, "value");

			if (!ks_vdb_text_ok(cwe, 32) || strncmp(cwe, "CWE-", 4) != 0)
				continue;
			result = ks_store_cwe(im, adv, a.id, provider, cwe);
			if (result)
				break;
			ks_import_count(im, "cwes", 1);
		}
	}
	if (!result && ks_json_str(cve, "cisaExploitAdd")) {
		struct kensa_kev k = { 0 };

		k.cve = a.id;
		k.provider = "nvd";
		k.date_added = ks_import_str(cve, "cisaExploitAdd", NVD_MAX_TS);
		k.due_date = ks_import_str(cve, "cisaActionDue", NVD_MAX_TS);
		k.required_action = ks_import_str(cve, "cisaRequiredAction", (size_t)64 << 10);
		k.name = ks_import_str(cve, "cisaVulnerabilityName", (size_t)64 << 10);
		result = ks_store_kev(im, &k);
		ks_import_count(im, "kev", 1);
	}
	if (!result) {
		ks_import_count(im, "records", 1);
		if (a.withdrawn)
			ks_import_count(im, "withdrawn", 1);
	}
	return result;
}

static int nvd_import(struct ks_import *im, const cJSON *doc, const char *data, size_t len)
{
	const cJSON *v = ks_json_arr(doc, "vulnerabilities");
	int result = 0, n = 0;

	(void)data;
	(void)len;
	if (!v) {
		ks_import_skip(im, "unknown schema", "no vulnerabilities[]");
		return 0;
	}
	ks_import_feed_info(im, ks_import_str(doc, "version", 32),
			    ks_import_str(doc, "timestamp", NVD_MAX_TS));
	ks_json_each(item, v)
	{
		const cJSON *cve = ks_json_obj(item, "cve");

		if (++n > NVD_MAX_ITEMS) {
			ks_import_skip(im, "too large", "more than %d CVEs in one document",
				       NVD_MAX_ITEMS);
			break;
		}
		if (!cve) {
			ks_import_skip(im, "unknown schema",
				       "a vulnerabilities[] item without \"cve\"");
			continue;
		}
		result = one_cve(im, cve);
		if (result)
			break;
		ks_arena_release(ks_import_arena(im));
	}
	return result;
}

const struct ks_importer ks_importer_nvd = {
	.name = "nvd",
	.per_record = false,
	.sniff_json = nvd_sniff,
	.import = nvd_import,
};
