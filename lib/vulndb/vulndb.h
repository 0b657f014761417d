/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vulndb.h — the vulnerability database's inside (internal): schema, the writer that builds
 * a new file beside the old one, the import context importers write through, and the
 * importer extension point. The public API is include/kensa/vulndb.h.
 *
 * Writers never touch a published database: store.c copies (or creates) a temporary file in
 * the same directory, imports into it with journaling off, fsyncs it and renames it over the
 * old one. A lock file serializes writers; readers never lock.
 *
 * Importers (one file each: osv.c, cve5.c, nvd.c, kev.c, epss.c, openvex.c, cdx_vex.c, listed
 * in registry.c) get one parsed document at a time and store through ks_store_*(). A bad
 * record is skipped with ks_import_skip() (counted per source and reason, warned about with
 * the file name); an importer returns an error only when the database itself fails.
 */
#ifndef KS_VULNDB_H
#define KS_VULNDB_H

#include <sqlite3.h>
#include <stdlib.h>

#include "kensa/vulndb.h"
#include "util/json.h"
#include "util/util.h"

/* ---------------------------------------------------------------- limits (hostile feeds) */

#define KS_VDB_MAX_DOC ((size_t)256 << 20)	/* one JSON/CSV document, decompressed */
#define KS_VDB_MAX_MEMBER ((size_t)64 << 20)	/* one member of a zip */
#define KS_VDB_MAX_ZIP_TOTAL ((uint64_t)16 << 30) /* all members of one zip, decompressed */
#define KS_VDB_MAX_ZIP_ENTRIES 2000000u
#define KS_VDB_MAX_ID 256			/* bytes of an advisory id or alias */
#define KS_VDB_MAX_NAME 1024			/* bytes of a package name / ecosystem / purl */
#define KS_VDB_MAX_VERSION 1024			/* bytes of one version string */
#define KS_VDB_MAX_TEXT ((size_t)1 << 20)	/* summary, details, JSON blobs */
#define KS_VDB_MAX_ITEMS 10000u		/* aliases, affected, ranges, events per record */
#define KS_VDB_MAX_VERSIONS 100000u		/* explicit versions of one affected entry */
#define KS_VDB_MAX_FILES 4000000u		/* files one directory walk looks at */
#define KS_VDB_MAX_DEPTH 16			/* directory levels one walk descends */
#define KS_VDB_WARN_PER_SOURCE 20		/* warnings per source, then only counted */

/* ---------------------------------------------------------------- schema (schema.c) */

extern const char ks_vdb_schema_sql[];
extern const char ks_vdb_write_index_sql[];
extern const char ks_vdb_read_index_sql[];
#define KS_VDB_FORMAT "kensa-vulndb"

/*
 * Check that an open connection holds a kensa database of a schema we read. `path` names it
 * in messages. KENSA_EFORMAT (foreign / newer) or KENSA_EDB (corrupt).
 */
int ks_vdb_check(sqlite3 *db, const char *path, struct kensa_err *err);
/* Cheap structural checks on the file itself (magic, truncation) before SQLite opens it. */
int ks_vdb_check_file(const char *path, struct kensa_err *err);
/* Map a SQLite failure to a kensa error naming `path` ("'x' is corrupt: …"). */
int ks_vdb_sqlerr(sqlite3 *db, int rc, const char *path, const char *what, struct kensa_err *err);
/* Read meta.key as text (malloc'ed, NULL when missing). */
char *ks_vdb_meta_get(sqlite3 *db, const char *key);

/* ---------------------------------------------------------------- names (norm.c) */

/* The ecosystem's canonical spelling for known ones ("pypi" → "PyPI"), else as given. */
const char *ks_vdb_eco_canon(const char *eco, size_t n);
/* Length of the ecosystem without its release ("Debian:12" → 6). */
size_t ks_vdb_eco_baselen(const char *eco);
/* Normalize a package name for look-up in ecosystem `eco_base` (appends to out). */
int ks_vdb_norm_name(const char *eco_base, const char *name, struct ks_buf *out);
/* Canonical spelling of an advisory id ("cve-2024-1" → "CVE-2024-1"; GHSA suffix lower). */
int ks_vdb_id_canon(const char *id, struct ks_buf *out);
/* Is s a plausible id: 1..KS_VDB_MAX_ID bytes of printable ASCII without spaces? */
bool ks_vdb_id_valid(const char *s);
/* No control characters, at most max bytes, not empty. */
bool ks_vdb_text_ok(const char *s, size_t max);

/* ---------------------------------------------------------------- ranges text (norm.c) */

/*
 * The `ranges` column: ranges separated by '\n'; in a range, tab-separated fields: the type
 * ("ECOSYSTEM"), optionally "repo=URL", then events "introduced=V", "fixed=V",
 * "last_affected=V", "limit=V" in feed order. `versions`: tab-separated. Versions never
 * contain control characters (checked at import), so the encoding is unambiguous.
 */
const char *ks_vdb_event_name(enum kensa_event_kind k);
int ks_vdb_event_kind(const char *name);	/* 0 when unknown */

