// SPDX-License-Identifier: Apache-2.0
/*
 * cmd-db.c — `kensa db build|import|update|info|query`: the vulnerability database
 * (docs/db.md). build/import/update print what each source gave (records, skipped records
 * by reason) on stdout; info describes the database and warns when it is old; query shows
 * an advisory with its alias group and enrichment, or what affects a purl's package.
 *
 * Exit codes: 0 ok; 2 usage; 3 error (no database, corrupt or foreign file, nothing could be
 * fetched, some update sources failed, id not found).
 */
#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "kensa/vulndb.h"

#define STALE_DAYS 7
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct db_args {
	const char *db;
	const char **paths;	/* positional arguments */
	size_t npaths;
	const char *mirror;
	const char **ecosystems;	/* NULL-terminated when any */
	size_t necosystems;
	bool json, withdrawn, from, help;
	unsigned retries, timeout;
	bool retries_set;
	uint64_t max_size;
};

static void db_help(FILE *f)
{
	fprintf(f,
		"usage: kensa db build --from PATH... [--db FILE]\n"
		"       kensa db import PATH... [--db FILE]\n"
		"       kensa db update [--mirror DIR|URL] [--ecosystem ECO]... [--db FILE]\n"
		"                       [--retries N] [--timeout SECONDS] [--max-size BYTES]\n"
		"       kensa db info [--json] [--db FILE]\n"
		"       kensa db query ID|PURL [--json] [--withdrawn] [--db FILE]\n"
		"\n"
		"The vulnerability database: one SQLite file built from OSV, CVE JSON 5,\n"
		"NVD API 2.0, CISA KEV, FIRST EPSS, OpenVEX and CycloneDX VEX (docs/db.md).\n"
		"\n"
		"  build     a new database from files, directories (walked) and zips\n"
		"  import    add to the existing database (an origin imported again is replaced)\n"
		"  update    refresh from the official feeds, or a mirror directory or URL, with\n"
		"            conditional requests (an unchanged feed is not downloaded again)\n"
		"  info      sources, counts, age (warns when older than %d days)\n"
		"  query     an advisory by any id or alias (CVE-…, GHSA-…, PYSEC-…) with all\n"
		"            that is linked to it, or what affects a package URL (pkg:…)\n"
		"\n"
		"      --db FILE   the database (default $XDG_CACHE_HOME/kensa/kensa.db,\n"
		"                  else ~/.cache/kensa/kensa.db)\n"
		"\n"
		"Changes are atomic: a new file is built beside the old one and renamed over it.\n",
		STALE_DAYS);
}

static int parse_u(const char *s, uint64_t max, uint64_t *out)
{
	char *end = NULL;
	unsigned long long v;

	if (!s || !*s || *s < '0' || *s > '9')
		return -1;
	v = strtoull(s, &end, 10);
	if (*end || v > max)
		return -1;
	*out = v;
	return 0;
}

/* argv[0] is the verb; options may come anywhere. Returns -1 when fine, else an exit code. */
static int parse_args(const char *verb, int argc, char **argv, struct db_args *a)
{
	a->paths = calloc((size_t)argc + 1, sizeof(*a->paths));
	a->ecosystems = calloc((size_t)argc + 1, sizeof(*a->ecosystems));
	if (!a->paths || !a->ecosystems)
		return cli_fail(NULL, "out of memory");
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		bool has_value = i + 1 < argc;
		uint64_t v;

		if (s[0] != '-') {
			a->paths[a->npaths++] = s;
		} else if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
			a->help = true;
		} else if (strcmp(s, "--db") == 0 && has_value) {
			a->db = argv[++i];
		} else if (strcmp(s, "--from") == 0 && strcmp(verb, "build") == 0) {
			a->from = true;
		} else if (strcmp(s, "--json") == 0 &&
			   (strcmp(verb, "info") == 0 || strcmp(verb, "query") == 0)) {
			a->json = true;
		} else if (strcmp(s, "--withdrawn") == 0 && strcmp(verb, "query") == 0) {
			a->withdrawn = true;
		} else if (strcmp(verb, "update") != 0) {
			return cli_usage("db", "unknown option '%s' for 'db %s'", s, verb);
		} else if (strcmp(s, "--mirror") == 0 && has_value) {
			a->mirror = argv[++i];
		} else if (strcmp(s, "--ecosystem") == 0 && has_value) {
			a->ecosystems[a->necosystems++] = argv[++i];
		} else if (strcmp(s, "--retries") == 0 && has_value) {
			if (parse_u(argv[++i], 10, &v))
				return cli_usage("db update",
						 "--retries takes a number from 0 to 10");
			a->retries = (unsigned)v;
			a->retries_set = true;
		} else if (strcmp(s, "--timeout") == 0 && has_value) {
			if (parse_u(argv[++i], 86400, &v) || v == 0)
				return cli_usage("db update",
						 "--timeout takes seconds (1 to 86400)");
			a->timeout = (unsigned)v;
		} else if (strcmp(s, "--max-size") == 0 && has_value) {
			if (parse_u(argv[++i], UINT64_MAX, &v) || v == 0)
				return cli_usage("db update", "--max-size takes a number of bytes");
			a->max_size = v;
		} else {
			return cli_usage("db", "unknown option '%s' for 'db %s'", s, verb);
		}
	}
	return -1;
}

