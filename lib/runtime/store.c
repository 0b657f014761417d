// SPDX-License-Identifier: Apache-2.0
/*
 * store.c — profiles kept in a local SQLite store ($XDG_CACHE_HOME/kensa/profiles.db).
 *
 * Tables (created when missing, schema version in user_version):
 *   runs(run_id, started, duration_s, engine, scope, events, dropped_events, json)
 *       one row per profile run; the agent rewrites its own row at every flush
 *   in_use(subject, subject_kind, purl, ecosystem, name, version, first_seen, last_seen)
 *       per image (or the host, or a container without a known image) and package:
 *       first/last seen merged with earlier runs, so the store answers "was this package
 *       ever loaded in this image, and when last?"
 *   listening(subject, protocol, address, port, first_seen, last_seen)
 *
 * What it is not: the vulnerability database (another file, another module).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "profile.h"

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS runs (run_id TEXT PRIMARY KEY, started TEXT NOT NULL, "
	"duration_s REAL,"
	" engine TEXT, scope TEXT, events INTEGER, dropped_events INTEGER, json TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS in_use (subject TEXT NOT NULL, subject_kind TEXT NOT NULL,"
	" purl TEXT NOT NULL, ecosystem TEXT, name TEXT, version TEXT, first_seen TEXT, last_seen "
	"TEXT,"
	" PRIMARY KEY (subject, purl));"
	"CREATE TABLE IF NOT EXISTS listening (subject TEXT NOT NULL, protocol TEXT NOT NULL,"
	" address TEXT NOT NULL, port INTEGER NOT NULL, first_seen TEXT, last_seen TEXT,"
	" PRIMARY KEY (subject, protocol, address, port));"
	"PRAGMA user_version = 1;";

char *kensa_profile_store_default(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char *path = NULL;

	if (xdg && *xdg) {
		if (asprintf(&path, "%s/kensa/profiles.db", xdg) < 0)
			path = NULL;
	} else if (home && *home) {
		if (asprintf(&path, "%s/.cache/kensa/profiles.db", home) < 0)
			path = NULL;
	}
	return path;
}

/* mkdir -p of the directory part of path. */
static int make_parent(const char *path, struct kensa_err *err)
{
	char dir[4096];
	size_t n = strlen(path);

	if (n >= sizeof(dir))
		return kensa_err_set(err, KENSA_EINVAL, "store path too long: '%s'", path);
	memcpy(dir, path, n + 1);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return kensa_err_set(err, KENSA_EIO, "cannot create '%s': %s", dir,
					     strerror(errno));
		*p = '/';
	}
	return 0;
}

static int db_fail(sqlite3 *db, const char *path, struct kensa_err *err)
{
	return kensa_err_set(err, KENSA_EDB, "profile store '%s': %s", path,
			     db ? sqlite3_errmsg(db) : "cannot open");
}

static const char *subject_kind(const struct inv_slot *s)
{
	return s->host				      ? "host"
	       : strcmp(s->key, "given") == 0	      ? "given"
	       : ks_str_startswith(s->key, "sha256:") ? "image"
						      : "container";
}

