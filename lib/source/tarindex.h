/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tarindex.h — member list of an uncompressed tar file (see tarindex.c).
 */
#ifndef KS_TARINDEX_H
#define KS_TARINDEX_H

#include "util/util.h"

struct ks_tarmember {
	const char *name;	/* normalized, without leading '/' ("manifest.json", "blobs/sha256/…") */
	uint64_t offset;	/* of the data */
	uint64_t size;
};

struct ks_tarindex {
	struct ks_arena arena;
	struct ks_tarmember *members;
	size_t n, cap;
};

int ks_tarindex_build(struct ks_tarindex *ix, int fd, uint64_t file_size, const char *name,
		      struct kensa_err *err);
const struct ks_tarmember *ks_tarindex_find(const struct ks_tarindex *ix, const char *name);
void ks_tarindex_release(struct ks_tarindex *ix);

#endif
