// SPDX-License-Identifier: Apache-2.0
/*
 * osv.c — libFuzzer target for OSV records (lib/vulndb/osv.c): any bytes go through
 * the importer into an in-memory database (fuzz/vulndb_fuzz.h). Corpus: fuzz/corpus/osv/.
 */
#include "vulndb_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return vulndb_fuzz_one("osv", data, size);
}
