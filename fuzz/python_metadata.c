// SPDX-License-Identifier: Apache-2.0
/*
 * python_metadata.c — libFuzzer target: Python core metadata (METADATA, PKG-INFO:
 * ks_pymeta_parse) and dist-info RECORD files (ks_pyrecord_each), both fed every input.
 */
#include "lang_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int record_path(void *ud, const char *p, size_t n)
{
	size_t *sum = ud;

	if (n == 0 || memchr(p, '\n', n))
		abort();	/* one non-empty path per line */
	*sum += (unsigned char)p[n - 1];
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_arena a = KS_ARENA_INIT;
	struct ks_pymeta meta;
	char *copy = malloc(size ? size : 1);
	size_t sum = 0;

	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	if (ks_pymeta_parse(&a, copy, size, &meta) == 0)
		sum += fuzz_touch(meta.name) + fuzz_touch(meta.version) + fuzz_touch(meta.license);
	ks_pyrecord_each(copy, size, record_path, &sum);
	ks_arena_release(&a);
	free(copy);
	return 0;
}
