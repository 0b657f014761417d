// SPDX-License-Identifier: Apache-2.0
/*
 * openvex.c — OpenVEX documents (https://github.com/openvex/spec): statements that a
 * product is (not) affected by a vulnerability.
 *
 * Kept per statement and product (and subcomponent): the vulnerability name, product and
 * subcomponent ids (purls as written), status (not_affected, affected, fixed,
 * under_investigation), justification, impact and action statements, timestamp (the
 * statement's, else the document's), and the document's @id. Both the current spec
 * (vulnerability and products as objects) and v0.0.x (strings) are read.
 *
 * What it is not: the decision. Whether a statement applies to a finding (product and
 * subcomponent against the scanned image and package) is the matcher's call.
 */
#include "vulndb.h"

#define VEX_MAX_FIELD ((size_t)64 << 10)
#define VEX_MAX_PRODUCTS 100000

static bool openvex_sniff(const cJSON *doc)
{
	const char *ctx = ks_json_str(doc, "@context");

	return ctx && strncmp(ctx, "https://openvex.dev/ns", 22) == 0;
}

static const char *status_ok(const char *s)
{
	static const char *const ok[] = { "not_affected", "affected", "fixed",
					  "under_investigation" };

	for (size_t i = 0; s && i < KS_ARRAY_SIZE(ok); i++)
		if (strcmp(s, ok[i]) == 0)
			return ok[i];
	return NULL;
}

/* A product or subcomponent: an object with "@id" (or identifiers.purl), or a string. */
static const char *component_id(const cJSON *c)
{
	const char *id;

	if (cJSON_IsString(c))
		id = c->valuestring;
	else {
		id = ks_json_str(c, "@id");
		if (!id)
			id = ks_json_str(ks_json_obj(c, "identifiers"), "purl");
	}
	return ks_vdb_text_ok(id, KS_VDB_MAX_NAME) ? id : NULL;
}

static int one_statement(struct ks_import *im, const cJSON *s, const char *docid,
			 const char *doc_ts)
{
	const cJSON *vuln = ks_json_get(s, "vulnerability");
	const cJSON *products = ks_json_arr(s, "products");
	const cJSON *legacy_subs = ks_json_arr(s, "subcomponents");
	const char *name = NULL, *raw_status = ks_json_str(s, "status");
	struct kensa_vex v = { 0 };
	size_t rows = 0;
	int result = 0;

	if (cJSON_IsString(vuln))
		name = vuln->valuestring;
	else if (cJSON_IsObject(vuln))
		name = ks_json_str(vuln, "name") ? ks_json_str(vuln, "name")
						 : ks_json_str(vuln, "@id");
	v.vulnerability = name ? ks_import_id(im, name) : NULL;
	v.status = status_ok(raw_status);
	if (!v.vulnerability) {
		ks_import_skip(im, "missing id", "a statement without a vulnerability name");
		return 0;
	}
	if (!v.status) {
		ks_import_skip(im, "bad status", "%s: status '%.40s'", v.vulnerability,
			       raw_status ? raw_status : "");
		return 0;
	}
	if (cJSON_GetArraySize(products) > VEX_MAX_PRODUCTS) {
		ks_import_skip(im, "too large", "%s: too many products", v.vulnerability);
		return 0;
	}
	v.justification = ks_import_str(s, "justification", 128);
	v.impact = ks_import_str(s, "impact_statement", VEX_MAX_FIELD);
	v.action = ks_import_str(s, "action_statement", VEX_MAX_FIELD);
	v.timestamp = ks_import_str(s, "timestamp", 64);
	if (!v.timestamp)
		v.timestamp = doc_ts;
	v.document = docid;
	ks_json_each(p, products)
	{
		const cJSON *subs = cJSON_IsObject(p) ? ks_json_arr(p, "subcomponents")
						      : legacy_subs;
		size_t nsubs = 0;

		v.product = component_id(p);
		if (!v.product) {
			ks_import_drop(im, "bad product", "%s: a product without an id",
				       v.vulnerability);
			continue;
		}
		ks_json_each(sc, subs) {
			if (result || nsubs >= VEX_MAX_PRODUCTS)
				break;
			v.subcomponent = component_id(sc);
			if (!v.subcomponent)
				continue;
			result = ks_store_vex(im, &v);
			nsubs++;
			rows++;
		}
		if (!nsubs && !result) {
			v.subcomponent = NULL;
			result = ks_store_vex(im, &v);
			rows++;
		}
		if (result)
			break;
	}
	if (!result && rows == 0) {
		/* a statement about no product still says something about the vulnerability */
		v.product = v.subcomponent = NULL;
		result = ks_store_vex(im, &v);
	}
	if (!result)
		ks_import_count(im, "records", 1);
	return result;
}

static int openvex_import(struct ks_import *im, const cJSON *doc, const char *data, size_t len)
{
	const cJSON *stmts = ks_json_arr(doc, "statements");
	const char *docid = ks_import_str(doc, "@id", KS_VDB_MAX_NAME);
	const char *ts = ks_import_str(doc, "timestamp", 64);
	int result = 0;

	(void)data;
	(void)len;
	if (!stmts) {
		ks_import_skip(im, "unknown schema", "no statements[]");
		return 0;
	}
	if (!docid)
		docid = ks_import_name(im);
	ks_import_feed_info(im, ks_import_str(doc, "version", 32), ts);
	ks_json_each(s, stmts) {
		if (!cJSON_IsObject(s)) {
			ks_import_skip(im, "unknown schema", "a statement that is not an object");
			continue;
		}
		result = one_statement(im, s, docid, ts);
		if (result)
			break;
	}
	return result;
}

const struct ks_importer ks_importer_openvex = {
	.name = "openvex",
	.per_record = false,
	.sniff_json = openvex_sniff,
	.import = openvex_import,
};
