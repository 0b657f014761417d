// SPDX-License-Identifier: Apache-2.0
/*
 * db.c — the reader: opening a database (refusing foreign, newer, corrupt or truncated
 * files with a clear message), the matcher's package look-up, advisory enrichment across
 * alias groups, and DB info.
 *
 * The package look-up is the hot path: one prepared statement on the (eco_base, norm,
 * ecosystem) index, ranges decoded from their text encoding into arrays the handle reuses,
 * no allocation per row once the arrays have grown. Everything handed to the callback is
 * borrowed until it returns.
 *
 * What it is not: a writer. The file is opened read-only and never locked against writers;
 * writers replace the file by rename, so an open handle keeps its version.
 */
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "sbom/inv.h"
#include "vulndb.h"

enum {
	Q_PKG,
	Q_RECORD,
	Q_IDENT,
	Q_GROUP,
	Q_REC,
	Q_ALIAS,
	Q_REL,
	Q_SEV,
	Q_CWE,
	Q_KEV,
	Q_EPSS,
	Q_SSVC,
	Q_VEX,
	Q_N
};

#define AFFECTED_COLS                                                                       \
	"a.name, a.feed, f.ecosystem, f.name, f.purl, f.ranges, f.versions, f.fix_status, " \
	"f.database_specific, f.ecosystem_specific, a.withdrawn IS NOT NULL"

static const char *const qsql[Q_N] = {
	[Q_PKG] = "SELECT " AFFECTED_COLS " FROM affected f JOIN advisory a ON a.id = f.advisory "
		  "WHERE f.eco_base = ?1 AND f.norm = ?2 AND (?3 IS NULL OR f.ecosystem = ?3) "
		  "AND (?4 OR a.withdrawn IS NULL) ORDER BY f.ecosystem, f.id",
	[Q_RECORD] = "SELECT " AFFECTED_COLS
		     " FROM affected f JOIN advisory a ON a.id = f.advisory "
		     "WHERE a.name = ?1 ORDER BY a.feed, f.id",
	[Q_IDENT] = "SELECT name, grp FROM ident WHERE name = ?1",
	[Q_GROUP] = "SELECT name FROM ident WHERE grp = ?1 ORDER BY name",
	[Q_REC] = "SELECT a.id, a.name, a.feed, s.origin, a.summary, a.details, a.published, "
		  "a.modified, a.withdrawn, a.database_specific FROM advisory a "
		  "LEFT JOIN source s ON s.id = a.source WHERE a.name = ?1 ORDER BY a.feed",
	[Q_ALIAS] = "SELECT alias FROM alias WHERE advisory = ?1 ORDER BY rowid",
	[Q_REL] = "SELECT kind, id FROM related WHERE advisory = ?1 ORDER BY rowid",
	[Q_SEV] = "SELECT vuln, provider, type, vector, score FROM severity WHERE vuln = ?1 "
		  "ORDER BY rowid",
	[Q_CWE] = "SELECT vuln, provider, cwe FROM cwe WHERE vuln = ?1 ORDER BY rowid",
	[Q_KEV] = "SELECT cve, provider, vendor, product, name, description, date_added, due_date, "
		  "ransomware, action, notes FROM kev WHERE cve = ?1 "
		  "ORDER BY provider <> 'kev', provider",
	[Q_EPSS] = "SELECT e.cve, e.score, e.percentile, s.feed_version, s.feed_date FROM epss e "
		   "LEFT JOIN source s ON s.id = e.source WHERE e.cve = ?1",
	[Q_SSVC] = "SELECT vuln, provider, exploitation, automatable, technical_impact, version, "
		   "timestamp FROM ssvc WHERE vuln = ?1 ORDER BY rowid",
	[Q_VEX] = "SELECT vuln, product, subcomponent, status, justification, impact, action, "
		  "document, timestamp, raw_status FROM vex WHERE vuln = ?1 ORDER BY id",
};

struct kensa_db {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *q[Q_N];
	struct ks_buf key;		/* normalized name / canonical id */
	struct ks_buf eco;		/* canonical ecosystem */
	struct ks_buf text;		/* ranges + versions of the current row, tokenized */
	struct kensa_range *ranges;
	size_t caprng;
	struct kensa_event *events;
	size_t capev;
	const char **versions;
	size_t capver;
};

