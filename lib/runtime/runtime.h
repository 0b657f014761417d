/* SPDX-License-Identifier: Apache-2.0 */
/*
 * runtime.h — what the runtime side shares internally: parsers of /proc files (pure
 * functions over bytes, fuzzed), container attribution from cgroup paths and container
 * runtimes' state files, and reading /proc for one process.
 *
 * What it is not: an event source (that is lib/sensor) nor the in-use model (profile.c).
 * Parsers never trust their input: /proc/PID/maps paths may hold spaces, newlines (escaped
 * by the kernel as "\012") and bytes that are not UTF-8; comm may hold ") (" and spaces.
 */
#ifndef KS_RUNTIME_H
#define KS_RUNTIME_H

#include "kensa/sensor.h"
#include "util/util.h"

/* ---------------------------------------------------------------- /proc parsers (proc.c) */

/* One line of /proc/PID/maps. path points into the line (not NUL-terminated); for anonymous
 * mappings path_len is 0, for pseudo ones it is "[heap]" and the like. */
struct ks_maps_entry {
	uint64_t start, end, offset;
	uint32_t dev_major, dev_minor;
	uint64_t inode;
	char perms[5];		/* "r-xp" */
	const char *path;
	size_t path_len;	/* without a " (deleted)" suffix */
	bool deleted;
};
int ks_proc_maps_line(const char *line, size_t len, struct ks_maps_entry *e);

/* /proc/PID/stat: the fields kensa needs. comm is the text between the first '(' and the
 * last ')', cut to 15 bytes. */
struct ks_proc_stat {
	uint32_t pid, ppid;
	char state;
	char comm[16];
	uint64_t starttime;	/* clock ticks since boot */
};
int ks_proc_stat_parse(const char *buf, size_t len, struct ks_proc_stat *st);

/* Real and effective uid from /proc/PID/status ("Uid:\t0\t0\t0\t0"). */
int ks_proc_status_uids(const char *buf, size_t len, uint32_t *uid, uint32_t *euid);

/* The cgroup path of /proc/PID/cgroup: the v2 ("0::") line, else the v1 line that names a
 * container, else the first one. Points into buf. */
int ks_cgroup_file_path(const char *buf, size_t len, const char **path, size_t *plen);

/* A container named by a cgroup path: podman/libpod "libpod-<id>(.scope)", containerd
 * "cri-containerd-<id>.scope", CRI-O "crio-<id>.scope", docker "docker-<id>.scope" and
 * "/docker/<id>", and kubepods' plain "<id>" leaf. conmon's "libpod-conmon-<id>" is not. */
struct ks_container_ref {
	const char *runtime;	/* static string */
	char id[65];		/* 64 lowercase hex */
};
bool ks_cgroup_container(const char *path, size_t len, struct ks_container_ref *ref);

/* A line of /proc/PID/net/{tcp,tcp6,udp,udp6} (family AF_INET or AF_INET6). */
struct ks_net_line {
	uint8_t laddr[16], raddr[16];	/* network order */
	uint16_t lport, rport;
	unsigned state;			/* TCP state (0x0A = LISTEN) */
	uint64_t inode;
};
int ks_proc_net_line(const char *line, size_t len, int family, struct ks_net_line *n);

/* Undo the kernel's "\ooo" octal escapes of a path from /proc (in place); returns the length. */
size_t ks_proc_unescape(char *s, size_t len);

/* ---------------------------------------------------------------- reading /proc (proc.c) */

/* Read /proc/<pid>/<what> into b (reset first), at most limit bytes. */
int ks_proc_read(uint32_t pid, const char *what, struct ks_buf *b, size_t limit);
/* readlink /proc/<pid>/<what>; returns the length or -1. Output is NUL-terminated. */
ssize_t ks_proc_link(uint32_t pid, const char *what, char *out, size_t size);
/* Mount namespace inode of a process (0 when unreadable). */
uint32_t ks_proc_mntns(uint32_t pid);
/* Process start in ns since boot from /proc/PID/stat (0 when gone). */
uint64_t ks_proc_start_ns(uint32_t pid);
/* Is (pid, start_ns) still the same process? Tolerates the tick rounding of /proc. */
bool ks_proc_same(uint32_t pid, uint64_t start_ns);
/* Nanoseconds per clock tick of /proc/PID/stat. */
uint64_t ks_proc_tick_ns(void);
/* Where the cgroup v2 hierarchy is mounted, or NULL (container.c). */
const char *ks_cgroup2_mount(void);
/* The cgroup v2 id of a process (the inode of its cgroup directory), 0 when unknown. */
uint64_t ks_proc_cgroup_id(uint32_t pid);

/* ---------------------------------------------------------------- attribution (container.c) */

/* What a runtime's state files say about a container (strings in an arena, or NULL). */
struct ks_container_meta {
	const char *name;
	const char *image_id;	/* "sha256:…" */
	const char *image_name;
	const char *layer;	/* containers/storage: the container's layer id */
	const char *rootfs;	/* where the runtime mounts its root on the host, or NULL */
};

/*
 * Attribute a (cgroup, mount namespace) pair seen on process `pid` (started at start_ns) to a
 * container and its image. Strings are allocated in a. *rootfs is set to where the runtime
 * mounts the container's root on the host, when known. A process in the host's mount
 * namespace outside any container cgroup is the host; one in another mount namespace is an
 * anonymous "mntns:<inode>" sandbox.
 */
int ks_container_attribute(struct ks_arena *a, uint32_t pid, uint64_t start_ns, uint64_t cgroup_id,
			   uint32_t mntns, uint32_t host_mntns, struct kensa_container *out,
			   const char **rootfs);

/*
 * Open (O_PATH) the root directory of a container: the root of process `pid` when it is
 * still the process the event named and already switched to its own root (not the host's,
 * as during the runtime's setup), else `rootfs` when it is a mounted directory. -1 when
 * neither works. The caller owns the descriptor.
 */
int ks_container_root(uint32_t pid, uint64_t start_ns, const char *rootfs);

/* Image of a container from the runtime's state files (containers/storage for podman and
 * CRI-O, /var/lib/docker for docker); false when unknown. Strings in a. */
bool ks_container_image(struct ks_arena *a, const char *runtime, const char *id,
			struct ks_container_meta *m);

/* Parse containers/storage's containers.json for `id`: names[0], image, layer, metadata
 * image-name. */
bool ks_storage_containers_find(struct ks_arena *a, const char *json, size_t len, const char *id,
				struct ks_container_meta *m);

/*
 * Look a container up by id, id prefix or name through `podman inspect` (exec'd): its id,
 * name, main pid, image id and name. KENSA_ENOTFOUND when podman does not know it.
 */
struct ks_container_info {
	const char *id, *name, *image_id, *image_name;
	uint32_t pid;
	bool running;
};
int ks_container_lookup(struct ks_arena *a, const char *what, struct ks_container_info *out,
			struct kensa_err *err);

#endif
