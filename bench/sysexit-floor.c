// SPDX-License-Identifier: Apache-2.0
/*
 * sysexit-floor.c — loads and attaches bench/sysexit-floor.bpf.o, prints "attached", and
 * keeps it attached until killed. A benchmark helper of bench/agent-overhead.sh, not part of
 * kensa.
 */
#include <stdio.h>
#include <unistd.h>

#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;

	if (argc != 2) {
		fprintf(stderr, "usage: %s SYSEXIT-FLOOR.bpf.o\n", argv[0]);
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		perror("sysexit-floor: load");
		return 1;
	}
	prog = bpf_object__next_program(obj, NULL);
	if (!prog || !bpf_program__attach(prog)) {
		perror("sysexit-floor: attach");
		return 1;
	}
	printf("attached\n");
	fflush(stdout);
	pause();
	return 0;
}
