// SPDX-License-Identifier: Apache-2.0
/*
 * import.c — from paths to importers: walks directories, opens zips (libarchive, one member
 * at a time) and compressed files, sniffs each document's format, and keeps the books of
 * every source (records, named counts, skipped records by reason).
 *
 * Sources: a per-record feed (OSV, CVE JSON 5: one record per file) is one source per
 * directory or zip; a one-document feed (KEV, EPSS, NVD page, VEX document) is one source
 * per file. A file that cannot be read or parsed before its format is known is charged to
 * the per-record source of its directory/zip when there is exactly one, so a malformed
 * record in osv/Go/ shows up as "osv/Go: skipped 1 (malformed JSON)". Files in a walk that
 * are no feed at all (README, LICENSE, a JSON schema) are ignored; a file named explicitly
 * must be a feed.
 *
 * What it is not: a parser of any feed (those are osv.c, kev.c, …) or a downloader.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vulndb.h"

struct stat_kv {
	char *key;
	uint64_t n;
};

struct src {
	const struct ks_importer *imp;
	char *origin, *file;
	int64_t id;
	uint64_t container;		/* which directory/zip/file walk step created it */
	uint64_t records, skipped;
	struct stat_kv *counts, *skips;
	size_t ncounts, capcounts, nskips, capskips;
	unsigned warned;
	char *feed_version, *feed_date;
};

/* Problems found before a file's format was known, charged when its container ends. */
struct pending {
	char *reason;
	char *name;		/* the file */
	bool quiet;		/* warn only when charged to a source (unknown schema) */
};

struct container {
	uint64_t seq;
	const char *local;		/* the local path it stands for (directory, zip, file) */
	const char *origin;		/* what sources call it: `local`, or a download's URL */
	bool explicit_file;		/* a file named on the command line */
	struct pending *pend;
	size_t npend, cap;
};

struct ks_import {
	struct ks_store *st;
	struct src **srcs;
	size_t nsrcs, capsrcs;
	struct src *cur;
	const char *name;		/* the file being read, for messages */
	struct ks_arena arena;		/* per document */
	const struct ks_import_origin *o;
	struct container *box;
	uint64_t seq;
	uint64_t records;
	uint64_t ignored;		/* files that are no feed */
	uint64_t unreadable;		/* files that could not be read, charged to no source */
	unsigned unattributed_warned;
};

/* ---------------------------------------------------------------- accounting */

struct ks_store *ks_import_store(struct ks_import *im)
{
	return im->st;
}

int64_t ks_import_source(struct ks_import *im)
{
	return im->cur ? im->cur->id : 0;
}

const char *ks_import_name(const struct ks_import *im)
{
	return im->name ? im->name : "(input)";
}

struct ks_arena *ks_import_arena(struct ks_import *im)
{
	return &im->arena;
}

uint64_t ks_import_records(const struct ks_import *im)
{
	return im->records;
}

static int kv_add(struct stat_kv **arr, size_t *n, size_t *cap, const char *key, uint64_t by)
{
	for (size_t i = 0; i < *n; i++) {
		if (strcmp((*arr)[i].key, key) == 0) {
			(*arr)[i].n += by;
			return 0;
		}
	}
	if (*n >= 256)		/* reasons and counts are a fixed vocabulary; refuse floods */
		return 0;
	if (ks_grow((void **)arr, cap, *n + 1, sizeof(**arr)))
		return KENSA_ENOMEM;
	(*arr)[*n].key = strdup(key);
	if (!(*arr)[*n].key)
		return KENSA_ENOMEM;
	(*arr)[*n].n = by;
	(*n)++;
	return 0;
}

void ks_import_count(struct ks_import *im, const char *key, uint64_t n)
{
	struct src *s = im->cur;

	if (!s)
		return;
	if (strcmp(key, "records") == 0) {
		s->records += n;
		im->records += n;
		return;
	}
	kv_add(&s->counts, &s->ncounts, &s->capcounts, key, n);
}

static void vwarn_capped(struct ks_import *im, const char *what, const char *reason,
			 const char *fmt, va_list ap)
{
	struct src *s = im->cur;
	char detail[512] = "";

	if (s && s->warned >= KS_VDB_WARN_PER_SOURCE) {
		if (s->warned++ == KS_VDB_WARN_PER_SOURCE)
			ks_warn("%s: further warnings about this source are counted, not shown",
				s->origin);
		return;
	}
	if (s)
		s->warned++;
	if (fmt && *fmt)
		vsnprintf(detail, sizeof(detail), fmt, ap);
	ks_warn("'%s': %s%s%s%s", ks_import_name(im), what, reason, *detail ? ": " : "", detail);
}

void ks_import_skip(struct ks_import *im, const char *reason, const char *fmt, ...)
{
	va_list ap;

	if (im->cur) {
		im->cur->skipped++;
		kv_add(&im->cur->skips, &im->cur->nskips, &im->cur->capskips, reason, 1);
	}
	va_start(ap, fmt);
	vwarn_capped(im, "skipped a record: ", reason, fmt, ap);
	va_end(ap);
}

void ks_import_drop(struct ks_import *im, const char *reason, const char *fmt, ...)
{
	va_list ap;

	if (im->cur)
		kv_add(&im->cur->skips, &im->cur->nskips, &im->cur->capskips, reason, 1);
	va_start(ap, fmt);
	vwarn_capped(im, "dropped part of a record: ", reason, fmt, ap);
	va_end(ap);
}

