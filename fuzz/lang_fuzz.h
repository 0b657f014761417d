/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lang_fuzz.h — what the language-parser fuzz targets share: a sink that checks every
 * package a parser emits (non-empty NUL-terminated name and version, readable optional
 * strings) and a runner that hands the parser exactly `size` bytes with nothing after them,
 * so a read past the end is caught by AddressSanitizer.
 */
#ifndef KS_FUZZ_LANG_H
#define KS_FUZZ_LANG_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pkgdb/lang.h"

static inline size_t fuzz_touch(const char *s)
{
	return s ? strlen(s) : 0;
}

static inline int fuzz_pkg(void *ud, const struct ks_lang_pkg *p)
{
	size_t *count = ud, sum = 0;

	if (!p->name || !*p->name || !p->version || !*p->version)
		abort();	/* the sink contract: both always present */
	sum += fuzz_touch(p->name) + fuzz_touch(p->version) + fuzz_touch(p->license) +
	       fuzz_touch(p->path);
	sum += fuzz_touch(p->prop_key) + fuzz_touch(p->prop_value);
	for (size_t i = 0; i < p->nfiles; i++)
		sum += fuzz_touch(p->files[i]);
	*count += sum ? 1 : 0;
	return 0;
}

static inline void fuzz_warn(void *ud, const char *msg)
{
	(void)ud;
	(void)fuzz_touch(msg);
}

/* Copy the input to a buffer of exactly its size (no NUL after it) and run parse on it. */
static inline int fuzz_run(int (*parse)(const char *, size_t, const struct ks_lang_sink *),
			   const uint8_t *data, size_t size)
{
	size_t count = 0;
	struct ks_lang_sink sink = { &count, fuzz_pkg, fuzz_warn };
	char *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	parse(copy, size, &sink);
	free(copy);
	return 0;
}

#endif
