// SPDX-License-Identifier: Apache-2.0
/*
 * layer.c — read one layer (a tar stream, any compression libarchive knows) into a layer
 * record: every entry's metadata, whiteouts as markers, and the content analyzers want.
 *
 * Untrusted input: names are normalized (".." refused), paths longer than KS_MAX_PATH or
 * deeper than KS_MAX_DEPTH are skipped with a warning, a content read is capped by the
 * analyzer's limit, and compressed streams are watched for bomb ratios while we read or
 * skip (libarchive would otherwise inflate a huge skipped member without giving us control).
 */
#include <archive.h>
#include <archive_entry.h>

#include "source.h"

int ks_ratio_check(struct ks_tree *t, struct archive *a, const char *name, struct kensa_err *err)
{
	int64_t out, in;

	if (!a || archive_filter_count(a) <= 1)
		return 0;	/* not compressed */
	out = archive_filter_bytes(a, 0);
	in = archive_filter_bytes(a, -1);
	if (out > (int64_t)KS_RATIO_MIN_BYTES && in > 0 && out / in > KS_MAX_RATIO)
		return kensa_err_set(err, KENSA_ELIMIT,
				     "%s: '%s' inflates %lld bytes from %lld (ratio over %d:1): refusing a "
				     "likely decompression bomb",
				     t->target, name, (long long)out, (long long)in, KS_MAX_RATIO);
	if ((uint64_t)out > t->max_bytes)
		return kensa_err_set(err, KENSA_ELIMIT, "%s: '%s' inflates past the %llu-byte limit", t->target,
				     name, (unsigned long long)t->max_bytes);
	return 0;
}

bool ks_node_set_path(struct ks_tree *t, struct ks_node *n, const char *name, const char *where)
{
	char buf[KS_MAX_PATH + 2];
	size_t nlen = strlen(name), olen;
	const char *base;

	if (nlen >= KS_MAX_PATH) {
		ks_tree_warn(t, where, "skipping a member whose name is %zu bytes long (limit %d)", nlen,
			     KS_MAX_PATH);
		return false;
	}
	if (ks_path_normalize(name, nlen, buf, &olen) != 0) {
		ks_tree_warn(t, where, "skipping member '%s': its name leaves the root", name);
		return false;
	}
	if (ks_path_depth(buf) > KS_MAX_DEPTH) {
		ks_tree_warn(t, where, "skipping member '%.200s…': deeper than %d directories", buf,
			     KS_MAX_DEPTH);
		return false;
	}
	base = ks_path_basename(buf);
	if (strncmp(base, ".wh.", 4) == 0) {
		size_t dlen = ks_path_dirlen(buf, olen);

		if (strcmp(base, ".wh..wh..opq") == 0) {
			n->kind = KS_OPAQUE;
			n->path = ks_arena_strndup(&t->arena, buf, dlen);
			n->plen = (uint32_t)dlen;
		} else {
			/* "/d/.wh.NAME" → "/d/NAME" */
			size_t blen = strlen(base + 4);

			if (blen == 0)
				return false;
			n->kind = KS_WHITEOUT;
			n->path = ks_arena_printf(&t->arena, "%.*s%s%s", (int)dlen, buf, dlen > 1 ? "/" : "",
						  base + 4);
			n->plen = n->path ? (uint32_t)strlen(n->path) : 0;
		}
	} else {
		n->path = ks_arena_strndup(&t->arena, buf, olen);
		n->plen = (uint32_t)olen;
	}
	return n->path != NULL;
}

/* Read the current entry's data, up to `size` bytes, into t->scratch. */
static int read_entry_data(struct ks_tree *t, struct archive *a, const char *name, const char *path,
			   uint64_t size, struct kensa_err *err)
{
	int result;

	ks_buf_reset(&t->scratch);
	t->scratch.limit = (size_t)size + 1;
	result = ks_buf_grow(&t->scratch, (size_t)size);
	if (result)
		return kensa_err_set(err, result, "%s: no memory for '%s' (%llu bytes)", t->target, path,
				     (unsigned long long)size);
	for (;;) {
		la_ssize_t got = archive_read_data(a, t->scratch.data + t->scratch.len,
						   t->scratch.cap - t->scratch.len - 1);

		if (got < 0)
			return kensa_err_set(err, KENSA_EFORMAT, "%s: cannot read '%s' in %s: %s", t->target, path,
					     name, archive_error_string(a));
		if (got == 0)
			break;
		t->scratch.len += (size_t)got;
		if (t->scratch.len >= t->scratch.cap - 1)
			break;
	}
	t->scratch.data[t->scratch.len] = '\0';
	if (t->scratch.len != size)
		return kensa_err_set(err, KENSA_EFORMAT, "%s: '%s' in %s is truncated (%zu of %llu bytes)",
				     t->target, path, name, t->scratch.len, (unsigned long long)size);
	return 0;
}