int ks_import_feed_info(struct ks_import *im, const char *version, const char *date)
{
	struct src *s = im->cur;

	if (!s)
		return 0;
	if (version) {
		free(s->feed_version);
		s->feed_version = strndup(version, 256);
	}
	if (date) {
		free(s->feed_date);
		s->feed_date = strndup(date, 256);
	}
	return 0;
}

/* ---------------------------------------------------------------- helpers for importers */

const char *ks_import_str(const cJSON *obj, const char *key, size_t max)
{
	const char *s = ks_json_str(obj, key);

	return s && *s && strlen(s) <= max ? s : NULL;
}

char *ks_import_json_text(struct ks_import *im, const cJSON *v, bool *toolarge)
{
	char *text, *out;

	if (!v || cJSON_IsNull(v))
		return NULL;
	text = cJSON_PrintUnformatted(v);
	if (!text)
		return NULL;
	if (strlen(text) > KS_VDB_MAX_TEXT) {
		if (toolarge)
			*toolarge = true;
		free(text);
		return NULL;
	}
	out = ks_arena_strdup(&im->arena, text);
	free(text);
	return out;
}

const char *ks_import_id(struct ks_import *im, const char *id)
{
	struct ks_buf b = KS_BUF_INIT;
	char *out = NULL;

	if (!ks_vdb_id_valid(id))
		return NULL;
	if (ks_vdb_id_canon(id, &b) == 0)
		out = ks_arena_strdup(&im->arena, b.data);
	ks_buf_release(&b);
	return out;
}

/* ---------------------------------------------------------------- sources */

static void src_free(struct src *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->ncounts; i++)
		free(s->counts[i].key);
	for (size_t i = 0; i < s->nskips; i++)
		free(s->skips[i].key);
	free(s->counts);
	free(s->skips);
	free(s->origin);
	free(s->file);
	free(s->feed_version);
	free(s->feed_date);
	free(s);
}

static int src_flush(struct ks_import *im, struct src *s)
{
	int result = ks_store_source_done(im->st, s->id, s->records, s->skipped, s->feed_version,
					  s->feed_date);

	for (size_t i = 0; i < s->ncounts && !result; i++)
		result = ks_store_source_stat(im->st, s->id, 0, s->counts[i].key, s->counts[i].n);
	for (size_t i = 0; i < s->nskips && !result; i++)
		result = ks_store_source_stat(im->st, s->id, 1, s->skips[i].key, s->skips[i].n);
	return result;
}

/* The source for (importer, origin), created (replacing an older one) at first use. */
static int source_for(struct ks_import *im, const struct ks_importer *imp, const char *origin,
		      const char *file, struct src **out)
{
	struct src *s;
	int result;

	for (size_t i = 0; i < im->nsrcs; i++) {
		s = im->srcs[i];
		if (s->imp == imp && strcmp(s->origin, origin) == 0) {
			*out = s;
			return 0;
		}
	}
	if (KS_GROW(im->srcs, im->capsrcs, im->nsrcs + 1))
		return KENSA_ENOMEM;
	s = calloc(1, sizeof(*s));
	if (!s)
		return KENSA_ENOMEM;
	s->imp = imp;
	s->origin = strdup(origin);
	s->file = file ? strdup(file) : NULL;
	s->container = im->box ? im->box->seq : 0;
	if (!s->origin || (file && !s->file)) {
		src_free(s);
		return KENSA_ENOMEM;
	}
	result = ks_store_source_new(im->st, imp->name, origin, file, im->o, &s->id);
	if (result) {
		src_free(s);
		return result;
	}
	im->srcs[im->nsrcs++] = s;
	*out = s;
	return 0;
}

struct ks_import *ks_import_new(struct ks_store *st)
{
	struct ks_import *im = calloc(1, sizeof(*im));

	if (im)
		im->st = st;
	return im;
}

void ks_import_free(struct ks_import *im)
{
	if (!im)
		return;
	for (size_t i = 0; i < im->nsrcs; i++)
		src_free(im->srcs[i]);
	free(im->srcs);
	ks_arena_release(&im->arena);
	free(im);
}

int ks_import_finish(struct ks_import *im, struct kensa_err *err)
{
	int result = 0;

	if (!im)
		return 0;
	for (size_t i = 0; i < im->nsrcs && !result; i++)
		result = src_flush(im, im->srcs[i]);
	if (result)
		kensa_err_set(err, result, "cannot write source statistics to '%s'",
			      ks_store_path(im->st));
	if (im->ignored)
		ks_info("ignored %llu files that are not vulnerability feeds",
			(unsigned long long)im->ignored);
	if (im->unreadable)
		ks_warn("%llu files could not be read (see the warnings above)",
			(unsigned long long)im->unreadable);
	ks_import_free(im);
	return result;
}

/* ---------------------------------------------------------------- containers, pending problems */

/*
 * A file failed before its format was known. `msg` is warned about at once; without one
 * (a JSON document no importer claims) the file is charged as "unknown schema" to the
 * container's per-record source if it has one (a stray record in osv/Go/), and otherwise
 * ignored as not being a feed (a JSON schema beside the KEV catalog, a package.json).
 */
static void pending_add(struct ks_import *im, const char *reason, const char *msg)
{
	struct container *c = im->box;

	if (msg && im->unattributed_warned++ < 50)
		ks_warn("%s", msg);
	else if (msg && im->unattributed_warned == 51)
		ks_warn("further warnings about unreadable files are not shown");
	if (!c || KS_GROW(c->pend, c->cap, c->npend + 1))
		return;
	c->pend[c->npend].reason = strdup(reason);
	c->pend[c->npend].name = strdup(ks_import_name(im));
	c->pend[c->npend].quiet = !msg;
	if (c->pend[c->npend].reason && c->pend[c->npend].name) {
		c->npend++;
	} else {
		free(c->pend[c->npend].reason);
		free(c->pend[c->npend].name);
	}
}

