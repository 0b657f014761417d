/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sensor.h — what processes really do at runtime: executed, opened and executable-mapped
 * files, processes, sockets — as a stream of events from one of several engines behind one
 * interface (falcosecurity's idea):
 *
 *   "ebpf"    kernel tracepoints (libbpf CO-RE, bpf/sensor.bpf.c): every event, de-duplicated
 *             in the kernel, drops counted. Needs root (or CAP_BPF + CAP_PERFMON) and BTF.
 *   "proc"    polls /proc/PID/{exe,maps,fd,net} of the target processes. Needs nothing, but
 *             files opened and closed between two polls are missed (said in its caveats).
 *   "replay"  reads a file recorded earlier with kensa_sensor_opts.record_path, so everything
 *             above the kernel (profiles, rules, risk) is testable without root.
 *
 * Live engines attribute events to containers: before the first event of a new (cgroup,
 * mount namespace) pair the sensor delivers a KENSA_SENSOR_CONTAINER naming the container
 * (podman, docker, containerd, CRI-O, or the host) and its image, and keeps its root
 * directory open so the container can be inventoried even after it exits.
 *
 * What it is not: it does not decide what is in use — that is the profile (profile.h).
 * The library never prints; warnings go through the log callback.
 */
#ifndef KENSA_SENSOR_H
#define KENSA_SENSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kensa/error.h"

#ifdef __cplusplus
extern "C" {
#endif

enum kensa_sensor_kind {
	KENSA_SENSOR_EXEC = 1,		/* a process executed a program */
	KENSA_SENSOR_FORK = 2,		/* a process created another (threads are not reported) */
	KENSA_SENSOR_EXIT = 3,		/* the last thread of a process ended */
	KENSA_SENSOR_FILE = 4,		/* a file was executed, opened or mapped executable */
	KENSA_SENSOR_NET = 5,		/* a socket was bound, listening, accepting or connecting */
	KENSA_SENSOR_CONTAINER = 6,	/* attribution of a (cgroup, mount namespace) pair */
	KENSA_SENSOR_SEEN = 7,		/* a de-duplicated file was used again, until last_ns */
};

/* How a file was used (bits; one per FILE event). */
enum kensa_file_how {
	KENSA_HOW_EXEC = 1,	/* executed (the program, its ELF interpreter) */
	KENSA_HOW_OPEN = 2,	/* opened successfully */
	KENSA_HOW_MMAP = 4,	/* mapped executable (shared libraries, dlopen) */
};

enum kensa_file_flags {
	KENSA_FILE_DELETED = 1,		/* unlinked while in use */
	/* path too long or too deep: only its trailing part is known */
	KENSA_FILE_TRUNCATED = 2,
	KENSA_FILE_UNREACHABLE = 4,	/* outside the process's root directory */
};

enum kensa_net_op {
	KENSA_NET_BIND = 1,
	KENSA_NET_LISTEN = 2,
	KENSA_NET_ACCEPT = 3,
	KENSA_NET_CONNECT = 4,
};

/* The process an event is about (for FORK: the parent). */
struct kensa_task {
	uint32_t pid;		/* thread group id, as ps shows it (host pid namespace) */
	uint32_t tid;
	uint32_t uid, euid;
	/* process start, ns since boot: with pid, unique across pid reuse */
	uint64_t start_ns;
	uint64_t cgroup_id;	/* cgroup v2 id (0 when unknown) */
	uint32_t mntns;		/* mount namespace inode number */
	char comm[16];		/* NUL-terminated */
};

/* Strings below are not NUL-terminated unless said: use the lengths. */
struct kensa_sensor_file {
	uint32_t how;		/* one enum kensa_file_how */
	uint32_t open_flags;	/* O_* flags of the open file (0 when unknown) */
	uint32_t flags;		/* enum kensa_file_flags */
	uint64_t dev, ino;	/* st_dev (makedev form) and st_ino */
	const char *path;	/* canonical absolute path in the process's own root */
	size_t path_len;
};

struct kensa_sensor_exec {
	uint32_t ppid;
	uint64_t dev, ino;	/* the executed file (for a script: its interpreter) */
	const char *filename;	/* as execve() was asked, may be relative */
	size_t filename_len;
	const char *interp;	/* for a script: the interpreter the kernel ran ("" otherwise) */
	size_t interp_len;
	const char *args;	/* leading bytes of argv, NUL-separated */
	size_t args_len;
};

struct kensa_sensor_fork {
	uint32_t child_pid;
	uint64_t child_start_ns;
};

struct kensa_sensor_exit {
	int32_t status;		/* wait status */
};

struct kensa_sensor_net {
	uint16_t op;		/* enum kensa_net_op */
	uint16_t family;	/* AF_INET, AF_INET6 */
	uint16_t protocol;	/* IPPROTO_TCP, IPPROTO_UDP */
	uint16_t type;		/* SOCK_STREAM, SOCK_DGRAM */
	uint16_t lport, rport;
	int32_t ret;		/* connect: 0 or -EINPROGRESS */
	uint8_t laddr[16];	/* IPv4 in the first 4 bytes, network order */
	uint8_t raddr[16];
};

/* Who a (cgroup, mount namespace) pair belongs to. */
struct kensa_container {
	const char *id;		/* container id (64 hex), or "host" */
	const char *name;	/* as the runtime names it, or NULL */
	const char *runtime;	/* "podman", "docker", "containerd", "cri-o", "host", "unknown" */
	const char *image_id;	/* "sha256:…" or NULL */
	const char *image_name;	/* "localhost/x:1" or NULL */
	/* target for kensa_inventory_scan() while the sensor is open, or NULL */
	const char *root;
	bool host;
};

/* A de-duplicated object seen again: (task.cgroup_id, task.mntns, how, dev, ino) up to last_ns. */
struct kensa_sensor_seen {
	uint32_t how;
	uint64_t dev, ino;
	uint64_t last_ns;	/* wall clock, ns since the epoch */
	uint64_t count;		/* uses counted by the engine (0 when unknown) */
};

struct kensa_sensor_event {
	enum kensa_sensor_kind kind;
	uint64_t time_ns;		/* wall clock, ns since the epoch */
	struct kensa_task task;		/* CONTAINER: only cgroup_id and mntns are set */
	union {
		struct kensa_sensor_file file;
		struct kensa_sensor_exec exec;
		struct kensa_sensor_fork fork;
		struct kensa_sensor_exit exit;
		struct kensa_sensor_net net;
		struct kensa_container container;
		struct kensa_sensor_seen seen;
	};
};

/*
 * Called for each event; everything reachable from ev is borrowed until it returns.
 * A non-zero return stops the current poll and is returned by kensa_sensor_poll().
 */
typedef int (*kensa_sensor_event_fn)(void *ud, const struct kensa_sensor_event *ev);

struct kensa_sensor_opts {
	/* "ebpf", "proc", "replay"; NULL: ebpf when it can run, else proc */
	const char *engine;
	const char *replay_path;	/* replay: the recorded file */
	/* write every delivered event to this file (live engines) */
	const char *record_path;
	bool targets_only;		/* only tracked pids (+ descendants) and mount namespaces */
	bool containers_only;		/* leave out processes in the host's mount namespace */
	bool snapshot;			/* live engines: report what target processes already have
					   open and mapped when the sensor starts (default true) */
	uint32_t ring_mb;		/* ebpf: ring buffer size in MiB (power of two), 0 = 16 */
	uint32_t dedup_entries;		/* ebpf: de-duplication LRU entries, 0 = 65536 */
	uint32_t poll_ms;		/* proc: polling interval, 0 = 100 */
};
#define KENSA_SENSOR_OPTS_INIT { NULL, NULL, NULL, false, false, true, 0, 0, 0 }

/* Counters; `dropped` is the sum of every lost event, whatever the reason. */
struct kensa_sensor_stats {
	uint64_t events;		/* delivered to the callback */
	uint64_t dropped;
	uint64_t drop_ringbuf;		/* ebpf: ring buffer full */
	uint64_t drop_nofile;		/* ebpf: the fd was closed before the event was built */
	uint64_t drop_track;		/* ebpf: a child of a target could not be followed */
	uint64_t drop_decode;		/* malformed events (kernel or record file) */
	uint64_t dedup_full;		/* ebpf: de-duplication map full (events may repeat) */
	uint64_t path_truncated;	/* events whose path was cut (sent, flagged) */
	uint64_t dedup_hits;		/* uses folded into an earlier event (not a loss) */
	uint64_t polls;			/* proc: polling rounds */
};

struct kensa_sensor;

/*
 * Open an engine. With engine NULL, ebpf is tried first; when it cannot run (not root, no
 * BTF, program load refused) the reason is logged as a warning and proc is used instead.
 * An engine named explicitly fails with err filled when it cannot run.
 * On success *out is owned by the caller (kensa_sensor_free).
 */
KENSA_API int kensa_sensor_open(const struct kensa_sensor_opts *opts, struct kensa_sensor **out,
				struct kensa_err *err);
KENSA_API void kensa_sensor_free(struct kensa_sensor *s);

/* "ebpf", "proc" or "replay" (for replay: the engine that recorded the file). */
KENSA_API const char *kensa_sensor_engine(const struct kensa_sensor *s);
/* What the engine can miss, one sentence each; borrowed until kensa_sensor_free(). */
KENSA_API const char *const *kensa_sensor_caveats(const struct kensa_sensor *s, size_t *n);

/* Follow a process and its future children / every process of a mount namespace
 * (targets_only). A pid given before it runs anything is followed from its first event. */
KENSA_API int kensa_sensor_track_pid(struct kensa_sensor *s, uint32_t pid, struct kensa_err *err);
KENSA_API int kensa_sensor_track_mntns(struct kensa_sensor *s, uint32_t mntns,
				       struct kensa_err *err);

/*
 * Follow every process of a running container named by id, id prefix or name (looked up
 * with `podman container inspect`; call before dropping privileges). *pid is set to its
 * main process, whose end is the container's end.
 */
KENSA_API int kensa_sensor_track_container(struct kensa_sensor *s, const char *what, uint32_t *pid,
					   struct kensa_err *err);

/*
 * Give up every capability the engine no longer needs once it runs: keeps CAP_SYS_PTRACE
 * and CAP_DAC_READ_SEARCH (reading /proc/PID/{root,maps,fd} of other users' processes and
 * container files), drops the rest from the effective, permitted, inheritable and bounding
 * sets, and sets no_new_privs. A no-op when not running with capabilities.
 */
KENSA_API int kensa_sensor_drop_privileges(struct kensa_sensor *s, struct kensa_err *err);

/*
 * Deliver the events available within timeout_ms (0: only what is pending) to fn. Returns
 * the number of events delivered, a negative KENSA_E* on failure, or fn's non-zero value.
 * replay: returns 0 once the file is exhausted (see kensa_sensor_done()).
 */
KENSA_API int kensa_sensor_poll(struct kensa_sensor *s, int timeout_ms, kensa_sensor_event_fn fn,
				void *ud, struct kensa_err *err);
/* Drain what is pending, then report de-duplicated objects used since the last flush as
 * KENSA_SENSOR_SEEN (their last-use time). Call before writing a profile. */
KENSA_API int kensa_sensor_flush(struct kensa_sensor *s, kensa_sensor_event_fn fn, void *ud,
				 struct kensa_err *err);
/* replay: the whole file has been delivered. Live engines: false. */
KENSA_API bool kensa_sensor_done(const struct kensa_sensor *s);

KENSA_API void kensa_sensor_stats(const struct kensa_sensor *s, struct kensa_sensor_stats *st);

/* Can the ebpf engine run here? false with the reason in err (not root, no BTF, …). */
KENSA_API bool kensa_sensor_ebpf_available(struct kensa_err *err);

#ifdef __cplusplus
}
#endif
#endif
