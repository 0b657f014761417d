// SPDX-License-Identifier: Apache-2.0
/*
 * tree.c — the layered file tree: layer records, whiteouts, the final view, symlink
 * resolution inside the tree.
 *
 * Layers are recorded first (every entry of every layer, in archive order) and merged once
 * at the end, top-down: a path from a lower layer is visible unless an upper layer wrote the
 * same path, whited it out (".wh.NAME", which hides NAME and everything under it), made an
 * ancestor opaque (".wh..wh..opq"), or replaced an ancestor with something that is not a
 * directory. Recording first is what lets a gzip'd archive be read in one pass even though
 * its manifest (the layer order) comes after the layers.
 */
#include <stdlib.h>

#include "source.h"

#define MASK_WHITEOUT 1u
#define MASK_OPAQUE 2u

void ks_tree_init(struct ks_tree *t, const char *target)
{
	memset(t, 0, sizeof(*t));
	t->target = ks_arena_strdup(&t->arena, target);
	t->max_bytes = KS_MAX_IMAGE_BYTES;
}

void ks_tree_release(struct ks_tree *t)
{
	for (size_t i = 0; i < t->nlayers; i++)
		free(t->layers[i].entries);
	free(t->layers);
	free(t->nodes);
	ks_map_release(&t->index);
	ks_buf_release(&t->scratch);
	ks_arena_release(&t->arena);
	memset(t, 0, sizeof(*t));
}

void ks_tree_warn(struct ks_tree *t, const char *path, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	t->warnings++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (path && strlen(path) > 300) {
		size_t pl = strlen(path);

		/* keep both ends of a very long path readable and the message intact */
		ks_warn("%s: '%.140s…%s': %s", t->target, path, path + pl - 140, msg);
	} else if (path)
		ks_warn("%s: '%s': %s", t->target, path, msg);
	else
		ks_warn("%s: %s", t->target, msg);
}

int ks_tree_account(struct ks_tree *t, uint64_t bytes, const char *what, struct kensa_err *err)
{
	t->bytes += bytes;
	if (t->bytes > t->max_bytes)
		return kensa_err_set(err, KENSA_ELIMIT,
				     "%s: more than %llu bytes of content (at %s); refusing to read further",
				     t->target, (unsigned long long)t->max_bytes, what);
	return 0;
}

struct ks_layer_rec *ks_tree_add_layer(struct ks_tree *t, const char *member)
{
	struct ks_layer_rec *l;
	struct ks_layer_rec *arr = t->layers;

	arr = realloc(arr, (t->nlayers + 1) * sizeof(*arr));
	if (!arr)
		return NULL;
	t->layers = arr;
	l = &t->layers[t->nlayers++];
	memset(l, 0, sizeof(*l));
	l->member = ks_arena_strdup(&t->arena, member);
	return l;
}

struct ks_node *ks_layer_add_entry(struct ks_tree *t, struct ks_layer_rec *l)
{
	struct ks_node *n;

	if (t->nentries >= KS_MAX_ENTRIES)
		return NULL;
	if (KS_GROW(l->entries, l->cap, l->nentries + 1))
		return NULL;
	n = &l->entries[l->nentries++];
	memset(n, 0, sizeof(*n));
	n->layer = (int32_t)(l - t->layers);
	t->nentries++;
	l->info.entries++;
	return n;
}

int ks_tree_offer(struct ks_tree *t, struct ks_node *n, const unsigned char *data, size_t len)
{
	if (!t->hooks || !t->hooks->consume)
		return 0;
	return t->hooks->consume(t->hooks->ud, t, n, data, len);
}

bool ks_node_blob(const struct ks_node *n, int analyzer, const unsigned char **data, size_t *len)
{
	for (const struct ks_blob *b = n->blobs; b; b = b->next) {
		if (b->analyzer == analyzer) {
			*data = b->data;
			*len = b->len;
			return true;
		}
	}
	return false;
}

/* Is `path` hidden by whiteouts/opaque dirs/non-directories of upper layers? */
static bool hidden(const struct ks_map *mask, const struct ks_map *visible, const char *path, size_t len)
{
	uint64_t v;

	if (ks_map_get(mask, path, len, &v) && (v & MASK_WHITEOUT))
		return true;
	/* every proper ancestor, "/" included */
	for (size_t i = len; i > 0; i--) {
		size_t alen;

		if (path[i - 1] != '/' || i == len)
			continue;
		alen = i - 1 ? i - 1 : 1;
		if (ks_map_get(mask, path, alen, &v) && (v & (MASK_WHITEOUT | MASK_OPAQUE)))
			return true;
		if (alen > 1 && ks_map_get(visible, path, alen, &v)) {
			const struct ks_node *an = (const struct ks_node *)(uintptr_t)v;

			if (an->kind != KS_DIR)
				return true;
		}
	}
	return false;
}

static int node_cmp(const void *a, const void *b)
{
	const struct ks_node *x = *(const struct ks_node *const *)a;
	const struct ks_node *y = *(const struct ks_node *const *)b;

	return strcmp(x->path, y->path);
}

