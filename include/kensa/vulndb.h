/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vulndb.h — the vulnerability database: one SQLite file built from real feeds (OSV, CVE
 * JSON 5, NVD API 2.0, CISA KEV, FIRST EPSS, OpenVEX, CycloneDX VEX), and the queries the
 * matcher and the CLI run against it.
 *
 * What it is: storage and look-up. Records are parsed once at import; ranges and events are
 * stored decoded, so a query never parses JSON. Records sharing an alias (CVE ↔ GHSA ↔
 * PYSEC ↔ DEBIAN-DERIVED …) form one alias group, so KEV, EPSS, CVSS and SSVC facts about a
 * CVE reach every record about it.
 * What it is not: the matcher. Nothing here compares versions; kensa_db_query_package()
 * hands out the ranges and the caller decides with the ecosystem's comparator.
 *
 * Files are replaced atomically: builds, imports and updates write a new database beside
 * the old one and rename it over the old one, so an open handle keeps reading the version
 * it opened, and a killed update leaves the previous file untouched. See docs/db.md.
 *
 * Threading: a struct kensa_db is used by one thread at a time; open one per thread.
 */
#ifndef KENSA_VULNDB_H
#define KENSA_VULNDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kensa/error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct kensa_db;

/* The schema version this library reads and writes (PRAGMA user_version). */
#define KENSA_DB_SCHEMA 1

/*
 * The default database path: $XDG_CACHE_HOME/kensa/kensa.db, else ~/.cache/kensa/kensa.db.
 * Returns a malloc'ed string owned by the caller, or NULL when neither variable is set.
 */
KENSA_API char *kensa_db_default_path(void);

/*
 * Open the database at `path` for reading (flags: 0, reserved). Errors: KENSA_ENOTFOUND when
 * there is no file ("no vulnerability database at '%s'"), KENSA_EFORMAT when the file is not
 * a kensa database or was written by a newer schema, KENSA_EDB when it is corrupt or
 * truncated. On success *out is owned by the caller (kensa_db_free).
 */
KENSA_API int kensa_db_open(const char *path, unsigned flags, struct kensa_db **out,
			    struct kensa_err *err);
KENSA_API void kensa_db_free(struct kensa_db *db);

/* ---------------------------------------------------------------- affected packages (hot path) */

enum kensa_range_type {
	KENSA_RANGE_OTHER = 0,		/* a type not known here (see type_name) */
	KENSA_RANGE_ECOSYSTEM = 1,	/* ordered by the ecosystem's own version rules */
	KENSA_RANGE_SEMVER = 2,		/* SemVer 2.0 */
	KENSA_RANGE_GIT = 3,		/* commit hashes: kept; a version matcher ignores it */
};

enum kensa_event_kind {
	KENSA_EVENT_INTRODUCED = 1,
	KENSA_EVENT_FIXED = 2,
	KENSA_EVENT_LAST_AFFECTED = 3,
	KENSA_EVENT_LIMIT = 4,
};

struct kensa_event {
	enum kensa_event_kind kind;
	const char *version;		/* "0" for "introduced at the beginning" */
};

struct kensa_range {
	enum kensa_range_type type;
	const char *type_name;		/* "ECOSYSTEM", "SEMVER", "GIT" or as the feed says */
	const char *repo;		/* GIT ranges: the repository URL, else NULL */
	const struct kensa_event *events;	/* in the feed's order */
	uint32_t nevents;
};

/* One affected[] entry of an advisory record, as kensa_db_query_package() hands it out. */
struct kensa_affected {
	const char *advisory;		/* record id: "GHSA-jfh8-c2jp-5v3q" */
	const char *feed;		/* "osv" (the only feed with package ranges today) */
	const char *ecosystem;		/* as the feed spells it, with release: "Debian:12" */
	const char *package;		/* as the feed spells it: "Django", "org.x:y" */
	const char *purl;		/* the feed's package URL, or NULL */
	/* may be empty: that means "range unknown", not "all versions" */
	const struct kensa_range *ranges;
	uint32_t nranges;
	const char *const *versions;	/* explicit affected versions (OSV "versions") */
	uint32_t nversions;
	const char *fix_status;		/* distro fix status ("fixed-in-update"), or NULL */
	const char *database_specific;	/* JSON text of its database_specific, or NULL */
	const char *ecosystem_specific;	/* JSON text (Go: imports/symbols), or NULL */
	bool withdrawn;			/* only seen with KENSA_DB_WITHDRAWN */
};

enum kensa_db_query_flags {
	KENSA_DB_WITHDRAWN = 1u << 0,	 /* also hand out entries of withdrawn records */
	KENSA_DB_ALL_RELEASES = 1u << 1, /* "Debian" also matches "Debian:12", "Debian:11" … */
};

/*
 * Called once per entry; everything in *a is borrowed until the callback returns. Return 0
 * to go on; any other value stops the walk and is returned by kensa_db_query_package().
 */
typedef int (*kensa_db_affected_fn)(void *userdata, const struct kensa_affected *a);