/* Charge pending problems to the container's only per-record source (or its only source). */
static void container_end(struct ks_import *im, struct container *c)
{
	struct src *per = NULL, *sole = NULL;
	size_t nper = 0, nall = 0;

	for (size_t i = 0; i < im->nsrcs; i++) {
		struct src *s = im->srcs[i];

		if (s->container != c->seq)
			continue;
		nall++;
		sole = s;
		if (s->imp->per_record) {
			nper++;
			per = s;
		}
	}
	if (nper != 1)
		per = NULL;
	if (nall != 1)
		sole = NULL;
	for (size_t i = 0; i < c->npend; i++) {
		struct pending *p = &c->pend[i];
		struct src *target = p->quiet ? per : per ? per : sole;

		if (target && p->quiet) {
			struct src *saved = im->cur;
			const char *saved_name = im->name;

			im->cur = target;
			im->name = p->name;
			ks_import_skip(im, "unknown schema", "no feed format matches it");
			im->cur = saved;
			im->name = saved_name;
		} else if (target) {
			target->skipped++;
			kv_add(&target->skips, &target->nskips, &target->capskips, p->reason, 1);
		} else if (p->quiet) {
			ks_debug("'%s': not a vulnerability feed; ignored", p->name);
			im->ignored++;
		} else {
			im->unreadable++;
		}
		free(p->reason);
		free(p->name);
	}
	free(c->pend);
	c->pend = NULL;
	c->npend = c->cap = 0;
}

/* ---------------------------------------------------------------- documents */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int run_importer(struct ks_import *im, const struct ks_importer *imp, const char *path,
			const cJSON *doc, const char *data, size_t len)
{
	struct container *c = im->box;
	char *origin = NULL;
	int result;

	/* per-record feeds: the container; documents: the file (named from the container's) */
	if (imp->per_record && c)
		origin = strdup(c->origin);
	else if (c && ks_str_startswith(path, c->local))
		result = asprintf(&origin, "%s%s", c->origin, path + strlen(c->local)) < 0 ? -1 : 0;
	else
		origin = strdup(path);
	if (!origin)
		return KENSA_ENOMEM;
	result = source_for(im, imp, origin, imp->per_record ? NULL : ks_path_basename(origin),
			    &im->cur);
	free(origin);
	if (result)
		return result;
	result = imp->import(im, doc, data, len);
	ks_arena_release(&im->arena);
	return result;
}

/*
 * A document, parsed (or not) and sniffed before it is imported: all a reader thread can do
 * without the import context.
 */
struct parsed {
	cJSON *doc;		/* owned; NULL unless JSON that parsed */
	bool json;		/* looked like JSON ('{' or '[' first) */
	size_t skip;		/* BOM and leading blanks */
	struct kensa_err perr;	/* why it did not parse */
	const struct ks_importer *imp;		/* the first JSON importer claiming doc */
	const struct ks_importer *elem_imp;	/* else, for an array: its first element's */
};

static void parse_doc(const char *path, const char *data, size_t len, struct parsed *p)
{
	size_t i = 0;

	memset(p, 0, sizeof(*p));
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && is_space(data[i]))
		i++;
	p->skip = i;
	p->json = i < len && (data[i] == '{' || data[i] == '[');
	if (p->json)
		p->doc = ks_json_parse(data + i, len - i, path, &p->perr);
	if (!p->doc)
		return;
	/* sniffers only look at the document, so this may run on a reader thread */
	for (size_t k = 0; !p->imp && k < ks_nimporters; k++)
		if (ks_importers[k]->sniff_json && ks_importers[k]->sniff_json(p->doc))
			p->imp = ks_importers[k];
	if (p->imp || !cJSON_IsArray(p->doc) || !p->doc->child)
		return;
	for (size_t k = 0; !p->elem_imp && k < ks_nimporters; k++)
		if (ks_importers[k]->per_record && ks_importers[k]->sniff_json &&
		    ks_importers[k]->sniff_json(p->doc->child))
			p->elem_imp = ks_importers[k];
}

static void parsed_release(struct parsed *p)
{
	cJSON_Delete(p->doc);
	p->doc = NULL;
}

/*
 * Import one decompressed document, parsed by parse_doc() (p is borrowed: the caller
 * releases it). Returns 0 (also when the document was skipped or is not a feed), or a fatal
 * error. `explicit` makes unreadable input an error instead of a counted skip.
 */
static int import_parsed(struct ks_import *im, const struct ks_importer *force, const char *path,
			 const char *data, size_t len, struct parsed *p, bool explicit,
			 struct kensa_err *err)
{
	const struct ks_importer *imp = force ? force : p->imp;
	const char *saved_name = im->name;
	const cJSON *doc = p->doc;
	size_t i = p->skip;
	int result = 0;

