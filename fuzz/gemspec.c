// SPDX-License-Identifier: Apache-2.0
/*
 * gemspec.c — libFuzzer target: installed RubyGems specifications (ks_gemspec_parse), Ruby
 * source read for its literal assignments.
 */
#include "lang_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_arena a = KS_ARENA_INIT;
	struct ks_gemspec g;
	char *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	if (ks_gemspec_parse(&a, copy, size, &g) == 0)
		(void)(fuzz_touch(g.name) + fuzz_touch(g.version) + fuzz_touch(g.license));
	ks_arena_release(&a);
	free(copy);
	return 0;
}
