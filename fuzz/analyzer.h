/* SPDX-License-Identifier: Apache-2.0 */
/*
 * analyzer.h — fuzz harness that runs one package analyzer over one file the way the real
 * pipeline does: match() on the path and mode, extract() on the content (or the raw content
 * kept), the tree merged, then scan() into a fresh inventory. A fuzz target is then one
 * line: the analyzer's name, a path it claims, a mode, and the input.
 *
 * It is not a test of the tree or the inventory (they have their own tests); it only gives
 * the analyzer exactly what it would get from an image.
 */
#ifndef KS_FUZZ_ANALYZER_H
#define KS_FUZZ_ANALYZER_H

#include <stdint.h>
#include <stdlib.h>

#include "pkgdb/pkgdb.h"
#include "sbom/inv.h"

static void fz_blob(struct ks_tree *t, struct ks_node *n, int analyzer, const void *data,
		    size_t len)
{
	struct ks_blob *b = ks_arena_alloc(&t->arena, sizeof(*b));
	unsigned char *copy = ks_arena_alloc(
		&t->arena, len + 1); /* a NUL after the data, as inventory.c keeps it */

	if (!b || !copy)
		abort();
	if (len)
		memcpy(copy, data, len);
	b->analyzer = analyzer;
	b->data = copy;
	b->len = len;
	b->next = n->blobs;
	n->blobs = b;
}

static void fz_run_analyzer(const char *name, const char *path, uint32_t mode, const uint8_t *data,
			    size_t size)
{
	const struct ks_analyzer *an = NULL;
	struct kensa_inventory *inv = NULL;
	struct ks_tree t;
	struct ks_layer_rec *l;
	struct ks_node *n, *vis;
	struct ks_actx x;
	int id = -1;

	for (size_t i = 0; i < ks_nanalyzers; i++) {
		if (strcmp(ks_analyzers[i]->name, name) == 0) {
			an = ks_analyzers[i];
			id = (int)i;
		}
	}
	if (!an)
		abort(); /* the target names an analyzer that does not exist */
	ks_tree_init(&t, "fuzz");
	l = ks_tree_add_layer(&t, "fuzz");
	n = l ? ks_layer_add_entry(&t, l) : NULL;
	if (!n || !ks_node_set_path(&t, n, path, "fuzz"))
		abort();
	n->kind = KS_REG;
	n->mode = mode;
	n->size = size;
	if (!an->match(n) || size > an->max_size)
		goto out;
	n->want = 1ULL << id;
	if (an->extract) {
		struct ks_buf out = KS_BUF_INIT;

		if (an->extract(n, data, size, &out) == 0 && out.len)
			fz_blob(&t, n, id, out.data, out.len);
		ks_buf_release(&out);
	} else {
		fz_blob(&t, n, -1, data, size);
	}
	if (ks_tree_merge(&t, NULL))
		goto out;
	vis = ks_tree_get(&t, path, strlen(path));
	inv = ks_inv_new("fuzz");
	if (!vis || !inv)
		goto out;
	memset(&x, 0, sizeof(x));
	x.tree = &t;
	x.inv = inv;
	x.id = id;
	x.an = an;
	x.nodes = &vis;
	x.nnodes = 1;
	an->scan(&x);
out:
	kensa_inventory_free(inv);
	ks_tree_release(&t);
}

#endif
