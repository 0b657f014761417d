// SPDX-License-Identifier: Apache-2.0
/*
 * cgroup_path.c — fuzz target: container attribution's parsers: /proc/PID/cgroup, the
 * runtimes' cgroup naming patterns, containers/storage's containers.json, and the derived
 * file rule (bytecode → source).
 */
#include <stdint.h>
#include <string.h>

#include "runtime/profile.h"
#include "runtime/runtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *path;
	struct ks_container_ref ref;
	struct ks_container_meta meta;
	struct ks_arena a = KS_ARENA_INIT;
	char out[4096];
	size_t plen;

	if (ks_cgroup_file_path(s, size, &path, &plen) == 0)
		ks_cgroup_container(path, plen, &ref);
	ks_cgroup_container(s, size, &ref);
	memset(&meta, 0, sizeof(meta));
	ks_storage_containers_find(
		&a, s, size, "83e10bd33b906b6fd10e2652cc3d091d32897ae16418f62e9556f89fc4c6708d",
		&meta);
	ks_derived_source(s, size, out, sizeof(out), &plen);
	ks_arena_release(&a);
	return 0;
}
