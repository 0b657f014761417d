// SPDX-License-Identifier: Apache-2.0
/*
 * store.c — the writer: a new database file is built beside the published one and renamed
 * over it, so readers and killed writers never see half a database.
 *
 *   begin:  take <db>.lock (flock, writers only), delete temporaries a killed writer left,
 *           copy the published file (import/update) or create the schema (build) into
 *           <db>.tmp-<pid>; syncing off (the temporary is disposable) and the rollback
 *           journal in memory (update rolls a failed unit back to a savepoint).
 *   import: prepared statements, one transaction.
 *   commit: recompute alias groups, stamp meta, commit, fsync the file, rename it over
 *           <db>, fsync the directory.
 *
 * What it is not: a general SQLite wrapper. Readers use db.c and never take the lock.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kensa/kensa.h"
#include "vulndb.h"

enum {
	S_ADV_FIND,
	S_DEL_ALIAS, S_DEL_RELATED, S_DEL_AFF, S_DEL_SEV, S_DEL_CWE, S_DEL_SSVC, S_DEL_ADV,
	S_ADV_INS, S_ALIAS_INS, S_REL_INS, S_AFF_INS, S_SEV_INS, S_CWE_INS, S_KEV_INS, S_EPSS_INS,
	S_SSVC_INS, S_VEX_INS,
	S_SRC_FIND, S_SRC_INS, S_SRC_UPD, S_STAT_PUT,
	S_N
};

static const char *const sql[S_N] = {
	[S_ADV_FIND] = "SELECT id FROM advisory WHERE name = ?1 AND feed = ?2",
	[S_DEL_ALIAS] = "DELETE FROM alias WHERE advisory = ?1",
	[S_DEL_RELATED] = "DELETE FROM related WHERE advisory = ?1",
	[S_DEL_AFF] = "DELETE FROM affected WHERE advisory = ?1",
	[S_DEL_SEV] = "DELETE FROM severity WHERE advisory = ?1",
	[S_DEL_CWE] = "DELETE FROM cwe WHERE advisory = ?1",
	[S_DEL_SSVC] = "DELETE FROM ssvc WHERE advisory = ?1",
	[S_DEL_ADV] = "DELETE FROM advisory WHERE id = ?1",
	[S_ADV_INS] =
		"INSERT INTO advisory(name, feed, source, modified, published, withdrawn, summary, "
		"details, database_specific) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
		"ON CONFLICT(name, feed) DO NOTHING",
	[S_ALIAS_INS] = "INSERT INTO alias(advisory, alias) VALUES(?1, ?2)",
	[S_REL_INS] = "INSERT INTO related(advisory, kind, id) VALUES(?1, ?2, ?3)",
	[S_AFF_INS] =
		"INSERT INTO affected(advisory, eco_base, ecosystem, norm, name, purl, ranges, "
		"versions, fix_status, database_specific, ecosystem_specific) "
		"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[S_SEV_INS] = "INSERT INTO severity(advisory, source, vuln, provider, type, vector, score) "
		      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_CWE_INS] =
		"INSERT INTO cwe(advisory, source, vuln, provider, cwe) VALUES(?1, ?2, ?3, ?4, ?5)",
	[S_KEV_INS] = "INSERT OR REPLACE INTO kev(cve, provider, source, vendor, product, name, "
		      "description, date_added, due_date, ransomware, action, notes) "
		      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[S_EPSS_INS] = "INSERT OR REPLACE INTO epss(cve, source, score, percentile) "
		       "VALUES(?1, ?2, ?3, ?4)",
	[S_SSVC_INS] = "INSERT INTO ssvc(advisory, source, vuln, provider, exploitation, "
		       "automatable, technical_impact, version, timestamp) "
		       "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[S_VEX_INS] = "INSERT INTO vex(source, document, vuln, product, subcomponent, status, "
		      "justification, impact, action, timestamp, raw_status) "
		      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[S_SRC_FIND] = "SELECT id FROM source WHERE importer = ?1 AND origin = ?2",
	[S_SRC_INS] =
		"INSERT INTO source(importer, origin, file, unit, generation, fetched_at, "
		"imported_at, etag, last_modified) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[S_SRC_UPD] =
		"UPDATE source SET records = ?2, skipped = ?3, feed_version = ?4, feed_date = ?5 "
		"WHERE id = ?1",
	[S_STAT_PUT] =
		"INSERT OR REPLACE INTO source_stat(source, kind, key, n) VALUES(?1, ?2, ?3, ?4)",
};

struct ks_store {
	sqlite3 *db;
	char *path;		/* the published file */
	char *tmp;		/* the one being built */
	int lock_fd;
	bool memory;		/* ":memory:" (fuzzers, tests): nothing to rename or remove */
	uint64_t generation;
	int64_t now;
	bool write_indexes;	/* ks_vdb_write_index_sql made (a fresh build defers them) */
	sqlite3_stmt *st[S_N];
};

sqlite3 *ks_store_db(struct ks_store *st)
{
	return st->db;
}

const char *ks_store_path(const struct ks_store *st)
{
	return st->path;
}

void ks_vdb_test_pause(const char *point)
{
	const char *at = getenv("KENSA_TEST_PAUSE_AT");
	const char *secs = getenv("KENSA_TEST_PAUSE_SECS");
	uint64_t n = 60;

	static char done[64];	/* each point pauses once per process */

	if (!at || strcmp(at, point) != 0 || strcmp(done, point) == 0)
		return;
	snprintf(done, sizeof(done), "%s", point);
	if (secs && !ks_parse_u64(secs, strlen(secs), &n))
		n = 60;
	ks_warn("test hook: pausing at '%s' for %llu s (KENSA_TEST_PAUSE_AT)", point,
		(unsigned long long)n);
	while (n) {
		unsigned left = sleep((unsigned)KS_MIN(n, 3600));

		n = left ? left : n - KS_MIN(n, 3600);
	}
}

