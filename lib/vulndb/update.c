// SPDX-License-Identifier: Apache-2.0
/*
 * update.c — `kensa db update`: refresh the database from the official feeds or a mirror,
 * one *unit* at a time, with conditional requests.
 *
 * A unit is what one conditional check covers: a URL (an OSV <Ecosystem>/all.zip, the KEV
 * JSON, the EPSS file, a file listed in a mirror's index) or, for a mirror directory, one
 * directory's own files (fingerprinted by names, sizes and mtimes). For each unit:
 *   unchanged (304 / same fingerprint)  its data stays as it is;
 *   changed                             in a savepoint: purge what the unit gave last time,
 *                                       import the new content; a failed import rolls back
 *                                       to the unit's previous data;
 *   missing (404) or failed             previous data kept, counted, warned about.
 * Everything happens in the writer's temporary copy, committed by rename at the end (see
 * store.c), so a killed update changes nothing.
 *
 * Mirror layouts (docs/db.md): a URL serves either an index "kensa-mirror.txt" (one path per
 * line, relative to the mirror) or the official names (<Ecosystem>/all.zip,
 * known_exploited_vulnerabilities.json, epss_scores-current.csv.gz); a directory is walked.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vulndb.h"

#define OSV_BASE "https://osv-vulnerabilities.storage.googleapis.com/"
#define KEV_URL \
	"https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"
#define EPSS_URL "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz"
#define MIRROR_INDEX "kensa-mirror.txt"
#define MIRROR_INDEX_MAX ((size_t)1 << 20)
#define MAX_UNITS 100000

static const char *const default_ecosystems[] = {
	"Alpine", "Debian",    "Ubuntu",   "Red Hat",	"PyPI",	 "npm", "Maven",
	"Go",	  "crates.io", "RubyGems", "Packagist", "NuGet", NULL,
};

const char *const *kensa_db_default_ecosystems(void)
{
	return default_ecosystems;
}

struct unit {
	char *key;		/* fetch_state key: the URL, or the local path */
	char *url;		/* NULL: local */
	bool dir;		/* local directory (its own files) */
	bool optional;		/* a 404 means "not offered" */
};

struct plan {
	struct unit *u;
	size_t n, cap;
};

static void plan_release(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->u[i].key);
		free(p->u[i].url);
	}
	free(p->u);
	memset(p, 0, sizeof(*p));
}

static int plan_add(struct plan *p, const char *key, const char *url, bool dir, bool optional)
{
	struct unit *u;

	if (p->n >= MAX_UNITS)
		return KENSA_ELIMIT;
	if (KS_GROW(p->u, p->cap, p->n + 1))
		return KENSA_ENOMEM;
	u = &p->u[p->n];
	u->key = strdup(key);
	u->url = url ? strdup(url) : NULL;
	u->dir = dir;
	u->optional = optional;
	if (!u->key || (url && !u->url)) {
		free(u->key);
		free(u->url);
		return KENSA_ENOMEM;
	}
	p->n++;
	return 0;
}

/* base + rel, with spaces (as in "Red Hat") percent-encoded. */
static char *join_url(const char *base, const char *rel)
{
	struct ks_buf b = KS_BUF_INIT;

	if (ks_buf_adds(&b, base) || (!ks_str_endswith(base, "/") && ks_buf_addc(&b, '/'))) {
		ks_buf_release(&b);
		return NULL;
	}
	for (const char *p = rel; *p; p++) {
		if ((*p == ' ' ? ks_buf_adds(&b, "%20") : ks_buf_addc(&b, *p)) != 0) {
			ks_buf_release(&b);
			return NULL;
		}
	}
	return ks_buf_detach(&b);
}