/* ---------------------------------------------------------------- formatting */

static const char *fmt_time(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || !gmtime_r(&tt, &tm))
		return "never";
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

static const char *fmt_age(int64_t secs, char buf[32])
{
	if (secs < 0)
		secs = 0;
	if (secs < 120)
		snprintf(buf, 32, "%lld seconds", (long long)secs);
	else if (secs < 7200)
		snprintf(buf, 32, "%lld minutes", (long long)(secs / 60));
	else if (secs < 2 * 86400)
		snprintf(buf, 32, "%lld hours", (long long)(secs / 3600));
	else
		snprintf(buf, 32, "%lld days", (long long)(secs / 86400));
	return buf;
}

static const char *fmt_size(uint64_t n, char buf[32])
{
	if (n >= 10u << 20)
		snprintf(buf, 32, "%.1f MB", (double)n / 1e6);
	else
		snprintf(buf, 32, "%.1f kB", (double)n / 1e3);
	return buf;
}

/* JSON string (RFC 8259 escaping; bytes ≥ 0x80 are passed through as the feeds wrote them). */
static void jstr(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p == '\r')
			fputs("\\r", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void jkey(FILE *f, bool *first, const char *key)
{
	fputs(*first ? "" : ",", f);
	*first = false;
	jstr(f, key);
	fputc(':', f);
}

/* sep, then {"key": "value", ...} of n string fields (NULL values as null) */
static void jobject(FILE *f, const char *sep, const char *const fields[][2], size_t n)
{
	bool first = true;

	fprintf(f, "%s{", sep);
	for (size_t j = 0; j < n; j++) {
		jkey(f, &first, fields[j][0]);
		jstr(f, fields[j][1]);
	}
	fputc('}', f);
}

static void jnum(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.17g", v);
	else
		fputs("null", f);
}

/* ---------------------------------------------------------------- sources */

static void print_source(const struct kensa_db_source *s)
{
	printf("  %-8s %9llu %8llu  %s", s->importer, (unsigned long long)s->records,
	       (unsigned long long)s->skipped, s->origin);
	if (s->feed_version || s->feed_date)
		printf("  (%s%s%s)", s->feed_version ? s->feed_version : "",
		       s->feed_version && s->feed_date ? ", " : "",
		       s->feed_date ? s->feed_date : "");
	printf("\n");
	if (s->ncounts) {
		printf("  %-8s %9s %8s  ", "", "", "");
		for (size_t i = 0; i < s->ncounts; i++)
			printf("%s%s %llu", i ? ", " : "", s->counts[i].key,
			       (unsigned long long)s->counts[i].n);
		printf("\n");
	}
	if (s->nskips) {
		printf("  %-8s %9s %8s  skipped: ", "", "", "");
		for (size_t i = 0; i < s->nskips; i++)
			printf("%s%s %llu", i ? ", " : "", s->skips[i].key,
			       (unsigned long long)s->skips[i].n);
		printf("\n");
	}
}

/* The sources imported by generation `gen` (0: all). */
static void print_sources(const struct kensa_db_info *info, uint64_t gen)
{
	uint64_t records = 0, skipped = 0;
	size_t n = 0;

	for (size_t i = 0; i < info->nsources; i++)
		n += !gen || info->sources[i].generation == gen;
	if (!n) {
		printf("  no source changed\n");
		return;
	}
	n = 0;
	printf("  %-8s %9s %8s  %s\n", "importer", "records", "skipped", "origin");
	for (size_t i = 0; i < info->nsources; i++) {
		if (gen && info->sources[i].generation != gen)
			continue;
		print_source(&info->sources[i]);
		records += info->sources[i].records;
		skipped += info->sources[i].skipped;
		n++;
	}
	printf("  %zu sources, %llu records, %llu skipped\n", n, (unsigned long long)records,
	       (unsigned long long)skipped);
}

static void print_counts(const struct kensa_db_info *i)
{
	printf("advisories %llu (withdrawn %llu), alias groups %llu, affected packages %llu, "
	       "aliases %llu\n",
	       (unsigned long long)i->advisories, (unsigned long long)i->withdrawn,
	       (unsigned long long)i->groups, (unsigned long long)i->affected,
	       (unsigned long long)i->aliases);
	printf("severities %llu, CWEs %llu, KEV %llu, EPSS %llu, SSVC %llu, VEX statements %llu\n",
	       (unsigned long long)i->severities, (unsigned long long)i->cwes,
	       (unsigned long long)i->kev, (unsigned long long)i->epss, (unsigned long long)i->ssvc,
	       (unsigned long long)i->vex);
}

static int open_db(const char *path, struct kensa_db **db)
{
	struct kensa_err err = KENSA_ERR_INIT;
	int rc = kensa_db_open(path, 0, db, &err);

	if (rc == KENSA_ENOTFOUND) {
		fprintf(stderr, "kensa: error: %s; run 'kensa db update' (or 'kensa db build "
			"--from DIR')\n", err.msg);
		return EXIT_ERROR;
	}
	if (rc)
		return cli_fail(&err, "cannot open the database");
	return EXIT_OK;
}

/* After a successful build/import/update: what changed. */
static int report_after(const char *path, const char *what)
{
	struct kensa_err err = KENSA_ERR_INIT;
	struct kensa_db_info *info = NULL;
	struct kensa_db *db = NULL;
	char sz[32];
	int rc = open_db(path, &db);

	if (rc)
		return rc;
	if (kensa_db_info_get(db, &info, &err) != 0) {
		rc = cli_fail(&err, "cannot read the database");
		goto out;
	}
	if (cli.verbosity >= 0) {
		printf("%s '%s' (generation %llu, %s, %.2f s)\n", what, path,
		       (unsigned long long)info->generation, fmt_size(info->file_size, sz),
		       cli_elapsed());
		print_counts(info);
		print_sources(info, info->generation);
	}
out:
	kensa_db_info_free(info);
	kensa_db_free(db);
	return rc;
}

/*
 * An import parses tens of thousands of small JSON documents on reader threads and frees them
 * soon after: with glibc's default thresholds every free of a document returns memory to the
 * kernel and the next parse asks for it again. Keeping up to 256 MiB of freed memory (and
 * growing the heap 64 MiB at a time) is ~8% faster on ../shared/data (bench/db.sh). This is
 * process-wide, which is why the command, not the library, chooses it.
 */
static void tune_allocator_for_import(void)
{
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 64 << 20);
}