/* ---------------------------------------------------------------- files */

static int mkdir_parents(const char *path, struct kensa_err *err)
{
	char buf[4096];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return kensa_err_set(err, KENSA_EINVAL, "path too long: '%s'", path);
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i < n; i++) {
		if (buf[i] != '/')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return kensa_err_set(err, KENSA_EIO, "cannot create '%s': %s", buf,
					     strerror(errno));
		buf[i] = '/';
	}
	return 0;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static int fsync_dir(const char *path)
{
	char *dir = dir_of(path);
	int fd, rc = 0;

	if (!dir)
		return -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		rc = fsync(fd);
		close(fd);
	}
	free(dir);
	return rc;
}

/* Remove <db>.tmp-* and <db>.dl-* files a killed writer left behind (we hold the lock). */
static void remove_stale(const char *path)
{
	char *dir = dir_of(path);
	const char *base = ks_path_basename(path);
	size_t bl = strlen(base);
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char p[4096];

		if (strncmp(e->d_name, base, bl) != 0 ||
		    (strncmp(e->d_name + bl, ".tmp-", 5) != 0 &&
		     strncmp(e->d_name + bl, ".dl-", 4) != 0))
			continue;
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", dir, e->d_name) >= sizeof(p))
			continue;
		if (unlink(p) == 0)
			ks_info("removed '%s' left by an interrupted update", p);
	}
	if (d)
		closedir(d);
	free(dir);
}

static int copy_file(const char *from, const char *to, struct kensa_err *err)
{
	int in = -1, out = -1, result = 0;
	char *buf = NULL;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		result = kensa_err_set(err, KENSA_EIO, "cannot open '%s': %s", from,
				       strerror(errno));
		goto out;
	}
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0) {
		result = kensa_err_set(err, KENSA_EIO, "cannot create '%s': %s", to,
				       strerror(errno));
		goto out;
	}
	buf = malloc(1 << 20);
	if (!buf) {
		result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		goto out;
	}
	for (;;) {
		ssize_t n = read(in, buf, 1 << 20), w = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			result = kensa_err_set(err, KENSA_EIO, "cannot read '%s': %s", from,
					       strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		while (w < n) {
			ssize_t k = write(out, buf + w, (size_t)(n - w));

			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0) {
				result = kensa_err_set(err, KENSA_EIO, "cannot write '%s': %s", to,
						       strerror(errno));
				goto out;
			}
			w += k;
		}
	}
out:
	free(buf);
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) != 0 && !result)
		result = kensa_err_set(err, KENSA_EIO, "cannot write '%s': %s", to,
				       strerror(errno));
	return result;
}

/* Is the file at path a valid kensa database? 0 yes, else the error (err filled). */
static int check_existing(const char *path, struct kensa_err *err)
{
	sqlite3 *db = NULL;
	int rc, result;

	result = ks_vdb_check_file(path, err);
	if (result)
		return result;
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK)
		result = ks_vdb_sqlerr(db, rc, path, "open", err);
	else
		result = ks_vdb_check(db, path, err);
	sqlite3_close(db);
	return result;
}

static int exec(struct ks_store *st, const char *q, struct kensa_err *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(st->db, q, NULL, NULL, &msg);
	int result = 0;

	if (rc != SQLITE_OK)
		result = kensa_err_set(err, KENSA_EDB, "cannot write '%s': %s", st->tmp,
				       msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return result;
}

/* Before the first delete by advisory or by source: see ks_vdb_write_index_sql. */
static int need_write_indexes(struct ks_store *st, struct kensa_err *err)
{
	int result = 0;

	if (!st->write_indexes) {
		result = exec(st, ks_vdb_write_index_sql, err);
		st->write_indexes = result == 0;
	}
	return result;
}

static int meta_put(struct ks_store *st, const char *key, const char *value, struct kensa_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	rc = sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)",
				-1, &s, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE && rc != SQLITE_OK)
		return ks_vdb_sqlerr(st->db, rc, st->tmp, "write", err);
	return 0;
}

static int meta_put_i64(struct ks_store *st, const char *key, int64_t v, struct kensa_err *err)
{
	char b[32];

	snprintf(b, sizeof(b), "%lld", (long long)v);
	return meta_put(st, key, b, err);
}

static void store_free(struct ks_store *st)
{
	if (!st)
		return;
	for (int i = 0; i < S_N; i++)
		sqlite3_finalize(st->st[i]);
	sqlite3_close(st->db);
	if (st->lock_fd >= 0)
		close(st->lock_fd);	/* releases the flock */
	free(st->path);
	free(st->tmp);
	free(st);
}

void ks_store_abort(struct ks_store *st)
{
	if (!st)
		return;
	for (int i = 0; i < S_N; i++) {
		sqlite3_finalize(st->st[i]);
		st->st[i] = NULL;
	}
	sqlite3_close(st->db);
	st->db = NULL;
	if (st->tmp && !st->memory)
		unlink(st->tmp);
	store_free(st);
}

