// SPDX-License-Identifier: Apache-2.0
/*
 * arena.c — bump allocator for per-scan data.
 *
 * Chunks grow geometrically (64 KiB up to 4 MiB); an allocation larger than a quarter of
 * the next chunk gets a chunk of its own so big blobs do not waste the tail of a chunk.
 * Memory is returned only by ks_arena_release(). Not thread-safe.
 */
#include <stdlib.h>

#include "util.h"

struct ks_arena_chunk {
	struct ks_arena_chunk *next;
	size_t used;
	size_t cap;
	_Alignas(16) unsigned char mem[];
};

#define ARENA_MIN_CHUNK ((size_t)64 << 10)
#define ARENA_MAX_CHUNK ((size_t)4 << 20)

static struct ks_arena_chunk *chunk_new(size_t cap)
{
	struct ks_arena_chunk *c = malloc(sizeof(*c) + cap);

	if (!c)
		return NULL;
	c->next = NULL;
	c->used = 0;
	c->cap = cap;
	return c;
}

void *ks_arena_alloc(struct ks_arena *a, size_t size)
{
	struct ks_arena_chunk *c = a->head;
	size_t need = (size + 15) & ~(size_t)15;
	void *p;

	if (need < size)
		return NULL;	/* overflow */
	if (!c || c->cap - c->used < need) {
		size_t next = c ? KS_MIN(c->cap * 2, ARENA_MAX_CHUNK) : ARENA_MIN_CHUNK;

		if (need > next / 4) {
			/* a big block gets its own chunk, placed behind the current head */
			struct ks_arena_chunk *big = chunk_new(need);

			if (!big)
				return NULL;
			big->used = need;
			if (c) {
				big->next = c->next;
				c->next = big;
			} else {
				a->head = big;
			}
			a->total += need;
			memset(big->mem, 0, need);
			return big->mem;
		}
		struct ks_arena_chunk *nc = chunk_new(next);

		if (!nc)
			return NULL;
		nc->next = c;
		a->head = c = nc;
	}
	p = c->mem + c->used;
	c->used += need;
	a->total += need;
	memset(p, 0, need);
	return p;
}

void *ks_arena_memdup(struct ks_arena *a, const void *src, size_t n)
{
	void *p = ks_arena_alloc(a, n ? n : 1);

	if (p && n)
		memcpy(p, src, n);
	return p;
}

char *ks_arena_strndup(struct ks_arena *a, const char *s, size_t n)
{
	char *p;

	if (!s)
		return NULL;
	p = ks_arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *ks_arena_strdup(struct ks_arena *a, const char *s)
{
	return s ? ks_arena_strndup(a, s, strlen(s)) : NULL;
}

char *ks_arena_printf(struct ks_arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	int n;
	char *p;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		va_end(ap2);
		return NULL;
	}
	p = ks_arena_alloc(a, (size_t)n + 1);
	if (p)
		vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

char *ks_arena_strlower(struct ks_arena *a, const char *s)
{
	char *p = ks_arena_strdup(a, s);

	for (char *q = p; q && *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	return p;
}

void ks_arena_release(struct ks_arena *a)
{
	struct ks_arena_chunk *c = a->head;

	while (c) {
		struct ks_arena_chunk *next = c->next;

		free(c);
		c = next;
	}
	a->head = NULL;
	a->total = 0;
}