/* The official names, relative to `base` (official hosts when base is NULL). */
static int plan_names(struct plan *p, const char *base, const char *const *ecos)
{
	int result = 0;

	for (size_t i = 0; ecos[i] && !result; i++) {
		char *rel = NULL, *url;

		if (asprintf(&rel, "%s/all.zip", ecos[i]) < 0)
			return KENSA_ENOMEM;
		url = join_url(base ? base : OSV_BASE, rel);
		free(rel);
		if (!url)
			return KENSA_ENOMEM;
		result = plan_add(p, url, url, false, true);
		free(url);
	}
	{
		char *kev = base ? join_url(base, "known_exploited_vulnerabilities.json")
				 : strdup(KEV_URL);
		char *epss = base ? join_url(base, "epss_scores-current.csv.gz") : strdup(EPSS_URL);

		if (!kev || !epss)
			result = KENSA_ENOMEM;
		if (!result)
			result = plan_add(p, kev, kev, false, base != NULL);
		if (!result)
			result = plan_add(p, epss, epss, false, base != NULL);
		free(kev);
		free(epss);
	}
	return result;
}

static bool safe_rel(const char *s, size_t n)
{
	if (!n || s[0] == '/' || memmem(s, n, "..", 2) || memmem(s, n, "://", 3) ||
	    memchr(s, '\\', n))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20)
			return false;
	return true;
}

/* Units from an index: one relative path per line, '#' comments. */
static int plan_index(struct plan *p, const char *base, bool local, const char *data, size_t len,
		      struct kensa_err *err)
{
	const char *s = data, *end = data + len;
	int result = 0;

	while (s < end && !result) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *line = s;
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		char *rel;

		s = nl ? nl + 1 : end;
		ks_trim(&line, &n);
		if (!n || line[0] == '#')
			continue;
		if (!safe_rel(line, n)) {
			ks_warn("%s: ignoring line '%.*s' (not a relative path inside the mirror)",
				MIRROR_INDEX,
				(int)KS_MIN(n, 200), line);
			continue;
		}
		rel = strndup(line, n);
		if (!rel)
			return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		if (local) {
			char *path = NULL;

			if (asprintf(&path, "%s/%s", base, rel) < 0)
				result = KENSA_ENOMEM;
			else
				result = plan_add(p, path, NULL, false, false);
			free(path);
		} else {
			char *url = join_url(base, rel);

			result = url ? plan_add(p, url, url, false, false) : KENSA_ENOMEM;
			free(url);
		}
		free(rel);
	}
	if (result)
		kensa_err_set(err, result,
			      result == KENSA_ELIMIT ? "the mirror index lists too many files"
						     : "out of memory");
	return result;
}

/* Every directory under root that holds feed-looking files is one unit. */
static int plan_dir(struct plan *p, const char *root, struct kensa_err *err)
{
	struct ks_strv stack = { 0 };
	int result = 0;
	char *r = strdup(root);

	if (!r || KS_GROW(stack.v, stack.cap, 1)) {
		free(r);
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	}
	stack.v[stack.n++] = r;
	while (stack.n && !result) {
		char *dir = stack.v[--stack.n];
		struct ks_strv files = { 0 }, dirs = { 0 };

		result = ks_vdb_list_dir(dir, &files, &dirs, err);
		if (!result && files.n && (result = plan_add(p, dir, NULL, true, false)))
			kensa_err_set(err, result, "too many directories under '%s'", root);
		for (size_t i = dirs.n; i > 0 && !result; i--) {
			if (ks_path_depth(dirs.v[i - 1]) > ks_path_depth(root) + KS_VDB_MAX_DEPTH)
				continue;
			if (KS_GROW(stack.v, stack.cap, stack.n + 1)) {
				result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
				break;
			}
			stack.v[stack.n++] = dirs.v[i - 1];
			dirs.v[i - 1] = NULL;
		}
		ks_strv_release(&files);
		ks_strv_release(&dirs);
		free(dir);
	}
	ks_strv_release(&stack);
	return result;
}

