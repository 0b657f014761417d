// SPDX-License-Identifier: Apache-2.0
/*
 * gemfile_lock.c — libFuzzer target: Bundler's Gemfile.lock (ks_gemfile_lock_parse). The seed
 * corpus in fuzz/corpus/gemfile_lock/ holds real files of that format.
 */
#include "lang_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_run(ks_gemfile_lock_parse, data, size);
}
