// SPDX-License-Identifier: GPL-2.0
/*
 * sysexit-floor.bpf.c — the floor of bench/agent-overhead.sh: a program on the same hook as
 * the sensor (the BTF raw tracepoint sys_exit) that returns at once. Attaching anything there
 * puts every system call of every task on the kernel's traced slow path; what this costs the
 * workload is what no sensor built on that hook can avoid.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_sys_exit, struct pt_regs *regs, long ret)
{
	return 0;
}
