// SPDX-License-Identifier: Apache-2.0
/*
 * cve5.c — CVE JSON 5 records (cvelistV5 / CISA vulnrichment: one record per file).
 *
 * Kept: the record (id, title as summary, English description as details, published,
 * updated; REJECTED records as withdrawn), and from the CNA container and every ADP
 * container: CVSS v2.0/v3.0/v3.1/v4.0 vectors with base scores, CWE ids from problemTypes,
 * CISA's "Vulnrichment" SSVC decision points (Exploitation, Automatable, Technical Impact)
 * and its KEV marker (other.type "kev"). Each fact names its provider: "cve5:cna:<org>" or
 * "cve5:adp:<org>" (providerMetadata.shortName).
 *
 * What it is not: a source of package ranges. CVE affected[] entries name vendor products
 * (and CPEs), not ecosystem packages; the matcher works from OSV.
 */
#include <math.h>

#include "vulndb.h"

#define CVE5_MAX_TS 64

static bool cve5_sniff(const cJSON *doc)
{
	const char *type = ks_json_str(doc, "dataType");

	return cJSON_IsObject(doc) &&
	       ((type && strcmp(type, "CVE_RECORD") == 0) ||
		(ks_json_obj(doc, "cveMetadata") && ks_json_obj(doc, "containers")));
}

const char *ks_cve_description(const cJSON *arr, const char *key)
{
	const char *first = NULL;

	ks_json_each(d, arr) {
		const char *lang = ks_json_str(d, "lang");
		const char *v = ks_json_str(d, key);

		if (!v)
			continue;
		if (lang && (strcmp(lang, "en") == 0 || strncmp(lang, "en-", 3) == 0 ||
			     strncmp(lang, "en_", 3) == 0))
			return v;
		if (!first)
			first = v;
	}
	return first;
}

static const struct {
	const char *key, *type;
} cvss_keys[] = {
	{ "cvssV2_0", "CVSS_V2" },
	{ "cvssV3_0", "CVSS_V3" },
	{ "cvssV3_1", "CVSS_V3" },
	{ "cvssV4_0", "CVSS_V4" },
};

static int ssvc_from(struct ks_import *im, int64_t adv, const char *id, const char *provider,
		     const cJSON *content)
{
	struct kensa_ssvc s = { 0 };

	s.id = id;
	s.provider = provider;
	s.version = ks_import_str(content, "version", 32);
	s.timestamp = ks_import_str(content, "timestamp", CVE5_MAX_TS);
	ks_json_each(o, ks_json_arr(content, "options")) {
		const cJSON *kv = cJSON_IsObject(o) ? o->child : NULL;

		if (!kv || !kv->string || !cJSON_IsString(kv) ||
		    !ks_vdb_text_ok(kv->valuestring, 64))
			continue;
		if (strcasecmp(kv->string, "Exploitation") == 0)
			s.exploitation = kv->valuestring;
		else if (strcasecmp(kv->string, "Automatable") == 0)
			s.automatable = kv->valuestring;
		else if (strcasecmp(kv->string, "Technical Impact") == 0)
			s.technical_impact = kv->valuestring;
	}
	if (!s.exploitation && !s.automatable && !s.technical_impact) {
		ks_import_drop(im, "bad ssvc", "%s: SSVC without decision points", id);
		return 0;
	}
	ks_import_count(im, "ssvc", 1);
	return ks_store_ssvc(im, adv, &s);
}