static int db_build(struct db_args *a, bool fresh)
{
	struct kensa_err err = KENSA_ERR_INIT;
	int rc;

	if (!a->npaths)
		return cli_usage(fresh ? "db build" : "db import",
				 fresh ? "--from needs at least one path" : "nothing to import");
	if (fresh && !a->from)
		return cli_usage("db build", "give the inputs with --from PATH...");
	tune_allocator_for_import();
	rc = fresh ? kensa_db_build(a->db, a->paths, a->npaths, &err)
		   : kensa_db_import(a->db, a->paths, a->npaths, &err);
	if (rc)
		return cli_fail(&err, fresh ? "cannot build the database" : "cannot import");
	return report_after(a->db, fresh ? "built" : "imported into");
}

static int db_update(struct db_args *a)
{
	struct kensa_db_update_opts o = KENSA_DB_UPDATE_OPTS_INIT;
	struct kensa_db_update_report rep = { 0 };
	struct kensa_err err = KENSA_ERR_INIT;
	int rc;

	if (a->npaths)
		return cli_usage("db update",
				 "unexpected argument '%s' (a mirror is given with --mirror)",
				 a->paths[0]);
	o.mirror = a->mirror;
	o.ecosystems = a->necosystems ? a->ecosystems : NULL;
	o.max_download = a->max_size;
	o.stall_timeout = a->timeout;
	o.connect_timeout = a->timeout;
	if (a->retries_set) {
		o.retries = a->retries;
		o.no_retries = a->retries == 0;
	}
	tune_allocator_for_import();
	rc = kensa_db_update(a->db, &o, &rep, &err);
	if (rc)
		return cli_fail(&err, "cannot update the database");
	rc = report_after(a->db, rep.fetched ? "updated" : "checked");
	if (cli.verbosity >= 0)
		printf("units: %u fetched, %u unchanged, %u not offered, %u failed\n", rep.fetched,
		       rep.unchanged, rep.missing, rep.failed);
	if (!rc && rep.failed) {
		fprintf(stderr,
			"kensa: error: %u update source%s failed; their previous data is kept\n",
			rep.failed, rep.failed == 1 ? "" : "s");
		rc = EXIT_ERROR;
	}
	return rc;
}

