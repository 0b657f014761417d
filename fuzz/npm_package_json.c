// SPDX-License-Identifier: Apache-2.0
/*
 * npm_package_json.c — libFuzzer target: one package.json of an installed npm package
 * (ks_npm_package_json_parse). The seed corpus in fuzz/corpus/npm_package_json/ holds real
 * files of that format.
 */
#include "lang_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_run(ks_npm_package_json_parse, data, size);
}
