// SPDX-License-Identifier: Apache-2.0
/*
 * test-vulndb.c — the vulnerability database below the CLI: name and id normalization, the
 * CSV reader, a database built from real records of ../shared/data read back through the
 * public API (every affected entry of every input record must come back with the same
 * ranges, events in order and versions as the JSON says), alias groups, and the refusal of
 * missing, foreign, newer, random and truncated files.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "kensa/vulndb.h"
#include "vulndb/vulndb.h"

/* real records, each for a reason */
static const char *const inputs[] = {
	"osv/Maven/GHSA-jfh8-c2jp-5v3q.json",	/* Log4Shell, three ranges */
	/* the same CVE, Debian:12 */
	"osv/Debian/DEBIAN-DERIVED-CVE-2021-44228-apache-log4j2.json",
	"osv/PyPI/PYSEC-2019-144.json",		/* withdrawn, explicit versions */
	"osv/Go/GO-2022-0969.json",		/* two packages, SEMVER, stdlib */
	"osv/npm/GHSA-8hc4-vh64-cxmj.json",	/* "Axios" spelled with a capital */
	"osv/crates.io/RUSTSEC-2020-0014.json",	/* many aliases */
	"kev/known_exploited_vulnerabilities.json",
	"cve/CVE-2024-4577.json",
};

static char tmpdir[] = "/tmp/kensa-test-vulndb.XXXXXX";
static char dbpath[4096];
static const char *shared;

static char *shared_path(const char *rel)
{
	char *p = NULL;

	assert_true(asprintf(&p, "%s/data/%s", shared, rel) > 0);
	return p;
}

static char *slurp(const char *path, size_t *n)
{
	char *data = NULL;

	assert_int_equal(ks_file_read(path, (size_t)64 << 20, &data, n, NULL), 0);
	return data;
}

static int setup(void **state)
{
	const char *paths[KS_ARRAY_SIZE(inputs)];
	struct kensa_err err = KENSA_ERR_INIT;
	int rc;

	(void)state;
	shared = getenv("SHARED");
	if (!shared || access(shared, R_OK) != 0)
		return 0;
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(dbpath, sizeof(dbpath), "%s/kensa.db", tmpdir);
	for (size_t i = 0; i < KS_ARRAY_SIZE(inputs); i++)
		paths[i] = shared_path(inputs[i]);
	rc = kensa_db_build(dbpath, paths, KS_ARRAY_SIZE(inputs), &err);
	for (size_t i = 0; i < KS_ARRAY_SIZE(inputs); i++)
		free((char *)paths[i]);
	if (rc)
		fprintf(stderr, "build: %s\n", err.msg);
	return rc ? -1 : 0;
}

