// SPDX-License-Identifier: Apache-2.0
/*
 * pnpm_lock.c — libFuzzer target: pnpm-lock.yaml, lockfileVersion 5, 6 and 9 (YAML)
 * (ks_pnpm_lock_parse). The seed corpus in fuzz/corpus/pnpm_lock/ holds real files of that
 * format.
 */
#include "lang_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_run(ks_pnpm_lock_parse, data, size);
}
