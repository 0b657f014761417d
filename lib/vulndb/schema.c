// SPDX-License-Identifier: Apache-2.0
/*
 * schema.c — the database schema (version KENSA_DB_SCHEMA) and the checks that tell a kensa
 * database from a foreign, corrupt or truncated file before anything else reads it.
 *
 * Layout (docs/db.md has the prose):
 *   meta          key/value: format, schema, created, updated, checked, generation
 *   source        one row per (importer, origin) with counts, HTTP validators, feed facts
 *   source_stat   per source: named counts (kind 0) and skip reasons (kind 1)
 *   fetch_state   conditional-request state of each update unit (URL or mirror directory)
 *   advisory      one row per record (OSV / CVE5 / NVD), unique by (name, feed)
 *   alias related what records declare; ident maps every id to its alias group
 *   affected      package entries with decoded ranges (text encoding, see vulndb.h)
 *   severity cwe kev epss ssvc vex   enrichment, keyed by the id it talks about
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vulndb.h"

const char ks_vdb_schema_sql[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;\n"
	"CREATE TABLE source(id INTEGER PRIMARY KEY, importer TEXT NOT NULL,\n"
	"  origin TEXT NOT NULL, file TEXT, unit TEXT, generation INTEGER NOT NULL,\n"
	"  fetched_at INTEGER, imported_at INTEGER NOT NULL, etag TEXT, last_modified TEXT,\n"
	"  feed_version TEXT, feed_date TEXT, records INTEGER NOT NULL DEFAULT 0,\n"
	"  skipped INTEGER NOT NULL DEFAULT 0, UNIQUE(importer, origin));\n"
	"CREATE INDEX source_unit ON source(unit);\n"
	"CREATE TABLE source_stat(source INTEGER NOT NULL, kind INTEGER NOT NULL,\n"
	"  key TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(source, kind, key)) WITHOUT ROWID;\n"
	"CREATE TABLE fetch_state(unit TEXT PRIMARY KEY, etag TEXT, last_modified TEXT,\n"
	"  fetched_at INTEGER, checked_at INTEGER) WITHOUT ROWID;\n"
	"CREATE TABLE advisory(id INTEGER PRIMARY KEY, name TEXT NOT NULL, feed TEXT NOT NULL,\n"
	"  source INTEGER NOT NULL, modified TEXT, published TEXT, withdrawn TEXT, summary TEXT,\n"
	"  details TEXT, database_specific TEXT, UNIQUE(name, feed));\n"
	"CREATE TABLE alias(advisory INTEGER NOT NULL, alias TEXT NOT NULL);\n"
	"CREATE TABLE related(advisory INTEGER NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL);\n"
	"CREATE TABLE ident(name TEXT PRIMARY KEY COLLATE NOCASE, grp INTEGER NOT NULL)\n"
	"  WITHOUT ROWID;\n"
	"CREATE TABLE affected(id INTEGER PRIMARY KEY, advisory INTEGER NOT NULL,\n"
	"  eco_base TEXT NOT NULL, ecosystem TEXT NOT NULL, norm TEXT NOT NULL,\n"
	"  name TEXT NOT NULL,\n"
	"  purl TEXT, ranges TEXT NOT NULL, versions TEXT NOT NULL, fix_status TEXT,\n"
	"  database_specific TEXT, ecosystem_specific TEXT);\n"
	"CREATE TABLE severity(advisory INTEGER, source INTEGER NOT NULL, vuln TEXT NOT NULL,\n"
	"  provider TEXT NOT NULL, type TEXT NOT NULL, vector TEXT NOT NULL, score REAL);\n"
	"CREATE TABLE cwe(advisory INTEGER, source INTEGER NOT NULL, vuln TEXT NOT NULL,\n"
	"  provider TEXT NOT NULL, cwe TEXT NOT NULL);\n"
	"CREATE TABLE kev(cve TEXT NOT NULL, provider TEXT NOT NULL, source INTEGER NOT NULL,\n"
	"  vendor TEXT, product TEXT, name TEXT, description TEXT, date_added TEXT,\n"
	"  due_date TEXT, ransomware TEXT, action TEXT, notes TEXT,\n"
	"  PRIMARY KEY(cve, provider)) WITHOUT ROWID;\n"
	"CREATE INDEX kev_source ON kev(source);\n"
	"CREATE TABLE epss(cve TEXT PRIMARY KEY, source INTEGER NOT NULL, score REAL NOT NULL,\n"
	"  percentile REAL NOT NULL) WITHOUT ROWID;\n"
	"CREATE TABLE ssvc(advisory INTEGER, source INTEGER NOT NULL, vuln TEXT NOT NULL,\n"
	"  provider TEXT NOT NULL, exploitation TEXT, automatable TEXT, technical_impact TEXT,\n"
	"  version TEXT, timestamp TEXT);\n"
	"CREATE TABLE vex(id INTEGER PRIMARY KEY, source INTEGER NOT NULL, document TEXT,\n"
	"  vuln TEXT NOT NULL, product TEXT, subcomponent TEXT, status TEXT NOT NULL,\n"
	"  justification TEXT, impact TEXT,\n"
	"  action TEXT, timestamp TEXT, raw_status TEXT);\n"
	"CREATE INDEX vex_source ON vex(source);\n";

/*
 * The indexes that replacing a record or purging a source deletes through. A new database
 * gets them after its bulk load, or as soon as it first replaces or purges (store.c): a
 * fresh build from clean feeds never does, and maintaining them row by row costs ~8% of the
 * import. A copy of a published database already has them.
 */