/* Open st->tmp (a copy of the published file, or new), prepare it for one big transaction. */
static int open_tmp(struct ks_store *st, bool fresh, struct kensa_err *err)
{
	char *gen = NULL;
	uint64_t g = 0;
	int rc, result = 0;

	rc = sqlite3_open_v2(st->tmp, &st->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc != SQLITE_OK) {
		result = ks_vdb_sqlerr(st->db, rc, st->tmp, "create", err);
		goto out;
	}
	result = exec(
		st,
		"PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE;"
		"PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;",
		err);
	if (result)
		goto out;
	st->write_indexes = !fresh;
	if (fresh) {
		char v[16];

		result = exec(st, ks_vdb_schema_sql, err);
		snprintf(v, sizeof(v), "%d", KENSA_DB_SCHEMA);
		if (!result)
			result = exec(st, "PRAGMA user_version=1", err);
		if (!result)
			result = meta_put(st, "format", KS_VDB_FORMAT, err);
		if (!result)
			result = meta_put(st, "schema", v, err);
		if (!result)
			result = meta_put_i64(st, "created", st->now, err);
		if (result)
			goto out;
	} else {
		result = ks_vdb_check(st->db, st->tmp, err);
		if (result)
			goto out;
	}
	gen = ks_vdb_meta_get(st->db, "generation");
	if (gen && !ks_parse_u64(gen, strlen(gen), &g))
		g = 0;
	st->generation = g + 1;
	result = exec(st, "BEGIN", err);
	if (result)
		goto out;
	for (int i = 0; i < S_N; i++) {
		rc = sqlite3_prepare_v3(st->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &st->st[i],
					NULL);
		if (rc != SQLITE_OK) {
			result = ks_vdb_sqlerr(st->db, rc, st->tmp, "prepare a statement for", err);
			goto out;
		}
	}
out:
	free(gen);
	return result;
}

int ks_store_begin(const char *path, enum ks_store_mode mode, struct ks_store **out,
		   struct kensa_err *err)
{
	struct ks_store *st = NULL;
	struct kensa_err cerr = KENSA_ERR_INIT;
	char *lockpath = NULL;
	bool fresh = true;
	int result = 0;

