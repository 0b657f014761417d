// SPDX-License-Identifier: Apache-2.0
/*
 * map.c — string-keyed hash map (open addressing, linear probing, load ≤ 1/2).
 *
 * Used for the file ownership index (path → package), name lookups and de-duplication.
 * Keys are borrowed; the map stores pointer, length and a 32-bit hash fragment so most
 * probes never touch the key bytes.
 */
#include <stdlib.h>

#include "util.h"

/* 64-bit FNV-1a over 8-byte words with a final avalanche: fast on short keys (paths). */
uint64_t ks_hash(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL ^ (n * 0x9E3779B97F4A7C15ULL);

	while (n >= 8) {
		uint64_t w;

		memcpy(&w, s, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
		s += 8;
		n -= 8;
	}
	while (n--) {
		h = (h ^ *s++) * 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static struct ks_map_slot *find_slot(const struct ks_map *m, const char *key, size_t klen, uint64_t h)
{
	size_t mask = m->cap - 1;
	size_t i = (size_t)h & mask;
	uint32_t h32 = (uint32_t)(h >> 32);

	for (;;) {
		struct ks_map_slot *s = &m->slots[i];

		if (!s->key)
			return s;
		if (s->hash32 == h32 && s->klen == klen && memcmp(s->key, key, klen) == 0)
			return s;
		i = (i + 1) & mask;
	}
}

static int rehash(struct ks_map *m, size_t ncap)
{
	struct ks_map_slot *old = m->slots;
	size_t ocap = m->cap;

	m->slots = calloc(ncap, sizeof(*m->slots));
	if (!m->slots) {
		m->slots = old;
		return KENSA_ENOMEM;
	}
	m->cap = ncap;
	for (size_t i = 0; i < ocap; i++) {
		if (!old[i].key)
			continue;
		uint64_t h = ks_hash(old[i].key, old[i].klen);
		*find_slot(m, old[i].key, old[i].klen, h) = old[i];
	}
	free(old);
	return 0;
}

bool ks_map_get(const struct ks_map *m, const char *key, size_t klen, uint64_t *value)
{
	struct ks_map_slot *s;

	if (!m->cap)
		return false;
	s = find_slot(m, key, klen, ks_hash(key, klen));
	if (!s->key)
		return false;
	if (value)
		*value = s->value;
	return true;
}

int ks_map_upsert(struct ks_map *m, const char *key, size_t klen, uint64_t init, uint64_t **slot_value,
		  bool *inserted)
{
	uint64_t h;
	struct ks_map_slot *s;

	if (klen > UINT32_MAX)
		return KENSA_ELIMIT;
	if ((m->count + 1) * 2 > m->cap) {
		int result = rehash(m, m->cap ? m->cap * 2 : 64);

		if (result)
			return result;
	}
	h = ks_hash(key, klen);
	s = find_slot(m, key, klen, h);
	if (inserted)
		*inserted = !s->key;
	if (!s->key) {
		s->key = key;
		s->klen = (uint32_t)klen;
		s->hash32 = (uint32_t)(h >> 32);
		s->value = init;
		m->count++;
	}
	if (slot_value)
		*slot_value = &s->value;
	return 0;
}

int ks_map_put(struct ks_map *m, const char *key, size_t klen, uint64_t value)
{
	uint64_t *v;
	int result = ks_map_upsert(m, key, klen, value, &v, NULL);

	if (result)
		return result;
	*v = value;
	return 0;
}

void ks_map_release(struct ks_map *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->count = 0;
}
