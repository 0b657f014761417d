// SPDX-License-Identifier: Apache-2.0
/*
 * npm_lock.c — libFuzzer target: package-lock.json and npm-shrinkwrap.json, lockfileVersion 1
 * to 3 (ks_npm_lock_parse). The seed corpus in fuzz/corpus/npm_lock/ holds real files of that
 * format.
 */
#include "lang_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_run(ks_npm_lock_parse, data, size);
}
