/* SPDX-License-Identifier: Apache-2.0 */
/*
 * source.h — targets → one layered file tree (internal).
 *
 * A source reads a target (an image archive, an OCI layout, a directory, the host) and
 * produces a struct ks_tree: the final file system an image would present, with whiteouts
 * applied, and for every path the layer that last wrote it. Layers are read as streams
 * (libarchive); nothing is ever extracted to disk. Only the content of files some analyzer
 * asked for is read, through the hooks below; everything else is listed, not read.
 *
 * What it is not: it knows nothing about packages. The package analyzers (lib/pkgdb) plug
 * in through struct ks_read_hooks and read the tree afterwards.
 *
 * Safety rules enforced here, once, for every reader:
 *   - member names are normalized; names climbing out with ".." are skipped with a warning;
 *   - symlinks are recorded, never followed on the host; ks_tree_resolve() resolves them
 *     inside the tree with chroot semantics (".." stops at "/", absolute targets restart at
 *     the tree's root), with a loop limit;
 *   - content reads are capped per analyzer; total bytes, entry counts and compression
 *     ratios are capped per image (decompression bombs are refused, not inflated forever).
 */
#ifndef KS_SOURCE_H
#define KS_SOURCE_H

#include "kensa/inventory.h"
#include "util/util.h"

struct ks_tree;

enum ks_kind {
	KS_REG = 1,
	KS_DIR,
	KS_SYMLINK,
	KS_HARDLINK,
	KS_OTHER,	/* devices, fifos, sockets */
	KS_WHITEOUT,	/* ".wh.NAME": deletes NAME from lower layers */
	KS_OPAQUE,	/* ".wh..wh..opq": hides lower-layer content of its directory */
};

/* A piece of content kept for one analyzer (or the raw file, analyzer == -1). */
struct ks_blob {
	struct ks_blob *next;
	int analyzer;
	const unsigned char *data;	/* owned by the tree arena */
	size_t len;
};

struct ks_node {
	const char *path;	/* absolute, normalized */
	uint32_t plen;
	uint8_t kind;		/* enum ks_kind */
	uint8_t skipped;	/* content wanted but not read (too large, unreadable) */
	uint32_t mode;		/* permission bits incl. setuid/setgid/sticky */
	uint32_t uid, gid;
	uint64_t size;
	const char *link;	/* symlink target as written; hardlink target normalized */
	int32_t layer;		/* index into tree->layers; 0 for dir/host */
	uint64_t want;		/* analyzers whose match() accepted this node (bit = analyzer id) */
	struct ks_blob *blobs;
};

struct ks_layer_rec {
	struct kensa_layer info;
	const char *member;	/* archive member or blob file it came from */
	struct ks_node *entries;
	size_t nentries, cap;
	bool read;		/* content has been read */
};

/*
 * Hooks through which analyzers get content while layers stream by. `match` decides per
 * entry which analyzers want it (a bit mask, 0 = nobody) and the cap on bytes to read;
 * `consume` receives the whole content once and keeps what it needs as blobs on the node.
 */
struct ks_read_hooks {
	void *ud;
	uint64_t (*match)(void *ud, const struct ks_node *n, uint64_t *max_size);
	int (*consume)(void *ud, struct ks_tree *t, struct ks_node *n, const unsigned char *data, size_t len);
};

struct ks_tree {
	struct ks_arena arena;
	const char *target;		/* as given by the user */
	int kind;			/* enum ks_target_kind */
	struct ks_layer_rec *layers;
	size_t nlayers;
	struct ks_node **nodes;		/* visible nodes, sorted by path (strcmp) */
	size_t nnodes;
	struct ks_map index;		/* path → struct ks_node * */
	struct kensa_image *image;	/* NULL unless an image */
	const char **diff_ids;		/* from the image config, applied to layers once ordered */
	size_t ndiff_ids;
	const struct ks_read_hooks *hooks;
	uint64_t max_bytes;		/* total uncompressed cap */
	uint64_t bytes;			/* uncompressed bytes read so far */
	uint64_t nentries;		/* entries read so far (all layers) */
	uint64_t warnings;
	struct archive *outer;		/* compressed outer stream being read, for bomb checks */
	uint64_t progress_base;		/* input bytes of the layers read before the current one */
	uint64_t progress_total;	/* input bytes to read in all (0: unknown) */
	struct ks_buf scratch;		/* content buffer reused across entries */
};