/* Skip the current entry's data, keeping control over compressed streams. */
static int skip_entry_data(struct ks_tree *t, struct archive *a, const char *name, struct kensa_err *err)
{
	const void *buf;
	size_t len;
	la_int64_t off;
	int r;

	if (archive_filter_count(a) <= 1 && !t->outer)
		return archive_read_data_skip(a) == ARCHIVE_OK ? 0
			: kensa_err_set(err, KENSA_EFORMAT, "%s: cannot read %s: %s", t->target, name,
					archive_error_string(a));
	while ((r = archive_read_data_block(a, &buf, &len, &off)) == ARCHIVE_OK) {
		int result = ks_ratio_check(t, a, name, err);

		if (!result)
			result = ks_ratio_check(t, t->outer, name, err);
		if (result)
			return result;
	}
	if (r != ARCHIVE_EOF)
		return kensa_err_set(err, KENSA_EFORMAT, "%s: cannot read %s: %s", t->target, name,
				     archive_error_string(a));
	return 0;
}

int ks_layer_read_archive(struct ks_tree *t, struct ks_layer_rec *l, struct archive *a, const char *name,
			  struct kensa_err *err)
{
	struct archive_entry *e;
	int result = 0;

	for (;;) {
		struct ks_node *n;
		const char *pathname, *hard, *sym;
		int r = archive_read_next_header(a, &e);
		mode_t type;
		uint64_t want = 0, max_size = 0;
		bool data_read = false;

		if (r == ARCHIVE_EOF)
			break;
		if (r == ARCHIVE_RETRY)
			continue;
		if (r < ARCHIVE_WARN) {
			result = kensa_err_set(err, KENSA_EFORMAT, "%s: cannot read %s: %s", t->target, name,
					       archive_error_string(a) ? archive_error_string(a) : "bad archive");
			goto out;
		}
		if (r == ARCHIVE_WARN && archive_error_string(a) && !strstr(archive_error_string(a), "converted"))
			ks_tree_warn(t, name, "%s", archive_error_string(a));
		result = ks_ratio_check(t, a, name, err);
		if (!result)
			result = ks_ratio_check(t, t->outer, name, err);
		if (result)
			goto out;

		if ((l->info.entries & 63) == 0) {
			struct archive *src = t->outer ? t->outer : a;

			ks_progress("reading layers", t->progress_base + (uint64_t)archive_filter_bytes(src, -1),
				    t->progress_total);
		}
		/* pax headers carry UTF-8 names: take them as they are, whatever the locale */
		pathname = archive_entry_pathname_utf8(e);
		if (!pathname)
			pathname = archive_entry_pathname(e);
		if (!pathname || !*pathname)
			continue;
		n = ks_layer_add_entry(t, l);
		if (!n) {
			result = kensa_err_set(err, KENSA_ELIMIT, "%s: more than %llu entries; refusing to go on",
					       t->target, (unsigned long long)KS_MAX_ENTRIES);
			goto out;
		}
		if (!ks_node_set_path(t, n, pathname, name)) {
			l->nentries--;
			continue;
		}
		if (n->kind == KS_WHITEOUT || n->kind == KS_OPAQUE)
			continue;

		type = archive_entry_filetype(e);
		hard = archive_entry_hardlink_utf8(e);
		if (!hard)
			hard = archive_entry_hardlink(e);
		sym = archive_entry_symlink_utf8(e);
		if (!sym)
			sym = archive_entry_symlink(e);
		n->mode = (uint32_t)archive_entry_perm(e);
		n->uid = (uint32_t)archive_entry_uid(e);
		n->gid = (uint32_t)archive_entry_gid(e);
		n->size = archive_entry_size_is_set(e) && archive_entry_size(e) > 0 ? (uint64_t)archive_entry_size(e) : 0;
		l->info.size += n->size;
		if (hard) {
			char buf[KS_MAX_PATH + 2];
			size_t hl = strlen(hard), ol;

			if (hl >= KS_MAX_PATH || ks_path_normalize(hard, hl, buf, &ol) != 0) {
				ks_tree_warn(t, n->path, "ignoring hard link to '%.200s' outside the root", hard);
				l->nentries--;
				continue;
			}
			n->kind = KS_HARDLINK;
			n->link = ks_arena_strndup(&t->arena, buf, ol);
		} else if (type == AE_IFLNK) {
			n->kind = KS_SYMLINK;
			n->link = ks_arena_strdup(&t->arena, sym ? sym : "");
		} else if (type == AE_IFDIR) {
			n->kind = KS_DIR;
		} else if (type == AE_IFREG) {
			n->kind = KS_REG;
		} else {
			n->kind = KS_OTHER;
		}

		if (n->kind == KS_REG && t->hooks && t->hooks->match)
			want = t->hooks->match(t->hooks->ud, n, &max_size);
		if (want) {
			n->want = want;
			if (n->size > max_size) {
				n->skipped = 1;
				ks_tree_warn(t, n->path, "not read: %llu bytes is over the %llu-byte limit for it",
					     (unsigned long long)n->size, (unsigned long long)max_size);
			} else {
				result = ks_tree_account(t, n->size, n->path, err);
				if (!result)
					result = read_entry_data(t, a, name, n->path, n->size, err);
				if (result)
					goto out;
				data_read = true;
				result = ks_tree_offer(t, n, (const unsigned char *)t->scratch.data, t->scratch.len);
				if (result) {
					kensa_err_set(err, result, "%s: out of memory keeping '%s'", t->target, n->path);
					goto out;
				}
			}
		}
		if (!data_read && n->size) {
			result = skip_entry_data(t, a, name, err);
			if (result)
				goto out;
		}
	}
out:
	return result;
}