/* A local unit's fingerprint: file names, sizes and mtimes (the "ETag" of a directory). */
static char *fingerprint(const struct unit *u)
{
	struct ks_strv files = { 0 }, dirs = { 0 };
	struct ks_buf b = KS_BUF_INIT;
	char *out = NULL;
	size_t n = 0;

	if (u->dir) {
		if (ks_vdb_list_dir(u->key, &files, &dirs, NULL))
			goto out;
	} else {
		char *k = strdup(u->key);

		if (!k || KS_GROW(files.v, files.cap, 1)) {
			free(k);
			goto out;
		}
		files.v[files.n++] = k;
	}
	for (size_t i = 0; i < files.n; i++) {
		struct stat st;

		if (stat(files.v[i], &st) != 0)
			continue;
		if (ks_buf_printf(&b, "%s\t%lld\t%lld.%09ld\n", ks_path_basename(files.v[i]),
				  (long long)st.st_size, (long long)st.st_mtim.tv_sec,
				  st.st_mtim.tv_nsec))
			goto out;
		n++;
	}
	if (asprintf(&out, "local:%zu:%016llx", n,
		     (unsigned long long)(b.data ? ks_hash(b.data, b.len) : 0)) < 0)
		out = NULL;
out:
	ks_strv_release(&files);
	ks_strv_release(&dirs);
	ks_buf_release(&b);
	return out;
}

static int exec_sql(struct ks_store *st, const char *q)
{
	return sqlite3_exec(ks_store_db(st), q, NULL, NULL, NULL) == SQLITE_OK ? 0 : KENSA_EDB;
}

/* Replace what unit u gave before by the content at `path`, or leave it as it was. */
static int import_unit(struct ks_store *st, const struct unit *u, const char *path,
		       const struct ks_import_origin *o, struct kensa_err *err)
{
	struct ks_import *im = NULL;
	int result;

	if (exec_sql(st, "SAVEPOINT unit"))
		return kensa_err_set(err, KENSA_EDB, "cannot write '%s': %s", ks_store_path(st),
				     sqlite3_errmsg(ks_store_db(st)));
	result = ks_store_purge_unit(st, u->key);
	if (!result) {
		im = ks_import_new(st);
		if (!im)
			result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	}
	if (!result)
		result = ks_import_path(im, path, o, err);
	if (!result) {
		result = ks_import_finish(im, err);
		im = NULL;
	}
	if (!result)
		result = ks_store_fetch_state_put(st, u->key, o->etag, o->last_modified,
						  o->fetched_at, true);
	ks_import_free(im);
	if (result) {
		kensa_err_set(err, result, "cannot import '%s'", u->key);
		exec_sql(st, "ROLLBACK TO unit");
		exec_sql(st, "RELEASE unit");
		return result;
	}
	if (exec_sql(st, "RELEASE unit"))
		return kensa_err_set(err, KENSA_EDB, "cannot write '%s': %s", ks_store_path(st),
				     sqlite3_errmsg(ks_store_db(st)));
	ks_vdb_test_pause("import");
	return 0;
}

enum unit_state { U_CHANGED, U_UNCHANGED, U_MISSING, U_FAILED };

static enum unit_state update_url(struct ks_store *st, const struct unit *u,
				  const struct kensa_db_update_opts *opts, size_t idx, bool *fatal,
				  struct kensa_err *err)
{
	struct ks_fetch_state fs;
	struct ks_fetch_result res = { 0 };
	struct ks_fetch_opts fo = { 0 };
	struct kensa_err uerr = KENSA_ERR_INIT;
	enum unit_state state = U_FAILED;
	char *tmp = NULL;

