// SPDX-License-Identifier: Apache-2.0
/*
 * composer.c — libFuzzer target: Composer's vendor/composer/installed.json and composer.lock
 * (ks_composer_parse). Every input is read both ways: as installed.json and as a lock file.
 */
#include "lang_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int as_installed(const char *d, size_t n, const struct ks_lang_sink *s)
{
	return ks_composer_parse(d, n, true, s);
}

static int as_lock(const char *d, size_t n, const struct ks_lang_sink *s)
{
	return ks_composer_parse(d, n, false, s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_run(as_installed, data, size);
	return fuzz_run(as_lock, data, size);
}