char *kensa_db_default_path(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char *p = NULL;

	if (xdg && *xdg == '/') {
		if (asprintf(&p, "%s/kensa/kensa.db", xdg) < 0)
			p = NULL;
	} else if (home && *home) {
		if (asprintf(&p, "%s/.cache/kensa/kensa.db", home) < 0)
			p = NULL;
	}
	return p;
}

void kensa_db_free(struct kensa_db *db)
{
	if (!db)
		return;
	for (int i = 0; i < Q_N; i++)
		sqlite3_finalize(db->q[i]);
	sqlite3_close(db->db);
	ks_buf_release(&db->key);
	ks_buf_release(&db->eco);
	ks_buf_release(&db->text);
	free(db->ranges);
	free(db->events);
	free(db->versions);
	free(db->path);
	free(db);
}

int kensa_db_open(const char *path, unsigned flags, struct kensa_db **out, struct kensa_err *err)
{
	struct kensa_db *db = NULL;
	int rc, result;

	(void)flags;
	*out = NULL;
	if (!path || !*path)
		return kensa_err_set(err, KENSA_EINVAL, "no database path given");
	result = ks_vdb_check_file(path, err);
	if (result)
		return result;
	db = calloc(1, sizeof(*db));
	if (!db || !(db->path = strdup(path))) {
		result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		goto out;
	}
	rc = sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		result = ks_vdb_sqlerr(db->db, rc, path, "open", err);
		goto out;
	}
	sqlite3_busy_timeout(db->db, 5000);
	/*
	 * A published file never changes in place (writers rename a new one over it), so the
	 * shared lock is taken once and kept: no lock/unlock and change check per statement.
	 */
	sqlite3_exec(db->db, "PRAGMA mmap_size=268435456; PRAGMA locking_mode=EXCLUSIVE", NULL,
		     NULL, NULL);
	result = ks_vdb_check(db->db, path, err);
	if (result)
		goto out;
	for (int i = 0; i < Q_N; i++) {
		rc = sqlite3_prepare_v3(db->db, qsql[i], -1, SQLITE_PREPARE_PERSISTENT, &db->q[i],
					NULL);
		if (rc != SQLITE_OK) {
			result = ks_vdb_sqlerr(db->db, rc, path, "read", err);
			goto out;
		}
	}
	*out = db;
	db = NULL;
out:
	kensa_db_free(db);
	return result;
}

/* ---------------------------------------------------------------- affected rows */

static const char *col(sqlite3_stmt *q, int i)
{
	return (const char *)sqlite3_column_text(q, i);
}

static enum kensa_range_type range_type(const char *t)
{
	if (strcmp(t, "ECOSYSTEM") == 0)
		return KENSA_RANGE_ECOSYSTEM;
	if (strcmp(t, "SEMVER") == 0)
		return KENSA_RANGE_SEMVER;
	if (strcmp(t, "GIT") == 0)
		return KENSA_RANGE_GIT;
	return KENSA_RANGE_OTHER;
}

static size_t count_char(const char *s, size_t n, char c)
{
	size_t k = 0;

	for (const char *p = s; (p = memchr(p, c, (size_t)(s + n - p))); p++)
		k++;
	return k;
}