	*out = NULL;
	st = calloc(1, sizeof(*st));
	if (!st)
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	st->lock_fd = -1;
	st->now = (int64_t)time(NULL);
	st->path = strdup(path);
	if (!st->path || asprintf(&st->tmp, "%s.tmp-%ld", path, (long)getpid()) < 0 ||
	    asprintf(&lockpath, "%s.lock", path) < 0) {
		st->tmp = NULL;
		lockpath = NULL;
		result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		goto out;
	}
	result = mkdir_parents(path, err);
	if (result)
		goto out;
	st->lock_fd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (st->lock_fd < 0) {
		result = kensa_err_set(err, KENSA_EIO, "cannot create '%s': %s", lockpath,
				       strerror(errno));
		goto out;
	}
	if (flock(st->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		result = errno == EWOULDBLOCK
				 ? kensa_err_set(
					   err, KENSA_EIO,
					   "'%s' is being updated by another kensa (lock '%s')",
					   path, lockpath)
				 : kensa_err_set(err, KENSA_EIO, "cannot lock '%s': %s", lockpath,
						 strerror(errno));
		goto out;
	}
	remove_stale(path);

	/* What is there now decides between copying, creating and refusing. */
	result = check_existing(path, &cerr);
	if (result == KENSA_ENOTFOUND) {
		if (mode == KS_STORE_COPY) {
			result = kensa_err_set(err, KENSA_ENOTFOUND,
					       "no vulnerability database at '%s' (run 'kensa db "
					       "build' or 'kensa db update' first)",
					       path);
			goto out;
		}
	} else if (result == KENSA_EFORMAT) {
		struct stat sb;

		/* an empty file is nobody's data */
		if (!(stat(path, &sb) == 0 && sb.st_size == 0)) {
			result = kensa_err_set(err, KENSA_EFORMAT, "%s; not replacing it",
					       cerr.msg);
			goto out;
		}
		if (mode == KS_STORE_COPY) {
			result = kensa_err_set(err, KENSA_EFORMAT, "'%s' is empty", path);
			goto out;
		}
	} else if (result) {
		if (mode != KS_STORE_FRESH && (mode == KS_STORE_COPY || result != KENSA_EDB)) {
			kensa_err_set(err, result, "%s", cerr.msg);
			goto out;
		}
		if (mode == KS_STORE_COPY_OR_NEW)
			ks_warn("%s; building a new one", cerr.msg);
	} else if (mode != KS_STORE_FRESH) {
		fresh = false;
	}
	result = 0;
	if (!fresh) {
		result = copy_file(path, st->tmp, err);
		if (result)
			goto out;
	} else {
		unlink(st->tmp);
	}

	result = open_tmp(st, fresh, err);
	if (result)
		goto out;
	*out = st;
	st = NULL;
out:
	free(lockpath);
	if (st)
		ks_store_abort(st);
	return result;
}

int ks_store_open_memory(struct ks_store **out, struct kensa_err *err)
{
	struct ks_store *st = calloc(1, sizeof(*st));
	int result;

	*out = NULL;
	if (!st)
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	st->lock_fd = -1;
	st->memory = true;
	st->now = (int64_t)time(NULL);
	st->path = strdup(":memory:");
	st->tmp = strdup(":memory:");
	if (!st->path || !st->tmp) {
		ks_store_abort(st);
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	}
	result = open_tmp(st, true, err);
	if (result) {
		ks_store_abort(st);
		return result;
	}
	*out = st;
	return 0;
}

/* ---------------------------------------------------------------- alias groups */

/*
 * Union-find over every id. An id's position is the order it was first seen (record names
 * in advisory order, then aliases and upstream ids in link order); a group's number is its
 * smallest position + 1 (the root, as unions keep the smaller one).
 */
struct uf {
	struct ks_arena names;
	struct ks_map index;		/* lower-cased id → position */
	const char **key;		/* lower-cased id: ident's NOCASE order is their byte order */
	const char **spelling;		/* first spelling seen */
	uint32_t *parent;
	size_t n, capk, caps, capp;
};

static uint32_t uf_find(struct uf *u, uint32_t x)
{
	while (u->parent[x] != x) {
		u->parent[x] = u->parent[u->parent[x]];
		x = u->parent[x];
	}
	return x;
}

static void uf_union(struct uf *u, uint32_t a, uint32_t b)
{
	a = uf_find(u, a);
	b = uf_find(u, b);
	if (a != b) {
		if (a < b)
			u->parent[b] = a;
		else
			u->parent[a] = b;
	}
}

static int uf_intern(struct uf *u, const char *name, size_t n, uint32_t *pos)
{
	char small[KS_VDB_MAX_ID + 1];
	char *key = n < sizeof(small) ? small : ks_arena_alloc(&u->names, n + 1);
	uint64_t v;

	if (!key)
		return KENSA_ENOMEM;
	/* ASCII-only folding, as SQLite's NOCASE */
	for (size_t i = 0; i < n; i++)
		key[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
	key[n] = '\0';
	if (ks_map_get(&u->index, key, n, &v)) {
		*pos = (uint32_t)v;
		return 0;
	}
	if (u->n >= UINT32_MAX || KS_GROW(u->key, u->capk, u->n + 1) ||
	    KS_GROW(u->spelling, u->caps, u->n + 1) || KS_GROW(u->parent, u->capp, u->n + 1))
		return KENSA_ENOMEM;
	if (key == small)
		key = ks_arena_memdup(&u->names, small, n + 1);
	u->key[u->n] = key;
	u->spelling[u->n] = ks_arena_memdup(&u->names, name, n + 1);
	u->parent[u->n] = (uint32_t)u->n;
	if (!key || !u->spelling[u->n] || ks_map_put(&u->index, key, n, u->n))
		return KENSA_ENOMEM;
	*pos = (uint32_t)u->n++;
	return 0;
}

static void uf_release(struct uf *u)
{
	ks_map_release(&u->index);
	ks_arena_release(&u->names);
	free(u->key);
	free(u->spelling);
	free(u->parent);
}

/* A text column as (pointer, length); NULL reads as "". */
static const char *col_text(sqlite3_stmt *q, int i, size_t *n)
{
	const char *s = (const char *)sqlite3_column_text(q, i);

	*n = s ? (size_t)sqlite3_column_bytes(q, i) : 0;
	return s ? s : "";
}

/* advisory ids in ascending order and each one's position */
struct adv_pos {
	int64_t *id;
	uint32_t *pos;
	size_t n, capi, capp;
};

static bool adv_find(const struct adv_pos *ap, int64_t id, uint32_t *pos)
{
	size_t lo = 0, hi = ap->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ap->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == ap->n || ap->id[lo] != id)
		return false;
	*pos = ap->pos[lo];
	return true;
}

struct upstream {
	int64_t advisory;
	char *id;		/* in u.names */
	size_t len;
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* How many times x occurs in the sorted v[n]. */
static size_t count_sorted(const int64_t *v, size_t n, int64_t x)
{
	size_t lo = 0, hi = n, first;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - first;
}

static int cmp_key(const void *a, const void *b, void *keys)
{
	const char *const *k = keys;

	return strcmp(k[*(const uint32_t *)a], k[*(const uint32_t *)b]);
}

/* ident rows per INSERT statement: fewer statements to step through */
#define IDENT_BATCH 128

/*
 * Every id into u, and the links between them: each record with its aliases (alias, in
 * rowid order) and with its upstream id when it names only one (related, in rowid order).
 * Reading the tables one by one and resolving advisory ids in memory gives the links in the
 * order a join of alias and related with advisory would.
 */
static int uf_load(struct ks_store *st, struct uf *u, struct kensa_err *err)
{
	struct adv_pos ap = { 0 };
	struct upstream *ups = NULL;
	int64_t *upadv = NULL;		/* the advisories of ups, sorted */
	size_t nups = 0, capups = 0;
	sqlite3_stmt *q = NULL;
	int rc, result = KENSA_ENOMEM;

	rc = sqlite3_prepare_v2(st->db, "SELECT id, name FROM advisory ORDER BY id", -1, &q, NULL);
	while ((rc == SQLITE_OK || rc == SQLITE_ROW) && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		size_t n;
		const char *name = col_text(q, 1, &n);

		if (KS_GROW(ap.id, ap.capi, ap.n + 1) || KS_GROW(ap.pos, ap.capp, ap.n + 1) ||
		    uf_intern(u, name, n, &ap.pos[ap.n]))
			goto out;
		ap.id[ap.n++] = sqlite3_column_int64(q, 0);
	}
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(q);
		rc = sqlite3_prepare_v2(st->db, "SELECT advisory, alias FROM alias ORDER BY rowid",
					-1, &q, NULL);
	}
	while ((rc == SQLITE_OK || rc == SQLITE_ROW) && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		uint32_t a, b;
		size_t n;
		const char *alias = col_text(q, 1, &n);

		if (!adv_find(&ap, sqlite3_column_int64(q, 0), &a))
			continue;	/* no such record (the join would drop it) */
		if (uf_intern(u, alias, n, &b))
			goto out;
		uf_union(u, a, b);
	}
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(q);
		rc = sqlite3_prepare_v2(st->db,
					"SELECT advisory, id FROM related WHERE kind = 'upstream' "
					"ORDER BY rowid",
					-1, &q, NULL);
	}
	while ((rc == SQLITE_OK || rc == SQLITE_ROW) && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		size_t n;
		const char *id = col_text(q, 1, &n);

		if (KS_GROW(ups, capups, nups + 1))
			goto out;
		ups[nups].advisory = sqlite3_column_int64(q, 0);
		ups[nups].id = ks_arena_memdup(&u->names, id, n + 1);
		ups[nups].len = n;
		if (!ups[nups].id)
			goto out;
		nups++;
	}
	if (rc != SQLITE_DONE) {
		result = ks_vdb_sqlerr(st->db, rc, st->tmp, "compute alias groups in", err);
		goto out;
	}
	if (nups && !(upadv = malloc(nups * sizeof(*upadv))))
		goto out;
	for (size_t i = 0; i < nups; i++)
		upadv[i] = ups[i].advisory;
	if (nups)
		qsort(upadv, nups, sizeof(*upadv), cmp_i64);
	for (size_t i = 0; i < nups; i++) {
		uint32_t a, b;

		if (count_sorted(upadv, nups, ups[i].advisory) != 1 ||
		    !adv_find(&ap, ups[i].advisory, &a))
			continue;
		if (uf_intern(u, ups[i].id, ups[i].len, &b))
			goto out;
		uf_union(u, a, b);
	}
	result = 0;
out:
	if (result == KENSA_ENOMEM)
		kensa_err_set(err, result, "out of memory");
	sqlite3_finalize(q);
	free(ap.id);
	free(ap.pos);
	free(ups);
	free(upadv);
	return result;
}