/*
 * Every affected entry for (ecosystem, name). `ecosystem` is OSV's name, with the release
 * for distributions ("Debian:12", "Alpine:v3.19"); `name` is normalized the way the
 * ecosystem compares names (PyPI PEP 503, npm/NuGet/Packagist/crates.io case-insensitive,
 * Maven "group:artifact", Go module paths and Debian source names as they are). One indexed
 * look-up through a prepared statement. Returns 0, the callback's non-zero value, or a
 * negative KENSA_E*.
 */
KENSA_API int kensa_db_query_package(struct kensa_db *db, const char *ecosystem, const char *name,
				     unsigned flags, kensa_db_affected_fn fn, void *userdata,
				     struct kensa_err *err);

/*
 * Every affected entry for the package a purl names ("pkg:pypi/django@4.2",
 * "pkg:deb/debian/openssl?distro=debian-12"); the version is ignored (list only). A distro
 * qualifier selects the release ("Debian:12"); without one, all releases match.
 */
KENSA_API int kensa_db_query_purl(struct kensa_db *db, const char *purl, unsigned flags,
				  kensa_db_affected_fn fn, void *userdata, struct kensa_err *err);

/* The affected entries of one record (by exact record id), same callback contract. */
KENSA_API int kensa_db_query_record(struct kensa_db *db, const char *id, kensa_db_affected_fn fn,
				    void *userdata, struct kensa_err *err);

/* ---------------------------------------------------------------- advisories and enrichment */

/* One record of an alias group (an OSV record, a CVE JSON 5 record, an NVD record). */
struct kensa_db_record {
	const char *id;
	const char *feed;		/* "osv", "cve5", "nvd" */
	const char *origin;		/* where it was imported from (path or URL) */
	const char *summary, *details;	/* NULL when the feed has none */
	const char *published, *modified;	/* RFC 3339 as the feed wrote them, or NULL */
	const char *withdrawn;		/* when withdrawn/rejected, else NULL */
	const char *database_specific;	/* JSON text, or NULL */
	const char *const *aliases;	/* as this record declares them */
	size_t naliases;
	const char *const *related;	/* "related" and "upstream" ids, not linked */
	size_t nrelated;
};

/* A CVSS vector and who gave it. */
struct kensa_severity {
	const char *id;			/* the record or CVE it is about */
	const char *provider;		/* "osv", "cve5:cna:<org>", "cve5:adp:CISA-ADP",
					   "nvd:Primary:nvd@nist.gov", "cdx-vex:<doc>" */
	const char *type;		/* "CVSS_V2", "CVSS_V3", "CVSS_V4" or the feed's type */
	const char *vector;		/* "CVSS:3.1/AV:N/…" (v2: "AV:N/AC:L/…") */
	double score;			/* base score when the feed states one, else NaN */
};

struct kensa_cwe {
	const char *id;
	const char *provider;
	const char *cwe;		/* "CWE-79" */
};

struct kensa_kev {
	const char *cve;
	const char *provider;		/* "kev" (the catalog), "cve5:adp:CISA-ADP", "nvd" */
	const char *vendor, *product, *name, *description;
	const char *date_added, *due_date;	/* YYYY-MM-DD */
	const char *ransomware;		/* "Known" / "Unknown" */
	const char *required_action;
	const char *notes;
};

struct kensa_epss {
	const char *cve;
	double score, percentile;	/* 0..1 */
	const char *model_version;	/* "v2025.03.14" */
	const char *score_date;		/* "2026-01-30T12:55:00Z" */
};

struct kensa_ssvc {
	const char *id;
	const char *provider;		/* "cve5:adp:CISA-ADP" */
	const char *exploitation;	/* "none", "poc", "active" */
	const char *automatable;	/* "yes", "no" */
	const char *technical_impact;	/* "partial", "total" */
	const char *version, *timestamp;
};

struct kensa_vex {
	const char *vulnerability;	/* id the statement names */
	const char *product;		/* purl (or the document's product ref) */
	const char *subcomponent;	/* the OpenVEX subcomponent it is about, or NULL */
	/* "not_affected", "affected", "fixed", "under_investigation" */
	const char *status;
	const char *justification;	/* OpenVEX / CycloneDX justification, or NULL */
	const char *impact;		/* impact statement / analysis detail, or NULL */
	const char *action;		/* action statement / response, or NULL */
	const char *document;		/* the VEX document (its @id, serial number or path) */
	const char *timestamp;
	const char *raw_status;		/* CycloneDX analysis.state as written, else NULL */
};

/*
 * Everything known about an id and its alias group. Owned by the caller
 * (kensa_db_advisory_free); all strings and arrays inside are owned by it.
 */
struct kensa_advisory {
	const char *id;			/* the id asked for, as the database spells it */
	const char *const *ids;		/* every id of the alias group, `id` first */
	size_t nids;
	const struct kensa_db_record *records;	/* of the group; the one named `id` first */
	size_t nrecords;
	const struct kensa_severity *severities;
	size_t nseverities;
	const struct kensa_cwe *cwes;
	size_t ncwes;
	const struct kensa_kev *kev;	/* one per CVE of the group and provider */
	size_t nkev;
	const struct kensa_epss *epss;
	size_t nepss;
	const struct kensa_ssvc *ssvc;
	size_t nssvc;
	const struct kensa_vex *vex;
	size_t nvex;
};

