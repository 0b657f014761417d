// SPDX-License-Identifier: Apache-2.0
/*
 * yarn_lock.c — libFuzzer target: yarn.lock, yarn 1 and berry (YAML) (ks_yarn_lock_parse). The
 * seed corpus in fuzz/corpus/yarn_lock/ holds real files of that format.
 */
#include "lang_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_run(ks_yarn_lock_parse, data, size);
}