	ks_store_fetch_state_get(st, u->key, &fs);
	if (asprintf(&tmp, "%s.dl-%ld-%zu", ks_store_path(st), (long)getpid(), idx) < 0) {
		tmp = NULL;
		*fatal = true;
		kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		goto out;
	}
	fo.etag = fs.etag;
	fo.last_modified = fs.last_modified;
	fo.max_bytes = opts->max_download;
	fo.connect_timeout = opts->connect_timeout;
	fo.stall_timeout = opts->stall_timeout;
	fo.retries = opts->no_retries ? 0 : opts->retries;
	fo.label = u->url;
	ks_info("fetching %s%s", u->url, fs.etag || fs.last_modified ? " (conditional)" : "");
	if (ks_fetch(u->url, tmp, &fo, &res, &uerr) != 0) {
		ks_warn("%s; keeping what the database had from it", uerr.msg);
		goto out;
	}
	ks_vdb_test_pause("download");
	if (res.status == KS_FETCH_NOT_MODIFIED) {
		ks_info("%s: not modified", u->url);
		state = ks_store_fetch_state_put(st, u->key, NULL, NULL, 0, false) ? U_FAILED
										   : U_UNCHANGED;
	} else if (res.status == KS_FETCH_NOT_FOUND) {
		if (u->optional) {
			ks_info("%s: not offered (404)", u->url);
			state = U_MISSING;
		} else {
			ks_warn("'%s': not found (404); keeping what the database had from it",
				u->url);
		}
	} else {
		struct ks_import_origin o = {
			u->url, u->key, (int64_t)time(NULL), res.etag, res.last_modified, false
		};
		int rc = import_unit(st, u, tmp, &o, &uerr);

		if (rc == 0)
			state = U_CHANGED;
		else if (rc == KENSA_EDB || rc == KENSA_ENOMEM)
			*fatal = kensa_err_set(err, rc, "%s", uerr.msg) != 0;
		else
			ks_warn("%s; keeping what the database had from it", uerr.msg);
	}
out:
	if (tmp)
		unlink(tmp);
	free(tmp);
	ks_fetch_state_release(&fs);
	ks_fetch_result_release(&res);
	return state;
}

static enum unit_state update_local(struct ks_store *st, const struct unit *u, bool *fatal,
				    struct kensa_err *err)
{
	struct ks_fetch_state fs;
	struct kensa_err uerr = KENSA_ERR_INIT;
	enum unit_state state = U_FAILED;
	char *fp = fingerprint(u);
	struct stat sb;

	ks_store_fetch_state_get(st, u->key, &fs);
	if (!fp || stat(u->key, &sb) != 0) {
		ks_warn("cannot read '%s'; keeping what the database had from it", u->key);
		goto out;
	}
	if (fs.etag && strcmp(fs.etag, fp) == 0) {
		state = ks_store_fetch_state_put(st, u->key, NULL, NULL, 0, false) ? U_FAILED
										   : U_UNCHANGED;
	} else {
		struct ks_import_origin o = { NULL, u->key, (int64_t)time(NULL), fp, NULL, u->dir };
		int rc = import_unit(st, u, u->key, &o, &uerr);

		if (rc == 0)
			state = U_CHANGED;
		else if (rc == KENSA_EDB || rc == KENSA_ENOMEM)
			*fatal = kensa_err_set(err, rc, "%s", uerr.msg) != 0;
		else
			ks_warn("%s; keeping what the database had from it", uerr.msg);
	}
out:
	free(fp);
	ks_fetch_state_release(&fs);
	return state;
}

/* Fetch a mirror's index into memory: 0 with *data (NULL when the mirror has none). */
static int fetch_index(struct ks_store *st, const struct kensa_db_update_opts *opts, char **data,
		       size_t *len, struct kensa_err *err)
{
	struct ks_fetch_opts fo = { 0 };
	struct ks_fetch_result res = { 0 };
	char *url = join_url(opts->mirror, MIRROR_INDEX), *tmp = NULL;
	int result;

	*data = NULL;
	*len = 0;
	if (!url || asprintf(&tmp, "%s.dl-%ld-index", ks_store_path(st), (long)getpid()) < 0) {
		free(url);
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	}
	fo.max_bytes = MIRROR_INDEX_MAX;
	fo.connect_timeout = opts->connect_timeout;
	fo.stall_timeout = opts->stall_timeout;
	fo.retries = opts->no_retries ? 0 : opts->retries;
	fo.label = url;
	result = ks_fetch(url, tmp, &fo, &res, err);
	if (!result && res.status == KS_FETCH_OK)
		result = ks_file_read(tmp, MIRROR_INDEX_MAX, data, len, err);
	unlink(tmp);
	free(tmp);
	free(url);
	ks_fetch_result_release(&res);
	return result;
}

