/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bin.h — internal entry points of the analyzers that read binary formats (Java archives,
 * ELF executables, rpm headers), shared by those analyzers and their fuzz targets.
 *
 * Each function reads hostile bytes: sizes and offsets found in the input are checked
 * against the input's length before use, and every loop and allocation is capped. None of
 * them keeps a pointer into `data` after it returns.
 */
#ifndef KS_PKGDB_BIN_H
#define KS_PKGDB_BIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

/* ---------------------------------------------------------------- ELF (elf.c) */

/* A parsed view of an ELF64/ELF32 little- or big-endian file held in memory. */
struct ks_elf {
	const unsigned char *data; /* borrowed until the caller drops `data` */
	size_t len;
	bool is64, be;
	uint64_t shoff, phoff;
	uint32_t shnum, phnum, shentsize, phentsize, shstrndx;
};

/* false when `data` is not an ELF file or its header points outside it. */
bool ks_elf_parse(struct ks_elf *e, const unsigned char *data, size_t len);
/* Find a section by name; sets *off and *size (checked to lie inside the file). */
bool ks_elf_section(const struct ks_elf *e, const char *name, uint64_t *off, uint64_t *size);
/* Map a virtual address to a file offset through the PT_LOAD segments; *avail = bytes there. */
bool ks_elf_vaddr(const struct ks_elf *e, uint64_t vaddr, uint64_t *off, uint64_t *avail);
uint64_t ks_elf_u64(const struct ks_elf *e, const unsigned char *p);
uint32_t ks_elf_u32(const struct ks_elf *e, const unsigned char *p);

/* ---------------------------------------------------------------- Java archives (java.c) */

/*
 * Summarize a jar/war/ear (and the archives nested in it, depth and size bounded) into
 * `out`: one tab-separated record per line ("A" archive, "P" pom.properties, "M" manifest
 * attribute, "W" warning), each naming the path inside the outer archive.
 */
int ks_jar_summarize(const unsigned char *data, size_t len, struct ks_buf *out);

/* ---------------------------------------------------------------- Go (gobinary.c) */

/*
 * Find the Go build info of an ELF executable: appends "go<version>\n" and then the module
 * info text (path/mod/dep/=>/build lines) to out. KENSA_ENOTFOUND if it is not a Go
 * binary, KENSA_EFORMAT when the build info is there but broken.
 */
int ks_gobuildinfo_extract(const unsigned char *data, size_t len, struct ks_buf *out);

/* ---------------------------------------------------------------- Rust (rust.c) */

/* Inflate the cargo-auditable `.dep-v0` section of an ELF file into out (JSON text). */
int ks_elf_dep_v0_extract(const unsigned char *data, size_t len, struct ks_buf *out);

/* ---------------------------------------------------------------- rpm (rpm.c) */

/* What kensa takes from one rpm header blob. Strings point into the blob (not NUL-terminated). */
struct ks_rpm_str {
	const char *s;
	size_t n;
};

struct ks_rpm_header {
	struct ks_rpm_str name, version, release, arch, sourcerpm, license;
	bool has_epoch;
	uint32_t epoch;
	/* owned files: BASENAMES + DIRINDEXES + DIRNAMES (checked), or OLDFILENAMES */
	uint32_t nfiles, ndirs;
	const unsigned char *basenames, *dirindexes, *dirnames, *oldfilenames;
};

/*
 * Parse an rpm header blob as the rpmdb stores it (no lead, no magic: index count, data
 * size, index entries, data store). Every string and array the result points to has been
 * checked to lie inside the blob. Returns 0, or KENSA_EFORMAT with *why set to a static
 * reason.
 */
int ks_rpm_header_parse(const unsigned char *blob, size_t len, struct ks_rpm_header *h,
			const char **why);

/* Call fn for each owned file as dir ("/usr/bin/") + base ("ls"); stops at fn's first non-zero. */
int ks_rpm_header_files(const struct ks_rpm_header *h,
			int (*fn)(void *ud, const char *dir, size_t dl, const char *base,
				  size_t bl),
			void *ud);

/*
 * Iterate the header blobs of an NDB rpmdb (Packages.db) held in memory. fn gets each blob;
 * returns 0, KENSA_EFORMAT (with *why) for a bad file header, or fn's first non-zero.
 * Bad slots and blobs are counted in *bad and skipped.
 */
int ks_rpm_ndb_each(const unsigned char *data, size_t len,
		    int (*fn)(void *ud, const unsigned char *blob, size_t n), void *ud, size_t *bad,
		    const char **why);

#endif