/* "INSERT INTO ident(name, grp) VALUES(?,?),(?,?)…" for n rows */
static int prepare_ident_insert(sqlite3 *db, size_t n, sqlite3_stmt **q)
{
	struct ks_buf b = KS_BUF_INIT;
	int rc = SQLITE_NOMEM;

	if (ks_buf_adds(&b, "INSERT INTO ident(name, grp) VALUES(?,?)"))
		goto out;
	for (size_t i = 1; i < n; i++)
		if (ks_buf_adds(&b, ",(?,?)"))
			goto out;
	rc = sqlite3_prepare_v2(db, b.data, -1, q, NULL);
out:
	ks_buf_release(&b);
	return rc;
}

/*
 * Rebuild ident(name, grp) from the union-find: rows in key order (each an append to the
 * b-tree), IDENT_BATCH to a statement, the group index built afterwards.
 */
static int compute_groups(struct ks_store *st, struct kensa_err *err)
{
	struct uf u = { KS_ARENA_INIT, KS_MAP_INIT, NULL, NULL, NULL, 0, 0, 0, 0 };
	uint32_t *order = NULL;
	sqlite3_stmt *full = NULL, *tail = NULL;
	int rc = SQLITE_OK, result;

	result = uf_load(st, &u, err);
	if (result)
		goto out;
	order = malloc((u.n ? u.n : 1) * sizeof(*order));
	if (!order) {
		result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < u.n; i++)
		order[i] = (uint32_t)i;
	qsort_r(order, u.n, sizeof(*order), cmp_key, u.key);
	result = exec(st, "DROP INDEX IF EXISTS ident_grp; DELETE FROM ident", err);
	if (result)
		goto out;
	for (size_t i = 0; rc == SQLITE_OK && i < u.n;) {
		size_t k = KS_MIN((size_t)IDENT_BATCH, u.n - i);
		sqlite3_stmt **q = k == IDENT_BATCH ? &full : &tail;

		if (!*q)
			rc = prepare_ident_insert(st->db, k, q);
		for (size_t j = 0; rc == SQLITE_OK && j < k; j++, i++) {
			sqlite3_bind_text(*q, (int)(2 * j + 1), u.spelling[order[i]], -1,
					  SQLITE_STATIC);
			sqlite3_bind_int64(*q, (int)(2 * j + 2), (int64_t)uf_find(&u, order[i]) + 1);
		}
		if (rc == SQLITE_OK) {
			rc = sqlite3_step(*q);
			sqlite3_reset(*q);
			if (rc == SQLITE_DONE)
				rc = SQLITE_OK;
		}
	}
	if (rc != SQLITE_OK)
		result = ks_vdb_sqlerr(st->db, rc, st->tmp, "compute alias groups in", err);
	else
		result = exec(st, "CREATE INDEX ident_grp ON ident(grp)", err);
out:
	sqlite3_finalize(full);
	sqlite3_finalize(tail);
	uf_release(&u);
	free(order);
	return result;
}

