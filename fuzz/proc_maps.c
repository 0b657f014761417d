// SPDX-License-Identifier: Apache-2.0
/*
 * proc_maps.c — fuzz target: the parsers of /proc files the proc engine and the attribution
 * read (maps lines, stat, status, net/tcp lines, the octal unescape). The input is taken as
 * a file of lines and as one buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "runtime/runtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct ks_proc_stat st;
	uint32_t uid, euid;
	char *copy;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		struct ks_maps_entry m;
		struct ks_net_line l;

		if (ks_proc_maps_line(p, n, &m) == 0 && m.path_len)
			(void)m.path[m.path_len - 1];
		ks_proc_net_line(p, n, AF_INET, &l);
		ks_proc_net_line(p, n, AF_INET6, &l);
		p = nl ? nl + 1 : end;
	}
	ks_proc_stat_parse((const char *)data, size, &st);
	ks_proc_status_uids((const char *)data, size, &uid, &euid);
	copy = malloc(size + 1);
	if (copy) {
		memcpy(copy, data, size);
		ks_proc_unescape(copy, size);
		free(copy);
	}
	return 0;
}
