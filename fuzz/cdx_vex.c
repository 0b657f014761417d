// SPDX-License-Identifier: Apache-2.0
/*
 * cdx_vex.c — libFuzzer target for CycloneDX VEX documents (lib/vulndb/cdx_vex.c):
 * any bytes go through the importer into an in-memory database (fuzz/vulndb_fuzz.h).
 * Corpus: fuzz/corpus/cdx_vex/.
 */
#include "vulndb_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return vulndb_fuzz_one("cdx-vex", data, size);
}