/* Decode the current row's ranges and versions into the handle's arrays. */
static int decode_row(struct kensa_db *db, sqlite3_stmt *q, struct kensa_affected *a)
{
	const char *r = col(q, 5), *v = col(q, 6);
	size_t rl = r ? (size_t)sqlite3_column_bytes(q, 5) : 0,
	       vl = v ? (size_t)sqlite3_column_bytes(q, 6) : 0;
	size_t nr = rl ? count_char(r, rl, '\n') + 1 : 0, ntab = count_char(r ? r : "", rl, '\t');
	size_t nv = vl ? count_char(v, vl, '\t') + 1 : 0, ev = 0;
	char *p, *end;

	ks_buf_reset(&db->text);
	if (ks_buf_grow(&db->text, rl + vl + 2) || KS_GROW(db->ranges, db->caprng, nr + 1) ||
	    KS_GROW(db->events, db->capev, ntab + 1) || KS_GROW(db->versions, db->capver, nv + 1))
		return KENSA_ENOMEM;
	memcpy(db->text.data, r ? r : "", rl);
	db->text.data[rl] = '\0';
	memcpy(db->text.data + rl + 1, v ? v : "", vl);
	db->text.data[rl + 1 + vl] = '\0';
	db->text.len = rl + vl + 2;

	a->nranges = 0;
	p = db->text.data;
	end = p + rl;
	while (nr && p < end) {
		char *line_end = memchr(p, '\n', (size_t)(end - p));
		struct kensa_range *rg = &db->ranges[a->nranges];
		char *f;

		if (!line_end)
			line_end = end;
		*line_end = '\0';
		memset(rg, 0, sizeof(*rg));
		rg->events = &db->events[ev];
		f = strchr(p, '\t');
		if (f)
			*f++ = '\0';
		rg->type_name = p;
		rg->type = range_type(p);
		while (f) {
			char *next = strchr(f, '\t'), *eq;

			if (next)
				*next++ = '\0';
			eq = strchr(f, '=');
			if (eq) {
				*eq = '\0';
				if (strcmp(f, "repo") == 0) {
					rg->repo = eq + 1;
				} else {
					int k = ks_vdb_event_kind(f);

					if (k && ev < ntab) {
						db->events[ev].kind = (enum kensa_event_kind)k;
						db->events[ev].version = eq + 1;
						ev++;
						rg->nevents++;
					}
				}
			}
			f = next;
		}
		a->nranges++;
		p = line_end + 1;
	}
	a->ranges = db->ranges;
	a->nversions = 0;
	p = db->text.data + rl + 1;
	while (nv && p) {
		char *t = strchr(p, '\t');

		if (t)
			*t++ = '\0';
		db->versions[a->nversions++] = p;
		p = t;
	}
	a->versions = db->versions;
	return 0;
}

static int walk_rows(struct kensa_db *db, sqlite3_stmt *q, kensa_db_affected_fn fn, void *ud,
		     struct kensa_err *err)
{
	int rc, result = 0;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct kensa_affected a = { 0 };

		a.advisory = col(q, 0);
		a.feed = col(q, 1);
		a.ecosystem = col(q, 2);
		a.package = col(q, 3);
		a.purl = col(q, 4);
		a.fix_status = col(q, 7);
		a.database_specific = col(q, 8);
		a.ecosystem_specific = col(q, 9);
		a.withdrawn = sqlite3_column_int(q, 10) != 0;
		if (decode_row(db, q, &a)) {
			result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
			break;
		}
		result = fn(ud, &a);
		if (result)
			break;
	}
	if (!result && rc != SQLITE_DONE)
		result = ks_vdb_sqlerr(db->db, rc, db->path, "read", err);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return result;
}

int kensa_db_query_package(struct kensa_db *db, const char *ecosystem, const char *name,
			   unsigned flags, kensa_db_affected_fn fn, void *userdata,
			   struct kensa_err *err)
{
	sqlite3_stmt *q = db->q[Q_PKG];
	size_t bl;
	const char *canon;
	int result = 0;