/* ---------------------------------------------------------------- info */

static void json_stats(FILE *f, const struct kensa_db_stat *s, size_t n)
{
	bool first = true;

	fputc('{', f);
	for (size_t i = 0; i < n; i++) {
		jkey(f, &first, s[i].key);
		fprintf(f, "%llu", (unsigned long long)s[i].n);
	}
	fputc('}', f);
}

static void info_json(const struct kensa_db_info *i, int64_t age, bool stale)
{
	static const struct {
		const char *key;
		size_t off;
	} counts[] = {
		{ "advisories", offsetof(struct kensa_db_info, advisories) },
		{ "withdrawn", offsetof(struct kensa_db_info, withdrawn) },
		{ "affected", offsetof(struct kensa_db_info, affected) },
		{ "aliases", offsetof(struct kensa_db_info, aliases) },
		{ "groups", offsetof(struct kensa_db_info, groups) },
		{ "severities", offsetof(struct kensa_db_info, severities) },
		{ "cwes", offsetof(struct kensa_db_info, cwes) },
		{ "kev", offsetof(struct kensa_db_info, kev) },
		{ "epss", offsetof(struct kensa_db_info, epss) },
		{ "ssvc", offsetof(struct kensa_db_info, ssvc) },
		{ "vex", offsetof(struct kensa_db_info, vex) },
	};
	char t[32];
	bool first = true;

	printf("{\"path\":");
	jstr(stdout, i->path);
	printf(",\"schema\":%u,\"generation\":%llu,\"file_size\":%llu,\"created\":", i->schema,
	       (unsigned long long)i->generation, (unsigned long long)i->file_size);
	jstr(stdout, i->created ? fmt_time(i->created, t) : NULL);
	printf(",\"updated\":");
	jstr(stdout, i->updated ? fmt_time(i->updated, t) : NULL);
	printf(",\"checked\":");
	jstr(stdout, i->checked ? fmt_time(i->checked, t) : NULL);
	printf(",\"age_seconds\":%lld,\"stale\":%s,\"counts\":{", (long long)age,
	       stale ? "true" : "false");
	for (size_t k = 0; k < ARRAY_SIZE(counts); k++) {
		jkey(stdout, &first, counts[k].key);
		printf("%llu",
		       (unsigned long long)*(const uint64_t *)((const char *)i + counts[k].off));
	}
	printf("},\"sources\":[");
	for (size_t k = 0; k < i->nsources; k++) {
		const struct kensa_db_source *s = &i->sources[k];

		printf("%s{\"importer\":", k ? "," : "");
		jstr(stdout, s->importer);
		printf(",\"origin\":");
		jstr(stdout, s->origin);
		printf(",\"file\":");
		jstr(stdout, s->file);
		printf(",\"fetched_at\":");
		jstr(stdout, fmt_time(s->fetched_at, t));
		printf(",\"imported_at\":");
		jstr(stdout, fmt_time(s->imported_at, t));
		printf(",\"generation\":%llu,\"etag\":", (unsigned long long)s->generation);
		jstr(stdout, s->etag);
		printf(",\"last_modified\":");
		jstr(stdout, s->last_modified);
		printf(",\"feed_version\":");
		jstr(stdout, s->feed_version);
		printf(",\"feed_date\":");
		jstr(stdout, s->feed_date);
		printf(",\"records\":%llu,\"skipped\":%llu,\"counts\":",
		       (unsigned long long)s->records, (unsigned long long)s->skipped);
		json_stats(stdout, s->counts, s->ncounts);
		printf(",\"skips\":");
		json_stats(stdout, s->skips, s->nskips);
		printf("}");
	}
	printf("]}\n");
}

