// SPDX-License-Identifier: Apache-2.0
/*
 * kev.c — CISA's Known Exploited Vulnerabilities catalog, as JSON
 * (known_exploited_vulnerabilities.json) or CSV (known_exploited_vulnerabilities.csv).
 *
 * Kept per entry: cveID, vendorProject, product, vulnerabilityName, shortDescription,
 * dateAdded, dueDate, knownRansomwareCampaignUse, requiredAction, notes, and the cwes as CWE
 * rows (provider "kev"). Feed facts: catalogVersion and dateReleased (JSON only; the CSV has
 * no header for them).
 */
#include "vulndb.h"

#define KEV_MAX_FIELD ((size_t)64 << 10)

struct kev_row {
	const char *cve, *vendor, *product, *name, *description, *date_added, *due_date;
	const char *ransomware, *action, *notes;
	const char *cwes;	/* CSV only: "CWE-59, CWE-436" */
};

static bool kev_sniff_json(const cJSON *doc)
{
	const cJSON *v = ks_json_arr(doc, "vulnerabilities");

	return v && (ks_json_get(doc, "catalogVersion") || ks_json_str(v->child, "cveID"));
}

static bool kev_sniff_text(const char *data, size_t len)
{
	static const char head[] = "cveID,vendorProject";

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	return len >= sizeof(head) - 1 && memcmp(data, head, sizeof(head) - 1) == 0;
}

static const char *field(const char *s)
{
	return s && *s && strlen(s) <= KEV_MAX_FIELD ? s : NULL;
}

static int store_row(struct ks_import *im, const struct kev_row *r, const cJSON *cwes_json)
{
	struct kensa_kev k = { 0 };
	const char *cve = r->cve ? ks_import_id(im, r->cve) : NULL;
	int result;

	if (!cve || strncmp(cve, "CVE-", 4) != 0) {
		ks_import_skip(im, r->cve ? "bad id" : "missing id", "%s",
			       r->cve ? "not a CVE id" : "no cveID");
		return 0;
	}
	k.cve = cve;
	k.provider = "kev";
	k.vendor = field(r->vendor);
	k.product = field(r->product);
	k.name = field(r->name);
	k.description = field(r->description);
	k.date_added = field(r->date_added);
	k.due_date = field(r->due_date);
	k.ransomware = field(r->ransomware);
	k.required_action = field(r->action);
	k.notes = field(r->notes);
	result = ks_store_kev(im, &k);
	ks_json_each(c, cwes_json) {
		if (result)
			break;
		if (cJSON_IsString(c) && ks_vdb_text_ok(c->valuestring, 32) &&
		    strncmp(c->valuestring, "CWE-", 4) == 0)
			result = ks_store_cwe(im, 0, cve, "kev", c->valuestring);
	}
	for (const char *p = r->cwes; p && *p && !result;) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char cwe[33];

		ks_trim(&p, &n);
		if (n > 4 && n < sizeof(cwe) && strncmp(p, "CWE-", 4) == 0) {
			memcpy(cwe, p, n);
			cwe[n] = '\0';
			result = ks_store_cwe(im, 0, cve, "kev", cwe);
		}
		p = e ? e + 1 : NULL;
	}
	if (!result) {
		ks_import_count(im, "records", 1);
		if (k.ransomware && strcmp(k.ransomware, "Known") == 0)
			ks_import_count(im, "ransomware", 1);
	}
	return result;
}

static int kev_json(struct ks_import *im, const cJSON *doc)
{
	const cJSON *v = ks_json_arr(doc, "vulnerabilities");
	int result = 0;

	if (!v) {
		ks_import_skip(im, "unknown schema", "no vulnerabilities[]");
		return 0;
	}
	ks_import_feed_info(im, ks_import_str(doc, "catalogVersion", 64),
			    ks_import_str(doc, "dateReleased", 64));
	ks_json_each(e, v)
	{
		struct kev_row r = {
			.cve = ks_json_str(e, "cveID"),
			.vendor = ks_json_str(e, "vendorProject"),
			.product = ks_json_str(e, "product"),
			.name = ks_json_str(e, "vulnerabilityName"),
			.description = ks_json_str(e, "shortDescription"),
			.date_added = ks_json_str(e, "dateAdded"),
			.due_date = ks_json_str(e, "dueDate"),
			.ransomware = ks_json_str(e, "knownRansomwareCampaignUse"),
			.action = ks_json_str(e, "requiredAction"),
			.notes = ks_json_str(e, "notes"),
		};

		if (!cJSON_IsObject(e)) {
			ks_import_skip(im, "unknown schema",
				       "a vulnerabilities[] item that is not an object");
			continue;
		}
		result = store_row(im, &r, ks_json_arr(e, "cwes"));
		ks_arena_release(ks_import_arena(im));
		if (result)
			break;
	}
	return result;
}

static int kev_csv(struct ks_import *im, const char *data, size_t len)
{
	static const char *const cols[] = { "cveID",
					    "vendorProject",
					    "product",
					    "vulnerabilityName",
					    "dateAdded",
					    "shortDescription",
					    "requiredAction",
					    "dueDate",
					    "knownRansomwareCampaignUse",
					    "notes",
					    "cwes" };
	int idx[KS_ARRAY_SIZE(cols)];
	struct ks_csv c;
	int rc, result = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	ks_csv_init(&c, data, len);
	rc = ks_csv_next(&c);
	if (rc != 1) {
		ks_csv_release(&c);
		if (rc == KENSA_ENOMEM)
			return rc;
		ks_import_skip(im, "unknown schema", "no CSV header");
		return 0;
	}
	for (size_t i = 0; i < KS_ARRAY_SIZE(cols); i++) {
		idx[i] = -1;
		for (size_t f = 0; f < c.nf; f++)
			if (strcmp(c.fields[f], cols[i]) == 0)
				idx[i] = (int)f;
	}
	if (idx[0] < 0) {
		ks_csv_release(&c);
		ks_import_skip(im, "unknown schema", "no cveID column");
		return 0;
	}
	while ((rc = ks_csv_next(&c)) != 0) {
		struct kev_row r;
		const char *v[KS_ARRAY_SIZE(cols)];

		if (rc == KENSA_ENOMEM) {
			result = rc;
			break;
		}
		if (rc < 0) {
			ks_import_skip(im, "malformed CSV", "line %llu",
				       (unsigned long long)c.line);
			continue;
		}
		if (c.nf == 1 && !*c.fields[0])
			continue;	/* blank line */
		for (size_t i = 0; i < KS_ARRAY_SIZE(cols); i++)
			v[i] = idx[i] >= 0 && (size_t)idx[i] < c.nf ? c.fields[idx[i]] : NULL;
		r = (struct kev_row){ .cve = v[0],
				      .vendor = v[1],
				      .product = v[2],
				      .name = v[3],
				      .date_added = v[4],
				      .description = v[5],
				      .action = v[6],
				      .due_date = v[7],
				      .ransomware = v[8],
				      .notes = v[9],
				      .cwes = v[10] };
		result = store_row(im, &r, NULL);
		ks_arena_release(ks_import_arena(im));
		if (result)
			break;
	}
	ks_csv_release(&c);
	return result;
}

static int kev_import(struct ks_import *im, const cJSON *doc, const char *data, size_t len)
{
	return doc ? kev_json(im, doc) : kev_csv(im, data, len);
}

const struct ks_importer ks_importer_kev = {
	.name = "kev",
	.per_record = false,
	.sniff_json = kev_sniff_json,
	.sniff_text = kev_sniff_text,
	.import = kev_import,
};
