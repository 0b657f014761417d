/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inventory.h — what is inside a target: OS, image metadata, layers, packages, and which
 * file belongs to which package.
 *
 * An inventory is produced by kensa_inventory_scan() from a target (see target.h for the
 * names: dir:, docker-archive:, oci:, oci-archive:, host, sbom:) or read back from an SBOM.
 * It is immutable once returned. Everything reachable from it (strings, arrays, package
 * structs) is owned by the inventory and borrowed by callers until kensa_inventory_free().
 *
 * The file ownership index answers "which packages own this path?" in constant time
 * (one hash lookup). Paths are absolute and canonical inside the target: symlinked
 * directories are resolved the way the kernel would resolve them in the container
 * (/lib/x86_64-linux-gnu/libc.so.6 → /usr/lib/x86_64-linux-gnu/libc.so.6 on a merged-/usr
 * system), and the path as the package manager listed it is indexed too. This is what the
 * runtime sensor uses to turn "this file was mapped" into "this package is in use".
 */
#ifndef KENSA_INVENTORY_H
#define KENSA_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kensa/error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct kensa_kv {
	const char *key;
	const char *value;
};

struct kensa_os {
	const char *id;			/* os-release ID: "debian", "alpine", "ubuntu", "rhel" ... */
	const char *version_id;		/* "12" */
	const char *codename;		/* "bookworm" */
	const char *pretty_name;
	const char *debian_version;	/* /etc/debian_version: "12.12" */
	const char *osv_ecosystem;	/* ecosystem of its packages as OSV names it: "Debian:12" */
};

struct kensa_layer {
	const char *digest;		/* blob digest as the manifest names it ("sha256:…"), or NULL */
	const char *diff_id;		/* digest of the uncompressed tar ("sha256:…"), or NULL */
	const char *created_by;		/* the history command that produced the layer, or NULL */
	const char *created;		/* its timestamp, RFC 3339, or NULL */
	uint64_t size;			/* uncompressed size in bytes */
	uint64_t entries;		/* archive entries read */
};

struct kensa_history {
	const char *created_by;
	const char *created;
	const char *comment;
	bool empty_layer;
	int32_t layer;			/* index into layers, -1 for empty_layer entries */
};

/* Container image metadata (absent for dir:, host). */
struct kensa_image {
	const char *name;		/* reference as given or from RepoTags ("localhost/x:1"), or NULL */
	const char *id;			/* config digest "sha256:…" */
	const char *os, *architecture;
	const char *user;		/* config User ("" or NULL means root) */
	const char *workdir;
	const char *const *env;		/* "K=V" strings */
	size_t nenv;
	const char *const *cmd;
	size_t ncmd;
	const char *const *entrypoint;
	size_t nentrypoint;
	const char *const *exposed_ports;	/* "22/tcp" */
	size_t nexposed_ports;
	const struct kensa_kv *labels;
	size_t nlabels;
	bool has_healthcheck;
	const struct kensa_history *history;
	size_t nhistory;
};

enum kensa_pkg_flags {
	KENSA_PKG_DEV = 1u << 0,	/* a development-only dependency (lock files that say so) */
	KENSA_PKG_LOCKFILE = 1u << 1,	/* declared by a lock file, not seen installed */
	KENSA_PKG_STDLIB = 1u << 2,	/* language toolchain (Go "stdlib") */
	KENSA_PKG_MAIN = 1u << 3,	/* main module of a binary */
	KENSA_PKG_OS = 1u << 4,		/* a distro package (dpkg, apk, rpm) */
};

struct kensa_package {
	uint32_t index;			/* position in the inventory */
	const char *ecosystem;		/* OSV ecosystem name: "Debian", "Alpine", "Red Hat", "PyPI", "npm",
					   "Maven", "Go", "crates.io", "RubyGems", "Packagist", "NuGet" */
	const char *name;		/* as the ecosystem spells it; Maven "group:artifact" */
	const char *version;
	const char *purl;		/* package URL */
	const char *source_name;	/* distro source package (Debian Source:, apk origin, rpm SRPM) */
	const char *source_version;
	const char *arch;
	const char *license;
	const char *location;		/* the file that declared it (status, package.json, jar, binary) */
	const char *analyzer;		/* which analyzer found it: "dpkg", "npm", "jar", "gobinary" … */
	int32_t layer;			/* layer that last wrote `location`; -1 when unknown */
	int32_t owner;			/* index of the distro package owning `location`, -1 if none */
	uint32_t flags;			/* enum kensa_pkg_flags */
	uint32_t nfiles;
	const char *const *files;	/* files it owns, absolute canonical paths */
	uint32_t nprops;
	const struct kensa_kv *props;	/* extra facts ("go:replace", "java:shaded-in", …) */
};

struct kensa_inventory;

struct kensa_inventory_opts {
	bool files;			/* record owned files per package (default true) */
	bool secrets;			/* look for secrets in layer files and image config (secrets.h) */
	uint64_t max_image_bytes;	/* total uncompressed cap, 0 = default (64 GiB) */
};
#define KENSA_INVENTORY_OPTS_INIT { true, false, 0 }

/*
 * Inventory the target named by `target` (see target.h). On success *out is owned by the
 * caller (kensa_inventory_free). A package record that cannot be parsed is skipped with a
 * warning through the log callback; a target that cannot be read fails with err filled.
 */
KENSA_API int kensa_inventory_scan(const char *target, const struct kensa_inventory_opts *opts,
				   struct kensa_inventory **out, struct kensa_err *err);
KENSA_API void kensa_inventory_free(struct kensa_inventory *inv);

/* Accessors; everything returned is borrowed until kensa_inventory_free(). */
KENSA_API const char *kensa_inventory_target(const struct kensa_inventory *inv);
KENSA_API const struct kensa_os *kensa_inventory_os(const struct kensa_inventory *inv);
/* NULL unless the target is an image. */
KENSA_API const struct kensa_image *kensa_inventory_image(const struct kensa_inventory *inv);
KENSA_API const struct kensa_layer *kensa_inventory_layers(const struct kensa_inventory *inv,
							    size_t *n);
KENSA_API size_t kensa_inventory_count(const struct kensa_inventory *inv);
KENSA_API const struct kensa_package *kensa_inventory_package(const struct kensa_inventory *inv,
							       size_t i);
/* Number of warnings raised while building it (bad records skipped and the like). */
KENSA_API uint64_t kensa_inventory_warnings(const struct kensa_inventory *inv);

/*
 * Packages owning `path` (absolute, as the target sees it). Returns the count and sets *pkgs
 * to an array of package indices, borrowed until kensa_inventory_free(); 0 if none.
 */
KENSA_API size_t kensa_inventory_owners(const struct kensa_inventory *inv, const char *path,
					size_t len, const uint32_t **pkgs);

/* Look up a package by ecosystem and name (first match), or NULL. */
KENSA_API const struct kensa_package *kensa_inventory_find(const struct kensa_inventory *inv,
							    const char *ecosystem, const char *name);

#ifdef __cplusplus
}
#endif
#endif