int kensa_profile_store(const struct kensa_profile *p, const char *db_path, struct kensa_err *err)
{
	char *dflt = NULL;
	sqlite3 *db = NULL;
	sqlite3_stmt *run = NULL, *use = NULL, *lis = NULL;
	struct ks_jw w;
	char started[32];
	int result = 0;
	bool jw = false;

	if (!db_path) {
		dflt = kensa_profile_store_default();
		if (!dflt)
			return kensa_err_set(err, KENSA_EINVAL,
					     "no store path: set XDG_CACHE_HOME or HOME");
		db_path = dflt;
	}
	result = make_parent(db_path, err);
	if (result)
		goto out;
	if (sqlite3_open(db_path, &db) != SQLITE_OK) {
		result = db_fail(db, db_path, err);
		goto out;
	}
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		result = db_fail(db, db_path, err);
		goto out;
	}
	ks_jw_init(&w, NULL, false);
	jw = true;
	result = ks_profile_json(p, &w);
	if (result || w.error) {
		result = kensa_err_set(err, result ? result : KENSA_ENOMEM,
				       "cannot render the profile");
		goto rollback;
	}
	ks_profile_time(p->first_ev && p->first_ev < p->created_ns ? p->first_ev : p->created_ns,
			started);
	if (sqlite3_prepare_v2(
		    db, "INSERT OR REPLACE INTO runs VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1,
		    &run, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(
		    db,
		    "INSERT INTO in_use VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT "
		    "(subject, purl) "
		    "DO UPDATE SET first_seen = min(first_seen, excluded.first_seen), "
		    "last_seen = max(last_seen, excluded.last_seen)",
		    -1, &use, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "INSERT INTO listening VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT "
			       "(subject, protocol, address, port) DO UPDATE SET "
			       "first_seen = min(first_seen, excluded.first_seen), "
			       "last_seen = max(last_seen, excluded.last_seen)",
			       -1, &lis, NULL) != SQLITE_OK) {
		result = db_fail(db, db_path, err);
		goto rollback;
	}
	{
		struct kensa_profile_summary sum;

		kensa_profile_summary(p, &sum);
		sqlite3_bind_text(run, 1, p->run_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(run, 2, started, -1, SQLITE_STATIC);
		sqlite3_bind_double(run, 3, sum.duration_s);
		sqlite3_bind_text(run, 4, p->engine ? p->engine : "unknown", -1, SQLITE_STATIC);
		sqlite3_bind_text(run, 5, p->opts.scope, -1, SQLITE_STATIC);
		sqlite3_bind_int64(run, 6, (sqlite3_int64)p->stats.events);
		sqlite3_bind_int64(run, 7, (sqlite3_int64)p->stats.dropped);
		sqlite3_bind_text(run, 8, w.buf.data ? w.buf.data : "{}", (int)w.buf.len,
				  SQLITE_STATIC);
		if (sqlite3_step(run) != SQLITE_DONE) {
			result = db_fail(db, db_path, err);
			goto rollback;
		}
	}
	for (const struct inv_slot *s = p->slots; s; s = s->next) {
		for (size_t i = 0; s->use && i < s->npkgs; i++) {
			const struct kensa_package *pkg = ks_profile_slot_pkg(s, i);
			char first[32], last[32];

			if (!s->use[i].first || !pkg || !pkg->purl)
				continue;
			ks_profile_time(s->use[i].first, first);
			ks_profile_time(s->use[i].last, last);
			sqlite3_reset(use);
			sqlite3_bind_text(use, 1, s->key, -1, SQLITE_STATIC);
			sqlite3_bind_text(use, 2, subject_kind(s), -1, SQLITE_STATIC);
			sqlite3_bind_text(use, 3, pkg->purl, -1, SQLITE_STATIC);
			sqlite3_bind_text(use, 4, pkg->ecosystem, -1, SQLITE_STATIC);
			sqlite3_bind_text(use, 5, pkg->name, -1, SQLITE_STATIC);
			sqlite3_bind_text(use, 6, pkg->version, -1, SQLITE_STATIC);
			sqlite3_bind_text(use, 7, first, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(use, 8, last, -1, SQLITE_TRANSIENT);
			if (sqlite3_step(use) != SQLITE_DONE) {
				result = db_fail(db, db_path, err);
				goto rollback;
			}
		}
	}
	for (size_t i = 0; i < p->nlisten; i++) {
		const struct plisten *l = &p->listen[i];
		const struct inv_slot *s = l->ctr->slot;
		char first[32], last[32], addr[64];
		const char *subject = s ? s->key : l->ctr->id;

		ks_profile_time(l->first, first);
		ks_profile_time(l->last, last);
		if (!inet_ntop(l->family == AF_INET6 ? AF_INET6 : AF_INET, l->addr, addr,
			       sizeof(addr)))
			snprintf(addr, sizeof(addr), "?");
		sqlite3_reset(lis);
		sqlite3_bind_text(lis, 1, subject, -1, SQLITE_STATIC);
		sqlite3_bind_text(lis, 2,
				  l->protocol == 6    ? "tcp"
				  : l->protocol == 17 ? "udp"
						      : "other",
				  -1, SQLITE_STATIC);
		sqlite3_bind_text(lis, 3, addr, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(lis, 4, l->port);
		sqlite3_bind_text(lis, 5, first, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(lis, 6, last, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(lis) != SQLITE_DONE) {
			result = db_fail(db, db_path, err);
			goto rollback;
		}
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		result = db_fail(db, db_path, err);
	goto out;
rollback:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
out:
	if (jw) {
		ks_buf_release(&w.buf);
	}
	sqlite3_finalize(run);
	sqlite3_finalize(use);
	sqlite3_finalize(lis);
	sqlite3_close(db);
	free(dflt);
	return result;
}
