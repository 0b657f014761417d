// SPDX-License-Identifier: Apache-2.0
/*
 * openvex.c — libFuzzer target for OpenVEX documents (lib/vulndb/openvex.c): any bytes go through
 * the importer into an in-memory database (fuzz/vulndb_fuzz.h). Corpus: fuzz/corpus/openvex/.
 */
#include "vulndb_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return vulndb_fuzz_one("openvex", data, size);
}