static int teardown(void **state)
{
	char cmd[4200];

	(void)state;
	if (dbpath[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			return -1;
	}
	return 0;
}

#define NEED_SHARED()                                  \
	do {                                           \
		if (!dbpath[0])                        \
			skip();                        \
	} while (0)

/* ---------------------------------------------------------------- names */

static void norm(const char *eco, const char *name, const char *want)
{
	struct ks_buf b = KS_BUF_INIT;

	assert_int_equal(ks_vdb_norm_name(eco, name, &b), 0);
	assert_int_equal(ks_buf_add(&b, "", 0), 0);
	assert_string_equal(b.data ? b.data : "", want);
	ks_buf_release(&b);
}

static void test_names(void **state)
{
	struct ks_buf b = KS_BUF_INIT;

	(void)state;
	norm("PyPI", "Foo_Bar.baz", "foo-bar-baz");
	norm("PyPI", "PyYAML", "pyyaml");
	norm("PyPI", "zope.interface", "zope-interface");
	norm("PyPI", "a__-.b", "a-b");
	norm("npm", "@Babel/Core", "@babel/core");
	norm("NuGet", "Newtonsoft.Json", "newtonsoft.json");
	norm("Maven", "org.Apache:Log4j-Core", "org.Apache:Log4j-Core");
	norm("Go", "github.com/BurntSushi/toml", "github.com/BurntSushi/toml");
	norm("Debian", "libxml2", "libxml2");
	assert_string_equal(ks_vdb_eco_canon("pypi", 4), "PyPI");
	assert_null(ks_vdb_eco_canon("nosuch", 6));
	assert_int_equal(ks_vdb_eco_baselen("Debian:12"), 6);
	assert_int_equal(ks_vdb_id_canon("cve-2021-44228", &b), 0);
	ks_buf_add(&b, "", 0);
	assert_string_equal(b.data, "CVE-2021-44228");
	ks_buf_reset(&b);
	assert_int_equal(ks_vdb_id_canon("ghsa-JFH8-C2JP-5V3Q", &b), 0);
	ks_buf_add(&b, "", 0);
	assert_string_equal(b.data, "GHSA-jfh8-c2jp-5v3q");
	ks_buf_release(&b);
	assert_false(ks_vdb_id_valid("has space"));
	assert_false(ks_vdb_id_valid(""));
	assert_true(ks_vdb_id_valid("RUSTSEC-2020-0014"));
}

/* ---------------------------------------------------------------- CSV */

static void test_csv(void **state)
{
	static const char doc[] =
		"a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,,\n\"open";
	struct ks_csv c;

	(void)state;
	ks_csv_init(&c, doc, sizeof(doc) - 1);
	assert_int_equal(ks_csv_next(&c), 1);
	assert_int_equal(c.nf, 3);
	assert_string_equal(c.fields[2], "c");
	assert_int_equal(ks_csv_next(&c), 1);
	assert_int_equal(c.nf, 3);
	assert_string_equal(c.fields[0], "x, y");
	assert_string_equal(c.fields[1], "say \"hi\"");
	assert_string_equal(c.fields[2], "two\nlines");
	assert_int_equal(ks_csv_next(&c), 1);
	assert_int_equal(c.nf, 3);
	assert_string_equal(c.fields[0], "last");
	assert_string_equal(c.fields[1], "");
	assert_int_equal(ks_csv_next(&c), KENSA_EFORMAT);	/* unterminated quote */
	assert_int_equal(ks_csv_next(&c), 0);
	ks_csv_release(&c);
}

/* ---------------------------------------------------------------- round trip of real records */

struct collect {
	const char *advisory;
	cJSON *entries;		/* array of {ranges, versions} as decoded */
	int withdrawn;
};

static int collect_cb(void *ud, const struct kensa_affected *a)
{
	struct collect *c = ud;
	cJSON *e, *ranges, *versions;

	if (c->advisory && strcmp(a->advisory, c->advisory) != 0)
		return 0;
	c->withdrawn += a->withdrawn;
	e = cJSON_CreateObject();
	ranges = cJSON_AddArrayToObject(e, "ranges");
	for (uint32_t r = 0; r < a->nranges; r++) {
		cJSON *rg = cJSON_CreateObject(), *evs = cJSON_AddArrayToObject(rg, "events");

		cJSON_AddStringToObject(rg, "type", a->ranges[r].type_name);
		for (uint32_t k = 0; k < a->ranges[r].nevents; k++) {
			cJSON *ev = cJSON_CreateObject();

			cJSON_AddStringToObject(ev, ks_vdb_event_name(a->ranges[r].events[k].kind),
						a->ranges[r].events[k].version);
			cJSON_AddItemToArray(evs, ev);
		}
		cJSON_AddItemToArray(ranges, rg);
	}
	versions = cJSON_AddArrayToObject(e, "versions");
	for (uint32_t k = 0; k < a->nversions; k++)
		cJSON_AddItemToArray(versions, cJSON_CreateString(a->versions[k]));
	cJSON_AddItemToArray(c->entries, e);
	return 0;
}

/* The record's entries for one package, as the JSON file has them (ranges: type + events). */
static cJSON *expected_entries(const cJSON *doc, const char *eco, const char *name)
{
	cJSON *out = cJSON_CreateArray();

	ks_json_each(a, ks_json_arr(doc, "affected")) {
		const cJSON *pkg = ks_json_obj(a, "package");
		cJSON *e, *ranges;

		if (strcmp(ks_json_str(pkg, "ecosystem"), eco) != 0 ||
		    strcmp(ks_json_str(pkg, "name"), name) != 0)
			continue;
		e = cJSON_CreateObject();
		ranges = cJSON_AddArrayToObject(e, "ranges");
		ks_json_each(r, ks_json_arr(a, "ranges")) {
			cJSON *rg = cJSON_CreateObject();

			cJSON_AddStringToObject(rg, "type", ks_json_str(r, "type"));
			cJSON_AddItemToObject(rg, "events",
					      cJSON_Duplicate(ks_json_arr(r, "events"), 1));
			cJSON_AddItemToArray(ranges, rg);
		}
		cJSON_AddItemToObject(e, "versions",
				      ks_json_arr(a, "versions")
					      ? cJSON_Duplicate(ks_json_arr(a, "versions"), 1)
					      : cJSON_CreateArray());
		cJSON_AddItemToArray(out, e);
	}
	return out;
}

static void test_roundtrip(void **state)
{
	struct kensa_err err = KENSA_ERR_INIT;
	struct kensa_db *db = NULL;
	size_t checked = 0;

	(void)state;
	NEED_SHARED();
	assert_int_equal(kensa_db_open(dbpath, 0, &db, &err), 0);
	for (size_t i = 0; i < KS_ARRAY_SIZE(inputs); i++) {
		char *path, *data;
		size_t n;
		cJSON *doc;

		if (strncmp(inputs[i], "osv/", 4) != 0)
			continue;
		path = shared_path(inputs[i]);
		data = slurp(path, &n);
		doc = cJSON_ParseWithLength(data, n);
		assert_non_null(doc);
		ks_json_each(a, ks_json_arr(doc, "affected")) {
			const cJSON *pkg = ks_json_obj(a, "package");
			const char *eco = ks_json_str(pkg, "ecosystem"),
				   *name = ks_json_str(pkg, "name");
			struct collect c = { ks_json_str(doc, "id"), cJSON_CreateArray(), 0 };
			cJSON *want = expected_entries(doc, eco, name);

			/* the stored spelling, looked up through normalization */
			assert_int_equal(kensa_db_query_package(db, eco, name, KENSA_DB_WITHDRAWN,
								collect_cb, &c, &err),
					 0);
			if (!cJSON_Compare(c.entries, want, 1)) {
				char *got = cJSON_PrintUnformatted(c.entries),
				     *exp = cJSON_PrintUnformatted(want);

				fprintf(stderr, "%s %s/%s:\n got  %s\n want %s\n", inputs[i], eco,
					name, got, exp);
				free(got);
				free(exp);
				fail();
			}
			assert_int_equal(c.withdrawn > 0, ks_json_str(doc, "withdrawn") != NULL);
			checked++;
			cJSON_Delete(c.entries);
			cJSON_Delete(want);
		}
		cJSON_Delete(doc);
		free(data);
		free(path);
	}
	assert_true(checked >= 8);
	kensa_db_free(db);
}

static void test_lookup_rules(void **state)
{
	struct kensa_err err = KENSA_ERR_INIT;
	struct kensa_db *db = NULL;
	struct collect c = { NULL, NULL, 0 };

	(void)state;
	NEED_SHARED();
	assert_int_equal(kensa_db_open(dbpath, 0, &db, &err), 0);

	/* npm names compare case-insensitively: the record says "Axios" */
	c.entries = cJSON_CreateArray();
	assert_int_equal(kensa_db_query_package(db, "npm", "axios", 0, collect_cb, &c, &err), 0);
	assert_true(cJSON_GetArraySize(c.entries) >= 1);
	cJSON_Delete(c.entries);

	/* withdrawn records are left out unless asked for */
	c = (struct collect){ NULL, cJSON_CreateArray(), 0 };
	assert_int_equal(kensa_db_query_package(db, "PyPI", "ArrayFire", 0, collect_cb, &c, &err),
			 0);
	assert_int_equal(cJSON_GetArraySize(c.entries), 0);
	assert_int_equal(kensa_db_query_package(db, "pypi", "arrayfire", KENSA_DB_WITHDRAWN,
						collect_cb, &c, &err),
			 0);
	assert_int_equal(cJSON_GetArraySize(c.entries), 1);
	cJSON_Delete(c.entries);

	/* a distro ecosystem matches its release exactly, or every release when asked */
	c = (struct collect){ NULL, cJSON_CreateArray(), 0 };
	assert_int_equal(
		kensa_db_query_package(db, "Debian:11", "apache-log4j2", 0, collect_cb, &c, &err),
		0);
	assert_int_equal(cJSON_GetArraySize(c.entries), 0);
	assert_int_equal(
		kensa_db_query_package(db, "Debian", "apache-log4j2", 0, collect_cb, &c, &err), 0);
	assert_int_equal(cJSON_GetArraySize(c.entries), 0);
	assert_int_equal(kensa_db_query_package(db, "Debian", "apache-log4j2",
						KENSA_DB_ALL_RELEASES, collect_cb, &c, &err),
			 0);
	assert_int_equal(cJSON_GetArraySize(c.entries), 1);
	assert_int_equal(
		kensa_db_query_purl(db, "pkg:deb/debian/apache-log4j2@2.17.1-1?distro=debian-12", 0,
				    collect_cb, &c, &err),
		0);
	assert_int_equal(cJSON_GetArraySize(c.entries), 2);
	cJSON_Delete(c.entries);
	kensa_db_free(db);
}

static bool has_id(const struct kensa_advisory *a, const char *id)
{
	for (size_t i = 0; i < a->nids; i++)
		if (strcmp(a->ids[i], id) == 0)
			return true;
	return false;
}

static void test_alias_groups(void **state)
{
	struct kensa_err err = KENSA_ERR_INIT;
	struct kensa_advisory *a = NULL;
	struct kensa_db *db = NULL;
	char *kevpath;
	size_t n;
	char *kevdata;
	cJSON *kev;
	bool in_kev = false;

	(void)state;
	NEED_SHARED();
	kevpath = shared_path("kev/known_exploited_vulnerabilities.json");
	kevdata = slurp(kevpath, &n);
	kev = cJSON_ParseWithLength(kevdata, n);
	ks_json_each(v, ks_json_arr(kev, "vulnerabilities"))
		in_kev |= strcmp(ks_json_str(v, "cveID"), "CVE-2021-44228") == 0;
	assert_true(in_kev);

	assert_int_equal(kensa_db_open(dbpath, 0, &db, &err), 0);
	/* asked by the Debian record's id, case-folded: the CVE's KEV entry must reach it */
	assert_int_equal(
		kensa_db_advisory_get(db, "debian-derived-cve-2021-44228-apache-log4j2", &a, &err),
		0);
	assert_true(has_id(a, "GHSA-jfh8-c2jp-5v3q"));
	assert_true(has_id(a, "CVE-2021-44228"));
	assert_int_equal(a->nrecords, 2);
	assert_true(a->nkev >= 1);
	assert_string_equal(a->kev[0].cve, "CVE-2021-44228");
	assert_string_equal(a->kev[0].provider, "kev");
	assert_true(a->nseverities >= 1);
	kensa_db_advisory_free(a);

	/* RUSTSEC-2020-0014 aliases 8 CVEs and 8 GHSAs: one group */
	assert_int_equal(kensa_db_advisory_get(db, "CVE-2020-35873", &a, &err), 0);
	assert_true(has_id(a, "RUSTSEC-2020-0014"));
	assert_int_equal(a->nids, 17);
	kensa_db_advisory_free(a);

	/* CVE JSON 5: SSVC and the ADP KEV marker */
	assert_int_equal(kensa_db_advisory_get(db, "CVE-2024-4577", &a, &err), 0);
	assert_int_equal(a->nssvc, 1);
	assert_string_equal(a->ssvc[0].exploitation, "active");
	kensa_db_advisory_free(a);

	/* only in KEV: known, without records */
	assert_int_equal(kensa_db_advisory_get(db, "CVE-2025-48384", &a, &err), 0);
	assert_int_equal(a->nrecords, 0);
	assert_int_equal(a->nkev, 1);
	kensa_db_advisory_free(a);

	assert_int_equal(kensa_db_advisory_get(db, "CVE-1999-99999", &a, &err), KENSA_ENOTFOUND);
	assert_null(a);
	kensa_db_free(db);
	cJSON_Delete(kev);
	free(kevdata);
	free(kevpath);
}

/* ---------------------------------------------------------------- refusing bad files */

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void expect_open(const char *path, int code, const char *text)
{
	struct kensa_err err = KENSA_ERR_INIT;
	struct kensa_db *db = NULL;

	assert_int_equal(kensa_db_open(path, 0, &db, &err), code);
	assert_null(db);
	if (!strstr(err.msg, text)) {
		fprintf(stderr, "'%s' not in '%s'\n", text, err.msg);
		fail();
	}
}

static void test_bad_files(void **state)
{
	char p[4200], cmd[9000];
	unsigned char junk[8192];
	char *data;
	size_t n;
	sqlite3 *s = NULL;

	(void)state;
	NEED_SHARED();
	snprintf(p, sizeof(p), "%s/none.db", tmpdir);
	expect_open(p, KENSA_ENOTFOUND, "no vulnerability database");

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(i * 7919 + 13);
	snprintf(p, sizeof(p), "%s/random.db", tmpdir);
	write_file(p, junk, sizeof(junk));
	expect_open(p, KENSA_EFORMAT, "is not a kensa database");

	/* a real SQLite database of someone else */
	snprintf(p, sizeof(p), "%s/foreign.db", tmpdir);
	assert_int_equal(sqlite3_open(p, &s), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(s, "CREATE TABLE t(x); INSERT INTO t VALUES(1);", NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(s);
	expect_open(p, KENSA_EFORMAT, "is not a kensa database");

	/* ours, from a newer kensa */
	snprintf(p, sizeof(p), "%s/newer.db", tmpdir);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", dbpath, p);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(sqlite3_open(p, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	expect_open(p, KENSA_EFORMAT, "newer kensa");

	/* ours, cut in half */
	data = slurp(dbpath, &n);
	snprintf(p, sizeof(p), "%s/truncated.db", tmpdir);
	write_file(p, data, n / 2);
	expect_open(p, KENSA_EDB, "corrupt");
	/* the header alone */
	write_file(p, data, 100);
	expect_open(p, KENSA_EDB, "corrupt");
	free(data);
}

/* Hostile documents straight into an in-memory database: counted, never fatal. */
static void test_hostile_mem(void **state)
{
	static const struct {
		const char *importer, *doc;
	} cases[] = {
		{ "osv", "{\"id\":\"X-1\",\"affected\":[{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"a\"},"
			 "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"0\"},{\"bogus\":\"1\"}]}]}]}" },
		{ "osv", "{\"id\":\"X-2\",\"affected\":\"not an array\"}" },
		{ "osv", "[1,2,3" },
		{ "kev", "{\"vulnerabilities\":[{\"cveID\":42},{\"cveID\":\"CVE-2024-1\"}]}" },
		{ "kev", "cveID,vendorProject\nCVE-2024-1,x\n\"unterminated\n" },
		{ "epss", "#model_version:v1,score_date:2026-01-01T00:00:00Z\ncve,epss,percentile\nCVE-2024-1,2.5,0.1\n"
			  "CVE-2024-2,0.5,0.9\nnot-a-cve,0.1,0.1\n" },
		{ "nvd", "{\"vulnerabilities\":[{\"cve\":{\"id\":\"CVE-2024-1\",\"metrics\":{\"cvssMetricV31\":[{}]}}},{}]}" },
		{ "cve5", "{\"cveMetadata\":{\"cveId\":\"nope\"},\"containers\":{}}" },
		{ "openvex", "{\"@context\":\"https://openvex.dev/ns/v0.2.0\",\"statements\":[{\"vulnerability\":{},"
			     "\"status\":\"fixed\"},{\"vulnerability\":{\"name\":\"CVE-2024-1\"},\"status\":\"maybe\"}]}" },
		{ "cdx-vex", "{\"bomFormat\":\"CycloneDX\",\"vulnerabilities\":[{\"id\":\"CVE-2024-1\","
			     "\"analysis\":{\"state\":\"weird\"}},{\"analysis\":{}}]}" },
	};
	struct ks_store *st = NULL;

	(void)state;
	assert_int_equal(ks_store_open_memory(&st, NULL), 0);
	for (size_t i = 0; i < KS_ARRAY_SIZE(cases); i++) {
		struct ks_import *im = ks_import_new(st);
		sqlite3_stmt *q = NULL;
		char name[32];

		snprintf(name, sizeof(name), "case-%zu", i);
		assert_int_equal(ks_import_mem(im, cases[i].importer, cases[i].doc,
					       strlen(cases[i].doc), name, NULL),
				 0);
		assert_int_equal(ks_import_finish(im, NULL), 0);
		/* every case has at least one bad thing in it, and it was counted */
		assert_int_equal(
			sqlite3_prepare_v2(
				ks_store_db(st),
				"SELECT coalesce(sum(n),0) FROM source_stat WHERE kind = 1", -1, &q,
				NULL),
			SQLITE_OK);
		assert_int_equal(sqlite3_step(q), SQLITE_ROW);
		if (sqlite3_column_int(q, 0) < (int)i + 1) {
			fprintf(stderr, "case %zu (%s) counted no skip\n", i, cases[i].importer);
			fail();
		}
		sqlite3_finalize(q);
	}
	ks_store_abort(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_lookup_rules),
		cmocka_unit_test(test_alias_groups),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_hostile_mem),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