const char ks_vdb_write_index_sql[] =
	"CREATE INDEX IF NOT EXISTS advisory_source ON advisory(source);\n"
	"CREATE INDEX IF NOT EXISTS alias_advisory ON alias(advisory);\n"
	"CREATE INDEX IF NOT EXISTS related_advisory ON related(advisory);\n"
	"CREATE INDEX IF NOT EXISTS affected_advisory ON affected(advisory);\n"
	"CREATE INDEX IF NOT EXISTS severity_advisory ON severity(advisory);\n"
	"CREATE INDEX IF NOT EXISTS severity_source ON severity(source);\n"
	"CREATE INDEX IF NOT EXISTS cwe_advisory ON cwe(advisory);\n"
	"CREATE INDEX IF NOT EXISTS cwe_source ON cwe(source);\n"
	"CREATE INDEX IF NOT EXISTS ssvc_advisory ON ssvc(advisory);\n"
	"CREATE INDEX IF NOT EXISTS ssvc_source ON ssvc(source);\n";

/*
 * The indexes only readers use. A new database gets them once, after the import (cheaper
 * than maintaining them row by row); a copy already has them. ident_grp is rebuilt with the
 * alias groups (store.c).
 */
const char ks_vdb_read_index_sql[] =
	"CREATE INDEX IF NOT EXISTS affected_pkg ON affected(eco_base, norm, ecosystem);\n"
	"CREATE INDEX IF NOT EXISTS severity_vuln ON severity(vuln);\n"
	"CREATE INDEX IF NOT EXISTS cwe_vuln ON cwe(vuln);\n"
	"CREATE INDEX IF NOT EXISTS ssvc_vuln ON ssvc(vuln);\n"
	"CREATE INDEX IF NOT EXISTS vex_vuln ON vex(vuln);\n"
	"CREATE INDEX IF NOT EXISTS vex_product ON vex(product);\n";

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int ks_vdb_check_file(const char *path, struct kensa_err *err)
{
	unsigned char h[100];
	struct stat st;
	uint32_t page_size, pages;
	ssize_t n;
	int fd = -1, result = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return kensa_err_set(err, KENSA_ENOTFOUND,
					     "no vulnerability database at '%s'", path);
		return kensa_err_set(err, KENSA_EIO, "cannot open '%s': %s", path, strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		result = kensa_err_set(err, KENSA_EIO, "cannot stat '%s': %s", path,
				       strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		result = kensa_err_set(err, KENSA_EFORMAT,
				       "'%s' is not a kensa database (not a regular file)", path);
		goto out;
	}
	n = pread(fd, h, sizeof(h), 0);
	if (n < 0) {
		result = kensa_err_set(err, KENSA_EIO, "cannot read '%s': %s", path,
				       strerror(errno));
		goto out;
	}
	if (n < 16 || memcmp(h, "SQLite format 3", 16) != 0) {
		result = kensa_err_set(err, KENSA_EFORMAT,
				       "'%s' is not a kensa database (not an SQLite file)", path);
		goto out;
	}
	if (n < (ssize_t)sizeof(h)) {
		result = kensa_err_set(err, KENSA_EDB, "'%s' is corrupt (truncated header)", path);
		goto out;
	}
	page_size = (uint32_t)h[16] << 8 | h[17];
	if (page_size == 1)
		page_size = 65536;
	if (page_size < 512 || (page_size & (page_size - 1))) {
		result = kensa_err_set(err, KENSA_EDB, "'%s' is corrupt (bad page size %u)", path,
				       page_size);
		goto out;
	}
	/* The in-header page count is valid when "version-valid-for" equals the change counter. */
	pages = be32(h + 28);
	if (be32(h + 92) == be32(h + 24) && pages &&
	    (uint64_t)st.st_size < (uint64_t)pages * page_size) {
		result = kensa_err_set(
			err, KENSA_EDB, "'%s' is corrupt (truncated: %llu of %llu bytes)", path,
			(unsigned long long)st.st_size, (unsigned long long)pages * page_size);
		goto out;
	}
	if ((uint64_t)st.st_size % page_size) {
		result = kensa_err_set(
			err, KENSA_EDB,
			"'%s' is corrupt (size %llu is not a multiple of the page size)", path,
			(unsigned long long)st.st_size);
		goto out;
	}
out:
	close(fd);
	return result;
}

int ks_vdb_sqlerr(sqlite3 *db, int rc, const char *path, const char *what, struct kensa_err *err)
{
	int primary = rc & 0xff;
	const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);

	if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
		return kensa_err_set(err, KENSA_EDB, "'%s' is corrupt: %s", path, msg);
	if (primary == SQLITE_NOMEM)
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory reading '%s'", path);
	if (primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_CANTOPEN)
		return kensa_err_set(err, KENSA_EIO, "cannot %s '%s': %s", what, path, msg);
	return kensa_err_set(err, KENSA_EDB, "cannot %s '%s': %s", what, path, msg);
}