static int db_info(struct db_args *a)
{
	struct kensa_err err = KENSA_ERR_INIT;
	struct kensa_db_info *info = NULL;
	struct kensa_db *db = NULL;
	int64_t age;
	bool stale;
	char t1[32], t2[32], t3[32], t4[32], sz[32];
	int rc;

	if (a->npaths)
		return cli_usage("db info", "unexpected argument '%s'", a->paths[0]);
	rc = open_db(a->db, &db);
	if (rc)
		return rc;
	if (kensa_db_info_get(db, &info, &err) != 0) {
		rc = cli_fail(&err, "cannot read the database");
		goto out;
	}
	age = (int64_t)time(NULL) - (info->checked ? info->checked : info->updated);
	stale = age > (int64_t)STALE_DAYS * 86400;
	if (a->json) {
		info_json(info, age, stale);
	} else {
		printf("database %s (schema %u, generation %llu, %s)\n", info->path, info->schema,
		       (unsigned long long)info->generation, fmt_size(info->file_size, sz));
		printf("created %s, updated %s, checked %s (%s ago)\n", fmt_time(info->created, t1),
		       fmt_time(info->updated, t2), fmt_time(info->checked, t3), fmt_age(age, t4));
		print_counts(info);
		print_sources(info, 0);
	}
	if (stale)
		fprintf(stderr,
			"kensa: warning: the vulnerability database is %s old; "
			"run 'kensa db update'\n",
			fmt_age(age, t1));
out:
	kensa_db_info_free(info);
	kensa_db_free(db);
	return rc;
}

/* ---------------------------------------------------------------- query */

static void print_ranges(FILE *f, const struct kensa_affected *e)
{
	for (uint32_t r = 0; r < e->nranges; r++) {
		const struct kensa_range *rg = &e->ranges[r];
		static const char *const names[] = { "?", "introduced", "fixed", "last_affected",
						     "limit" };

		fprintf(f, "%s%s", r ? "; " : "", rg->type_name);
		for (uint32_t k = 0; k < rg->nevents; k++)
			fprintf(f, "%s%s %s", k ? ", " : " ",
				names[rg->events[k].kind <= 4 ? rg->events[k].kind : 0],
				rg->events[k].version);
	}
	if (!e->nranges && !e->nversions)
		fprintf(f, "(no ranges: range unknown)");
	if (e->nversions)
		fprintf(f, "%s%u listed versions", e->nranges ? "; " : "", e->nversions);
}

static void json_affected(FILE *f, const struct kensa_affected *e)
{
	static const char *const names[] = { "?", "introduced", "fixed", "last_affected", "limit" };

	fprintf(f, "{\"advisory\":");
	jstr(f, e->advisory);
	fprintf(f, ",\"feed\":");
	jstr(f, e->feed);
	fprintf(f, ",\"ecosystem\":");
	jstr(f, e->ecosystem);
	fprintf(f, ",\"package\":");
	jstr(f, e->package);
	fprintf(f, ",\"purl\":");
	jstr(f, e->purl);
	fprintf(f, ",\"withdrawn\":%s,\"fix_status\":", e->withdrawn ? "true" : "false");
	jstr(f, e->fix_status);
	fprintf(f, ",\"ranges\":[");
	for (uint32_t r = 0; r < e->nranges; r++) {
		const struct kensa_range *rg = &e->ranges[r];

		fprintf(f, "%s{\"type\":", r ? "," : "");
		jstr(f, rg->type_name);
		if (rg->repo) {
			fprintf(f, ",\"repo\":");
			jstr(f, rg->repo);
		}
		fprintf(f, ",\"events\":[");
		for (uint32_t k = 0; k < rg->nevents; k++) {
			fprintf(f, "%s{", k ? "," : "");
			jstr(f, names[rg->events[k].kind <= 4 ? rg->events[k].kind : 0]);
			fputc(':', f);
			jstr(f, rg->events[k].version);
			fputc('}', f);
		}
		fprintf(f, "]}");
	}
	fprintf(f, "],\"versions\":[");
	for (uint32_t k = 0; k < e->nversions; k++) {
		fputs(k ? "," : "", f);
		jstr(f, e->versions[k]);
	}
	fprintf(f, "]}");
}

