/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pkgdb.h — the package analyzer extension point (internal).
 *
 * One file per package format (dpkg.c, apk.c, npm.c, …) exports one
 * `const struct ks_analyzer ks_analyzer_<name>`, listed once in registry.c. An analyzer
 * works in two steps:
 *
 *   1. match(): while layers stream by, say whether a file is yours (cheap: look at the
 *      path, mode and size only). Matched files are read, up to max_size bytes.
 *      - without extract(): the content is kept on the node for step 2;
 *      - with extract(): you get the content at once and keep only a summary (for big
 *        binaries: a Go build-info blob, a jar's pom.properties). The content is not kept.
 *   2. scan(): after the layers are merged, look at the visible nodes you matched (and any
 *      other node of the tree), and add packages with ks_pkg_new().
 *
 * Strings stored in a package must live in the inventory (ks_astr/ks_astrn copy them there).
 * A bad record is a warning (ks_awarn), never a failure of the whole scan; scan() returns an
 * error only for out-of-memory and the like.
 */
#ifndef KS_PKGDB_H
#define KS_PKGDB_H

#include "kensa/inventory.h"
#include "source/source.h"
#include "sbom/inv.h"

struct ks_actx;

struct ks_analyzer {
	const char *name;
	/* Is this (visible or not yet known to be) file yours? Only regular files are offered. */
	bool (*match)(const struct ks_node *n);
	uint64_t max_size;	/* larger files are not read (warning) */
	/*
	 * Optional: summarize content at read time. Append what you want to keep to `out` (leave
	 * it empty to keep nothing). Must not keep pointers into `data`.
	 */
	int (*extract)(const struct ks_node *n, const unsigned char *data, size_t len, struct ks_buf *out);
	int (*scan)(struct ks_actx *x);
};

/* What an analyzer's scan() gets. */
struct ks_actx {
	struct ks_tree *tree;
	struct kensa_inventory *inv;
	int id;				/* analyzer index (bit in node->want) */
	const struct ks_analyzer *an;
	struct ks_node **nodes;		/* visible nodes this analyzer matched, in path order */
	size_t nnodes;
};

extern const struct ks_analyzer *const ks_analyzers[];
extern const size_t ks_nanalyzers;

/* ---- helpers for analyzers (inventory.c) */

/* A new package declared by node `from` (location and layer set from it; may be NULL). */
struct kensa_package *ks_pkg_new(struct ks_actx *x, const struct ks_node *from, const char *ecosystem,
				 const char *name, const char *version);
/* Record that p owns `path` (any form; canonicalized later). */
int ks_pkg_add_file(struct ks_actx *x, struct kensa_package *p, const char *path, size_t len);
int ks_pkg_add_prop(struct ks_actx *x, struct kensa_package *p, const char *key, const char *value);
char *ks_astr(struct ks_actx *x, const char *s);
char *ks_astrn(struct ks_actx *x, const char *s, size_t n);
void ks_awarn(struct ks_actx *x, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Content of a node: the raw file (no extract) or this analyzer's summary. */
bool ks_acontent(const struct ks_actx *x, const struct ks_node *n, const unsigned char **data, size_t *len);
/* Set the OS of the inventory (os-release analyzer). */
struct kensa_os *ks_inv_os(struct ks_actx *x);

/* ---- small parsing helpers shared by text formats (ks_next_line is in util.h) */

/* PEP 503 normalized name ("Foo_Bar.baz" → "foo-bar-baz") into the inventory. */
char *ks_pep503(struct ks_actx *x, const char *name, size_t n);

#endif
