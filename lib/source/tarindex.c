// SPDX-License-Identifier: Apache-2.0
/*
 * tarindex.c — list the members of an uncompressed tar file without reading their data.
 *
 * Used only for the outer container of docker-archive / oci-archive files when they are
 * plain (uncompressed, seekable) tars: knowing each member's data offset lets the layers
 * inside be read through pread windows, so unwanted file data is seeked over instead of
 * copied. libarchive reads everything else (layers, compressed archives).
 *
 * Understands ustar/POSIX names (prefix + name), pax 'x' records (path, size), GNU 'L' long
 * names and base-256 sizes. Every header checksum is verified; sizes and offsets are checked
 * against the file size, so a corrupt or hostile header gives an error, never a wild read.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "source.h"
#include "tarindex.h"

#define TAR_BLOCK 512
#define TAR_MAX_META ((uint64_t)1 << 20)	/* pax / long-name payloads */

static bool parse_octal(const unsigned char *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;

	if (p[0] & 0x80) {	/* base-256 (GNU / star) */
		if (p[0] != 0x80)
			return false;	/* negative or too large */
		for (i = 1; i < n; i++) {
			if (v >> 56)
				return false;
			v = (v << 8) | p[i];
		}
		*out = v;
		return true;
	}
	while (i < n && (p[i] == ' ' || p[i] == '\0'))
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
		if (v >> 60)
			return false;
		v = (v << 3) | (uint64_t)(p[i] - '0');
	}
	for (; i < n; i++)
		if (p[i] != ' ' && p[i] != '\0')
			return false;
	*out = v;
	return true;
}

static bool checksum_ok(const unsigned char *h)
{
	uint64_t want;
	unsigned long sum = 0;

	if (!parse_octal(h + 148, 8, &want))
		return false;
	for (int i = 0; i < TAR_BLOCK; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	return sum == want;
}

static int read_at(int fd, void *buf, size_t n, uint64_t off)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = pread(fd, (char *)buf + done, n - done, (off_t)(off + done));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		done += (size_t)r;
	}
	return 0;
}

/* Parse pax records "LEN key=value\n" for path and size. */
static void parse_pax(struct ks_arena *a, const char *p, size_t n, char **path, uint64_t *size, bool *has_size)
{
	size_t i = 0;

	while (i < n) {
		uint64_t len = 0;
		size_t j = i, eq;

		while (j < n && p[j] >= '0' && p[j] <= '9' && len < n)
			len = len * 10 + (uint64_t)(p[j++] - '0');
		if (j >= n || p[j] != ' ' || len == 0 || len > n - i)
			return;
		j++;
		for (eq = j; eq < i + len && p[eq] != '='; eq++)
			;
		if (eq >= i + len || p[i + len - 1] != '\n')
			return;
		if (eq - j == 4 && memcmp(p + j, "path", 4) == 0) {
			*path = ks_arena_strndup(a, p + eq + 1, i + len - 1 - (eq + 1));
		} else if (eq - j == 4 && memcmp(p + j, "size", 4) == 0) {
			uint64_t v;

			if (ks_parse_u64(p + eq + 1, i + len - 1 - (eq + 1), &v)) {
				*size = v;
				*has_size = true;
			}
		}
		i += len;
	}
}

int ks_tarindex_build(struct ks_tarindex *ix, int fd, uint64_t file_size, const char *name,
		      struct kensa_err *err)
{
	unsigned char h[TAR_BLOCK];
	uint64_t off = 0;
	char *next_path = NULL;
	uint64_t next_size = 0;
	bool has_next_size = false;
	int result = 0;

	while (off + TAR_BLOCK <= file_size) {
		uint64_t size, data_off, padded;
		char typeflag;
		char *path;

		if (read_at(fd, h, TAR_BLOCK, off) != 0) {
			result = kensa_err_set(err, KENSA_EIO, "cannot read '%s' at offset %llu: %s", name,
					       (unsigned long long)off, strerror(errno ? errno : EIO));
			goto out;
		}
		{
			bool zero = true;

			for (int i = 0; i < TAR_BLOCK && zero; i++)
				zero = h[i] == 0;
			if (zero)
				break;	/* end-of-archive marker */
		}
		if (!checksum_ok(h) || !parse_octal(h + 124, 12, &size)) {
			result = kensa_err_set(err, KENSA_EFORMAT, "'%s': corrupt tar header at offset %llu", name,
					       (unsigned long long)off);
			goto out;
		}
		typeflag = (char)h[156];
		if (has_next_size)
			size = next_size;
		data_off = off + TAR_BLOCK;
		padded = (size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
		if (size > file_size || data_off > file_size - size) {
			result = kensa_err_set(err, KENSA_EFORMAT,
					       "'%s' is truncated: a member at offset %llu needs %llu bytes",
					       name, (unsigned long long)off, (unsigned long long)size);
			goto out;
		}
		if (typeflag == 'x' || typeflag == 'L') {
			char *meta;

			if (size > TAR_MAX_META) {
				result = kensa_err_set(err, KENSA_ELIMIT, "'%s': oversized tar extension header at %llu",
						       name, (unsigned long long)off);
				goto out;
			}
			meta = ks_arena_alloc(&ix->arena, (size_t)size + 1);
			if (!meta || read_at(fd, meta, (size_t)size, data_off) != 0) {
				result = kensa_err_set(err, KENSA_EIO, "cannot read '%s' at offset %llu", name,
						       (unsigned long long)data_off);
				goto out;
			}
			if (typeflag == 'L') {
				next_path = ks_arena_strndup(&ix->arena, meta, strnlen(meta, (size_t)size));
			} else {
				parse_pax(&ix->arena, meta, (size_t)size, &next_path, &next_size, &has_next_size);
			}
			off = data_off + padded;
			continue;
		}
		if (next_path) {
			path = next_path;
		} else if (memcmp(h + 257, "ustar", 5) == 0 && h[345]) {
			path = ks_arena_printf(&ix->arena, "%.155s/%.100s", (const char *)h + 345, (const char *)h);
		} else {
			path = ks_arena_strndup(&ix->arena, (const char *)h, strnlen((const char *)h, 100));
		}
		next_path = NULL;
		has_next_size = false;
		if (!path) {
			result = kensa_err_set(err, KENSA_ENOMEM, "out of memory indexing '%s'", name);
			goto out;
		}
		if (typeflag == '0' || typeflag == '\0' || typeflag == '7') {
			struct ks_tarmember *m;
			char norm[KS_MAX_PATH + 2];
			size_t nl, plen = strlen(path);

			if (plen < KS_MAX_PATH && ks_path_normalize(path, plen, norm, &nl) == 0) {
				if (KS_GROW(ix->members, ix->cap, ix->n + 1)) {
					result = kensa_err_set(err, KENSA_ENOMEM, "out of memory indexing '%s'", name);
					goto out;
				}
				m = &ix->members[ix->n++];
				m->name = ks_arena_strndup(&ix->arena, norm + 1, nl - 1);	/* no leading '/' */
				m->offset = data_off;
				m->size = size;
			}
		}
		off = data_off + padded;
	}
out:
	return result;
}

const struct ks_tarmember *ks_tarindex_find(const struct ks_tarindex *ix, const char *name)
{
	for (size_t i = 0; i < ix->n; i++)
		if (strcmp(ix->members[i].name, name) == 0)
			return &ix->members[i];
	return NULL;
}

void ks_tarindex_release(struct ks_tarindex *ix)
{
	free(ix->members);
	ks_arena_release(&ix->arena);
	memset(ix, 0, sizeof(*ix));
}