int ks_tree_merge(struct ks_tree *t, struct kensa_err *err)
{
	struct ks_map mask = KS_MAP_INIT;
	size_t cap = 0;
	int result = 0;

	ks_map_release(&t->index);
	free(t->nodes);
	t->nodes = NULL;
	t->nnodes = 0;

	for (size_t li = t->nlayers; li-- > 0;) {
		struct ks_layer_rec *l = &t->layers[li];

		/* later duplicates in one layer win: walk the layer backwards */
		for (size_t i = l->nentries; i-- > 0;) {
			struct ks_node *n = &l->entries[i];
			bool inserted;
			uint64_t *slot;

			if (n->kind == KS_WHITEOUT || n->kind == KS_OPAQUE)
				continue;
			if (ks_map_get(&t->index, n->path, n->plen, NULL))
				continue;
			if (hidden(&mask, &t->index, n->path, n->plen))
				continue;
			result = ks_map_upsert(&t->index, n->path, n->plen, (uint64_t)(uintptr_t)n, &slot, &inserted);
			if (result)
				goto out;
			if (KS_GROW(t->nodes, cap, t->nnodes + 1)) {
				result = KENSA_ENOMEM;
				goto out;
			}
			t->nodes[t->nnodes++] = n;
		}
		for (size_t i = 0; i < l->nentries; i++) {
			struct ks_node *n = &l->entries[i];
			uint64_t *slot;

			if (n->kind != KS_WHITEOUT && n->kind != KS_OPAQUE)
				continue;
			result = ks_map_upsert(&mask, n->path, n->plen, 0, &slot, NULL);
			if (result)
				goto out;
			*slot |= n->kind == KS_WHITEOUT ? MASK_WHITEOUT : MASK_OPAQUE;
		}
	}
	if (t->nnodes)
		qsort(t->nodes, t->nnodes, sizeof(*t->nodes), node_cmp);
out:
	ks_map_release(&mask);
	if (result)
		kensa_err_set(err, result, "%s: cannot build the file tree: %s", t->target, kensa_strerror(result));
	return result;
}

struct ks_node *ks_tree_get(const struct ks_tree *t, const char *path, size_t len)
{
	uint64_t v;

	if (!ks_map_get(&t->index, path, len, &v))
		return NULL;
	return (struct ks_node *)(uintptr_t)v;
}

struct ks_node *ks_tree_resolve(const struct ks_tree *t, const char *path, bool follow_last, char *out,
				size_t *out_len)
{
	char rest[KS_MAX_PATH * 2];
	size_t rlen = strlen(path), rpos = 0, olen = 1;
	unsigned hops = 0;

	out[0] = '/';
	out[1] = '\0';
	if (rlen >= sizeof(rest))
		goto fail;
	memcpy(rest, path, rlen + 1);

	while (rpos < rlen) {
		size_t start, clen, save;
		struct ks_node *n;

		while (rpos < rlen && rest[rpos] == '/')
			rpos++;
		start = rpos;
		while (rpos < rlen && rest[rpos] != '/')
			rpos++;
		clen = rpos - start;
		if (clen == 0 || (clen == 1 && rest[start] == '.'))
			continue;
		if (clen == 2 && rest[start] == '.' && rest[start + 1] == '.') {
			olen = ks_path_dirlen(out, olen);
			out[olen] = '\0';
			continue;
		}
		if (olen + 1 + clen >= KS_MAX_PATH)
			goto fail;
		save = olen;
		if (olen > 1)
			out[olen++] = '/';
		memcpy(out + olen, rest + start, clen);
		olen += clen;
		out[olen] = '\0';

		n = ks_tree_get(t, out, olen);
		if (!n || n->kind != KS_SYMLINK)
			continue;
		{
			bool last = true;

			for (size_t k = rpos; k < rlen; k++)
				if (rest[k] != '/') {
					last = false;
					break;
				}
			if (last && !follow_last)
				continue;
		}
		if (++hops > KS_MAX_SYMLINK_HOPS || !n->link)
			goto fail;
		/* splice: rest = link + "/" + remaining */
		{
			char tmp[KS_MAX_PATH * 2];
			size_t llen = strlen(n->link), remain = rlen - rpos;

			if (llen + 1 + remain >= sizeof(tmp))
				goto fail;
			memcpy(tmp, n->link, llen);
			tmp[llen] = '/';
			memcpy(tmp + llen + 1, rest + rpos, remain);
			rlen = llen + 1 + remain;
			tmp[rlen] = '\0';
			memcpy(rest, tmp, rlen + 1);
			rpos = 0;
		}
		if (n->link[0] == '/') {
			olen = 1;
		} else {
			olen = save;	/* relative to the link's directory */
		}
		out[olen] = '\0';
	}
	if (out_len)
		*out_len = olen;
	return ks_tree_get(t, out, olen);
fail:
	if (out_len)
		*out_len = strlen(out);
	return NULL;
}

void ks_tree_prefix(const struct ks_tree *t, const char *prefix, size_t *first, size_t *end)
{
	size_t lo = 0, hi = t->nnodes, plen = strlen(prefix);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(t->nodes[mid]->path, prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo < t->nnodes && strncmp(t->nodes[lo]->path, prefix, plen) == 0)
		lo++;
	*end = lo;
}