struct list_ctx {
	bool json;
	size_t n;
};

static int on_affected(void *ud, const struct kensa_affected *e)
{
	struct list_ctx *c = ud;

	if (c->json) {
		fputs(c->n ? "," : "", stdout);
		json_affected(stdout, e);
	} else {
		printf("%-28s %-10s %s%s: ", e->advisory, e->ecosystem, e->package,
		       e->withdrawn ? " (withdrawn)" : "");
		print_ranges(stdout, e);
		printf("\n");
	}
	c->n++;
	return 0;
}

static int query_purl(struct kensa_db *db, struct db_args *a, const char *purl)
{
	struct kensa_err err = KENSA_ERR_INIT;
	struct list_ctx c = { a->json, 0 };
	int rc;

	if (a->json) {
		printf("{\"purl\":");
		jstr(stdout, purl);
		printf(",\"affected\":[");
	}
	rc = kensa_db_query_purl(db, purl, a->withdrawn ? KENSA_DB_WITHDRAWN : 0, on_affected, &c,
				 &err);
	if (a->json)
		printf("]}\n");
	if (rc)
		return cli_fail(&err, "cannot query the database");
	if (!a->json && cli.verbosity >= 0)
		fprintf(stderr, "kensa: %zu affected entr%s for %s\n", c.n, c.n == 1 ? "y" : "ies",
			purl);
	return EXIT_OK;
}

static int record_affected_json(void *ud, const struct kensa_affected *e)
{
	size_t *n = ud;

	fputs((*n)++ ? "," : "", stdout);
	json_affected(stdout, e);
	return 0;
}

static int record_affected_text(void *ud, const struct kensa_affected *e)
{
	(void)ud;
	printf("      %s %s: ", e->ecosystem, e->package);
	print_ranges(stdout, e);
	if (e->fix_status)
		printf(" [%s]", e->fix_status);
	printf("\n");
	return 0;
}