/* ---- limits (override per image through kensa_inventory_opts) */
#define KS_MAX_IMAGE_BYTES ((uint64_t)64 << 30)
#define KS_MAX_ENTRIES ((uint64_t)10 * 1000 * 1000)
#define KS_MAX_PATH 4096
#define KS_MAX_DEPTH 1024
#define KS_MAX_RATIO 200		/* uncompressed/compressed above this … */
#define KS_RATIO_MIN_BYTES ((uint64_t)256 << 20)	/* … once this much was inflated: a bomb */
#define KS_MAX_JSON_META ((size_t)16 << 20)	/* manifest / config / index documents */
#define KS_MAX_SYMLINK_HOPS 40

/* ---- targets */
enum ks_target_kind {
	KS_TARGET_DIR = 1,
	KS_TARGET_HOST,
	KS_TARGET_DOCKER_ARCHIVE,
	KS_TARGET_OCI_DIR,
	KS_TARGET_OCI_ARCHIVE,
	KS_TARGET_SBOM,
};

struct ks_target {
	int kind;
	const char *path;	/* file or directory (NUL-terminated copy owned by the caller's arena) */
	const char *ref;	/* tag / reference selector, or NULL */
};

int ks_target_parse(struct ks_arena *a, const char *spec, struct ks_target *t, struct kensa_err *err);
const char *ks_target_kind_name(int kind);

/* ---- tree lifecycle */
void ks_tree_init(struct ks_tree *t, const char *target);
void ks_tree_release(struct ks_tree *t);

/* Read the target into t (layers, merge, index). */
int ks_source_read(struct ks_tree *t, const struct ks_target *target, struct kensa_err *err);

/* Per-format readers (called by ks_source_read). */
int ks_source_dir(struct ks_tree *t, const char *root, bool host, struct kensa_err *err);
int ks_source_docker_archive(struct ks_tree *t, const char *file, const char *ref, struct kensa_err *err);
int ks_source_oci_dir(struct ks_tree *t, const char *dir, const char *ref, struct kensa_err *err);

/* ---- image config (image.c) */
int ks_image_config_parse(struct ks_tree *t, const char *data, size_t len, const char *name,
			  struct kensa_err *err);
/* After the layers are in order: digests, diff_ids, history commands onto each layer. */
void ks_image_apply_layers(struct ks_tree *t);

/* ---- building (used by the readers) */
struct ks_layer_rec *ks_tree_add_layer(struct ks_tree *t, const char *member);
struct ks_node *ks_layer_add_entry(struct ks_tree *t, struct ks_layer_rec *l);
/* Record one entry and, when wanted, its content from `read_fn`. */
struct archive;
int ks_layer_read_archive(struct ks_tree *t, struct ks_layer_rec *l, struct archive *a,
			  const char *name, struct kensa_err *err);
/* A libarchive reader for layer blobs: tar with built-in decompressors only (never a program). */
struct archive *ks_layer_reader_new(void);
/* Refuse to go on when `a` inflates suspiciously (decompression bomb). */
int ks_ratio_check(struct ks_tree *t, struct archive *a, const char *name, struct kensa_err *err);
/* Record a member name (from a tar header or a directory walk) as node fields; false = skipped. */
bool ks_node_set_path(struct ks_tree *t, struct ks_node *n, const char *name, const char *where);
/* Let the analyzers see content of n (already read into data). */
int ks_tree_offer(struct ks_tree *t, struct ks_node *n, const unsigned char *data, size_t len);
/* Apply layers in order with whiteouts, build the sorted node list and the path index. */
int ks_tree_merge(struct ks_tree *t, struct kensa_err *err);
/* Account bytes read; fails with KENSA_ELIMIT past the image cap. */
int ks_tree_account(struct ks_tree *t, uint64_t bytes, const char *what, struct kensa_err *err);

/* Warn about `path` in the target (counts, prefixes target and path). */
void ks_tree_warn(struct ks_tree *t, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- queries (after merge) */
struct ks_node *ks_tree_get(const struct ks_tree *t, const char *path, size_t len);
/*
 * Resolve `path` through symlinks inside the tree (chroot semantics). Writes the canonical
 * path to out (KS_MAX_PATH bytes) and returns the node it names, or NULL when it does not
 * exist (out still holds the best canonical form). follow_last: resolve a final symlink.
 */
struct ks_node *ks_tree_resolve(const struct ks_tree *t, const char *path, bool follow_last, char *out,
				size_t *out_len);
/* Index range [*first, *end) of visible nodes whose path starts with prefix. */
void ks_tree_prefix(const struct ks_tree *t, const char *prefix, size_t *first, size_t *end);
/* Content kept for analyzer id (or raw content with -1); false if none. */
bool ks_node_blob(const struct ks_node *n, int analyzer, const unsigned char **data, size_t *len);

#endif