int ks_store_commit(struct ks_store *st, bool data_changed, struct kensa_err *err)
{
	int fd = -1, result = 0;

	result = compute_groups(st, err);
	if (!result)
		result = need_write_indexes(st, err);
	if (!result)
		result = exec(st, ks_vdb_read_index_sql, err);
	if (!result)
		result = meta_put_i64(st, "generation", (int64_t)st->generation, err);
	if (!result && data_changed)
		result = meta_put_i64(st, "updated", st->now, err);
	if (!result)
		result = meta_put_i64(st, "checked", st->now, err);
	if (!result)
		result = meta_put(st, "kensa_version", KENSA_VERSION, err);
	if (!result)
		result = exec(st, "COMMIT", err);
	if (result)
		goto out;
	for (int i = 0; i < S_N; i++) {
		sqlite3_finalize(st->st[i]);
		st->st[i] = NULL;
	}
	if (sqlite3_close(st->db) != SQLITE_OK) {
		result = kensa_err_set(err, KENSA_EDB, "cannot close '%s': %s", st->tmp,
				       sqlite3_errmsg(st->db));
		goto out;
	}
	st->db = NULL;
	fd = open(st->tmp, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0) {
		result = kensa_err_set(err, KENSA_EIO, "cannot sync '%s': %s", st->tmp,
				       strerror(errno));
		goto out;
	}
	ks_vdb_test_pause("swap");
	if (rename(st->tmp, st->path) != 0) {
		result = kensa_err_set(err, KENSA_EIO, "cannot rename '%s' to '%s': %s", st->tmp,
				       st->path, strerror(errno));
		goto out;
	}
	free(st->tmp);
	st->tmp = NULL;
	if (fsync_dir(st->path) != 0)
		ks_warn("cannot sync the directory of '%s': %s", st->path, strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	ks_store_abort(st);
	return result;
}

/* ---------------------------------------------------------------- fetch state, purging */

int ks_store_fetch_state_get(struct ks_store *st, const char *unit, struct ks_fetch_state *fs)
{
	sqlite3_stmt *q = NULL;
	int rc;

	memset(fs, 0, sizeof(*fs));
	rc = sqlite3_prepare_v2(
		st->db, "SELECT etag, last_modified, fetched_at FROM fetch_state WHERE unit = ?1",
		-1, &q, NULL);
	if (rc != SQLITE_OK)
		return KENSA_EDB;
	sqlite3_bind_text(q, 1, unit, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW) {
		if (sqlite3_column_text(q, 0))
			fs->etag = strdup((const char *)sqlite3_column_text(q, 0));
		if (sqlite3_column_text(q, 1))
			fs->last_modified = strdup((const char *)sqlite3_column_text(q, 1));
		fs->fetched_at = sqlite3_column_int64(q, 2);
	}
	sqlite3_finalize(q);
	return 0;
}

void ks_fetch_state_release(struct ks_fetch_state *fs)
{
	free(fs->etag);
	free(fs->last_modified);
	memset(fs, 0, sizeof(*fs));
}

int ks_store_fetch_state_put(struct ks_store *st, const char *unit, const char *etag,
			     const char *last_modified, int64_t fetched_at, bool changed)
{
	sqlite3_stmt *q = NULL;
	int rc;

	if (changed)
		rc = sqlite3_prepare_v2(
			st->db,
			"INSERT OR REPLACE INTO fetch_state(unit, etag, last_modified, "
			"fetched_at, checked_at) VALUES(?1, ?2, ?3, ?4, ?5)",
			-1, &q, NULL);
	else
		rc = sqlite3_prepare_v2(st->db,
					"UPDATE fetch_state SET checked_at = ?5 WHERE unit = ?1",
					-1, &q, NULL);
	if (rc != SQLITE_OK)
		return KENSA_EDB;
	sqlite3_bind_text(q, 1, unit, -1, SQLITE_STATIC);
	if (changed) {
		sqlite3_bind_text(q, 2, etag, -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 3, last_modified, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 4, fetched_at);
	}
	sqlite3_bind_int64(q, 5, st->now);
	rc = sqlite3_step(q);
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : KENSA_EDB;
}

static int purge_source(struct ks_store *st, int64_t id)
{
	static const char *const purge[] = {
		"DELETE FROM alias WHERE advisory IN (SELECT id FROM advisory WHERE source = ?1)",
		"DELETE FROM related WHERE advisory IN (SELECT id FROM advisory WHERE source = ?1)",
		"DELETE FROM affected WHERE advisory IN (SELECT id FROM advisory WHERE source = ?1)",
		"DELETE FROM advisory WHERE source = ?1",
		"DELETE FROM severity WHERE source = ?1",
		"DELETE FROM cwe WHERE source = ?1",
		"DELETE FROM kev WHERE source = ?1",
		"DELETE FROM epss WHERE source = ?1",
		"DELETE FROM ssvc WHERE source = ?1",
		"DELETE FROM vex WHERE source = ?1",
		"DELETE FROM source_stat WHERE source = ?1",
		"DELETE FROM source WHERE id = ?1",
	};

	if (need_write_indexes(st, NULL))
		return KENSA_EDB;
	for (size_t i = 0; i < KS_ARRAY_SIZE(purge); i++) {
		sqlite3_stmt *q = NULL;
		int rc = sqlite3_prepare_v2(st->db, purge[i], -1, &q, NULL);

		if (rc == SQLITE_OK) {
			sqlite3_bind_int64(q, 1, id);
			rc = sqlite3_step(q);
		}
		sqlite3_finalize(q);
		if (rc != SQLITE_DONE)
			return KENSA_EDB;
	}
	return 0;
}

int ks_store_purge_unit(struct ks_store *st, const char *unit)
{
	sqlite3_stmt *q = NULL;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc, result = 0;

	rc = sqlite3_prepare_v2(st->db, "SELECT id FROM source WHERE unit = ?1", -1, &q, NULL);
	if (rc == SQLITE_OK)
		sqlite3_bind_text(q, 1, unit, -1, SQLITE_STATIC);
	while ((rc == SQLITE_OK || rc == SQLITE_ROW) && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (KS_GROW(ids, cap, n + 1)) {
			result = KENSA_ENOMEM;
			goto out;
		}
		ids[n++] = sqlite3_column_int64(q, 0);
	}
	if (rc != SQLITE_DONE) {
		result = KENSA_EDB;
		goto out;
	}
	for (size_t i = 0; i < n && !result; i++)
		result = purge_source(st, ids[i]);
out:
	sqlite3_finalize(q);
	free(ids);
	return result;
}

/* ---------------------------------------------------------------- sources */

static int step_done(struct ks_store *st, sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);

	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	ks_warn("'%s': %s", st->tmp, sqlite3_errmsg(st->db));
	return rc == SQLITE_NOMEM ? KENSA_ENOMEM : KENSA_EDB;
}