/*
 * Look up `id` (any record id or alias, case-insensitive) and gather its group's records and
 * enrichment. Ids named only by enrichment feeds (a CVE in KEV or EPSS with no record) work
 * too. KENSA_ENOTFOUND when the database knows nothing about it.
 */
KENSA_API int kensa_db_advisory_get(struct kensa_db *db, const char *id,
				    struct kensa_advisory **out, struct kensa_err *err);
KENSA_API void kensa_db_advisory_free(struct kensa_advisory *adv);

/* ---------------------------------------------------------------- info */

struct kensa_db_stat {
	/* counts: "withdrawn", "aliases", "affected" …; skips: a reason ("malformed JSON") */
	const char *key;
	uint64_t n;
};

struct kensa_db_source {
	/* "osv", "cve5", "nvd", "kev", "epss", "openvex", "cdx-vex" */
	const char *importer;
	const char *origin;		/* path (directory for per-record feeds) or URL */
	const char *file;		/* file name for one-document feeds, or NULL */
	int64_t fetched_at;		/* unix seconds: download (URL) or read (path) */
	int64_t imported_at;
	uint64_t generation;		/* the build/import/update that imported it */
	const char *etag, *last_modified;	/* from the HTTP response, or NULL */
	const char *feed_version;	/* KEV catalogVersion, EPSS model_version … or NULL */
	const char *feed_date;		/* KEV dateReleased, EPSS score_date … or NULL */
	uint64_t records;		/* records (rows, statements) imported */
	uint64_t skipped;		/* records skipped */
	const struct kensa_db_stat *counts;
	size_t ncounts;
	const struct kensa_db_stat *skips;	/* skipped things by reason */
	size_t nskips;
};

struct kensa_db_info {
	const char *path;
	uint32_t schema;
	int64_t created;		/* unix seconds */
	int64_t updated;		/* last build/import/update that changed data */
	int64_t checked;		/* last successful update check (>= updated) */
	uint64_t generation;
	uint64_t file_size;
	uint64_t advisories, withdrawn, affected, aliases, groups;
	uint64_t severities, cwes, kev, epss, ssvc, vex;
	const struct kensa_db_source *sources;
	size_t nsources;
};

/* Owned by the caller (kensa_db_info_free). */
KENSA_API int kensa_db_info_get(struct kensa_db *db, struct kensa_db_info **out,
				struct kensa_err *err);
KENSA_API void kensa_db_info_free(struct kensa_db_info *info);

/* ---------------------------------------------------------------- building and updating */

/*
 * Build a new database at `path` from files, directories (walked; every feed found is
 * imported, other files are ignored) and archives (.zip of records, .gz). The format of each
 * file is sniffed from its content. The file at `path` is replaced atomically at the end; a
 * file there that is not a kensa database is refused. Bad records are skipped with a
 * counted, logged reason; the call fails only when it cannot do the work at all.
 */
KENSA_API int kensa_db_build(const char *path, const char *const *inputs, size_t ninputs,
			     struct kensa_err *err);

/*
 * Like kensa_db_build(), but starting from the existing database (which must exist).
 * Re-importing an origin (same path) replaces what it contributed before.
 */
KENSA_API int kensa_db_import(const char *path, const char *const *inputs, size_t ninputs,
			      struct kensa_err *err);

struct kensa_db_update_opts {
	const char *mirror;		/* NULL: official sources, else a directory or URL */
	const char *const *ecosystems;	/* OSV ecosystems, NULL-terminated; NULL: default */
	uint64_t max_download;		/* bytes per file, 0: 2 GiB */
	unsigned connect_timeout;	/* seconds, 0: 30 */
	unsigned stall_timeout;		/* seconds without a byte before giving up, 0: 60 */
	unsigned retries;		/* extra attempts on transient failures */
	bool no_retries;		/* make `retries` mean 0 */
};
#define KENSA_DB_UPDATE_OPTS_INIT { NULL, NULL, 0, 0, 0, 2, false }

struct kensa_db_update_report {
	unsigned fetched;		/* units downloaded/read and imported */
	unsigned unchanged;		/* answered 304 / same fingerprint */
	unsigned missing;		/* not offered (404, absent from a mirror) */
	unsigned failed;		/* failed after retries (their old data is kept) */
};

/*
 * Refresh the database at `path` (created when missing) from the official feeds or a
 * mirror, with conditional requests: a unit answered 304 keeps its data. Units that fail are
 * reported (warning + report->failed) and keep their previous data; the rest is committed.
 * Returns KENSA_ENET when every unit failed. `report` may be NULL.
 */
KENSA_API int kensa_db_update(const char *path, const struct kensa_db_update_opts *opts,
			      struct kensa_db_update_report *report, struct kensa_err *err);

/* The official OSV ecosystems kensa fetches by default, NULL-terminated; borrowed forever. */
KENSA_API const char *const *kensa_db_default_ecosystems(void);

#ifdef __cplusplus
}
#endif
#endif
