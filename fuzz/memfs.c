// SPDX-License-Identifier: Apache-2.0
/*
 * memfs.c — fuzz every package analyzer through an in-memory file system. The input is a
 * sequence of files, each "\n@@ /path\n" followed by its content, so one corpus exercises
 * dpkg status and lists, os-release, and whatever analyzers are registered, together (the
 * way they meet in a real image: symlinks, owners, lock files next to installed packages).
 * "@@> /path target" lines make symlinks.
 */
#include <stdlib.h>
#include <string.h>

#include "sbom/inv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FILES 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_memfile files[MAX_FILES];
	char *copy = malloc(size + 1);
	size_t n = 0;
	char *p, *end;
	struct kensa_inventory *inv = NULL;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	end = copy + size;
	p = copy;
	while (p < end && n < MAX_FILES) {
		char *hdr = strstr(p, "@@");
		char *nl, *next;

		if (!hdr)
			break;
		nl = memchr(hdr, '\n', (size_t)(end - hdr));
		if (!nl)
			break;
		*nl = '\0';
		next = strstr(nl + 1, "\n@@");
		memset(&files[n], 0, sizeof(files[n]));
		if (hdr[2] == '>') {
			char *sp = strchr(hdr + 3, ' ');

			if (sp && sp[1] == '/') {
				char *t = strchr(sp + 1, ' ');

				if (t) {
					*t = '\0';
					files[n].path = sp + 1;
					files[n].symlink = t + 1;
					n++;
				}
			}
		} else {
			files[n].path = hdr + 2 + strspn(hdr + 2, " ");
			files[n].data = nl + 1;
			files[n].len = (size_t)((next ? next : end) - (nl + 1));
			n++;
		}
		if (!next)
			break;
		*next = '\0';
		p = next + 1;
	}
	ks_inventory_scan_memory(files, n, &inv, NULL);
	if (inv) {
		/* exercise the ownership index too */
		for (size_t i = 0; i < kensa_inventory_count(inv); i++) {
			const struct kensa_package *pk = kensa_inventory_package(inv, i);
			const uint32_t *owners;

			for (uint32_t f = 0; f < pk->nfiles; f++)
				kensa_inventory_owners(inv, pk->files[f], strlen(pk->files[f]), &owners);
		}
	}
	kensa_inventory_free(inv);
	free(copy);
	return 0;
}