	im->name = path;
	if (p->json) {
		if (!doc) {
			if (explicit && !force) {
				result = kensa_err_set(err, p->perr.code, "cannot import %s",
						       p->perr.msg);
				goto out;
			}
			if (force) {
				result = source_for(im, force, path, NULL, &im->cur);
				if (!result)
					ks_import_skip(im, "malformed JSON", "%s", p->perr.msg);
				goto out;
			}
			pending_add(im, "malformed JSON", p->perr.msg);
			goto out;
		}
		if (!imp && p->elem_imp) {
			/* an array of records (e.g. an OSV export): each element on its own */
			int n = 0;

			ks_json_each(el, doc) {
				if (n++ >= (int)KS_VDB_MAX_VERSIONS * 10)
					break;
				result = run_importer(im, p->elem_imp, path, el, NULL, 0);
				if (result)
					break;
			}
			if (result)
				kensa_err_set(err, result, "cannot import '%s' into '%s'", path,
					      ks_store_path(im->st));
			goto out;
		}
		if (!imp || !imp->sniff_json) {
			if (explicit && !force) {
				result = kensa_err_set(err, KENSA_EUNSUPPORTED,
						       "'%s' is not a vulnerability feed kensa "
						       "knows (OSV, CVE JSON 5, NVD API 2.0, CISA "
						       "KEV, FIRST EPSS, OpenVEX, CycloneDX VEX)",
						       path);
				goto out;
			}
			if (imp) {	/* forced onto a text importer */
				result = source_for(im, imp, path, NULL, &im->cur);
				if (!result)
					ks_import_skip(im, "unknown schema",
						       "not this feed's format");
				goto out;
			}
			pending_add(im, "unknown schema", NULL);
			goto out;
		}
		result = run_importer(im, imp, path, doc, data + i, len - i);
	} else {
		for (size_t k = 0; !imp && k < ks_nimporters; k++)
			if (ks_importers[k]->sniff_text && ks_importers[k]->sniff_text(data, len))
				imp = ks_importers[k];
		if (!imp || !imp->sniff_text) {
			if (explicit && !force) {
				result = kensa_err_set(
					err, KENSA_EUNSUPPORTED,
					"'%s' is not a vulnerability feed kensa knows", path);
				goto out;
			}
			if (imp) {
				result = source_for(im, imp, path, NULL, &im->cur);
				if (!result)
					ks_import_skip(im, "unknown schema", "not JSON");
				goto out;
			}
			pending_add(im, "unknown schema", NULL);
			goto out;
		}
		result = run_importer(im, imp, path, NULL, data, len);
	}
	if (result)
		kensa_err_set(err, result, "cannot import '%s' into '%s'", path,
			      ks_store_path(im->st));
out:
	im->name = saved_name;
	im->cur = NULL;
	return result;
}

static int import_doc(struct ks_import *im, const struct ks_importer *force, const char *path,
		      const char *data, size_t len, bool explicit, struct kensa_err *err)
{
	struct parsed p;
	int result;

	parse_doc(path, data, len, &p);
	result = import_parsed(im, force, path, data, len, &p, explicit, err);
	parsed_release(&p);
	return result;
}

/* ---------------------------------------------------------------- decompression, zips */

static bool is_zip(const unsigned char *p, size_t n)
{
	return n >= 4 && p[0] == 'P' && p[1] == 'K' && (p[2] == 3 || p[2] == 5) &&
	       (p[3] == 4 || p[3] == 6);
}

static bool is_compressed(const unsigned char *p, size_t n)
{
	return (n >= 2 && p[0] == 0x1f && p[1] == 0x8b) ||			/* gzip */
	       (n >= 3 && memcmp(p, "BZh", 3) == 0) ||				/* bzip2 */
	       (n >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0) ||		/* xz */
	       (n >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0);		/* zstd */
}

/* Inflate a compressed single-file stream held in memory (gzip, bzip2, xz, zstd). */
static int decompress(const char *name, const char *in, size_t inlen, char **out, size_t *outlen,
		      size_t limit, struct kensa_err *err)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	struct ks_buf b = KS_BUF_INIT;
	int result = 0;

	if (!a)
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	b.limit = limit + 1;
	archive_read_support_filter_all(a);
	archive_read_support_format_raw(a);
	if (archive_read_open_memory(a, in, inlen) != ARCHIVE_OK ||
	    archive_read_next_header(a, &e) != ARCHIVE_OK) {
		result = kensa_err_set(err, KENSA_EFORMAT, "cannot decompress '%s': %s", name,
				       archive_error_string(a) ? archive_error_string(a)
							       : "unknown format");
		goto out;
	}
	for (;;) {
		la_ssize_t n;

		if (ks_buf_grow(&b, 65536) != 0) {
			result = kensa_err_set(err, KENSA_ELIMIT,
					       "'%s' inflates past the %zu-byte limit", name,
					       limit);
			goto out;
		}
		n = archive_read_data(a, b.data + b.len, b.cap - b.len - 1);
		if (n < 0) {
			result = kensa_err_set(err, KENSA_EFORMAT, "cannot decompress '%s': %s",
					       name, archive_error_string(a));
			goto out;
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
		b.data[b.len] = '\0';
		if (b.len > limit) {
			result = kensa_err_set(err, KENSA_ELIMIT,
					       "'%s' inflates past the %zu-byte limit", name,
					       limit);
			goto out;
		}
	}
	if (ks_buf_add(&b, "", 0) != 0) {
		result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		goto out;
	}
	*outlen = b.len;
	*out = ks_buf_detach(&b);
out:
	ks_buf_release(&b);
	archive_read_free(a);
	return result;
}

/* Decompress when needed, then import. Takes ownership of nothing. */
static int import_bytes(struct ks_import *im, const char *path, const char *data, size_t len,
			bool explicit, struct kensa_err *err)
{
	struct kensa_err derr = KENSA_ERR_INIT;
	char *plain = NULL;
	size_t plen = 0;
	int result;

	if (is_compressed((const unsigned char *)data, len)) {
		result = decompress(path, data, len, &plain, &plen, KS_VDB_MAX_DOC, &derr);
		if (result) {
			if (explicit)
				return kensa_err_set(err, result, "%s", derr.msg);
			pending_add(im, result == KENSA_ELIMIT ? "too large" : "unreadable",
				    derr.msg);
			return 0;
		}
		data = plain;
		len = plen;
	}
	result = import_doc(im, NULL, path, data, len, explicit, err);
	free(plain);
	return result;
}