static bool is_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

int kensa_db_update(const char *path, const struct kensa_db_update_opts *opts_in,
		    struct kensa_db_update_report *report, struct kensa_err *err)
{
	struct kensa_db_update_opts opts = KENSA_DB_UPDATE_OPTS_INIT;
	struct kensa_db_update_report rep = { 0 };
	const char *const *ecos;
	struct ks_store *st = NULL;
	struct plan plan = { 0 };
	char *index = NULL;
	size_t index_len = 0;
	bool fatal = false;
	int result;

	if (opts_in)
		opts = *opts_in;
	ecos = opts.ecosystems ? opts.ecosystems : default_ecosystems;
	if (!path || !*path)
		return kensa_err_set(err, KENSA_EINVAL, "no database path given");
	result = ks_store_begin(path, KS_STORE_COPY_OR_NEW, &st, err);
	if (result)
		return result;

	/* the plan: which units to check */
	if (!opts.mirror) {
		result = plan_names(&plan, NULL, ecos);
	} else if (is_url(opts.mirror)) {
		result = fetch_index(st, &opts, &index, &index_len, err);
		if (!result && index)
			result = plan_index(&plan, opts.mirror, false, index, index_len, err);
		else if (!result)
			result = plan_names(&plan, opts.mirror, ecos);
	} else {
		struct stat sb;
		char *ipath = NULL;

		if (stat(opts.mirror, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			result = kensa_err_set(err, KENSA_ENOTFOUND,
					       "mirror '%s' is not a directory or an http(s) URL",
					       opts.mirror);
		} else if (asprintf(&ipath, "%s/%s", opts.mirror, MIRROR_INDEX) < 0) {
			ipath = NULL;
			result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		} else if (ks_file_read(ipath, MIRROR_INDEX_MAX, &index, &index_len, NULL) == 0) {
			result = plan_index(&plan, opts.mirror, true, index, index_len, err);
		} else {
			result = plan_dir(&plan, opts.mirror, err);
		}
		free(ipath);
	}
	if (result == KENSA_ENOMEM || result == KENSA_ELIMIT)
		kensa_err_set(err, result, "cannot plan the update");
	if (result)
		goto out;
	if (!plan.n) {
		result = kensa_err_set(err, KENSA_ENOTFOUND, "'%s' offers no vulnerability feeds",
				       opts.mirror);
		goto out;
	}

	for (size_t i = 0; i < plan.n && !fatal; i++) {
		const struct unit *u = &plan.u[i];
		enum unit_state s;

		ks_progress("updating", i, plan.n);
		s = u->url ? update_url(st, u, &opts, i, &fatal, err)
			   : update_local(st, u, &fatal, err);
		if (fatal)
			break;
		switch (s) {
		case U_CHANGED: rep.fetched++; break;
		case U_UNCHANGED: rep.unchanged++; break;
		case U_MISSING: rep.missing++; break;
		case U_FAILED: rep.failed++; break;
		}
	}
	if (fatal) {
		result = err && err->code ? err->code : KENSA_EDB;
		goto out;
	}
	ks_progress("updating", plan.n, plan.n);
	if (!rep.fetched && !rep.unchanged) {
		result = kensa_err_set(
			err, rep.failed ? KENSA_ENET : KENSA_ENOTFOUND,
			rep.failed ? "no feed could be fetched (%u failed, %u not offered)"
				   : "none of the feeds is offered (%u failed, %u not offered)",
			rep.failed, rep.missing);
		goto out;
	}
	result = ks_store_commit(st, rep.fetched > 0, err);
	st = NULL;
out:
	ks_store_abort(st);
	plan_release(&plan);
	free(index);
	if (report)
		*report = rep;
	return result;
}