	if (!ecosystem || !name || !fn)
		return kensa_err_set(err, KENSA_EINVAL,
				     "query without ecosystem, name or callback");
	bl = ks_vdb_eco_baselen(ecosystem);
	canon = ks_vdb_eco_canon(ecosystem, bl);
	ks_buf_reset(&db->eco);
	ks_buf_reset(&db->key);
	{
		/* eco holds "<base>\0<base><release>\0" with the base spelled canonically */
		const char *base = canon ? canon : ecosystem;
		size_t blen = canon ? strlen(canon) : bl;

		if (ks_buf_add(&db->eco, base, blen) || ks_buf_addc(&db->eco, '\0') ||
		    ks_buf_add(&db->eco, base, blen) || ks_buf_adds(&db->eco, ecosystem + bl) ||
		    ks_vdb_norm_name(db->eco.data, name, &db->key) || ks_buf_addc(&db->key, '\0'))
			return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		sqlite3_bind_text(q, 1, db->eco.data, (int)blen, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, db->key.data, (int)db->key.len - 1, SQLITE_STATIC);
		if (ecosystem[bl] == ':' || !(flags & KENSA_DB_ALL_RELEASES))
			sqlite3_bind_text(q, 3, db->eco.data + blen + 1, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(q, 3);
	}
	sqlite3_bind_int(q, 4, (flags & KENSA_DB_WITHDRAWN) != 0);
	result = walk_rows(db, q, fn, userdata, err);
	return result;
}

static int canon_id(struct kensa_db *db, const char *id)
{
	ks_buf_reset(&db->key);
	if (ks_vdb_id_canon(id, &db->key) || ks_buf_add(&db->key, "", 0))
		return KENSA_ENOMEM;
	return 0;
}

int kensa_db_query_record(struct kensa_db *db, const char *id, kensa_db_affected_fn fn,
			  void *userdata, struct kensa_err *err)
{
	sqlite3_stmt *q = db->q[Q_RECORD];

	if (!id || !fn)
		return kensa_err_set(err, KENSA_EINVAL, "query without id or callback");
	if (canon_id(db, id))
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	sqlite3_bind_text(q, 1, db->key.data, -1, SQLITE_STATIC);
	return walk_rows(db, q, fn, userdata, err);
}

struct purl_query {
	kensa_db_affected_fn fn;
	void *ud;
};

int kensa_db_query_purl(struct kensa_db *db, const char *purl, unsigned flags,
			kensa_db_affected_fn fn, void *userdata, struct kensa_err *err)
{
	struct ks_arena a = KS_ARENA_INIT;
	const char *eco = NULL, *name = NULL, *version = NULL, *distro = NULL;
	char *ecosystem = NULL;
	int result;

	result = ks_purl_parse(&a, purl, &eco, &name, &version, &distro);
	if (result || !name || !*name) {
		result = kensa_err_set(
			err, result == KENSA_EUNSUPPORTED ? KENSA_EUNSUPPORTED : KENSA_EINVAL,
			result == KENSA_EUNSUPPORTED ? "'%s': a package type kensa has no feed for"
						     : "'%s' is not a package URL",
			purl);
		goto out;
	}
	ecosystem = (char *)eco;
	if (distro) {
		/* "debian-12" → "Debian:12" (the OSV ecosystem of that release) */
		const char *dash = strchr(distro, '-');
		char *id = dash ? ks_arena_strndup(&a, distro, (size_t)(dash - distro)) : NULL;
		const char *release = id ? ks_os_ecosystem(&a, id, dash + 1) : NULL;

		if (release)
			ecosystem = (char *)release;
	}
	result = kensa_db_query_package(
		db, ecosystem, name, strchr(ecosystem, ':') ? flags : flags | KENSA_DB_ALL_RELEASES,
		fn, userdata, err);
out:
	ks_arena_release(&a);
	return result;
}

/* ---------------------------------------------------------------- advisories */

struct adv_holder {
	struct kensa_advisory pub;	/* first: the public pointer is the holder's */
	struct ks_arena arena;
	const char **ids;
	size_t nids, capids;
	struct kensa_db_record *recs;
	size_t nrecs, caprecs;
	struct kensa_severity *sev;
	size_t nsev, capsev;
	struct kensa_cwe *cwe;
	size_t ncwe, capcwe;
	struct kensa_kev *kev;
	size_t nkev, capkev;
	struct kensa_epss *epss;
	size_t nepss, capepss;
	struct kensa_ssvc *ssvc;
	size_t nssvc, capssvc;
	struct kensa_vex *vex;
	size_t nvex, capvex;
	const char **names;		/* ids whose enrichment is gathered (group + upstream) */
	size_t nnames, capnames;
};

void kensa_db_advisory_free(struct kensa_advisory *adv)
{
	struct adv_holder *h = (struct adv_holder *)adv;

	if (!h)
		return;
	ks_arena_release(&h->arena);
	free(h->ids);
	free(h->recs);
	free(h->sev);
	free(h->cwe);
	free(h->kev);
	free(h->epss);
	free(h->ssvc);
	free(h->vex);
	free(h->names);
	free(h);
}

static const char *dup_col(struct adv_holder *h, sqlite3_stmt *q, int i)
{
	const char *s = col(q, i);

	return s ? ks_arena_strdup(&h->arena, s) : NULL;
}

static bool has_name(const char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(v[i], s) == 0)
			return true;
	return false;
}

static int add_name(struct adv_holder *h, const char ***v, size_t *n, size_t *cap, const char *s)
{
	const char *c;

	if (has_name(*v, *n, s))
		return 0;
	c = ks_arena_strdup(&h->arena, s);
	if (!c || ks_grow((void **)v, cap, *n + 1, sizeof(**v)))
		return KENSA_ENOMEM;
	(*v)[(*n)++] = c;
	return 0;
}

static int step_err(struct kensa_db *db, sqlite3_stmt *q, int rc, struct kensa_err *err)
{
	sqlite3_reset(q);
	if (rc == SQLITE_DONE)
		return 0;
	return ks_vdb_sqlerr(db->db, rc, db->path, "read", err);
}