/* Metrics, CWEs, SSVC and KEV of one container (the CNA's or an ADP's). */
static int container(struct ks_import *im, int64_t adv, const char *id, const cJSON *c,
		     const char *role)
{
	const char *org = ks_json_str(ks_json_obj(c, "providerMetadata"), "shortName");
	char provider[96];
	int result = 0;

	if (!ks_vdb_text_ok(org, 64))
		org = "unknown";
	snprintf(provider, sizeof(provider), "cve5:%s:%s", role, org);
	ks_json_each(m, ks_json_arr(c, "metrics")) {
		const cJSON *other = ks_json_obj(m, "other");

		for (size_t i = 0; i < KS_ARRAY_SIZE(cvss_keys) && !result; i++) {
			const cJSON *cv = ks_json_obj(m, cvss_keys[i].key);
			const char *vector = ks_json_str(cv, "vectorString");
			const cJSON *score = ks_json_get(cv, "baseScore");

			if (!cv)
				continue;
			if (!ks_vdb_text_ok(vector, 256)) {
				ks_import_drop(im, "bad severity", "%s: %s without a vector", id,
					       cvss_keys[i].key);
				continue;
			}
			result = ks_store_severity(im, adv, id, provider, cvss_keys[i].type, vector,
						   cJSON_IsNumber(score) ? score->valuedouble
									 : NAN);
			ks_import_count(im, "severities", 1);
		}
		if (result)
			return result;
		if (other) {
			const char *type = ks_json_str(other, "type");
			const cJSON *content = ks_json_obj(other, "content");

			if (type && strcmp(type, "ssvc") == 0) {
				result = ssvc_from(im, adv, id, provider, content);
			} else if (type && strcmp(type, "kev") == 0) {
				struct kensa_kev k = { 0 };

				k.cve = id;
				k.provider = provider;
				k.date_added = ks_import_str(content, "dateAdded", CVE5_MAX_TS);
				result = ks_store_kev(im, &k);
				ks_import_count(im, "kev", 1);
			}
			if (result)
				return result;
		}
	}
	ks_json_each(pt, ks_json_arr(c, "problemTypes")) {
		ks_json_each(d, ks_json_arr(pt, "descriptions")) {
			const char *cwe = ks_json_str(d, "cweId");

			if (!cwe) {
				const char *desc = ks_json_str(d, "description");

				/* older records only write "CWE-79 Cross-site Scripting" */
				if (desc && strncmp(desc, "CWE-", 4) == 0) {
					size_t n = 4;

					while (desc[n] >= '0' && desc[n] <= '9' && n < 16)
						n++;
					if (n > 4) {
						cwe = ks_arena_strndup(ks_import_arena(im), desc,
								       n);
						if (!cwe)
							return KENSA_ENOMEM;
					}
				}
			}
			if (!ks_vdb_text_ok(cwe, 32) || strncmp(cwe, "CWE-", 4) != 0)
				continue;
			result = ks_store_cwe(im, adv, id, provider, cwe);
			if (result)
				return result;
			ks_import_count(im, "cwes", 1);
		}
	}
	return 0;
}

static int cve5_import(struct ks_import *im, const cJSON *doc, const char *data, size_t len)
{
	const cJSON *meta = ks_json_obj(doc, "cveMetadata");
	const cJSON *containers = ks_json_obj(doc, "containers");
	const cJSON *cna = ks_json_obj(containers, "cna");
	const char *raw = ks_json_str(meta, "cveId"), *state;
	struct ks_adv a = { 0 };
	int64_t adv = 0;
	int result;

	(void)data;
	(void)len;
	if (!meta || !containers) {
		ks_import_skip(im, "unknown schema", "no cveMetadata or containers");
		return 0;
	}
	a.id = raw ? ks_import_id(im, raw) : NULL;
	if (!a.id || strncmp(a.id, "CVE-", 4) != 0) {
		ks_import_skip(im, raw ? "bad id" : "missing id", "%s",
			       raw ? "not a CVE id" : "no cveMetadata.cveId");
		return 0;
	}
	a.feed = "cve5";
	state = ks_json_str(meta, "state");
	a.published = ks_import_str(meta, "datePublished", CVE5_MAX_TS);
	a.modified = ks_import_str(meta, "dateUpdated", CVE5_MAX_TS);
	a.summary = ks_import_str(cna, "title", (size_t)64 << 10);
	a.details = ks_cve_description(ks_json_arr(cna, "descriptions"), "value");
	if (state && strcmp(state, "REJECTED") == 0) {
		a.withdrawn = ks_import_str(meta, "dateRejected", CVE5_MAX_TS);
		if (!a.withdrawn)
			a.withdrawn = a.modified ? a.modified : "rejected";
		if (!a.details)
			a.details = ks_cve_description(ks_json_arr(cna, "rejectedReasons"),
						       "value");
	}
	if (a.details && strlen(a.details) > KS_VDB_MAX_TEXT) {
		ks_import_skip(im, "too large", "%s: description over the limit", a.id);
		return 0;
	}
	if (cJSON_GetArraySize(ks_json_arr(containers, "adp")) > (int)KS_VDB_MAX_ITEMS) {
		ks_import_skip(im, "too large", "%s: too many ADP containers", a.id);
		return 0;
	}
	result = ks_store_advisory(im, &a, &adv);
	if (!result && cna)
		result = container(im, adv, a.id, cna, "cna");
	ks_json_each(adp, ks_json_arr(containers, "adp")) {
		if (result)
			break;
		result = container(im, adv, a.id, adp, "adp");
	}
	if (!result) {
		ks_import_count(im, "records", 1);
		if (a.withdrawn)
			ks_import_count(im, "withdrawn", 1);
	}
	return result;
}

const struct ks_importer ks_importer_cve5 = {
	.name = "cve5",
	.per_record = true,
	.sniff_json = cve5_sniff,
	.import = cve5_import,
};
