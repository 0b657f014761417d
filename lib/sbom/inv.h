/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inv.h — the inventory's inside (internal): how packages, files and the ownership index
 * are stored. Public accessors are in include/kensa/inventory.h.
 */
#ifndef KS_INV_H
#define KS_INV_H

#include "kensa/inventory.h"
#include "kensa/secrets.h"
#include "source/source.h"

struct ks_pkgfile {
	uint32_t pkg;
	const char *path;
};

struct kensa_inventory {
	struct ks_arena arena;
	const char *target;
	const char *target_kind;	/* "docker-archive", "dir", … */
	struct kensa_os os;
	struct kensa_image *image;
	struct kensa_layer *layers;
	size_t nlayers;
	struct kensa_package **pkgs;
	size_t npkgs, cap;
	struct ks_pkgfile *pf;		/* (package, path) pairs while building */
	size_t npf, cappf;
	struct ks_map owners;		/* path → (count << 32 | offset into owner_idx) */
	uint32_t *owner_idx;
	uint64_t warnings;
	struct ks_tree *tree;		/* the file tree it was built from (per-layer entries too), or NULL */
	int64_t created;		/* when the inventory was made (unix seconds) */
	struct kensa_secret *secrets;	/* secrets found (kensa_inventory_opts.secrets) */
	size_t nsecrets, capsecrets;
	bool scan_secrets;
};

struct kensa_inventory *ks_inv_new(const char *target);
/* Finalize after analyzers/readers: owners, per-package file arrays, purls, ownership index. */
int ks_inv_finalize(struct kensa_inventory *inv, const struct ks_tree *tree, struct kensa_err *err);
/* Add a package directly (SBOM readers). Strings must live in inv->arena. */
struct kensa_package *ks_inv_add(struct kensa_inventory *inv);
int ks_inv_add_file(struct kensa_inventory *inv, struct kensa_package *p, const char *path, size_t len);

/*
 * Inventory of an in-memory file system (tests and fuzz targets): `n` regular files with
 * their content, as one layer, through the same analyzers. *out is owned by the caller.
 */
struct ks_memfile {
	const char *path;
	const void *data;
	size_t len;
	uint32_t mode;		/* permission bits; 0 = 0644 */
	const char *symlink;	/* non-NULL: a symlink to this target instead of a file */
};
int ks_inventory_scan_memory(const struct ks_memfile *files, size_t n, struct kensa_inventory **out,
			     struct kensa_err *err);

/* OSV ecosystem of a distro's packages ("debian", "12" → "Debian:12"), or NULL (pkgdb/os.c) */
const char *ks_os_ecosystem(struct ks_arena *a, const char *id, const char *version_id);

/* purl.c */
char *ks_purl_build(struct ks_arena *a, const struct kensa_package *p, const struct kensa_os *os);
/*
 * The name to keep for a package read from an SBOM: the document's own spelling when it is
 * the same package as the purl says (PyPI purls are lower-cased and normalized; "PyYAML" is
 * worth keeping), else the purl's name.
 */
const char *ks_purl_display_name(struct ks_arena *a, const char *ecosystem, const char *purl_name,
				 const char *doc_name);
/* purl type for an OSV ecosystem ("Debian" → "deb"); NULL when unknown */
const char *ks_purl_type(const char *ecosystem);
/* Parse "pkg:type/ns/name@version?q" into ecosystem/name/version (arena strings). */
int ks_purl_parse(struct ks_arena *a, const char *purl, const char **ecosystem, const char **name,
		  const char **version, const char **distro);

#endif
