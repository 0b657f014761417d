// SPDX-License-Identifier: Apache-2.0
/*
 * acmatch.c — Aho–Corasick automaton with a full (dense) goto table over the 256 byte values,
 * built once; scanning is one table lookup per input byte. Case-insensitivity is folded
 * into the table (upper-case transitions mirror lower-case ones), not into the input.
 */
#include <stdlib.h>

#include "acmatch.h"

struct ks_ac {
	uint32_t nstates;
	uint32_t *next;		/* nstates × 256 */
	uint32_t *fail;
	uint32_t *out_first;	/* per state: first index in out_list, or UINT32_MAX */
	uint32_t *out_next;	/* linked list through outputs */
	uint32_t *out_kw;
	uint32_t nout;
};

static unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

void ks_ac_free(struct ks_ac *ac)
{
	if (!ac)
		return;
	free(ac->next);
	free(ac->fail);
	free(ac->out_first);
	free(ac->out_next);
	free(ac->out_kw);
	free(ac);
}

static int add_output(struct ks_ac *ac, uint32_t state, uint32_t kw, size_t *cap)
{
	if (ac->nout >= *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		uint32_t *a = realloc(ac->out_next, nc * sizeof(*a));
		uint32_t *b;

		if (!a)
			return KENSA_ENOMEM;
		ac->out_next = a;
		b = realloc(ac->out_kw, nc * sizeof(*b));
		if (!b)
			return KENSA_ENOMEM;
		ac->out_kw = b;
		*cap = nc;
	}
	ac->out_kw[ac->nout] = kw;
	ac->out_next[ac->nout] = ac->out_first[state];
	ac->out_first[state] = ac->nout++;
	return 0;
}

struct ks_ac *ks_ac_build(const char *const *keywords, size_t n)
{
	struct ks_ac *ac = calloc(1, sizeof(*ac));
	size_t max_states = 1, outcap = 0;
	uint32_t *queue = NULL;
	size_t qh = 0, qt = 0;

	if (!ac)
		return NULL;
	for (size_t i = 0; i < n; i++)
		max_states += strlen(keywords[i]);
	ac->next = calloc(max_states * 256, sizeof(*ac->next));
	ac->fail = calloc(max_states, sizeof(*ac->fail));
	ac->out_first = malloc(max_states * sizeof(*ac->out_first));
	queue = malloc(max_states * sizeof(*queue));
	if (!ac->next || !ac->fail || !ac->out_first || !queue)
		goto fail;
	for (size_t s = 0; s < max_states; s++)
		ac->out_first[s] = UINT32_MAX;
	ac->nstates = 1;
	/* trie; 0 in next[] means "no edge" during construction (state 0 is the root) */
	for (size_t i = 0; i < n; i++) {
		uint32_t s = 0;

		for (const unsigned char *p = (const unsigned char *)keywords[i]; *p; p++) {
			unsigned char c = lower(*p);

			if (!ac->next[s * 256 + c])
				ac->next[s * 256 + c] = ac->nstates++;
			s = ac->next[s * 256 + c];
		}
		if (add_output(ac, s, (uint32_t)i, &outcap))
			goto fail;
	}
	/* breadth-first: failure links, outputs inherited, goto completed */
	for (unsigned c = 0; c < 256; c++) {
		uint32_t s = ac->next[lower((unsigned char)c)];

		ac->next[c] = s;
		if (s && c == lower((unsigned char)c)) {
			ac->fail[s] = 0;
			queue[qt++] = s;
		}
	}
	while (qh < qt) {
		uint32_t r = queue[qh++];

		for (uint32_t o = ac->out_first[ac->fail[r]]; o != UINT32_MAX; o = ac->out_next[o])
			if (add_output(ac, r, ac->out_kw[o], &outcap))
				goto fail;
		for (unsigned c = 0; c < 256; c++) {
			unsigned char lc = lower((unsigned char)c);
			uint32_t s = ac->next[r * 256 + lc];

			if (s && c == lc) {
				ac->fail[s] = ac->next[ac->fail[r] * 256 + lc];
				queue[qt++] = s;
				ac->next[r * 256 + c] = s;
			} else if (s) {
				ac->next[r * 256 + c] = s;	/* upper case mirrors lower case */
			} else {
				ac->next[r * 256 + c] = ac->next[ac->fail[r] * 256 + lc];
			}
		}
	}
	free(queue);
	return ac;
fail:
	free(queue);
	ks_ac_free(ac);
	return NULL;
}

int ks_ac_scan(const struct ks_ac *ac, const unsigned char *data, size_t len,
	       int (*hit)(void *ud, size_t keyword, size_t end), void *ud)
{
	uint32_t s = 0;

	for (size_t i = 0; i < len; i++) {
		s = ac->next[s * 256 + data[i]];
		for (uint32_t o = ac->out_first[s]; o != UINT32_MAX; o = ac->out_next[o]) {
			int r = hit(ud, ac->out_kw[o], i + 1);

			if (r)
				return r;
		}
	}
	return 0;
}
