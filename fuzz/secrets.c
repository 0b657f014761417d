// SPDX-License-Identifier: Apache-2.0
/*
 * secrets.c — fuzz the secret scanner (Aho–Corasick prefilter + PCRE2 windows) on arbitrary
 * bytes; every reported match must be redacted (no more than 4 clear characters).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kensa/secrets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check(void *ud, const char *rule, const char *title, const char *severity, uint32_t line,
		 const char *redacted)
{
	size_t n = strlen(redacted);

	(void)ud;
	(void)rule;
	(void)title;
	(void)severity;
	(void)line;
	for (size_t i = 4; i < n; i++)
		if (redacted[i] != '*')
			abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	kensa_secrets_scan(data, size, check, NULL);
	return 0;
}