/* ---------------------------------------------------------------- writer (store.c) */

struct ks_store;
struct ks_import;

/* Where the sources created by an import come from (update: the URL, the unit). */
struct ks_import_origin {
	const char *origin;		/* a URL naming the local path in sources, or NULL */
	const char *unit;		/* update unit key, or NULL */
	int64_t fetched_at;		/* 0: now */
	const char *etag, *last_modified;
	bool flat;			/* a directory: its own files only, no walk */
};

enum ks_store_mode {
	KS_STORE_FRESH,		/* new empty database (build) */
	KS_STORE_COPY,		/* from the existing database, which must be valid (import) */
	KS_STORE_COPY_OR_NEW,	/* existing one if valid, else new (update) */
};

/* Take the writer lock, remove stale temporaries, make the temporary database. */
int ks_store_begin(const char *path, enum ks_store_mode mode, struct ks_store **out,
		   struct kensa_err *err);
/* Finish: alias groups, meta, commit, fsync, rename over `path`. Frees st (always). */
int ks_store_commit(struct ks_store *st, bool data_changed, struct kensa_err *err);
/* An in-memory writer with the schema and an open transaction (fuzzers, tests); free it
 * with ks_store_abort(). */
int ks_store_open_memory(struct ks_store **out, struct kensa_err *err);
/* Give up: remove the temporary, release the lock. Accepts NULL. */
void ks_store_abort(struct ks_store *st);
sqlite3 *ks_store_db(struct ks_store *st);
const char *ks_store_path(const struct ks_store *st);
/* A test hook: sleep when KENSA_TEST_PAUSE_AT names `point` (docs/db.md). */
void ks_vdb_test_pause(const char *point);

/* Conditional-request state of an update unit (fetch_state table). */
struct ks_fetch_state {
	char *etag, *last_modified;
	int64_t fetched_at;
};
int ks_store_fetch_state_get(struct ks_store *st, const char *unit, struct ks_fetch_state *fs);
int ks_store_fetch_state_put(struct ks_store *st, const char *unit, const char *etag,
			     const char *last_modified, int64_t fetched_at, bool changed);
void ks_fetch_state_release(struct ks_fetch_state *fs);
/* Remove everything the sources of update unit `unit` contributed. */
int ks_store_purge_unit(struct ks_store *st, const char *unit);

/* Sources (import.c opens them lazily, at the first record of an (importer, origin)). */
int ks_store_source_new(struct ks_store *st, const char *importer, const char *origin,
			const char *file, const struct ks_import_origin *o, int64_t *id);
int ks_store_source_done(struct ks_store *st, int64_t id, uint64_t records, uint64_t skipped,
			 const char *feed_version, const char *feed_date);
/* kind 0: a count, kind 1: a skip reason */
int ks_store_source_stat(struct ks_store *st, int64_t id, int kind, const char *key, uint64_t n);

/* ---------------------------------------------------------------- import context (import.c) */

struct ks_importer;

struct ks_import *ks_import_new(struct ks_store *st);
/* Import files, directories and archives. Explicit files must be feeds. */
int ks_import_path(struct ks_import *im, const char *path, const struct ks_import_origin *o,
		   struct kensa_err *err);
/* Import a single in-memory document with a given importer (NULL: sniff). Fuzzers, tests. */
int ks_import_mem(struct ks_import *im, const char *importer, const char *data, size_t len,
		  const char *name, struct kensa_err *err);
/* Write the per-source counts and reasons gathered so far; frees im. Accepts NULL. */
int ks_import_finish(struct ks_import *im, struct kensa_err *err);
void ks_import_free(struct ks_import *im);
/* Number of records imported (all sources) by this context so far. */
uint64_t ks_import_records(const struct ks_import *im);

/* Directory listing shared with update.c: feed-looking files (ks_vdb_wanted_file) and
 * sub-directories of `dir`, both sorted, as full paths. */
struct ks_strv {
	char **v;
	size_t n, cap;
};
void ks_strv_release(struct ks_strv *s);
bool ks_vdb_wanted_file(const char *name);
int ks_vdb_list_dir(const char *dir, struct ks_strv *files, struct ks_strv *dirs,
		    struct kensa_err *err);