/* Records named `name`, with their aliases and related ids. */
static int gather_records(struct kensa_db *db, struct adv_holder *h, const char *name,
			  struct kensa_err *err)
{
	sqlite3_stmt *q = db->q[Q_REC];
	int rc;

	sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct kensa_db_record *r;
		int64_t rowid = sqlite3_column_int64(q, 0);
		const char **al = NULL, **rel = NULL;
		size_t nal = 0, capal = 0, nrel = 0, caprel = 0;
		sqlite3_stmt *qa = db->q[Q_ALIAS], *qr = db->q[Q_REL];
		int rc2;

		if (KS_GROW(h->recs, h->caprecs, h->nrecs + 1))
			goto nomem;
		r = &h->recs[h->nrecs++];
		memset(r, 0, sizeof(*r));
		r->id = dup_col(h, q, 1);
		r->feed = dup_col(h, q, 2);
		r->origin = dup_col(h, q, 3);
		r->summary = dup_col(h, q, 4);
		r->details = dup_col(h, q, 5);
		r->published = dup_col(h, q, 6);
		r->modified = dup_col(h, q, 7);
		r->withdrawn = dup_col(h, q, 8);
		r->database_specific = dup_col(h, q, 9);
		sqlite3_bind_int64(qa, 1, rowid);
		while ((rc2 = sqlite3_step(qa)) == SQLITE_ROW) {
			const char *s = dup_col(h, qa, 0);

			if (!s || KS_GROW(al, capal, nal + 1)) {
				sqlite3_reset(qa);
				free(al);
				goto nomem;
			}
			al[nal++] = s;
		}
		sqlite3_reset(qa);
		sqlite3_bind_int64(qr, 1, rowid);
		while ((rc2 = sqlite3_step(qr)) == SQLITE_ROW) {
			const char *kind = col(qr, 0), *s = dup_col(h, qr, 1);

			if (!s || KS_GROW(rel, caprel, nrel + 1) ||
			    (kind && strcmp(kind, "upstream") == 0 &&
			     add_name(h, &h->names, &h->nnames, &h->capnames, s))) {
				sqlite3_reset(qr);
				free(al);
				free(rel);
				goto nomem;
			}
			rel[nrel++] = s;
		}
		sqlite3_reset(qr);
		/* move the id lists into the arena so the record owns nothing malloc'ed */
		if (nal) {
			r->aliases = ks_arena_memdup(&h->arena, al, nal * sizeof(*al));
			r->naliases = r->aliases ? nal : 0;
		}
		if (nrel) {
			r->related = ks_arena_memdup(&h->arena, rel, nrel * sizeof(*rel));
			r->nrelated = r->related ? nrel : 0;
		}
		free(al);
		free(rel);
	}
	return step_err(db, q, rc, err);
nomem:
	sqlite3_reset(q);
	return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
}

