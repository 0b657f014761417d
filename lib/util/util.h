/* SPDX-License-Identifier: Apache-2.0 */
/*
 * util.h — the library's internal toolbox: arenas, bounded buffers, hash maps, paths,
 * JSON reading (cJSON) and writing, logging shorthands.
 *
 * Internal only (never installed). Internal cross-file functions are named ks_<thing>_<verb>;
 * public ones kensa_<module>_<verb> live in include/kensa/.
 *
 * Ownership words used throughout: *owned* (the holder frees it), *borrowed until X* (valid
 * until X happens, never freed by the borrower), *consumes* (the callee takes ownership).
 */
#ifndef KS_UTIL_H
#define KS_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "kensa/error.h"
#include "kensa/log.h"
#include "banned.h"

#define KS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define KS_MIN(a, b) ((a) < (b) ? (a) : (b))
#define KS_MAX(a, b) ((a) > (b) ? (a) : (b))
#define KS_UNUSED(x) ((void)(x))

/* ---------------------------------------------------------------- arena */

/*
 * A bump allocator: many small allocations, one release. Per-scan data (packages, paths,
 * strings) lives in one arena and is freed with ks_arena_release(). Not thread-safe.
 */
struct ks_arena_chunk;
struct ks_arena {
	struct ks_arena_chunk *head;
	size_t total;		/* bytes handed out, for statistics */
};
#define KS_ARENA_INIT { NULL, 0 }

void *ks_arena_alloc(struct ks_arena *a, size_t size);		/* zeroed, 16-aligned; NULL on OOM */
char *ks_arena_strdup(struct ks_arena *a, const char *s);	/* NULL in → NULL out */
char *ks_arena_strndup(struct ks_arena *a, const char *s, size_t n);
char *ks_arena_printf(struct ks_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void *ks_arena_memdup(struct ks_arena *a, const void *p, size_t n);
void ks_arena_release(struct ks_arena *a);

/* ---------------------------------------------------------------- growable buffer */

/*
 * A byte buffer with a hard cap (curl's rule: every growable buffer has one). Appends past
 * `limit` fail with KENSA_ELIMIT and leave the buffer unchanged. data is always
 * NUL-terminated when non-NULL.
 */
struct ks_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t limit;		/* 0 means KS_BUF_DEFAULT_LIMIT */
};
#define KS_BUF_DEFAULT_LIMIT ((size_t)1 << 32)	/* 4 GiB */
#define KS_BUF_INIT { NULL, 0, 0, 0 }

int ks_buf_grow(struct ks_buf *b, size_t extra);
int ks_buf_add(struct ks_buf *b, const void *p, size_t n);
int ks_buf_adds(struct ks_buf *b, const char *s);
int ks_buf_addc(struct ks_buf *b, char c);
int ks_buf_printf(struct ks_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int ks_buf_vprintf(struct ks_buf *b, const char *fmt, va_list ap);
void ks_buf_reset(struct ks_buf *b);	/* len = 0, keeps memory */
char *ks_buf_detach(struct ks_buf *b);	/* consumes the buffer's memory; caller frees */
void ks_buf_release(struct ks_buf *b);

/* ---------------------------------------------------------------- growable array */

/* Grow *arr (element size `elem`) so that index `need-1` fits; doubles capacity. */
int ks_grow(void **arr, size_t *cap, size_t need, size_t elem);
#define KS_GROW(arr, cap, need) ks_grow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

/* ---------------------------------------------------------------- hash map */

uint64_t ks_hash(const void *p, size_t n);

/*
 * String → value map (open addressing, linear probing). Keys are borrowed: they must stay
 * valid (e.g. live in an arena) as long as the map. Values are opaque 64-bit integers
 * (package index, pointer cast, ...).
 */
struct ks_map_slot {
	const char *key;
	uint32_t klen;
	uint32_t hash32;
	uint64_t value;
};
struct ks_map {
	struct ks_map_slot *slots;
	size_t cap;		/* power of two, or 0 */
	size_t count;
};
#define KS_MAP_INIT { NULL, 0, 0 }

/* Returns true and sets *value when found. */
bool ks_map_get(const struct ks_map *m, const char *key, size_t klen, uint64_t *value);
/* Insert or replace. */
int ks_map_put(struct ks_map *m, const char *key, size_t klen, uint64_t value);
/* Insert if absent; *slot_value points at the stored value either way (valid until the next put). */
int ks_map_upsert(struct ks_map *m, const char *key, size_t klen, uint64_t init, uint64_t **slot_value,
		  bool *inserted);
void ks_map_release(struct ks_map *m);
#define ks_map_gets(m, s, v) ks_map_get((m), (s), strlen(s), (v))
#define ks_map_puts(m, s, v) ks_map_put((m), (s), strlen(s), (v))

/* ---------------------------------------------------------------- strings */

bool ks_str_startswith(const char *s, const char *prefix);
bool ks_str_endswith(const char *s, const char *suffix);
bool ks_mem_endswith(const char *s, size_t n, const char *suffix);
/* Trim ASCII whitespace in place on [*s, *s + *n). */
void ks_trim(const char **s, size_t *n);
/* Parse a base-10 unsigned integer with full validation; false on garbage or overflow. */
bool ks_parse_u64(const char *s, size_t n, uint64_t *out);
/* Lower-case ASCII copy into the arena. */
char *ks_arena_strlower(struct ks_arena *a, const char *s);
/* Next line of [*p, end): sets *line and *len (without "\n" or "\r\n"), advances *p. false at end. */
bool ks_next_line(const char **p, const char *end, const char **line, size_t *len);
/* Is [s, s+n) valid UTF-8? */
bool ks_utf8_valid(const char *s, size_t n);

/* ---------------------------------------------------------------- paths */

/*
 * Normalize an archive member name or a path into an absolute, clean path inside a root:
 * "./a//b/./c/" → "/a/b/c". Returns KENSA_EFORMAT for names that climb out ("..") or contain
 * NUL. The output is written to `out` (at least n + 2 bytes).
 */
int ks_path_normalize(const char *in, size_t n, char *out, size_t *out_len);
/* Directory part of an absolute normalized path, without trailing '/'; "/" for top-level. */
size_t ks_path_dirlen(const char *path, size_t n);
const char *ks_path_basename(const char *path);
/* Depth = number of components ("/" → 0, "/a/b" → 2). */
unsigned ks_path_depth(const char *path);

/* ---------------------------------------------------------------- files */

/* Read a whole file (at most `limit` bytes, else KENSA_ELIMIT). Caller frees *data. */
int ks_file_read(const char *path, size_t limit, char **data, size_t *len, struct kensa_err *err);
/* Read everything from an fd. */
int ks_fd_read_all(int fd, const char *name, size_t limit, char **data, size_t *len,
		   struct kensa_err *err);
/* Write atomically: temp file beside `path`, fsync, rename. */
int ks_file_write_atomic(const char *path, const void *data, size_t len, struct kensa_err *err);

/* ---------------------------------------------------------------- logging */

void ks_log(enum kensa_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ks_vlog(enum kensa_log_level level, const char *fmt, va_list ap);
bool ks_log_enabled(enum kensa_log_level level);
#define ks_warn(...) ks_log(KENSA_LOG_WARN, __VA_ARGS__)
#define ks_info(...) ks_log(KENSA_LOG_INFO, __VA_ARGS__)
#define ks_debug(...) ks_log(KENSA_LOG_DEBUG, __VA_ARGS__)
void ks_progress(const char *stage, uint64_t done, uint64_t total);
/* Monotonic clock in nanoseconds. */
uint64_t ks_now_ns(void);

#endif
