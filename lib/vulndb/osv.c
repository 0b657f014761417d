// SPDX-License-Identifier: Apache-2.0
/*
 * osv.c — OSV records (https://ossf.github.io/osv-schema/): one JSON object per advisory,
 * as single files, directories of them or the per-ecosystem all.zip archives OSV publishes.
 *
 * Kept: id, modified, published, withdrawn, summary, details, aliases, related, upstream,
 * severity (CVSS vectors, record and affected level), database_specific (JSON text; GHSA's
 * cwe_ids become CWE rows), affected[]: package (ecosystem with release, name, purl), ranges
 * (ECOSYSTEM, SEMVER, GIT and any other type, events in order), versions,
 * database_specific / ecosystem_specific (JSON text), a distro fix status when the record
 * states one (database_specific.status).
 *
 * Hostile input: a record without a usable id, or over a size limit, is skipped before
 * anything of it is stored; a bad alias, severity, range or version inside a good record is
 * dropped (counted and warned about), the rest is kept. A dropped range was dropped from
 * the feed's claim, so the warning matters: the matcher cannot see it.
 */
#include <math.h>

#include "vulndb.h"

#define OSV_MAX_TS 64		/* timestamps */
#define OSV_MAX_SUMMARY ((size_t)64 << 10)

/* An object with an "id" and one OSV field, or without "id" but with two (a broken record). */
static bool osv_sniff(const cJSON *doc)
{
	static const char *const keys[] = { "affected", "aliases", "modified", "published",
					    "withdrawn", "schema_version", "details", "summary" };
	int n = 0;

	if (!cJSON_IsObject(doc))
		return false;
	for (size_t i = 0; i < KS_ARRAY_SIZE(keys); i++)
		n += ks_json_get(doc, keys[i]) != NULL;
	return ks_json_get(doc, "id") ? n >= 1 : n >= 2;
}

/* Append the encoded ranges of one affected entry (see vulndb.h) to b. */
static int encode_ranges(struct ks_import *im, const cJSON *ranges, struct ks_buf *b,
			 const char **git_repo)
{
	size_t nranges = 0;
	int result = 0;

	ks_json_each(r, ranges) {
		const char *type = ks_json_str(r, "type");
		const char *repo = ks_json_str(r, "repo");
		const cJSON *events = ks_json_arr(r, "events");
		size_t start = b->len, nev = 0;
		bool bad = false;

		if (!cJSON_IsObject(r) || !ks_vdb_text_ok(type, 32) || !events) {
			ks_import_drop(im, "bad range", "a range without a type or events");
			continue;
		}
		if (++nranges > KS_VDB_MAX_ITEMS ||
		    cJSON_GetArraySize(events) > (int)KS_VDB_MAX_ITEMS) {
			ks_import_drop(im, "too many ranges or events", "more than %u",
				       KS_VDB_MAX_ITEMS);
			break;
		}
		if (repo && !ks_vdb_text_ok(repo, KS_VDB_MAX_NAME))
			repo = NULL;
		if (repo && strcmp(type, "GIT") == 0 && git_repo && !*git_repo)
			*git_repo = repo;
		if (b->len)
			result = ks_buf_addc(b, '\n');
		if (!result)
			result = ks_buf_adds(b, type);
		if (!result && repo)
			result = ks_buf_printf(b, "\trepo=%s", repo);
		ks_json_each(ev, events) {
			const cJSON *kv = cJSON_IsObject(ev) ? ev->child : NULL;
			int kind = kv && kv->string ? ks_vdb_event_kind(kv->string) : 0;

			if (result)
				break;
			if (!kind || kv->next || !cJSON_IsString(kv) ||
			    !ks_vdb_text_ok(kv->valuestring, KS_VDB_MAX_VERSION)) {
				bad = true;
				break;
			}
			result = ks_buf_printf(b, "\t%s=%s", kv->string, kv->valuestring);
			nev++;
		}
		if (result)
			return result;
		if (bad || nev == 0) {
			/* forget this range, keep the others */
			b->len = start;
			if (b->data)
				b->data[b->len] = '\0';
			ks_import_drop(im, "bad range", "range %s: %s", type,
				       bad ? "an event not introduced/fixed/last_affected/limit"
					   : "no events");
		}
	}
	return result;
}

