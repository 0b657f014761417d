// SPDX-License-Identifier: Apache-2.0
/*
 * epss.c — libFuzzer target for FIRST EPSS score files (lib/vulndb/epss.c): any bytes go through
 * the importer into an in-memory database (fuzz/vulndb_fuzz.h). Corpus: fuzz/corpus/epss/.
 */
#include "vulndb_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return vulndb_fuzz_one("epss", data, size);
}