static bool wanted_member(const char *name)
{
	return ks_str_endswith(name, ".json") || ks_str_endswith(name, ".csv") ||
	       ks_str_endswith(name, ".json.gz") || ks_str_endswith(name, ".csv.gz");
}

static int import_zip(struct ks_import *im, const char *path, const char *name, bool explicit,
		      struct kensa_err *err)
{
	struct kensa_err zerr = KENSA_ERR_INIT;	/* the archive's own failures */
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	struct ks_buf b = KS_BUF_INIT;
	uint64_t total = 0, entries = 0;
	const char *saved_name = im->name;
	char *member = NULL;
	int rc, result = 0, broken = 0;

	if (!a)
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		broken = kensa_err_set(&zerr, KENSA_EFORMAT, "cannot read '%s': %s", name,
				       archive_error_string(a));
		goto out;
	}
	b.limit = KS_VDB_MAX_MEMBER + 65536 * 2;
	while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
		const char *mname = archive_entry_pathname(e);
		bool toolarge = false;

		if (++entries > KS_VDB_MAX_ZIP_ENTRIES) {
			ks_warn("'%s': more than %u members; the rest is ignored", name,
				KS_VDB_MAX_ZIP_ENTRIES);
			break;
		}
		if (!mname || archive_entry_filetype(e) != AE_IFREG || !wanted_member(mname))
			continue;
		im->name = saved_name;	/* not the previous member's name: freed next */
		free(member);
		if (asprintf(&member, "%s:%s", name, mname) < 0) {
			member = NULL;
			result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
			goto out;
		}
		im->name = member;
		ks_buf_reset(&b);
		if (archive_entry_size_is_set(e) &&
		    archive_entry_size(e) > (int64_t)KS_VDB_MAX_MEMBER)
			toolarge = true;
		while (!toolarge) {
			la_ssize_t n;

			if (ks_buf_grow(&b, 65536) != 0) {
				toolarge = true;
				break;
			}
			n = archive_read_data(a, b.data + b.len, b.cap - b.len - 1);
			if (n < 0) {
				broken = kensa_err_set(&zerr, KENSA_EFORMAT, "cannot read '%s': %s",
						       member, archive_error_string(a));
				goto out;
			}
			if (n == 0)
				break;
			b.len += (size_t)n;
			b.data[b.len] = '\0';
			total += (uint64_t)n;
			if (b.len > KS_VDB_MAX_MEMBER)
				toolarge = true;
			if (total > KS_VDB_MAX_ZIP_TOTAL) {
				broken = kensa_err_set(&zerr, KENSA_ELIMIT,
						       "'%s' inflates past %llu bytes", name,
						       (unsigned long long)KS_VDB_MAX_ZIP_TOTAL);
				goto out;
			}
		}
		if (toolarge) {
			char msg[600];

			snprintf(msg, sizeof(msg), "'%s': larger than the %zu-byte limit", member,
				 KS_VDB_MAX_MEMBER);
			pending_add(im, "too large", msg);
			continue;
		}
		ks_progress(name, entries, 0);
		result = import_bytes(im, member, b.data ? b.data : "", b.len, false, err);
		if (result)
			goto out;
	}
	if (rc != ARCHIVE_EOF && rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
		broken = kensa_err_set(&zerr, KENSA_EFORMAT, "cannot read '%s': %s", name,
				       archive_error_string(a));
out:
	if (broken && !result) {
		/* A broken archive: what was read stays. Named input fails; in a walk, counted. */
		if (explicit) {
			result = kensa_err_set(err, broken, "%s", zerr.msg);
		} else {
			char msg[KENSA_ERR_MSG_MAX + 64];

			snprintf(msg, sizeof(msg), "%s; the rest of the archive is ignored",
				 zerr.msg);
			pending_add(im, "corrupt archive", msg);
		}
	}
	im->name = saved_name;
	free(member);
	ks_buf_release(&b);
	archive_read_free(a);
	return result;
}

/* ---------------------------------------------------------------- files and walks */

/*
 * A whole file into b (reset first; its memory is reused, so a reader thread reads a
 * directory of small records without an allocation per file). b->data is NUL-terminated.
 */
static int read_whole(int fd, const char *name, struct ks_buf *b, struct kensa_err *err)
{
	struct stat st;
	size_t size;

	ks_buf_reset(b);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0) {
		char *data = NULL;
		size_t len = 0;
		int result = ks_fd_read_all(fd, name, KS_VDB_MAX_DOC, &data, &len, err);

		if (result)
			return result;
		ks_buf_release(b);
		b->data = data;
		b->len = len;
		b->cap = len + 1;
		return 0;
	}
	if ((uint64_t)st.st_size > KS_VDB_MAX_DOC)
		return kensa_err_set(err, KENSA_ELIMIT, "'%s' is larger than the %zu-byte limit",
				     name, KS_VDB_MAX_DOC);
	size = (size_t)st.st_size;
	if (ks_buf_grow(b, size) != 0)
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory reading '%s'", name);
	while (b->len < size) {
		ssize_t r = read(fd, b->data + b->len, size - b->len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return kensa_err_set(err, KENSA_EIO, "cannot read '%s': %s", name,
					     strerror(errno));
		if (r == 0)
			break;	/* shrank while we read: take what is there */
		b->len += (size_t)r;
	}
	b->data[b->len] = '\0';
	return 0;
}