char *ks_vdb_meta_get(sqlite3 *db, const char *key)
{
	sqlite3_stmt *st = NULL;
	char *v = NULL;

	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL) !=
	    SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		v = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

int ks_vdb_check(sqlite3 *db, const char *path, struct kensa_err *err)
{
	sqlite3_stmt *st = NULL;
	const char *format = NULL;
	int version = 0, rc, result = 0;

	rc = sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'format'", -1, &st, NULL);
	if (rc != SQLITE_OK) {
		int primary = rc & 0xff;

		if (primary == SQLITE_ERROR) /* no such table: someone else's database */
			result = kensa_err_set(err, KENSA_EFORMAT, "'%s' is not a kensa database",
					       path);
		else
			result = ks_vdb_sqlerr(db, rc, path, "read", err);
		goto out;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		format = (const char *)sqlite3_column_text(st, 0);
	else if (rc != SQLITE_DONE) {
		result = ks_vdb_sqlerr(db, rc, path, "read", err);
		goto out;
	}
	if (!format || strcmp(format, KS_VDB_FORMAT) != 0) {
		result = kensa_err_set(err, KENSA_EFORMAT, "'%s' is not a kensa database", path);
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	if (rc != SQLITE_ROW) {
		result = ks_vdb_sqlerr(db, rc, path, "read", err);
		goto out;
	}
	if (version > KENSA_DB_SCHEMA) {
		result = kensa_err_set(
			err, KENSA_EFORMAT,
			"'%s' was written by a newer kensa (schema %d; this one reads %d)", path,
			version, KENSA_DB_SCHEMA);
		goto out;
	}
	if (version < 1) {
		result = kensa_err_set(err, KENSA_EFORMAT,
				       "'%s' is not a kensa database (schema %d)", path, version);
		goto out;
	}
out:
	sqlite3_finalize(st);
	return result;
}