static void bind_text(sqlite3_stmt *q, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(q, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

int ks_store_source_new(struct ks_store *st, const char *importer, const char *origin,
			const char *file, const struct ks_import_origin *o, int64_t *id)
{
	sqlite3_stmt *q = st->st[S_SRC_FIND];
	int rc, result;

	/* importing the same origin again replaces what it gave before */
	bind_text(q, 1, importer);
	bind_text(q, 2, origin);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		int64_t old = sqlite3_column_int64(q, 0);

		sqlite3_reset(q);
		result = purge_source(st, old);
		if (result)
			return result;
	} else {
		sqlite3_reset(q);
		if (rc != SQLITE_DONE)
			return KENSA_EDB;
	}
	q = st->st[S_SRC_INS];
	bind_text(q, 1, importer);
	bind_text(q, 2, origin);
	bind_text(q, 3, file);
	bind_text(q, 4, o ? o->unit : NULL);
	sqlite3_bind_int64(q, 5, (int64_t)st->generation);
	sqlite3_bind_int64(q, 6, o && o->fetched_at ? o->fetched_at : st->now);
	sqlite3_bind_int64(q, 7, st->now);
	bind_text(q, 8, o ? o->etag : NULL);
	bind_text(q, 9, o ? o->last_modified : NULL);
	result = step_done(st, q);
	if (!result)
		*id = sqlite3_last_insert_rowid(st->db);
	return result;
}

int ks_store_source_done(struct ks_store *st, int64_t id, uint64_t records, uint64_t skipped,
			 const char *feed_version, const char *feed_date)
{
	sqlite3_stmt *q = st->st[S_SRC_UPD];

	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, (int64_t)records);
	sqlite3_bind_int64(q, 3, (int64_t)skipped);
	bind_text(q, 4, feed_version);
	bind_text(q, 5, feed_date);
	return step_done(st, q);
}

int ks_store_source_stat(struct ks_store *st, int64_t id, int kind, const char *key, uint64_t n)
{
	sqlite3_stmt *q = st->st[S_STAT_PUT];

	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int(q, 2, kind);
	bind_text(q, 3, key);
	sqlite3_bind_int64(q, 4, (int64_t)n);
	return step_done(st, q);
}

/* ---------------------------------------------------------------- records and enrichment */

static void bind_advisory(struct ks_import *im, sqlite3_stmt *q, const struct ks_adv *a)
{
	bind_text(q, 1, a->id);
	bind_text(q, 2, a->feed);
	sqlite3_bind_int64(q, 3, ks_import_source(im));
	bind_text(q, 4, a->modified);
	bind_text(q, 5, a->published);
	bind_text(q, 6, a->withdrawn);
	bind_text(q, 7, a->summary);
	bind_text(q, 8, a->details);
	bind_text(q, 9, a->database_specific);
}

int ks_store_advisory(struct ks_import *im, const struct ks_adv *a, int64_t *rowid)
{
	struct ks_store *st = ks_import_store(im);
	sqlite3_stmt *q = st->st[S_ADV_INS];
	int rc, result = 0;

	/* the common case first: a new record (ON CONFLICT DO NOTHING changes no row) */
	bind_advisory(im, q, a);
	result = step_done(st, q);
	if (result || sqlite3_changes(st->db) == 1) {
		if (!result)
			*rowid = sqlite3_last_insert_rowid(st->db);
		return result;
	}
	/* the feed's record of that id again: the newer import replaces it and its parts */
	q = st->st[S_ADV_FIND];
	bind_text(q, 1, a->id);
	bind_text(q, 2, a->feed);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		int64_t old = sqlite3_column_int64(q, 0);

		sqlite3_reset(q);
		ks_import_count(im, "replaced", 1);
		if (need_write_indexes(st, NULL))
			return KENSA_EDB;
		for (int i = S_DEL_ALIAS; i <= S_DEL_ADV && !result; i++) {
			sqlite3_bind_int64(st->st[i], 1, old);
			result = step_done(st, st->st[i]);
		}
	} else {
		sqlite3_reset(q);
		result = KENSA_EDB;
	}
	if (result)
		return result;
	q = st->st[S_ADV_INS];
	bind_advisory(im, q, a);
	result = step_done(st, q);
	if (!result)
		*rowid = sqlite3_last_insert_rowid(st->db);
	return result;
}

int ks_store_alias(struct ks_import *im, int64_t adv, const char *alias)
{
	struct ks_store *st = ks_import_store(im);
	sqlite3_stmt *q = st->st[S_ALIAS_INS];

	sqlite3_bind_int64(q, 1, adv);
	bind_text(q, 2, alias);
	return step_done(st, q);
}

int ks_store_related(struct ks_import *im, int64_t adv, const char *kind, const char *id)
{
	struct ks_store *st = ks_import_store(im);
	sqlite3_stmt *q = st->st[S_REL_INS];

	sqlite3_bind_int64(q, 1, adv);
	bind_text(q, 2, kind);
	bind_text(q, 3, id);
	return step_done(st, q);
}

