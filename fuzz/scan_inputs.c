// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz/scan_inputs.c — libFuzzer target for the documents `kensa scan` reads besides the
 * image: the policy file (--policy), the scope file, VEX documents (OpenVEX / CycloneDX VEX,
 * --vex), runtime profiles (--profile) and SBOM documents (sbom:FILE, CycloneDX / SPDX /
 * native). The first byte picks the reader, the rest is the document. Any bytes must give a
 * result or an error with a message, never a crash or a leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kensa/sbom.h"
#include "risk/report.h"

/* One package for the profile and scope readers to look up. */
static const char sbom_doc[] =
	"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"metadata\":{\"component\":"
	"{\"type\":\"container\",\"name\":\"fuzz/image:1\"}},\"components\":[{\"type\":\"library\","
	"\"name\":\"lodash\",\"version\":\"4.17.20\",\"purl\":\"pkg:npm/lodash@4.17.20\"}]}";

static const struct kensa_inventory *inventory(void)
{
	static struct kensa_inventory *inv;
	struct kensa_err err = KENSA_ERR_INIT;

	if (!inv && kensa_sbom_read_mem(sbom_doc, sizeof(sbom_doc) - 1, "fuzz", &inv, &err) != 0)
		abort();
	return inv;
}

/* The readers take a path: the document goes into a memory file. */
static int as_file(const uint8_t *data, size_t size, char *path, size_t pathsz)
{
	int fd = memfd_create("scan-input", MFD_CLOEXEC);

	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
		abort();
	snprintf(path, pathsz, "/proc/self/fd/%d", fd);
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kensa_err err = KENSA_ERR_INIT;
	struct kensa_report *r;
	struct kensa_inventory *doc = NULL;
	char path[64];
	const char *files[1] = { path };
	int which, fd, rc = 0;

	if (size < 1)
		return 0;
	which = data[0] % 5;
	data++;
	size--;
	if (which == 4) {
		rc = kensa_sbom_read_mem((const char *)data, size, "fuzz", &doc, &err);
		if (rc && !err.msg[0])
			abort();
		kensa_inventory_free(doc);
		return 0;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return 0;
	r->inv = inventory();
	fd = as_file(data, size, path, sizeof(path));
	switch (which) {
	case 0:
		rc = ks_policy_read(r, path, &err);
		break;
	case 1:
		rc = ks_scopes_apply(r, path, &err);
		break;
	case 2:
		rc = ks_vex_read(r, path, &err);
		break;
	case 3:
		rc = ks_profiles_read(r, files, 1, &err);
		break;
	}
	if (rc && !err.msg[0])
		abort();
	close(fd);
	kensa_report_free(r);
	return 0;
}
