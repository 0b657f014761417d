// SPDX-License-Identifier: Apache-2.0
/*
 * feeds.c — libFuzzer target for what lies before the importers (lib/vulndb/import.c): the
 * format sniffing of any document, decompression (gzip, bzip2, xz, zstd) and zip archives
 * read member by member with their size limits. A zip goes through a memfd and the
 * file-path entry point; anything else through ks_import_mem() without a named importer.
 * Corpus: fuzz/corpus/feeds/ (a zip of real OSV records, a gzip'ed EPSS slice, a KEV CSV).
 */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vulndb/vulndb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ks_store *st;
	struct ks_import *im;
	char path[64];
	int fd = -1;

	if (!st && ks_store_open_memory(&st, NULL) != 0)
		return 0;
	if (sqlite3_exec(ks_store_db(st), "SAVEPOINT fuzz", NULL, NULL, NULL) != SQLITE_OK)
		return 0;
	im = ks_import_new(st);
	if (im && size >= 2 && data[0] == 'P' && data[1] == 'K') {
		fd = memfd_create("fuzz.zip", 0);
		if (fd >= 0 && write(fd, data, size) == (ssize_t)size) {
			snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
			ks_import_path(im, path, NULL, NULL);
		}
	} else if (im) {
		ks_import_mem(im, NULL, (const char *)data, size, "fuzz-input", NULL);
	}
	ks_import_finish(im, NULL);
	if (fd >= 0)
		close(fd);
	sqlite3_exec(ks_store_db(st), "ROLLBACK TO fuzz; RELEASE fuzz", NULL, NULL, NULL);
	return 0;
}