static void query_json(struct kensa_db *db, const struct kensa_advisory *v)
{
	printf("{\"id\":");
	jstr(stdout, v->id);
	printf(",\"ids\":[");
	for (size_t i = 0; i < v->nids; i++) {
		fputs(i ? "," : "", stdout);
		jstr(stdout, v->ids[i]);
	}
	printf("],\"records\":[");
	for (size_t i = 0; i < v->nrecords; i++) {
		const struct kensa_db_record *r = &v->records[i];
		size_t n = 0;

		printf("%s{\"id\":", i ? "," : "");
		jstr(stdout, r->id);
		printf(",\"feed\":");
		jstr(stdout, r->feed);
		printf(",\"origin\":");
		jstr(stdout, r->origin);
		printf(",\"summary\":");
		jstr(stdout, r->summary);
		printf(",\"details\":");
		jstr(stdout, r->details);
		printf(",\"published\":");
		jstr(stdout, r->published);
		printf(",\"modified\":");
		jstr(stdout, r->modified);
		printf(",\"withdrawn\":");
		jstr(stdout, r->withdrawn);
		printf(",\"database_specific\":%s",
		       r->database_specific ? r->database_specific : "null");
		printf(",\"aliases\":[");
		for (size_t k = 0; k < r->naliases; k++) {
			fputs(k ? "," : "", stdout);
			jstr(stdout, r->aliases[k]);
		}
		printf("],\"related\":[");
		for (size_t k = 0; k < r->nrelated; k++) {
			fputs(k ? "," : "", stdout);
			jstr(stdout, r->related[k]);
		}
		printf("],\"affected\":[");
		if (strcmp(r->feed, "osv") == 0)
			kensa_db_query_record(db, r->id, record_affected_json, &n, NULL);
		printf("]}");
	}
	printf("],\"severities\":[");
	for (size_t i = 0; i < v->nseverities; i++) {
		const struct kensa_severity *s = &v->severities[i];

		printf("%s{\"id\":", i ? "," : "");
		jstr(stdout, s->id);
		printf(",\"provider\":");
		jstr(stdout, s->provider);
		printf(",\"type\":");
		jstr(stdout, s->type);
		printf(",\"vector\":");
		jstr(stdout, s->vector);
		printf(",\"score\":");
		jnum(stdout, s->score);
		printf("}");
	}
	printf("],\"cwes\":[");
	for (size_t i = 0; i < v->ncwes; i++) {
		const char *const f[][2] = {
			{ "id", v->cwes[i].id },
			{ "provider", v->cwes[i].provider },
			{ "cwe", v->cwes[i].cwe },
		};

		jobject(stdout, i ? "," : "", f, ARRAY_SIZE(f));
	}
	printf("],\"kev\":[");
	for (size_t i = 0; i < v->nkev; i++) {
		const struct kensa_kev *k = &v->kev[i];
		const char *const f[][2] = {
			{ "cve", k->cve },
			{ "provider", k->provider },
			{ "vendor", k->vendor },
			{ "product", k->product },
			{ "name", k->name },
			{ "description", k->description },
			{ "date_added", k->date_added },
			{ "due_date", k->due_date },
			{ "ransomware", k->ransomware },
			{ "required_action", k->required_action },
			{ "notes", k->notes },
		};

		jobject(stdout, i ? "," : "", f, ARRAY_SIZE(f));
	}
	printf("],\"epss\":[");
	for (size_t i = 0; i < v->nepss; i++) {
		printf("%s{\"cve\":", i ? "," : "");
		jstr(stdout, v->epss[i].cve);
		printf(",\"score\":");
		jnum(stdout, v->epss[i].score);
		printf(",\"percentile\":");
		jnum(stdout, v->epss[i].percentile);
		printf(",\"model_version\":");
		jstr(stdout, v->epss[i].model_version);
		printf(",\"score_date\":");
		jstr(stdout, v->epss[i].score_date);
		printf("}");
	}
	printf("],\"ssvc\":[");
	for (size_t i = 0; i < v->nssvc; i++) {
		const struct kensa_ssvc *s = &v->ssvc[i];
		const char *const f[][2] = {
			{ "id", s->id },
			{ "provider", s->provider },
			{ "exploitation", s->exploitation },
			{ "automatable", s->automatable },
			{ "technical_impact", s->technical_impact },
			{ "version", s->version },
			{ "timestamp", s->timestamp },
		};

		jobject(stdout, i ? "," : "", f, ARRAY_SIZE(f));
	}
	printf("],\"vex\":[");
	for (size_t i = 0; i < v->nvex; i++) {
		const struct kensa_vex *x = &v->vex[i];
		const char *const f[][2] = {
			{ "vulnerability", x->vulnerability },
			{ "product", x->product },
			{ "subcomponent", x->subcomponent },
			{ "status", x->status },
			{ "justification", x->justification },
			{ "impact", x->impact },
			{ "action", x->action },
			{ "document", x->document },
			{ "timestamp", x->timestamp },
			{ "raw_status", x->raw_status },
		};

		jobject(stdout, i ? "," : "", f, ARRAY_SIZE(f));
	}
	printf("]}\n");
}