static int encode_versions(struct ks_import *im, const cJSON *versions, struct ks_buf *b)
{
	size_t n = 0;
	int result = 0;

	ks_json_each(v, versions) {
		if (!cJSON_IsString(v) || !ks_vdb_text_ok(v->valuestring, KS_VDB_MAX_VERSION)) {
			ks_import_drop(im, "bad version",
				       "a versions[] item that is not a version string");
			continue;
		}
		if (++n > KS_VDB_MAX_VERSIONS) {
			ks_import_drop(im, "too many versions", "more than %u",
				       KS_VDB_MAX_VERSIONS);
			break;
		}
		if (b->len)
			result = ks_buf_addc(b, '\t');
		if (!result)
			result = ks_buf_adds(b, v->valuestring);
		if (result)
			break;
	}
	return result;
}

static int store_severities(struct ks_import *im, int64_t adv, const char *id, const cJSON *sev)
{
	int result = 0;

	ks_json_each(s, sev) {
		const char *type = ks_json_str(s, "type");
		const char *score = ks_json_str(s, "score");

		if (!ks_vdb_text_ok(type, 32) || !ks_vdb_text_ok(score, 256)) {
			ks_import_drop(im, "bad severity", "a severity without type or score");
			continue;
		}
		result = ks_store_severity(im, adv, id, "osv", type, score, NAN);
		if (result)
			break;
		ks_import_count(im, "severities", 1);
	}
	return result;
}

static int store_ids(struct ks_import *im, int64_t adv, const cJSON *arr, const char *kind,
		     uint64_t *count)
{
	int result = 0;

	ks_json_each(a, arr) {
		const char *id = cJSON_IsString(a) ? ks_import_id(im, a->valuestring) : NULL;

		if (!id) {
			ks_import_drop(im, "bad alias", "%s: an item that is not an id",
				       kind ? kind : "aliases");
			continue;
		}
		result = kind ? ks_store_related(im, adv, kind, id) : ks_store_alias(im, adv, id);
		if (result)
			break;
		if (count)
			(*count)++;
	}
	return result;
}

static bool count_ok(const cJSON *arr, unsigned max)
{
	return !arr || cJSON_GetArraySize(arr) <= (int)max;
}

static const char *status_of(const cJSON *dbs)
{
	const char *s = ks_json_str(dbs, "status");

	return ks_vdb_text_ok(s, 64) ? s : NULL;
}

