// SPDX-License-Identifier: Apache-2.0
/*
 * layer_tar.c — fuzz one layer blob (tar, possibly compressed) through the layer reader and
 * the tree merge: member names, whiteouts, links, sizes, then symlink resolution.
 */
#include <archive.h>
#include <stdlib.h>

#include "source/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_tree t;
	struct archive *a = ks_layer_reader_new();
	struct ks_layer_rec *l;
	char canon[KS_MAX_PATH];

	ks_tree_init(&t, "fuzz");
	l = ks_tree_add_layer(&t, "layer");
	if (a && l && archive_read_open_memory(a, data, size) == ARCHIVE_OK &&
	    ks_layer_read_archive(&t, l, a, "layer", NULL) == 0 && ks_tree_merge(&t, NULL) == 0) {
		for (size_t i = 0; i < t.nnodes; i++)
			ks_tree_resolve(&t, t.nodes[i]->path, true, canon, NULL);
	}
	if (a)
		archive_read_free(a);
	ks_tree_release(&t);
	return 0;
}