int ks_store_affected(struct ks_import *im, int64_t adv, const struct ks_aff *a)
{
	struct ks_store *st = ks_import_store(im);
	sqlite3_stmt *q = st->st[S_AFF_INS];
	struct ks_buf norm = KS_BUF_INIT;
	size_t bl = ks_vdb_eco_baselen(a->ecosystem);
	const char *canon = ks_vdb_eco_canon(a->ecosystem, bl);
	char *base = canon ? NULL : strndup(a->ecosystem, bl);
	int result;

	if (!canon && !base)
		return KENSA_ENOMEM;
	result = ks_vdb_norm_name(canon ? canon : base, a->name, &norm);
	if (!result && !norm.data)
		result = ks_buf_adds(&norm, "");
	if (result)
		goto out;
	sqlite3_bind_int64(q, 1, adv);
	bind_text(q, 2, canon ? canon : base);
	bind_text(q, 3, a->ecosystem);
	bind_text(q, 4, norm.data);
	bind_text(q, 5, a->name);
	bind_text(q, 6, a->purl);
	bind_text(q, 7, a->ranges ? a->ranges : "");
	bind_text(q, 8, a->versions ? a->versions : "");
	bind_text(q, 9, a->fix_status);
	bind_text(q, 10, a->database_specific);
	bind_text(q, 11, a->ecosystem_specific);
	result = step_done(st, q);
out:
	ks_buf_release(&norm);
	free(base);
	return result;
}

static void bind_adv(sqlite3_stmt *q, int i, int64_t adv)
{
	if (adv > 0)
		sqlite3_bind_int64(q, i, adv);
	else
		sqlite3_bind_null(q, i);
}

int ks_store_severity(struct ks_import *im, int64_t adv, const char *vuln, const char *provider,
		      const char *type, const char *vector, double score)
{
	struct ks_store *st = ks_import_store(im);
	sqlite3_stmt *q = st->st[S_SEV_INS];

	bind_adv(q, 1, adv);
	sqlite3_bind_int64(q, 2, ks_import_source(im));
	bind_text(q, 3, vuln);
	bind_text(q, 4, provider);
	bind_text(q, 5, type);
	bind_text(q, 6, vector);
	if (isfinite(score))
		sqlite3_bind_double(q, 7, score);
	else
		sqlite3_bind_null(q, 7);
	return step_done(st, q);
}

int ks_store_cwe(struct ks_import *im, int64_t adv, const char *vuln, const char *provider,
		 const char *cwe)
{
	struct ks_store *st = ks_import_store(im);
	sqlite3_stmt *q = st->st[S_CWE_INS];

	bind_adv(q, 1, adv);
	sqlite3_bind_int64(q, 2, ks_import_source(im));
	bind_text(q, 3, vuln);
	bind_text(q, 4, provider);
	bind_text(q, 5, cwe);
	return step_done(st, q);
}

int ks_store_kev(struct ks_import *im, const struct kensa_kev *k)
{
	struct ks_store *st = ks_import_store(im);
	sqlite3_stmt *q = st->st[S_KEV_INS];

	bind_text(q, 1, k->cve);
	bind_text(q, 2, k->provider);
	sqlite3_bind_int64(q, 3, ks_import_source(im));
	bind_text(q, 4, k->vendor);
	bind_text(q, 5, k->product);
	bind_text(q, 6, k->name);
	bind_text(q, 7, k->description);
	bind_text(q, 8, k->date_added);
	bind_text(q, 9, k->due_date);
	bind_text(q, 10, k->ransomware);
	bind_text(q, 11, k->required_action);
	bind_text(q, 12, k->notes);
	return step_done(st, q);
}

int ks_store_epss(struct ks_import *im, const char *cve, double score, double percentile)
{
	struct ks_store *st = ks_import_store(im);
	sqlite3_stmt *q = st->st[S_EPSS_INS];

	bind_text(q, 1, cve);
	sqlite3_bind_int64(q, 2, ks_import_source(im));
	sqlite3_bind_double(q, 3, score);
	sqlite3_bind_double(q, 4, percentile);
	return step_done(st, q);
}

int ks_store_ssvc(struct ks_import *im, int64_t adv, const struct kensa_ssvc *s)
{
	struct ks_store *st = ks_import_store(im);
	sqlite3_stmt *q = st->st[S_SSVC_INS];

	bind_adv(q, 1, adv);
	sqlite3_bind_int64(q, 2, ks_import_source(im));
	bind_text(q, 3, s->id);
	bind_text(q, 4, s->provider);
	bind_text(q, 5, s->exploitation);
	bind_text(q, 6, s->automatable);
	bind_text(q, 7, s->technical_impact);
	bind_text(q, 8, s->version);
	bind_text(q, 9, s->timestamp);
	return step_done(st, q);
}

int ks_store_vex(struct ks_import *im, const struct kensa_vex *v)
{
	struct ks_store *st = ks_import_store(im);
	sqlite3_stmt *q = st->st[S_VEX_INS];

	sqlite3_bind_int64(q, 1, ks_import_source(im));
	bind_text(q, 2, v->document);
	bind_text(q, 3, v->vulnerability);
	bind_text(q, 4, v->product);
	bind_text(q, 5, v->subcomponent);
	bind_text(q, 6, v->status);
	bind_text(q, 7, v->justification);
	bind_text(q, 8, v->impact);
	bind_text(q, 9, v->action);
	bind_text(q, 10, v->timestamp);
	bind_text(q, 11, v->raw_status);
	return step_done(st, q);
}
