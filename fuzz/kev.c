// SPDX-License-Identifier: Apache-2.0
/*
 * kev.c — libFuzzer target for CISA KEV catalogs, JSON and CSV (lib/vulndb/kev.c):
 * any bytes go through the importer into an in-memory database (fuzz/vulndb_fuzz.h).
 * Corpus: fuzz/corpus/kev/.
 */
#include "vulndb_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return vulndb_fuzz_one("kev", data, size);
}
