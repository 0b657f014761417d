// SPDX-License-Identifier: Apache-2.0
/*
 * image_archive.c — fuzz the whole image path: the input is an image archive file
 * (docker-archive or oci-archive, plain or compressed) read through kensa_inventory_scan:
 * outer tar index or stream, manifests, image config, layers, whiteouts, analyzers.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kensa/inventory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kensa_inventory *inv = NULL;
	char target[64];
	int fd = memfd_create("fuzz-image", 0);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(target, sizeof(target), "docker-archive:/proc/self/fd/%d", fd);
		kensa_inventory_scan(target, NULL, &inv, NULL);
		kensa_inventory_free(inv);
	}
	close(fd);
	return 0;
}
