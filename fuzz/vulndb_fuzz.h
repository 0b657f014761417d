/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vulndb_fuzz.h — what the feed importers' fuzz targets share: one in-memory database (the
 * real schema and statements), and per input a savepoint, one import through the named
 * importer (no sniffing, so every input reaches it), the source bookkeeping, a rollback.
 * Included by fuzz/<importer>.c only.
 */
#ifndef KS_VULNDB_FUZZ_H
#define KS_VULNDB_FUZZ_H
#include <stddef.h>
#include <stdint.h>

#include "vulndb/vulndb.h"

static int vulndb_fuzz_one(const char *importer, const uint8_t *data, size_t size)
{
	static struct ks_store *st;
	struct ks_import *im;
	sqlite3 *db;

	if (!st && ks_store_open_memory(&st, NULL) != 0)
		return 0;
	db = ks_store_db(st);
	if (sqlite3_exec(db, "SAVEPOINT fuzz", NULL, NULL, NULL) != SQLITE_OK)
		return 0;
	im = ks_import_new(st);
	if (im) {
		ks_import_mem(im, importer, (const char *)data, size, "fuzz-input", NULL);
		ks_import_finish(im, NULL);
	}
	sqlite3_exec(db, "ROLLBACK TO fuzz; RELEASE fuzz", NULL, NULL, NULL);
	return 0;
}

#endif