static int osv_import(struct ks_import *im, const cJSON *doc, const char *data, size_t len)
{
	struct ks_adv a = { 0 };
	struct ks_buf ranges = KS_BUF_INIT, versions = KS_BUF_INIT;
	const cJSON *aliases, *related, *upstream, *affected, *dbs;
	const char *raw_id;
	bool toolarge = false;
	uint64_t naliases = 0;
	int64_t adv = 0;
	int result = 0;

	(void)data;
	(void)len;
	if (!cJSON_IsObject(doc)) {
		ks_import_skip(im, "unknown schema", "not a JSON object");
		return 0;
	}
	raw_id = ks_json_str(doc, "id");
	a.id = raw_id ? ks_import_id(im, raw_id) : NULL;
	if (!a.id) {
		ks_import_skip(im, raw_id ? "bad id" : "missing id", "%s",
			       raw_id ? "not a usable id" : "no \"id\"");
		return 0;
	}
	a.feed = "osv";
	a.modified = ks_import_str(doc, "modified", OSV_MAX_TS);
	a.published = ks_import_str(doc, "published", OSV_MAX_TS);
	a.withdrawn = ks_import_str(doc, "withdrawn", OSV_MAX_TS);
	a.summary = ks_json_str(doc, "summary");
	a.details = ks_json_str(doc, "details");
	aliases = ks_json_arr(doc, "aliases");
	related = ks_json_arr(doc, "related");
	upstream = ks_json_arr(doc, "upstream");
	affected = ks_json_arr(doc, "affected");
	dbs = ks_json_get(doc, "database_specific");
	a.database_specific = ks_import_json_text(im, dbs, &toolarge);
	if ((a.summary && strlen(a.summary) > OSV_MAX_SUMMARY) ||
	    (a.details && strlen(a.details) > KS_VDB_MAX_TEXT) ||
	    !count_ok(aliases, KS_VDB_MAX_ITEMS) || !count_ok(related, KS_VDB_MAX_ITEMS) ||
	    !count_ok(upstream, KS_VDB_MAX_ITEMS) || !count_ok(affected, KS_VDB_MAX_ITEMS) ||
	    toolarge) {
		ks_import_skip(im, "too large", "%s", a.id);
		return 0;
	}
	if (a.summary && !*a.summary)
		a.summary = NULL;
	if (a.details && !*a.details)
		a.details = NULL;
	if (ks_json_get(doc, "affected") && !affected) {
		ks_import_skip(im, "unknown schema", "%s: \"affected\" is not an array", a.id);
		return 0;
	}

	result = ks_store_advisory(im, &a, &adv);
	if (!result)
		result = store_ids(im, adv, aliases, NULL, &naliases);
	if (!result)
		result = store_ids(im, adv, related, "related", NULL);
	if (!result)
		result = store_ids(im, adv, upstream, "upstream", NULL);
	if (!result)
		result = store_severities(im, adv, a.id, ks_json_arr(doc, "severity"));
	ks_json_each(c, ks_json_arr(dbs, "cwe_ids")) {
		if (result)
			break;
		if (cJSON_IsString(c) && ks_vdb_text_ok(c->valuestring, 32))
			result = ks_store_cwe(im, adv, a.id, "osv", c->valuestring);
	}
	ks_json_each(e, affected) {
		const cJSON *pkg = ks_json_obj(e, "package");
		const char *git_repo = NULL;
		struct ks_aff f = { 0 };

		if (result)
			break;
		if (!cJSON_IsObject(e)) {
			ks_import_drop(im, "bad affected entry",
				       "%s: an affected[] item that is not an object", a.id);
			continue;
		}
		ks_buf_reset(&ranges);
		ks_buf_reset(&versions);
		result = encode_ranges(im, ks_json_arr(e, "ranges"), &ranges, &git_repo);
		if (!result)
			result = encode_versions(im, ks_json_arr(e, "versions"), &versions);
		if (result)
			break;
		f.ecosystem = ks_json_str(pkg, "ecosystem");
		f.name = ks_json_str(pkg, "name");
		if (!pkg && git_repo) {
			/* a GIT-only entry: the repository stands for the package */
			f.ecosystem = "GIT";
			f.name = git_repo;
		}
		if (!ks_vdb_text_ok(f.ecosystem, KS_VDB_MAX_NAME) ||
		    !ks_vdb_text_ok(f.name, KS_VDB_MAX_NAME)) {
			ks_import_drop(im, "bad affected entry",
				       "%s: an affected[] item without package ecosystem and name",
				       a.id);
			continue;
		}
		f.purl = ks_json_str(pkg, "purl");
		if (f.purl && !ks_vdb_text_ok(f.purl, KS_VDB_MAX_NAME))
			f.purl = NULL;
		f.ranges = ranges.data ? ranges.data : "";
		f.versions = versions.data ? versions.data : "";
		f.database_specific = ks_import_json_text(im, ks_json_get(e, "database_specific"),
							  &toolarge);
		f.ecosystem_specific = ks_import_json_text(im, ks_json_get(e, "ecosystem_specific"),
							   &toolarge);
		if (toolarge) {
			ks_import_drop(im, "too large",
				       "%s: affected[] specific data over the limit", a.id);
			f.database_specific = f.ecosystem_specific = NULL;
			toolarge = false;
		}
		f.fix_status = status_of(ks_json_get(e, "database_specific"));
		if (!f.fix_status)
			f.fix_status = status_of(dbs);
		result = ks_store_affected(im, adv, &f);
		if (!result)
			result = store_severities(im, adv, a.id, ks_json_arr(e, "severity"));
		ks_import_count(im, "affected", 1);
	}
	if (!result) {
		ks_import_count(im, "records", 1);
		ks_import_count(im, "aliases", naliases);
		if (a.withdrawn)
			ks_import_count(im, "withdrawn", 1);
	}
	ks_buf_release(&ranges);
	ks_buf_release(&versions);
	return result;
}

const struct ks_importer ks_importer_osv = {
	.name = "osv",
	.per_record = true,
	.sniff_json = osv_sniff,
	.import = osv_import,
};