static double col_num(sqlite3_stmt *q, int i)
{
	return sqlite3_column_type(q, i) == SQLITE_NULL ? NAN : sqlite3_column_double(q, i);
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Enrichment rows about `name`; duplicates (the same fact from two copies of a feed) once. */
static int gather_enrichment(struct kensa_db *db, struct adv_holder *h, const char *name,
			     struct kensa_err *err)
{
	sqlite3_stmt *q;
	int rc;

	q = db->q[Q_SEV];
	sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct kensa_severity s = { dup_col(h, q, 0), dup_col(h, q, 1), dup_col(h, q, 2),
					    dup_col(h, q, 3), col_num(q, 4) };
		bool dup = false;

		for (size_t i = 0; i < h->nsev && !dup; i++)
			dup = same(h->sev[i].id, s.id) && same(h->sev[i].provider, s.provider) &&
			      same(h->sev[i].vector, s.vector);
		if (dup)
			continue;
		if (KS_GROW(h->sev, h->capsev, h->nsev + 1))
			goto nomem;
		h->sev[h->nsev++] = s;
	}
	if ((rc = step_err(db, q, rc, err)))
		return rc;

	q = db->q[Q_CWE];
	sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct kensa_cwe c = { dup_col(h, q, 0), dup_col(h, q, 1), dup_col(h, q, 2) };
		bool dup = false;

		for (size_t i = 0; i < h->ncwe && !dup; i++)
			dup = same(h->cwe[i].id, c.id) && same(h->cwe[i].provider, c.provider) &&
			      same(h->cwe[i].cwe, c.cwe);
		if (dup)
			continue;
		if (KS_GROW(h->cwe, h->capcwe, h->ncwe + 1))
			goto nomem;
		h->cwe[h->ncwe++] = c;
	}
	if ((rc = step_err(db, q, rc, err)))
		return rc;

	q = db->q[Q_KEV];
	sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct kensa_kev k = { dup_col(h, q, 0), dup_col(h, q, 1), dup_col(h, q, 2),
				       dup_col(h, q, 3), dup_col(h, q, 4), dup_col(h, q, 5),
				       dup_col(h, q, 6), dup_col(h, q, 7), dup_col(h, q, 8),
				       dup_col(h, q, 9), dup_col(h, q, 10) };

		if (KS_GROW(h->kev, h->capkev, h->nkev + 1))
			goto nomem;
		h->kev[h->nkev++] = k;
	}
	if ((rc = step_err(db, q, rc, err)))
		return rc;

	q = db->q[Q_EPSS];
	sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct kensa_epss e = { dup_col(h, q, 0), sqlite3_column_double(q, 1),
					sqlite3_column_double(q, 2), dup_col(h, q, 3),
					dup_col(h, q, 4) };

		if (KS_GROW(h->epss, h->capepss, h->nepss + 1))
			goto nomem;
		h->epss[h->nepss++] = e;
	}
	if ((rc = step_err(db, q, rc, err)))
		return rc;

	q = db->q[Q_SSVC];
	sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct kensa_ssvc s = { dup_col(h, q, 0), dup_col(h, q, 1), dup_col(h, q, 2),
					dup_col(h, q, 3), dup_col(h, q, 4), dup_col(h, q, 5),
					dup_col(h, q, 6) };
		bool dup = false;

		for (size_t i = 0; i < h->nssvc && !dup; i++)
			dup = same(h->ssvc[i].id, s.id) && same(h->ssvc[i].provider, s.provider) &&
			      same(h->ssvc[i].timestamp, s.timestamp);
		if (dup)
			continue;
		if (KS_GROW(h->ssvc, h->capssvc, h->nssvc + 1))
			goto nomem;
		h->ssvc[h->nssvc++] = s;
	}
	if ((rc = step_err(db, q, rc, err)))
		return rc;

	q = db->q[Q_VEX];
	sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct kensa_vex v = { dup_col(h, q, 0), dup_col(h, q, 1), dup_col(h, q, 2),
				       dup_col(h, q, 3), dup_col(h, q, 4), dup_col(h, q, 5),
				       dup_col(h, q, 6), dup_col(h, q, 7), dup_col(h, q, 8),
				       dup_col(h, q, 9) };

		if (KS_GROW(h->vex, h->capvex, h->nvex + 1))
			goto nomem;
		h->vex[h->nvex++] = v;
	}
	return step_err(db, q, rc, err);
nomem:
	sqlite3_reset(q);
	return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
}

int kensa_db_advisory_get(struct kensa_db *db, const char *id, struct kensa_advisory **out,
			  struct kensa_err *err)
{
	struct adv_holder *h = NULL;
	sqlite3_stmt *q;
	const char *found = NULL;
	int64_t grp = 0;
	int rc, result = 0;