/* What importers call. `name` in messages is the file being read (set by import.c). */
const char *ks_import_name(const struct ks_import *im);
/* A record was skipped: count it under `reason` and warn (capped per source). */
void ks_import_skip(struct ks_import *im, const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Something inside a kept record was dropped: count under `reason`, warn (capped). */
void ks_import_drop(struct ks_import *im, const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Add n to a named count of the current source ("records", "withdrawn", "aliases" …). */
void ks_import_count(struct ks_import *im, const char *key, uint64_t n);
/* Feed-level facts of the current source (KEV catalogVersion, EPSS model/date). */
int ks_import_feed_info(struct ks_import *im, const char *version, const char *date);
/* Per-record scratch arena, released by import.c after each document. */
struct ks_arena *ks_import_arena(struct ks_import *im);
/* For store.c: the writer and the current source's id. */
struct ks_store *ks_import_store(struct ks_import *im);
int64_t ks_import_source(struct ks_import *im);

/* ---- storing (store.c); all return 0 or KENSA_EDB/ENOMEM (fatal for the import) */

struct ks_adv {
	const char *id;			/* canonical id */
	const char *feed;		/* "osv", "cve5", "nvd" */
	const char *modified, *published, *withdrawn;
	const char *summary, *details;
	const char *database_specific;	/* JSON text */
};
/* Insert (or replace the same feed's record of the same id). *rowid: the new row. */
int ks_store_advisory(struct ks_import *im, const struct ks_adv *a, int64_t *rowid);
int ks_store_alias(struct ks_import *im, int64_t adv, const char *alias);
int ks_store_related(struct ks_import *im, int64_t adv, const char *kind, const char *id);

struct ks_aff {
	const char *ecosystem, *name, *purl;
	const char *ranges;		/* encoded, see above; may be "" */
	const char *versions;		/* encoded; may be "" */
	const char *fix_status;
	const char *database_specific, *ecosystem_specific;
};
int ks_store_affected(struct ks_import *im, int64_t adv, const struct ks_aff *a);
/* adv may be 0 (enrichment that is not part of a record). score: NAN when none. */
int ks_store_severity(struct ks_import *im, int64_t adv, const char *vuln, const char *provider,
		      const char *type, const char *vector, double score);
int ks_store_cwe(struct ks_import *im, int64_t adv, const char *vuln, const char *provider,
		 const char *cwe);
int ks_store_kev(struct ks_import *im, const struct kensa_kev *k);
int ks_store_epss(struct ks_import *im, const char *cve, double score, double percentile);
int ks_store_ssvc(struct ks_import *im, int64_t adv, const struct kensa_ssvc *s);
int ks_store_vex(struct ks_import *im, const struct kensa_vex *v);

/* ---------------------------------------------------------------- importers (registry.c) */

struct ks_importer {
	const char *name;		/* "osv" — also the source's importer column */
	bool per_record;		/* one record per file: the source is the directory / zip */
	/* Is this parsed JSON document yours? (NULL: not a JSON format) */
	bool (*sniff_json)(const cJSON *doc);
	/* Is this text (first bytes of a decompressed file) yours? (NULL: not a text format) */
	bool (*sniff_text)(const char *data, size_t len);
	/* Import one document: doc for JSON formats, data/len for text formats (NUL-terminated). */
	int (*import)(struct ks_import *im, const cJSON *doc, const char *data, size_t len);
};

extern const struct ks_importer *const ks_importers[];
extern const size_t ks_nimporters;
const struct ks_importer *ks_importer_find(const char *name);

/* ---- helpers shared by importers (import.c) */

/* A JSON value rendered compactly (arena), NULL for NULL/absent; too large → NULL + *toolarge. */
char *ks_import_json_text(struct ks_import *im, const cJSON *v, bool *toolarge);
/* The string `key` of obj if it is acceptable text of at most max bytes, else NULL. */
const char *ks_import_str(const cJSON *obj, const char *key, size_t max);
/* Canonical id into the arena (NULL when not a valid id). */
const char *ks_import_id(struct ks_import *im, const char *id);
/* English text of a [{lang, <key>}] array, else the first (cve5.c; NVD shares it). */
const char *ks_cve_description(const cJSON *arr, const char *key);

/* ---------------------------------------------------------------- CSV (csv.c) */

struct ks_csv {
	const char *p, *end;
	struct ks_buf field_data;	/* unquoted field bytes */
	size_t *offs;			/* field offsets into field_data */
	size_t nf, capf;
	const char **fields;		/* valid until the next ks_csv_next() */
	size_t capfields;
	uint64_t line;			/* 1-based line of the record just read */
};
#define KS_CSV_MAX_FIELDS 256
#define KS_CSV_MAX_RECORD ((size_t)1 << 20)

void ks_csv_init(struct ks_csv *c, const char *data, size_t len);
/* Next record: 1 = got one (c->fields, c->nf), 0 = end, <0 = malformed (skips to next line). */
int ks_csv_next(struct ks_csv *c);
void ks_csv_release(struct ks_csv *c);

/* ---------------------------------------------------------------- downloads (fetch.c) */

struct ks_fetch_opts {
	const char *etag, *last_modified;	/* conditional request, or NULL */
	uint64_t max_bytes;
	unsigned connect_timeout, stall_timeout, retries;
	const char *label;			/* progress text */
};

enum ks_fetch_status {
	KS_FETCH_OK = 200,
	KS_FETCH_NOT_MODIFIED = 304,
	KS_FETCH_NOT_FOUND = 404,
};

struct ks_fetch_result {
	int status;			/* enum ks_fetch_status */
	char *etag, *last_modified;	/* of the response (malloc'ed) or NULL */
	uint64_t bytes;
};

/* GET url into the file `dest` (created/truncated). */
int ks_fetch(const char *url, const char *dest, const struct ks_fetch_opts *o,
	     struct ks_fetch_result *res, struct kensa_err *err);
void ks_fetch_result_release(struct ks_fetch_result *r);

#endif
