// SPDX-License-Identifier: Apache-2.0
/*
 * rpm_header.c — fuzz target: one rpm header blob as an rpmdb stores it (index entries and
 * data store), parsed and its owned-file lists walked.
 */
#include "pkgdb/bin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t sink;

static int count(void *ud, const char *dir, size_t dl, const char *base, size_t bl)
{
	size_t *n = ud;

	/* touch every byte the walker hands out, so ASan sees any overread */
	for (size_t i = 0; i < dl; i++)
		*n += (unsigned char)dir[i];
	for (size_t i = 0; i < bl; i++)
		*n += (unsigned char)base[i];
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_rpm_header h;
	const char *why = NULL;
	size_t n = 0;

	if (ks_rpm_header_parse(data, size, &h, &why) == 0) {
		n += h.name.n + h.version.n + h.release.n + h.arch.n + h.sourcerpm.n + h.license.n;
		if (h.name.n)
			n += (unsigned char)h.name.s[h.name.n - 1];
		ks_rpm_header_files(&h, count, &n);
	}
	sink = n; /* keep the reads alive */
	return 0;
}