	*out = NULL;
	if (!id || !ks_vdb_id_valid(id))
		return kensa_err_set(err, KENSA_EINVAL, "'%s' is not an advisory id", id ? id : "");
	h = calloc(1, sizeof(*h));
	if (!h || canon_id(db, id)) {
		result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		goto out;
	}
	q = db->q[Q_IDENT];
	sqlite3_bind_text(q, 1, db->key.data, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		found = dup_col(h, q, 0);
		grp = sqlite3_column_int64(q, 1);
	}
	if ((result = step_err(db, q, rc == SQLITE_ROW ? SQLITE_DONE : rc, err)))
		goto out;
	if (add_name(h, &h->ids, &h->nids, &h->capids, found ? found : db->key.data)) {
		result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		goto out;
	}
	if (found) {
		q = db->q[Q_GROUP];
		sqlite3_bind_int64(q, 1, grp);
		while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
			if (add_name(h, &h->ids, &h->nids, &h->capids, col(q, 0))) {
				sqlite3_reset(q);
				result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
				goto out;
			}
		}
		if ((result = step_err(db, q, rc, err)))
			goto out;
	}
	for (size_t i = 0; i < h->nids && !result; i++)
		result = add_name(h, &h->names, &h->nnames, &h->capnames, h->ids[i]);
	for (size_t i = 0; i < h->nids && !result; i++)
		result = gather_records(db, h, h->ids[i], err);
	/* names grows while records add their upstream ids; index, not pointer */
	for (size_t i = 0; i < h->nnames && !result; i++)
		result = gather_enrichment(db, h, h->names[i], err);
	if (result) {
		if (result == KENSA_ENOMEM)
			kensa_err_set(err, result, "out of memory");
		goto out;
	}
	if (!h->nrecs && !h->nsev && !h->ncwe && !h->nkev && !h->nepss && !h->nssvc && !h->nvex) {
		result = kensa_err_set(err, KENSA_ENOTFOUND, "'%s' is not in the database", id);
		goto out;
	}
	h->pub.id = h->ids[0];
	h->pub.ids = h->ids;
	h->pub.nids = h->nids;
	h->pub.records = h->recs;
	h->pub.nrecords = h->nrecs;
	h->pub.severities = h->sev;
	h->pub.nseverities = h->nsev;
	h->pub.cwes = h->cwe;
	h->pub.ncwes = h->ncwe;
	h->pub.kev = h->kev;
	h->pub.nkev = h->nkev;
	h->pub.epss = h->epss;
	h->pub.nepss = h->nepss;
	h->pub.ssvc = h->ssvc;
	h->pub.nssvc = h->nssvc;
	h->pub.vex = h->vex;
	h->pub.nvex = h->nvex;
	*out = &h->pub;
	h = NULL;
out:
	kensa_db_advisory_free(h ? &h->pub : NULL);
	return result;
}

/* ---------------------------------------------------------------- info */

struct info_holder {
	struct kensa_db_info pub;
	struct ks_arena arena;
	struct kensa_db_source *src;
	size_t nsrc, capsrc;
};

void kensa_db_info_free(struct kensa_db_info *info)
{
	struct info_holder *h = (struct info_holder *)info;

	if (!h)
		return;
	for (size_t i = 0; i < h->nsrc; i++) {
		free((void *)h->src[i].counts);
		free((void *)h->src[i].skips);
	}
	free(h->src);
	ks_arena_release(&h->arena);
	free(h);
}

static int64_t meta_i64(sqlite3 *db, const char *key)
{
	char *v = ks_vdb_meta_get(db, key);
	uint64_t n = 0;

	if (v && !ks_parse_u64(v, strlen(v), &n))
		n = 0;
	free(v);
	return (int64_t)n;
}