static int import_file(struct ks_import *im, const char *path, bool explicit, struct kensa_err *err)
{
	struct kensa_err rerr = KENSA_ERR_INIT;
	struct container *saved = im->box;
	struct container box = { 0, path, path, explicit, NULL, 0, 0 };
	/* a download is named by its URL in messages and sources, not by its temporary file */
	const char *name = explicit && im->o && im->o->origin ? im->o->origin : path;
	const char *saved_name = im->name;
	unsigned char magic[8];
	struct ks_buf data = KS_BUF_INIT;
	ssize_t n;
	int fd, result = 0;

	data.limit = KS_VDB_MAX_DOC;
	im->name = name;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		result = kensa_err_set(explicit ? err : &rerr,
				       errno == ENOENT ? KENSA_ENOTFOUND : KENSA_EIO,
				       "cannot open '%s': %s", path, strerror(errno));
		if (!explicit) {
			pending_add(im, "unreadable", rerr.msg);
			result = 0;
		}
		im->name = saved_name;
		return result;
	}
	n = pread(fd, magic, sizeof(magic), 0);
	if (explicit || (n > 0 && is_zip(magic, (size_t)n))) {
		/* a named file, or a zip: a container of its own */
		box.seq = ++im->seq;
		box.local = box.origin = name;
		im->box = &box;
	}
	if (n > 0 && is_zip(magic, (size_t)n)) {
		close(fd);
		result = import_zip(im, path, name, explicit, err);
		goto out;
	}
	result = read_whole(fd, name, &data, &rerr);
	close(fd);
	if (result) {
		if (explicit || result == KENSA_ENOMEM) {
			kensa_err_set(err, result, "%s", rerr.msg);
			goto out;
		}
		pending_add(im, result == KENSA_ELIMIT ? "too large" : "unreadable", rerr.msg);
		result = 0;
		goto out;
	}
	result = import_bytes(im, name, data.data ? data.data : "", data.len, explicit, err);
out:
	if (im->box == &box) {
		container_end(im, &box);
		im->box = saved;
	}
	ks_buf_release(&data);
	im->name = saved_name;
	return result;
}

