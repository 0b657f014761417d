/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sensor.h — the events the kernel side of the runtime sensor (bpf/sensor.bpf.c) sends to
 * user space through its ring buffer, the de-duplication key, the drop counters and the
 * configuration user space writes before loading. Shared by both sides, so only fixed-size
 * types from here (vmlinux.h on the BPF side, <linux/types.h> in user space).
 *
 * What it is not: the public event model. lib/sensor/engine-ebpf.c decodes these into
 * struct kensa_event (include/kensa/sensor.h); record files and the proc engine never see
 * these layouts, so they may change with the BPF program.
 *
 * Every event starts with struct ks_bpf_hdr; `size` is the number of bytes sent (a FILE
 * event carries only path_len bytes of path, no NUL). Times are CLOCK_BOOTTIME nanoseconds.
 */
#ifndef KS_BPF_SENSOR_H
#define KS_BPF_SENSOR_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
#endif

#define KS_BPF_PATH_MAX 4096	/* bytes of path sent, NUL included */
#define KS_BPF_COMM_LEN 16
#define KS_BPF_FILENAME_MAX 256	/* bprm->filename and interpreter, as the exec was asked for */
#define KS_BPF_ARGS_MAX 256	/* leading bytes of argv (NUL-separated) */

enum ks_bpf_kind {
	KS_BPF_EXEC = 1,
	KS_BPF_FORK = 2,
	KS_BPF_EXIT = 3,
	KS_BPF_FILE = 4,
	KS_BPF_NET = 5,
};

/* how a file was used (a bit set in user space, one value per kernel event) */
enum ks_bpf_how {
	KS_BPF_HOW_EXEC = 1,	/* executed: the program of an exec, or its ELF interpreter */
	KS_BPF_HOW_OPEN = 2,	/* opened successfully (open, openat, openat2, creat) */
	KS_BPF_HOW_MMAP = 4,	/* mapped with PROT_EXEC by mmap(2) (shared libraries, dlopen) */
};

/* ks_bpf_file.flags */
enum ks_bpf_file_flags {
	KS_BPF_F_DELETED = 1,		/* the inode had no link left (unlinked while in use) */
	/* the walk stopped (too long, too deep): path is a suffix */
	KS_BPF_F_PATH_TRUNC = 2,
	/* the walk ended at a namespace root, not the task's root */
	KS_BPF_F_UNREACHABLE = 4,
};

enum ks_bpf_net_op {
	KS_BPF_NET_BIND = 1,
	KS_BPF_NET_LISTEN = 2,
	KS_BPF_NET_ACCEPT = 3,
	KS_BPF_NET_CONNECT = 4,
};

struct ks_bpf_hdr {
	u32 kind;		/* enum ks_bpf_kind */
	u32 size;		/* bytes of this event */
	u64 time_ns;		/* CLOCK_BOOTTIME */
	u64 cgroup_id;		/* cgroup v2 id of the task */
	/* task's process start (group leader start_boottime): pid reuse guard */
	u64 start_ns;
	u32 mntns;		/* mount namespace inode number */
	u32 pid;		/* thread group id (user space's pid) */
	u32 tid;
	u32 uid;		/* real uid */
	u32 euid;
	u32 pad;
	char comm[KS_BPF_COMM_LEN];
};

struct ks_bpf_exec {
	struct ks_bpf_hdr h;
	u32 ppid;
	u32 old_tid;		/* thread that called execve (de_thread may change it) */
	/* kernel dev_t of the executed file (the interpreter for scripts) */
	u64 dev;
	u64 ino;
	u16 filename_len;	/* bytes at data[0], no NUL */
	u16 interp_len;		/* bytes at data[KS_BPF_FILENAME_MAX] */
	u16 args_len;		/* bytes at data[2 * KS_BPF_FILENAME_MAX], NUL-separated argv */
	u16 pad;
	char data[KS_BPF_FILENAME_MAX * 2 + KS_BPF_ARGS_MAX];
};

struct ks_bpf_fork {
	struct ks_bpf_hdr h;	/* the parent */
	u32 child_pid;
	u32 pad;
	u64 child_start_ns;
};

struct ks_bpf_exit {
	struct ks_bpf_hdr h;
	s32 exit_code;		/* wait status as the kernel keeps it */
	u32 pad;
};

struct ks_bpf_file {
	struct ks_bpf_hdr h;
	u64 dev;		/* kernel dev_t (major << 20 | minor) */
	u64 ino;
	u32 how;		/* one enum ks_bpf_how */
	u32 open_flags;		/* f_flags of the open file */
	u32 flags;		/* enum ks_bpf_file_flags */
	u16 path_len;		/* bytes of path[], no NUL */
	u16 pad;
	char path[KS_BPF_PATH_MAX];
};

struct ks_bpf_net {
	struct ks_bpf_hdr h;
	u16 op;			/* enum ks_bpf_net_op */
	u16 family;		/* AF_INET, AF_INET6 */
	u16 protocol;		/* IPPROTO_TCP, IPPROTO_UDP, … */
	u16 type;		/* SOCK_STREAM, SOCK_DGRAM */
	u16 lport;		/* host byte order */
	u16 rport;
	s32 ret;		/* result of the operation (connect: 0 or -EINPROGRESS) */
	u8 laddr[16];		/* IPv4 in the first 4 bytes */
	u8 raddr[16];
};

/* De-duplication (LRU hash): one event per (cgroup, mount namespace, kind, object). */
struct ks_bpf_dedup_key {
	u64 cgroup_id;
	u32 mntns;
	u32 kind;		/* KS_BPF_FILE << 8 | how, or KS_BPF_NET << 8 | op */
	u64 a;			/* file: dev;  net: hash of the addresses */
	u64 b;			/* file: ino;  net: family << 48 | protocol << 32 | ports */
};

struct ks_bpf_dedup_val {
	u64 first_ns;
	u64 last_ns;
	u64 count;
};

/* Counters (per-CPU array, summed by user space). Every event not delivered is counted. */
enum ks_bpf_counter {
	KS_BPF_C_SENT = 0,		/* events written to the ring buffer */
	KS_BPF_C_DEDUP_HIT,		/* unused: repeats are counted in the dedup map's values */
	/* not a target process, or not software (pseudo fs, device) */
	KS_BPF_C_FILTERED,
	KS_BPF_C_DROP_RINGBUF,		/* lost: ring buffer full */
	KS_BPF_C_DROP_NOFILE,		/* lost: the fd was gone before the event could be built */
	/* could not record in the dedup map (event sent, may repeat) */
	KS_BPF_C_DROP_DEDUP_FULL,
	KS_BPF_C_DROP_TRACK_FULL,	/* a child of a target process could not be tracked */
	/* event sent with a truncated path (too long or too deep) */
	KS_BPF_C_PATH_TRUNC,
	KS_BPF_C_MAX,
};

/* Filter modes (user space writes cfg before load). */
enum ks_bpf_filter {
	KS_BPF_FILTER_ALL = 0,		/* every process except the sensor itself */
	/* tracked pids (and their descendants) and tracked mount namespaces */
	KS_BPF_FILTER_TARGETS = 1,
};

#endif