static int count_rows(struct kensa_db *db, const char *sql, uint64_t *n, struct kensa_err *err)
{
	sqlite3_stmt *q = NULL;
	int rc = sqlite3_prepare_v2(db->db, sql, -1, &q, NULL);

	if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		*n = (uint64_t)sqlite3_column_int64(q, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_DONE ? 0 : ks_vdb_sqlerr(db->db, rc, db->path, "read", err);
}

static int source_stats(struct kensa_db *db, struct info_holder *h, struct kensa_db_source *s,
			int64_t id, struct kensa_err *err)
{
	sqlite3_stmt *q = NULL;
	struct kensa_db_stat *c = NULL, *k = NULL;
	size_t nc = 0, cc = 0, nk = 0, ck = 0;
	int rc = sqlite3_prepare_v2(
		db->db, "SELECT kind, key, n FROM source_stat WHERE source = ?1 ORDER BY kind, key",
		-1, &q, NULL);

	if (rc == SQLITE_OK)
		sqlite3_bind_int64(q, 1, id);
	while ((rc == SQLITE_OK || rc == SQLITE_ROW) && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct kensa_db_stat st = { ks_arena_strdup(&h->arena, col(q, 1) ? col(q, 1) : ""),
					    (uint64_t)sqlite3_column_int64(q, 2) };

		if (!st.key ||
		    (sqlite3_column_int(q, 0) ? KS_GROW(k, ck, nk + 1) : KS_GROW(c, cc, nc + 1))) {
			rc = SQLITE_NOMEM;
			break;
		}
		if (sqlite3_column_int(q, 0))
			k[nk++] = st;
		else
			c[nc++] = st;
	}
	sqlite3_finalize(q);
	s->counts = c;
	s->ncounts = nc;
	s->skips = k;
	s->nskips = nk;
	return rc == SQLITE_DONE ? 0 : ks_vdb_sqlerr(db->db, rc, db->path, "read", err);
}

int kensa_db_info_get(struct kensa_db *db, struct kensa_db_info **out, struct kensa_err *err)
{
	static const struct {
		const char *sql;
		size_t off;
	} counts[] = {
		{ "SELECT count(*) FROM advisory", offsetof(struct kensa_db_info, advisories) },
		{ "SELECT count(*) FROM advisory WHERE withdrawn IS NOT NULL",
		  offsetof(struct kensa_db_info, withdrawn) },
		{ "SELECT count(*) FROM affected", offsetof(struct kensa_db_info, affected) },
		{ "SELECT count(*) FROM alias", offsetof(struct kensa_db_info, aliases) },
		{ "SELECT count(DISTINCT grp) FROM ident", offsetof(struct kensa_db_info, groups) },
		{ "SELECT count(*) FROM severity", offsetof(struct kensa_db_info, severities) },
		{ "SELECT count(*) FROM cwe", offsetof(struct kensa_db_info, cwes) },
		{ "SELECT count(DISTINCT cve) FROM kev", offsetof(struct kensa_db_info, kev) },
		{ "SELECT count(*) FROM epss", offsetof(struct kensa_db_info, epss) },
		{ "SELECT count(*) FROM ssvc", offsetof(struct kensa_db_info, ssvc) },
		{ "SELECT count(*) FROM vex", offsetof(struct kensa_db_info, vex) },
	};
	struct info_holder *h = calloc(1, sizeof(*h));
	sqlite3_stmt *q = NULL;
	struct stat st;
	int rc, result = 0;

	*out = NULL;
	if (!h)
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	h->pub.path = ks_arena_strdup(&h->arena, db->path);
	h->pub.schema = KENSA_DB_SCHEMA;
	h->pub.created = meta_i64(db->db, "created");
	h->pub.updated = meta_i64(db->db, "updated");
	h->pub.checked = meta_i64(db->db, "checked");
	h->pub.generation = (uint64_t)meta_i64(db->db, "generation");
	if (stat(db->path, &st) == 0)
		h->pub.file_size = (uint64_t)st.st_size;
	for (size_t i = 0; i < KS_ARRAY_SIZE(counts) && !result; i++)
		result = count_rows(db, counts[i].sql,
				    (uint64_t *)((char *)&h->pub + counts[i].off), err);
	if (result)
		goto out;
	rc = sqlite3_prepare_v2(
		db->db,
		"SELECT id, importer, origin, file, fetched_at, imported_at, generation, etag, "
		"last_modified, feed_version, feed_date, records, skipped FROM source ORDER BY id",
		-1, &q, NULL);
	while ((rc == SQLITE_OK || rc == SQLITE_ROW) && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct kensa_db_source *s;

		if (KS_GROW(h->src, h->capsrc, h->nsrc + 1)) {
			rc = SQLITE_NOMEM;
			break;
		}
		s = &h->src[h->nsrc++];
		memset(s, 0, sizeof(*s));
#define DUP(i) (col(q, i) ? ks_arena_strdup(&h->arena, col(q, i)) : NULL)
		s->importer = DUP(1);
		s->origin = DUP(2);
		s->file = DUP(3);
		s->fetched_at = sqlite3_column_int64(q, 4);
		s->imported_at = sqlite3_column_int64(q, 5);
		s->generation = (uint64_t)sqlite3_column_int64(q, 6);
		s->etag = DUP(7);
		s->last_modified = DUP(8);
		s->feed_version = DUP(9);
		s->feed_date = DUP(10);
#undef DUP
		s->records = (uint64_t)sqlite3_column_int64(q, 11);
		s->skipped = (uint64_t)sqlite3_column_int64(q, 12);
		result = source_stats(db, h, s, sqlite3_column_int64(q, 0), err);
		if (result)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		result = ks_vdb_sqlerr(db->db, rc, db->path, "read", err);
		goto out;
	}
	h->pub.sources = h->src;
	h->pub.nsources = h->nsrc;
	*out = &h->pub;
	h = NULL;
out:
	sqlite3_finalize(q);
	kensa_db_info_free(h ? &h->pub : NULL);
	return result;
}