bool ks_vdb_wanted_file(const char *name)
{
	static const char *const ext[] = { ".json", ".csv", ".zip", ".gz", ".bz2", ".xz", ".zst" };

	if (name[0] == '.')
		return false;
	for (size_t i = 0; i < KS_ARRAY_SIZE(ext); i++)
		if (ks_str_endswith(name, ext[i]))
			return true;
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void ks_strv_release(struct ks_strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int strv_push(struct ks_strv *s, char *p)
{
	if (KS_GROW(s->v, s->cap, s->n + 1)) {
		free(p);
		return KENSA_ENOMEM;
	}
	s->v[s->n++] = p;
	return 0;
}

int ks_vdb_list_dir(const char *dir, struct ks_strv *files, struct ks_strv *dirs,
		    struct kensa_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int result = 0;

	if (!d)
		return kensa_err_set(err, KENSA_EIO, "cannot open directory '%s': %s", dir,
				     strerror(errno));
	while (!result && (e = readdir(d))) {
		struct stat st;
		char *p = NULL;

		if (e->d_name[0] == '.')
			continue;
		if (asprintf(&p, "%s%s%s", dir, ks_str_endswith(dir, "/") ? "" : "/", e->d_name) <
		    0) {
			result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
			break;
		}
		/* symlinked directories are not followed (loops); symlinked files are */
		if (e->d_type == DT_DIR || (e->d_type == DT_UNKNOWN && lstat(p, &st) == 0 &&
					    S_ISDIR(st.st_mode)))
			result = strv_push(dirs, p);
		else if (ks_vdb_wanted_file(e->d_name) &&
			 (e->d_type == DT_REG || (stat(p, &st) == 0 && S_ISREG(st.st_mode))))
			result = strv_push(files, p);
		else
			free(p);
		if (result)
			kensa_err_set(err, result, "out of memory");
	}
	closedir(d);
	if (files->n)
		qsort(files->v, files->n, sizeof(*files->v), cmp_str);
	if (dirs->n)
		qsort(dirs->v, dirs->n, sizeof(*dirs->v), cmp_str);
	return result;
}

/*
 * Reading ahead: while the main thread imports (mostly SQLite work), reader threads open,
 * read, parse and sniff the next files of the directory into a ring. They touch nothing of
 * the import context; zips and compressed files are only flagged and left to the main
 * thread, which handles every file in order exactly as import_file() would.
 *
 * Reading and parsing (cJSON) cost more than inserting, so files are read by up to
 * PF_MAX_THREADS threads (file i by thread i mod n, into slot i mod PF_RING) and the
 * importing thread takes them in order: the output does not depend on the thread count.
 * The importer borrows a slot and hands it back; the reader that fills the slot next frees
 * the old document and reuses its buffer, so the importing thread neither frees parse trees
 * nor allocates read buffers. Readers blocked on a full ring are woken every PF_BATCH files
 * (or when the importer waits), not after every file.
 */
#define PF_RING 64
#define PF_MIN_FILES 16
#define PF_MAX_THREADS 2
#define PF_BATCH 16
#define PF_KEEP_BUF ((size_t)1 << 20)	/* larger read buffers are not kept in a slot */

struct pf_slot {
	struct ks_buf data;
	int read_rc;			/* 0, or why the file could not be read (rerr) */
	struct kensa_err rerr;
	bool zip, compressed;
	struct parsed p;
	size_t index;			/* the file this slot holds */
	bool ready;
};

struct prefetch {
	const struct ks_strv *files;
	struct pf_slot ring[PF_RING];
	size_t consumed;		/* files the importer is done with */
	size_t nthreads;
	unsigned readers_waiting;
	size_t importer_wants;		/* the file the importer waits for, or SIZE_MAX */
	bool stop;
	pthread_mutex_t mu;
	pthread_cond_t readers_cv, importer_cv;
};

struct pf_worker {
	struct prefetch *pf;
	size_t first;
};

/* Make a slot empty again, keeping a small read buffer for the next file. */
static void pf_slot_clear(struct pf_slot *sl)
{
	struct ks_buf keep = sl->data;

	parsed_release(&sl->p);
	if (keep.cap > PF_KEEP_BUF) {
		ks_buf_release(&keep);
		keep.limit = KS_VDB_MAX_DOC;
	}
	memset(sl, 0, sizeof(*sl));
	sl->data = keep;
}

static void pf_slot_release(struct pf_slot *sl)
{
	parsed_release(&sl->p);
	ks_buf_release(&sl->data);
	memset(sl, 0, sizeof(*sl));
}

static void pf_read(const char *path, struct pf_slot *sl)
{
	unsigned char magic[8];
	ssize_t n;
	int fd;

	pf_slot_clear(sl);
	if (!sl->data.limit)
		sl->data.limit = KS_VDB_MAX_DOC;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		sl->read_rc = kensa_err_set(&sl->rerr,
					    errno == ENOENT ? KENSA_ENOTFOUND : KENSA_EIO,
					    "cannot open '%s': %s", path, strerror(errno));
		return;
	}
	n = pread(fd, magic, sizeof(magic), 0);
	sl->zip = n > 0 && is_zip(magic, (size_t)n);
	if (!sl->zip)
		sl->read_rc = read_whole(fd, path, &sl->data, &sl->rerr);
	close(fd);
	if (sl->zip || sl->read_rc)
		return;
	sl->compressed = is_compressed((const unsigned char *)sl->data.data, sl->data.len);
	if (!sl->compressed)
		parse_doc(path, sl->data.data, sl->data.len, &sl->p);
}

static void *pf_main(void *arg)
{
	struct pf_worker *w = arg;
	struct prefetch *pf = w->pf;

	for (size_t i = w->first; i < pf->files->n; i += pf->nthreads) {
		struct pf_slot *sl = &pf->ring[i % PF_RING];
		bool stop;

		/* slot i % PF_RING is free once the importer is done with file i - PF_RING */
		pthread_mutex_lock(&pf->mu);
		pf->readers_waiting++;
		while (!pf->stop && i >= pf->consumed + PF_RING)
			pthread_cond_wait(&pf->readers_cv, &pf->mu);
		pf->readers_waiting--;
		stop = pf->stop;
		pthread_mutex_unlock(&pf->mu);
		if (stop)
			break;
		pf_read(pf->files->v[i], sl);
		pthread_mutex_lock(&pf->mu);
		sl->index = i;
		sl->ready = true;
		if (pf->importer_wants == i)
			pthread_cond_signal(&pf->importer_cv);
		pthread_mutex_unlock(&pf->mu);
	}
	return NULL;
}

/* The file read ahead for files->v[i], imported as import_file() would. */
static int pf_import(struct ks_import *im, const char *path, struct pf_slot *sl,
		     struct kensa_err *err)
{
	const char *saved_name = im->name;
	const char *data = sl->data.data ? sl->data.data : "";
	int result = 0;

	im->name = path;
	if (sl->zip) {
		result = import_file(im, path, false, err);
	} else if (sl->read_rc == KENSA_ENOMEM) {
		result = kensa_err_set(err, sl->read_rc, "%s", sl->rerr.msg);
	} else if (sl->read_rc) {
		pending_add(im, sl->read_rc == KENSA_ELIMIT ? "too large" : "unreadable",
			    sl->rerr.msg);
	} else if (sl->compressed) {
		result = import_bytes(im, path, data, sl->data.len, false, err);
	} else {
		result = import_parsed(im, NULL, path, data, sl->data.len, &sl->p, false, err);
	}
	im->name = saved_name;
	return result;
}

static void pf_stop(struct prefetch *pf, pthread_t *th, size_t started)
{
	pthread_mutex_lock(&pf->mu);
	pf->stop = true;
	pthread_cond_broadcast(&pf->readers_cv);
	pthread_mutex_unlock(&pf->mu);
	for (size_t k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	/* what was read ahead, imported or not */
	for (size_t k = 0; k < PF_RING; k++)
		pf_slot_release(&pf->ring[k]);
}

static int import_files_ahead(struct ks_import *im, const char *dir, const struct ks_strv *files,
			      struct kensa_err *err)
{
	struct prefetch *pf = calloc(1, sizeof(*pf));
	struct pf_worker workers[PF_MAX_THREADS];
	pthread_t th[PF_MAX_THREADS];
	size_t started = 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int result = 0;

	if (!pf)
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	pf->files = files;
	pf->nthreads = cpus > 1 ? PF_MAX_THREADS : 1;
	pf->importer_wants = SIZE_MAX;
	pthread_mutex_init(&pf->mu, NULL);
	pthread_cond_init(&pf->readers_cv, NULL);
	pthread_cond_init(&pf->importer_cv, NULL);
	for (size_t k = 0; k < pf->nthreads; k++) {
		workers[k].pf = pf;
		workers[k].first = k;
		if (pthread_create(&th[k], NULL, pf_main, &workers[k]) != 0)
			break;
		started++;
	}
	if (started < pf->nthreads) {
		/* not every reader could start: stop those that did and read in line */
		pf_stop(pf, th, started);
		started = 0;
		for (size_t i = 0; i < files->n && !result; i++)
			result = import_file(im, files->v[i], false, err);
		goto out;
	}
	for (size_t i = 0; i < files->n && !result; i++) {
		struct pf_slot *slot = &pf->ring[i % PF_RING];

		pthread_mutex_lock(&pf->mu);
		if (!(slot->ready && slot->index == i)) {
			/* readers blocked on a full ring must not wait for a batch now */
			if (pf->readers_waiting)
				pthread_cond_broadcast(&pf->readers_cv);
			pf->importer_wants = i;
			while (!(slot->ready && slot->index == i))
				pthread_cond_wait(&pf->importer_cv, &pf->mu);
			pf->importer_wants = SIZE_MAX;
		}
		pthread_mutex_unlock(&pf->mu);
		ks_progress(dir, i + 1, files->n);
		result = pf_import(im, files->v[i], slot, err);
		pthread_mutex_lock(&pf->mu);
		pf->consumed = i + 1;
		if (pf->readers_waiting && pf->consumed % PF_BATCH == 0)
			pthread_cond_broadcast(&pf->readers_cv);
		pthread_mutex_unlock(&pf->mu);
	}
	pf_stop(pf, th, started);
out:
	pthread_cond_destroy(&pf->importer_cv);
	pthread_cond_destroy(&pf->readers_cv);
	pthread_mutex_destroy(&pf->mu);
	free(pf);
	return result;
}

/* One directory's own files as one container (sub-directories are separate). */
static int import_dir_files(struct ks_import *im, const char *dir, const struct ks_strv *files,
			    struct kensa_err *err)
{
	struct container box = { ++im->seq, dir, dir, false, NULL, 0, 0 };
	struct container *saved = im->box;
	int result = 0;

	if (im->o && im->o->origin)
		box.origin = im->o->origin;
	im->box = &box;
	if (files->n >= PF_MIN_FILES) {
		result = import_files_ahead(im, dir, files, err);
	} else {
		for (size_t i = 0; i < files->n && !result; i++) {
			ks_progress(dir, i + 1, files->n);
			result = import_file(im, files->v[i], false, err);
		}
	}
	container_end(im, &box);
	im->box = saved;
	if (!result)
		ks_vdb_test_pause("import");	/* mid-import: the first directory is in */
	return result;
}

/* Depth-first walk without recursion: a stack of directories still to visit. */
static int walk(struct ks_import *im, const char *root, struct kensa_err *err)
{
	struct ks_strv stack = { 0 };
	uint64_t seen = 0;
	int result;

	result = strv_push(&stack, strdup(root));
	if (result || !stack.v[0]) {
		ks_strv_release(&stack);
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	}
	while (!result && stack.n) {
		char *dir = stack.v[--stack.n];
		struct ks_strv files = { 0 }, dirs = { 0 };

		result = ks_vdb_list_dir(dir, &files, &dirs, err);
		seen += files.n + dirs.n;
		if (!result && seen > KS_VDB_MAX_FILES)
			result = kensa_err_set(err, KENSA_ELIMIT, "'%s' holds more than %u files",
					       root, KS_VDB_MAX_FILES);
		if (!result && files.n)
			result = import_dir_files(im, dir, &files, err);
		/* push in reverse so the walk visits sub-directories in name order */
		for (size_t i = dirs.n; !result && i > 0; i--) {
			if (ks_path_depth(dirs.v[i - 1]) > ks_path_depth(root) + KS_VDB_MAX_DEPTH) {
				ks_warn("'%s': deeper than %d levels below '%s'; not imported",
					dirs.v[i - 1], KS_VDB_MAX_DEPTH, root);
				continue;
			}
			result = strv_push(&stack, dirs.v[i - 1]);
			dirs.v[i - 1] = NULL;
			if (result)
				kensa_err_set(err, result, "out of memory");
		}
		ks_strv_release(&files);
		ks_strv_release(&dirs);
		free(dir);
	}
	ks_strv_release(&stack);
	return result;
}

static int import_flat(struct ks_import *im, const char *dir, struct kensa_err *err)
{
	struct ks_strv files = { 0 }, dirs = { 0 };
	int result = ks_vdb_list_dir(dir, &files, &dirs, err);

	if (!result && files.n)
		result = import_dir_files(im, dir, &files, err);
	ks_strv_release(&files);
	ks_strv_release(&dirs);
	return result;
}

int ks_import_path(struct ks_import *im, const char *path, const struct ks_import_origin *o,
		   struct kensa_err *err)
{
	struct stat st;
	int result;

	im->o = o;
	if (stat(path, &st) != 0)
		result = kensa_err_set(err, errno == ENOENT ? KENSA_ENOTFOUND : KENSA_EIO,
				       "cannot open '%s': %s", path, strerror(errno));
	else if (S_ISDIR(st.st_mode) && o && o->flat)
		result = import_flat(im, path, err);
	else if (S_ISDIR(st.st_mode))
		result = walk(im, path, err);
	else
		result = import_file(im, path, true, err);
	im->o = NULL;
	return result;
}

int ks_import_mem(struct ks_import *im, const char *importer, const char *data, size_t len,
		  const char *name, struct kensa_err *err)
{
	const struct ks_importer *imp = importer ? ks_importer_find(importer) : NULL;
	struct container box = { ++im->seq, name, name, true, NULL, 0, 0 };
	int result;

	if (importer && !imp)
		return kensa_err_set(err, KENSA_EINVAL, "no importer '%s'", importer);
	im->box = &box;
	if (imp)
		result = import_doc(im, imp, name, data, len, false, err);
	else
		result = import_bytes(im, name, data, len, true, err);
	container_end(im, &box);
	im->box = NULL;
	return result;
}
