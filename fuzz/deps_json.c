// SPDX-License-Identifier: Apache-2.0
/*
 * deps_json.c — libFuzzer target: .NET <app>.deps.json (ks_deps_json_parse). The seed corpus
 * in fuzz/corpus/deps_json/ holds real files of that format.
 */
#include "lang_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_run(ks_deps_json_parse, data, size);
}
