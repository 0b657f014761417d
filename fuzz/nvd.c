// SPDX-License-Identifier: Apache-2.0
/*
 * nvd.c — libFuzzer target for NVD CVE API 2.0 pages (lib/vulndb/nvd.c): any bytes go through
 * the importer into an in-memory database (fuzz/vulndb_fuzz.h). Corpus: fuzz/corpus/nvd/.
 */
#include "vulndb_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return vulndb_fuzz_one("nvd", data, size);
}
