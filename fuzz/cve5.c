// SPDX-License-Identifier: Apache-2.0
/*
 * cve5.c — libFuzzer target for CVE JSON 5 records (lib/vulndb/cve5.c): any bytes go through
 * the importer into an in-memory database (fuzz/vulndb_fuzz.h). Corpus: fuzz/corpus/cve5/.
 */
#include "vulndb_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return vulndb_fuzz_one("cve5", data, size);
}