static void query_text(struct kensa_db *db, const struct kensa_advisory *v)
{
	printf("%s\n", v->id);
	if (v->nids > 1) {
		printf("  aliases:");
		for (size_t i = 1; i < v->nids; i++)
			printf(" %s", v->ids[i]);
		printf("\n");
	}
	for (size_t i = 0; i < v->nrecords; i++) {
		const struct kensa_db_record *r = &v->records[i];

		printf("  record %s [%s] published %s, modified %s%s%s\n", r->id, r->feed,
		       r->published ? r->published : "?", r->modified ? r->modified : "?",
		       r->withdrawn ? ", WITHDRAWN " : "", r->withdrawn ? r->withdrawn : "");
		if (r->summary || r->details) {
			const char *s = r->summary ? r->summary : r->details;
			int n = (int)strcspn(s, "\n");

			printf("    %.*s%s\n", n > 160 ? 160 : n, s, n > 160 ? "…" : "");
		}
		if (strcmp(r->feed, "osv") == 0)
			kensa_db_query_record(db, r->id, record_affected_text, NULL, NULL);
	}
	for (size_t i = 0; i < v->nseverities; i++) {
		const struct kensa_severity *s = &v->severities[i];

		printf("  severity %s %s", s->type, s->vector);
		if (isfinite(s->score))
			printf(" (%.1f)", s->score);
		printf(" from %s [%s]\n", s->provider, s->id);
	}
	if (v->ncwes) {
		printf("  CWE");
		for (size_t i = 0; i < v->ncwes; i++) {
			bool seen = false;

			for (size_t k = 0; k < i && !seen; k++)
				seen = strcmp(v->cwes[k].cwe, v->cwes[i].cwe) == 0;
			if (!seen)
				printf(" %s", v->cwes[i].cwe);
		}
		printf("\n");
	}
	for (size_t i = 0; i < v->nkev; i++) {
		const struct kensa_kev *k = &v->kev[i];

		printf("  KEV %s added %s", k->cve, k->date_added ? k->date_added : "?");
		if (k->due_date)
			printf(", due %s", k->due_date);
		if (k->ransomware)
			printf(", ransomware use %s", k->ransomware);
		printf(" [%s]%s%s\n", k->provider, k->name ? ": " : "", k->name ? k->name : "");
	}
	for (size_t i = 0; i < v->nepss; i++)
		printf("  EPSS %s %.5f (percentile %.5f; model %s, %s)\n", v->epss[i].cve,
		       v->epss[i].score, v->epss[i].percentile,
		       v->epss[i].model_version ? v->epss[i].model_version : "?",
		       v->epss[i].score_date ? v->epss[i].score_date : "?");
	for (size_t i = 0; i < v->nssvc; i++) {
		const struct kensa_ssvc *s = &v->ssvc[i];

		printf("  SSVC %s: exploitation %s, automatable %s, technical impact %s [%s %s]\n",
		       s->id, s->exploitation ? s->exploitation : "?",
		       s->automatable ? s->automatable : "?",
		       s->technical_impact ? s->technical_impact : "?", s->provider,
		       s->version ? s->version : "");
	}
	for (size_t i = 0; i < v->nvex; i++) {
		const struct kensa_vex *x = &v->vex[i];

		printf("  VEX %s %s: %s%s%s%s%s [%s]\n", x->vulnerability,
		       x->product ? x->product : "(no product)", x->status,
		       x->subcomponent ? " in " : "", x->subcomponent ? x->subcomponent : "",
		       x->justification ? ", " : "", x->justification ? x->justification : "",
		       x->document ? x->document : "");
	}
}

static int db_query(struct db_args *a)
{
	struct kensa_err err = KENSA_ERR_INIT;
	struct kensa_advisory *adv = NULL;
	struct kensa_db *db = NULL;
	int rc;

	if (a->npaths != 1)
		return cli_usage("db query", a->npaths ? "one id or purl at a time"
						       : "give an id (CVE-…) or a purl (pkg:…)");
	rc = open_db(a->db, &db);
	if (rc)
		return rc;
	if (strncmp(a->paths[0], "pkg:", 4) == 0) {
		rc = query_purl(db, a, a->paths[0]);
		goto out;
	}
	if (kensa_db_advisory_get(db, a->paths[0], &adv, &err) != 0) {
		rc = cli_fail(&err, "cannot query the database");
		goto out;
	}
	if (a->json)
		query_json(db, adv);
	else
		query_text(db, adv);
out:
	kensa_db_advisory_free(adv);
	kensa_db_free(db);
	return rc;
}

int cmd_db(int argc, char **argv)
{
	struct db_args a = { 0 };
	char *default_db = NULL;
	const char *verb = argc > 1 ? argv[1] : NULL;
	int rc;

	if (!verb || strcmp(verb, "-h") == 0 || strcmp(verb, "--help") == 0) {
		db_help(verb ? stdout : stderr);
		return verb ? EXIT_OK : EXIT_USAGE;
	}
	rc = parse_args(verb, argc - 1, argv + 1, &a);
	if (rc >= 0)
		goto out;
	if (a.help) {
		db_help(stdout);
		rc = EXIT_OK;
		goto out;
	}
	if (!a.db) {
		default_db = kensa_db_default_path();
		if (!default_db) {
			rc = cli_usage("db",
				       "no --db given and neither XDG_CACHE_HOME nor HOME is set");
			goto out;
		}
		a.db = default_db;
	}
	if (strcmp(verb, "build") == 0)
		rc = db_build(&a, true);
	else if (strcmp(verb, "import") == 0)
		rc = db_build(&a, false);
	else if (strcmp(verb, "update") == 0)
		rc = db_update(&a);
	else if (strcmp(verb, "info") == 0)
		rc = db_info(&a);
	else if (strcmp(verb, "query") == 0)
		rc = db_query(&a);
	else
		rc = cli_usage("db", "unknown subcommand '%s' (build, import, update, info, query)",
			       verb);
out:
	free(a.paths);
	free(a.ecosystems);
	free(default_db);
	return rc;
}
