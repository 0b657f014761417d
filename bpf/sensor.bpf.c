// SPDX-License-Identifier: Apache-2.0
/*
 * sensor.bpf.c — the kernel side of kensa's runtime sensor (libbpf CO-RE).
 *
 * What it reports, once per (cgroup, mount namespace, object) thanks to an in-kernel LRU
 * de-duplication map: files opened successfully, files executed (the program and its ELF
 * interpreter), files mapped executable by mmap(2) (shared libraries, dlopen), sockets bound,
 * listening, accepting and connecting. Process exec, fork and exit are always reported (they
 * carry the process tree and who ran as root).
 *
 * Program types: one raw BTF tracepoint on sys_exit for every system call watched (open,
 * openat, openat2, creat, mmap, bind, listen, accept, accept4, connect), dispatching on the
 * call number, and the BTF-typed sched tracepoints. Not the per-syscall tracepoints
 * (syscalls:sys_exit_openat, …): for those the kernel builds a perf trace record before it
 * runs the program, which cost more than the program itself on a busy open loop. fentry,
 * fexit and LSM programs would allow bpf_d_path(), but they need ftrace trampolines, which
 * hardened or virtualized kernels refuse (this project's CI host answers EPERM), and its
 * kernel has no kprobes; tracepoints work wherever BPF does. Success is known at sys_exit:
 * the returned fd (or the fd argument, from the saved registers) is looked up in the task's
 * file table, so failed calls and O_PATH opens are never reported.
 *
 * The hot path — a file opened again, by a workload that reopens the same files — costs no
 * helper call but one (bpf_get_current_task_btf): task, file and inode fields are plain
 * loads (the file through bpf_rdonly_cast(), kernels 6.2+), the cgroup id is read from the
 * task, the clock is jiffies, and a per-CPU cache answers before the dedup LRU. Kernels
 * without bpf_rdonly_cast() load ks_sys_exit_nocast instead, which reads the file with
 * bpf_probe_read_kernel() (user space chooses; see engine-ebpf.c).
 *
 * Paths: a bounded dentry walk from the struct file up to the task's root directory,
 * crossing mount points, written right to left. The result is the canonical path as the
 * task sees it (its own mount namespace and root: a container's path, with every symlink
 * already resolved), the same form as the inventory's ownership index. Files reached
 * through another mount namespace (/proc/PID/root/...) and pseudo file systems are filtered.
 *
 * Every event that cannot be delivered is counted in a per-CPU array that user space reads
 * and reports (ring buffer full, fd gone, map full); truncated paths are sent flagged and
 * counted. Nothing is dropped silently.
 *
 * What it is not: a policy engine. Every program only observes and returns 0.
 */
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "sensor.h"

char LICENSE[] SEC("license") = "GPL";

#define PROT_EXEC 0x4
#define MAP_ANONYMOUS 0x20
#define FMODE_PATH 0x4000
#define AF_INET 2
#define AF_INET6 10
#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define S_IFREG 0100000
#define S_IFDIR 0040000
#define S_IFLNK 0120000
#define AT_BASE 7
#define EINPROGRESS 115
#define WALK_MAX_COMPONENTS 64
#define NAME_MASK 255		/* a name component is at most 255 bytes */
#define PATH_MASK (KS_BPF_PATH_MAX - 1)

/* pseudo file systems whose files are not software (s_magic) */
#define PROC_SUPER_MAGIC 0x9fa0
#define SYSFS_MAGIC 0x62656572
#define CGROUP_SUPER_MAGIC 0x27e0eb
#define CGROUP2_SUPER_MAGIC 0x63677270
#define DEVPTS_SUPER_MAGIC 0x1cd1
#define DEBUGFS_MAGIC 0x64626720
#define TRACEFS_MAGIC 0x74726163
#define SECURITYFS_MAGIC 0x73636673
#define BPF_FS_MAGIC 0xcafe4a11
#define NSFS_MAGIC 0x6e736673
#define SELINUX_MAGIC 0xf97cff8c

/*
 * x86-64 system call numbers: the sys_exit tracepoint gives the number, not the name.
 * 32-bit (ia32) calls number differently and are skipped (TS_COMPAT in the thread's
 * status), as the per-syscall tracepoints skip them; x32 calls carry bit 30 and match none.
 */
#if !defined(__TARGET_ARCH_x86)
#error "sensor.bpf.c reads x86-64 system call numbers and registers"
#endif
#define NR_open 2
#define NR_mmap 9
#define NR_connect 42
#define NR_accept 43
#define NR_bind 49
#define NR_listen 50
#define NR_creat 85
#define NR_openat 257
#define NR_accept4 288
#define NR_openat2 437
#define TS_COMPAT 0x0002

/* A kfunc of kernels 6.2+ (weak: the object still loads where it is missing, and user space
 * then loads ks_sys_exit_nocast instead of ks_sys_exit). The verifier replaces the call
 * with a move: the result is an untrusted typed pointer whose fields are plain loads. */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

#define as_file(p) ((struct file *)bpf_rdonly_cast((p), bpf_core_type_id_kernel(struct file)))

/* A field of a struct file or inode: a plain load through a typed pointer (`cast`: from
 * as_file()), else a bpf_probe_read_kernel() call. `cast` is a compile-time constant. */
#define FREAD(cast, p, field) ((cast) ? (p)->field : BPF_CORE_READ(p, field))

/* ---------------------------------------------------------------- configuration (set before load)
 */

const volatile u32 cfg_filter = KS_BPF_FILTER_ALL;
const volatile u32 cfg_self_tgid = 0;
const volatile u32 cfg_skip_mntns = 0;	/* the host's mount namespace, when only containers count */
const volatile u64 cfg_wake_bytes = 256 * 1024;	/* wake the reader once this much is pending */

/* ---------------------------------------------------------------- maps */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20);	/* resized by user space */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KS_BPF_C_MAX);
	__type(key, u32);
	__type(value, u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);	/* resized by user space */
	__type(key, struct ks_bpf_dedup_key);
	__type(value, struct ks_bpf_dedup_val);
} dedup SEC(".maps");

/*
 * A small per-CPU, direct-mapped cache of keys seen in the last second, in front of the
 * dedup LRU: a workload reopening the same files (the common case: a web server, a loop)
 * then costs an array lookup and a compare instead of an LRU hash update per syscall. The
 * LRU's last-seen time and count are brought up to date from here at most once a second per
 * key, and when another key takes the slot.
 */
#define RECENT_SLOTS 512
#define RECENT_REFRESH_NS 1000000000ULL

struct recent_ent {
	struct ks_bpf_dedup_key k;
	u64 stamp;		/* boot clock when the LRU was last brought up to date for k */
	u64 last;		/* boot clock (tick precision) of the last use since */
	u64 hits;		/* uses since, not yet added to the LRU's count */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RECENT_SLOTS);
	__type(key, u32);
	__type(value, struct recent_ent);
} recent SEC(".maps");

/* The boot clock read once per jiffy on each CPU: bpf_jiffies64() is inlined into a load,
 * the clock is a helper call. Precise enough for a cache that refreshes once a second. */
struct tick {
	u64 jiffies;
	u64 boot_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct tick);
} ticks SEC(".maps");

/* (cgroup, mntns) pairs already announced: the first event of a new one wakes the reader at
 * once, so user space can attribute the container while its processes still exist */
struct pair_key {
	u64 cgroup_id;
	u32 mntns;
	u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct pair_key);
	__type(value, u8);
} pairs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct ks_bpf_file);
} scratch_file SEC(".maps");

struct walk_buf {
	char buf[KS_BPF_PATH_MAX * 2];	/* twice the size, so masked offsets plus a name fit */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct walk_buf);
} scratch_walk SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, u32);	/* tgid */
	__type(value, u8);
} tracked_pids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u32);	/* mount namespace inode */
	__type(value, u8);
} tracked_mntns SEC(".maps");

/* ---------------------------------------------------------------- helpers */

static __always_inline void count(u32 which)
{
	u64 *c = bpf_map_lookup_elem(&counters, &which);

	if (c)
		*c += 1;
}

/*
 * Task fields are read with plain (CO-RE relocated) loads: the task comes from
 * bpf_get_current_task_btf() or a BTF tracepoint argument, so the verifier knows its type and
 * the JIT emits guarded loads — much cheaper than a bpf_probe_read_kernel() call each, and
 * these sit on every open's path.
 */
static __always_inline u32 task_mntns(struct task_struct *t)
{
	return t->nsproxy->mnt_ns->ns.inum;
}

/* What bpf_get_current_cgroup_id() returns for the current task, without the call. */
static __always_inline u64 task_cgroup_id(struct task_struct *t)
{
	return t->cgroups->dfl_cgrp->kn->id;
}

/* A 32-bit system call: its numbers are not the ones sys_exit is matched against. */
static __always_inline bool compat_syscall(struct task_struct *t)
{
	return t->thread_info.status & TS_COMPAT;
}

static __always_inline bool wanted(struct task_struct *t, u32 mntns)
{
	u32 tgid = t->tgid;

	if (tgid == cfg_self_tgid)
		return false;
	if (cfg_skip_mntns && mntns == cfg_skip_mntns)
		return false;
	if (cfg_filter == KS_BPF_FILTER_ALL)
		return true;
	if (bpf_map_lookup_elem(&tracked_pids, &tgid))
		return true;
	return bpf_map_lookup_elem(&tracked_mntns, &mntns) != NULL;
}

/* The boot clock as of the last jiffy this CPU noticed (see struct tick). */
static __always_inline u64 tick_now(void)
{
	u32 zero = 0;
	struct tick *c = bpf_map_lookup_elem(&ticks, &zero);
	u64 j = bpf_jiffies64();

	if (!c)
		return bpf_ktime_get_boot_ns();
	if (c->jiffies != j) {
		c->jiffies = j;
		c->boot_ns = bpf_ktime_get_boot_ns();
	}
	return c->boot_ns;
}

static __always_inline void fill_hdr(struct ks_bpf_hdr *h, u32 kind, struct task_struct *t)
{
	h->kind = kind;
	h->time_ns = bpf_ktime_get_boot_ns();
	h->cgroup_id = bpf_get_current_cgroup_id();
	h->start_ns = BPF_CORE_READ(t, group_leader, start_boottime);
	h->mntns = task_mntns(t);
	h->pid = BPF_CORE_READ(t, tgid);
	h->tid = BPF_CORE_READ(t, pid);
	h->uid = BPF_CORE_READ(t, cred, uid.val);
	h->euid = BPF_CORE_READ(t, cred, euid.val);
	h->pad = 0;
	BPF_CORE_READ_STR_INTO(&h->comm, t, comm);
}

/* Wake the reader only when enough is pending (or when asked): one wake-up per event costs
 * more than the event. The reader also polls on a short timeout, so nothing waits long. */
static __always_inline u64 wake_flags(bool now)
{
	if (now || bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= cfg_wake_bytes)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

/* First event of a (cgroup, mntns) pair? Then the reader must wake now (attribution). */
static __always_inline bool new_pair(const struct ks_bpf_hdr *h)
{
	struct pair_key k = { .cgroup_id = h->cgroup_id, .mntns = h->mntns };
	u8 one = 1;

	if (bpf_map_lookup_elem(&pairs, &k))
		return false;
	bpf_map_update_elem(&pairs, &k, &one, BPF_ANY);
	return true;
}

static __always_inline int send(void *ev, u64 size, struct ks_bpf_hdr *h)
{
	bool now = new_pair(h);

	h->size = (u32)size;
	if (bpf_ringbuf_output(&events, ev, size, wake_flags(now))) {
		count(KS_BPF_C_DROP_RINGBUF);
		if (now) {	/* let the next event of this pair wake the reader again */
			struct pair_key k = { .cgroup_id = h->cgroup_id, .mntns = h->mntns };

			bpf_map_delete_elem(&pairs, &k);
		}
		return -1;
	}
	count(KS_BPF_C_SENT);
	return 0;
}

/*
 * Already reported? Then add `uses` to its count, move its last-seen time to `now` and tell
 * the caller to stop. The hot path of a busy workload: no atomic (user space sums the counts
 * at flush; a lost increment under a race only blurs a statistic), and last-seen never goes
 * back (`now` has tick precision, first_ns is exact).
 */
static __always_inline bool dedup_seen(const struct ks_bpf_dedup_key *k, u64 uses, u64 now)
{
	struct ks_bpf_dedup_val *v = bpf_map_lookup_elem(&dedup, k);

	if (!v)
		return false;
	if (now > v->last_ns)
		v->last_ns = now;
	v->count += uses;
	return true;
}

static __always_inline bool same_key(const struct ks_bpf_dedup_key *x, const struct ks_bpf_dedup_key *y)
{
	return x->b == y->b && x->a == y->a && x->cgroup_id == y->cgroup_id && x->mntns == y->mntns &&
	       x->kind == y->kind;
}

/*
 * True when k was used on this CPU and the LRU brought up to date for it less than a second
 * ago: nothing else to do. Otherwise the slot now holds k and the caller takes the LRU path
 * (which also reports new keys) with *uses (this use and the ones the slot held back). Uses
 * held for the key the slot held before are handed to the LRU first.
 */
static __always_inline bool recent_seen(const struct ks_bpf_dedup_key *k, u64 now, u64 *uses)
{
	u32 idx = (u32)(k->b ^ (k->b >> 15) ^ k->a ^ k->cgroup_id ^ k->kind) & (RECENT_SLOTS - 1);
	struct recent_ent *e = bpf_map_lookup_elem(&recent, &idx);

	*uses = 1;
	if (!e)
		return false;
	if (same_key(&e->k, k)) {
		if (now - e->stamp < RECENT_REFRESH_NS) {
			e->hits++;
			e->last = now;
			return true;
		}
		*uses += e->hits;
	} else if (e->hits) {
		dedup_seen(&e->k, e->hits, e->last);
		e->k = *k;
	} else {
		e->k = *k;
	}
	e->stamp = now;
	e->last = now;
	e->hits = 0;
	return false;
}

static __always_inline void dedup_add(const struct ks_bpf_dedup_key *k, u64 now)
{
	struct ks_bpf_dedup_val v = { .first_ns = now, .last_ns = now, .count = 1 };

	if (bpf_map_update_elem(&dedup, k, &v, BPF_NOEXIST) && !bpf_map_lookup_elem(&dedup, k))
		count(KS_BPF_C_DROP_DEDUP_FULL);
}

/*
 * The struct file behind fd in the current task's table, or NULL. `cast`: a typed pointer
 * read with plain loads (bpf_rdonly_cast), else a scalar read with bpf_probe_read_kernel().
 */
static __always_inline struct file *fd_file(struct task_struct *t, long fd, const bool cast)
{
	struct fdtable *fdt = t->files->fdt;
	struct file **fds;
	struct file *f = NULL;

	if (fd < 0 || (unsigned long)fd >= fdt->max_fds)
		return NULL;
	fds = fdt->fd;
	if (cast) {
		struct file **slot = bpf_rdonly_cast(fds + fd, 0);

		return as_file(*slot);
	}
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
}

/* Not software: devices, pipes, sockets, and pseudo file systems. */
static __always_inline bool pseudo_file(struct inode *ino)
{
	u32 mode = BPF_CORE_READ(ino, i_mode) & S_IFMT;
	unsigned long magic;

	if (mode != S_IFREG && mode != S_IFLNK && mode != S_IFDIR)
		return true;
	magic = BPF_CORE_READ(ino, i_sb, s_magic);
	switch (magic) {
	case PROC_SUPER_MAGIC:
	case SYSFS_MAGIC:
	case CGROUP_SUPER_MAGIC:
	case CGROUP2_SUPER_MAGIC:
	case DEVPTS_SUPER_MAGIC:
	case DEBUGFS_MAGIC:
	case TRACEFS_MAGIC:
	case SECURITYFS_MAGIC:
	case BPF_FS_MAGIC:
	case NSFS_MAGIC:
	case SELINUX_MAGIC:
		return true;
	}
	return false;
}

static __always_inline struct mount *real_mount(struct vfsmount *vm)
{
	return (void *)vm - bpf_core_field_offset(struct mount, mnt);
}

/* The file's mount belongs to another mount namespace: a path reached through
 * /proc/PID/root or a descriptor passed in. Not this task's own software. Internal mounts
 * (memfd, anonymous shared memory) have no namespace and stay. */
static __always_inline bool foreign_mount(struct file *f, struct task_struct *t)
{
	struct mount *m = real_mount(BPF_CORE_READ(f, f_path.mnt));
	struct mnt_namespace *ns = BPF_CORE_READ(m, mnt_ns);

	if ((unsigned long)ns < 4096 || (unsigned long)ns >= (unsigned long)-4095)
		return false;
	return ns != BPF_CORE_READ(t, nsproxy, mnt_ns);
}

/* The state of a dentry walk (one bpf_loop step per component: the verifier checks the
 * step once instead of every unrolled iteration). */
struct walk_ctx {
	struct dentry *d;
	struct vfsmount *vm;
	struct mount *m;
	struct dentry *root_d;
	struct vfsmount *root_m;
	u32 off;		/* the path so far is buf[off, KS_BPF_PATH_MAX) */
	u32 flags;
	u32 done;
};

static long walk_step(u64 i, struct walk_ctx *c)
{
	struct dentry *d = c->d;	/* locals: CO-RE relocations apply to kernel types only */
	struct vfsmount *vm = c->vm;
	struct mount *m = c->m, *mp;
	struct dentry *mnt_root = BPF_CORE_READ(vm, mnt_root);
	struct dentry *parent = BPF_CORE_READ(d, d_parent);
	const unsigned char *name;
	struct walk_buf *w;
	u32 zero = 0, len, off = c->off;

	if (d == c->root_d && vm == c->root_m) {
		c->done = 1;
		return 1;
	}
	if (d == mnt_root || d == parent) {
		mp = BPF_CORE_READ(m, mnt_parent);
		if (mp == m || d != mnt_root) {	/* a namespace's root, or an internal mount's */
			c->flags |= KS_BPF_F_UNREACHABLE;
			c->done = 1;
			return 1;
		}
		c->d = BPF_CORE_READ(m, mnt_mountpoint);
		c->m = mp;
		c->vm = (void *)mp + bpf_core_field_offset(struct mount, mnt);
		return 0;
	}
	w = bpf_map_lookup_elem(&scratch_walk, &zero);
	if (!w)
		return 1;
	len = BPF_CORE_READ(d, d_name.len) & NAME_MASK;
	name = BPF_CORE_READ(d, d_name.name);
	if (off < len + 1 || off > KS_BPF_PATH_MAX)
		return 1;	/* too long */
	off -= len;
	bpf_probe_read_kernel(&w->buf[off & PATH_MASK], len, name);
	off -= 1;
	w->buf[off & PATH_MASK] = '/';
	c->off = off;
	c->d = parent;
	return 0;
}

/*
 * The canonical path of f as t sees it: walk dentries up to t's root, crossing mount points,
 * writing components right to left into the walk buffer; then copy into ev->path.
 * Bounded by WALK_MAX_COMPONENTS and KS_BPF_PATH_MAX; a longer path is sent as its
 * trailing part with KS_BPF_F_PATH_TRUNC.
 */
static __always_inline void file_path(struct ks_bpf_file *ev, struct file *f, struct task_struct *t)
{
	struct walk_ctx c;
	struct walk_buf *w;
	u32 zero = 0, len;

	c.root_d = BPF_CORE_READ(t, fs, root.dentry);
	c.root_m = BPF_CORE_READ(t, fs, root.mnt);
	c.d = BPF_CORE_READ(f, f_path.dentry);
	c.vm = BPF_CORE_READ(f, f_path.mnt);
	c.m = real_mount(c.vm);
	c.off = KS_BPF_PATH_MAX;
	c.flags = 0;
	c.done = 0;
	ev->path_len = 0;
	bpf_loop(WALK_MAX_COMPONENTS, walk_step, &c, 0);
	ev->flags |= c.flags;
	if (!c.done) {
		ev->flags |= KS_BPF_F_PATH_TRUNC;
		count(KS_BPF_C_PATH_TRUNC);
	}
	w = bpf_map_lookup_elem(&scratch_walk, &zero);
	if (!w || c.off > KS_BPF_PATH_MAX)
		return;
	len = KS_BPF_PATH_MAX - c.off;
	if (len == 0) {
		ev->path[0] = '/';
		ev->path_len = 1;
		return;
	}
	len &= PATH_MASK;
	bpf_probe_read_kernel(ev->path, len, &w->buf[c.off & PATH_MASK]);
	ev->path_len = (u16)len;
}

/*
 * Report f (used as `how` by task t, whose mount namespace is mntns) unless already reported
 * for this cgroup and namespace. `cast`: f is a typed pointer (see FREAD).
 */
static __always_inline void file_event(struct task_struct *t, u32 mntns, struct file *f, u32 how,
				       const bool cast)
{
	struct inode *ino;
	struct super_block *sb;
	struct ks_bpf_dedup_key k;
	struct ks_bpf_file *ev;
	u64 now, uses;
	u32 zero = 0;

	/* a property of this open, not of the file: never cached */
	if (FREAD(cast, f, f_mode) & FMODE_PATH) {
		count(KS_BPF_C_FILTERED);
		return;
	}
	ino = FREAD(cast, f, f_inode);
	k.cgroup_id = task_cgroup_id(t);
	k.mntns = mntns;
	k.kind = KS_BPF_FILE << 8 | how;
	sb = FREAD(cast, ino, i_sb);
	k.a = FREAD(cast, sb, s_dev);
	k.b = FREAD(cast, ino, i_ino);
	now = tick_now();
	if (recent_seen(&k, now, &uses) || dedup_seen(&k, uses, now))
		return;
	if (pseudo_file(ino) || foreign_mount(f, t)) {
		count(KS_BPF_C_FILTERED);
		dedup_add(&k, 0);	/* the next one costs a lookup only */
		return;
	}
	ev = bpf_map_lookup_elem(&scratch_file, &zero);
	if (!ev)
		return;
	fill_hdr(&ev->h, KS_BPF_FILE, t);
	ev->dev = k.a;
	ev->ino = k.b;
	ev->how = how;
	ev->open_flags = BPF_CORE_READ(f, f_flags);
	ev->flags = BPF_CORE_READ(ino, __i_nlink) == 0 ? KS_BPF_F_DELETED : 0;
	ev->pad = 0;
	file_path(ev, f, t);
	if (send(ev, offsetof(struct ks_bpf_file, path) + (ev->path_len & PATH_MASK), &ev->h) == 0)
		dedup_add(&k, ev->h.time_ns);
}

/* ---------------------------------------------------------------- files: open, mmap */

/* fd, just returned or used by the current task's system call, names a file used as `how`. */
static __always_inline int file_used(long fd, u32 how, const bool cast)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct file *f;
	u32 mntns;

	if (compat_syscall(t))
		return 0;
	mntns = task_mntns(t);
	if (!wanted(t, mntns)) {
		count(KS_BPF_C_FILTERED);
		return 0;
	}
	f = fd_file(t, fd, cast);
	if (!f) {
		count(KS_BPF_C_DROP_NOFILE);
		return 0;
	}
	file_event(t, mntns, f, how, cast);
	return 0;
}

/* ---------------------------------------------------------------- processes */

struct vma_ctx {
	struct file *file;
};

static long vma_file(struct task_struct *t, struct vm_area_struct *vma, struct vma_ctx *c)
{
	c->file = BPF_CORE_READ(vma, vm_file);
	return 0;
}

/* The ELF interpreter the kernel mapped for this exec (ld.so), found through AT_BASE. */
static __always_inline struct file *elf_interpreter(struct task_struct *p)
{
	struct vma_ctx c = { NULL };
	unsigned long base = 0;

	for (int i = 0; i < 48; i += 2) {
		unsigned long type = BPF_CORE_READ(p, mm, saved_auxv[i]);

		if (type == 0)
			break;
		if (type == AT_BASE) {
			base = BPF_CORE_READ(p, mm, saved_auxv[i + 1]);
			break;
		}
	}
	if (!base)
		return NULL;	/* static binary */
	if (bpf_find_vma(p, base, vma_file, &c, 0))
		return NULL;
	return c.file;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(ks_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct ks_bpf_exec *ev;
	struct file *f, *interp;
	struct inode *ino;
	unsigned long arg_start, arg_end, n;
	const char *s;
	u32 mntns = task_mntns(p);
	long r;

	if (!wanted(p, mntns)) {
		count(KS_BPF_C_FILTERED);
		return 0;
	}
	ev = bpf_ringbuf_reserve(&events, sizeof(*ev), 0);
	if (!ev) {
		count(KS_BPF_C_DROP_RINGBUF);
		return 0;
	}
	fill_hdr(&ev->h, KS_BPF_EXEC, p);
	ev->h.size = sizeof(*ev);
	ev->ppid = BPF_CORE_READ(p, real_parent, tgid);
	ev->old_tid = old_pid;
	f = BPF_CORE_READ(bprm, file);
	ino = BPF_CORE_READ(f, f_inode);
	ev->dev = BPF_CORE_READ(ino, i_sb, s_dev);
	ev->ino = BPF_CORE_READ(ino, i_ino);
	ev->pad = 0;

	s = BPF_CORE_READ(bprm, filename);
	r = bpf_probe_read_kernel_str(ev->data, KS_BPF_FILENAME_MAX, s);
	ev->filename_len = r > 0 ? (u16)(r - 1) : 0;
	s = BPF_CORE_READ(bprm, interp);
	r = bpf_probe_read_kernel_str(ev->data + KS_BPF_FILENAME_MAX, KS_BPF_FILENAME_MAX, s);
	ev->interp_len = r > 0 ? (u16)(r - 1) : 0;

	arg_start = BPF_CORE_READ(p, mm, arg_start);
	arg_end = BPF_CORE_READ(p, mm, arg_end);
	n = arg_end > arg_start ? arg_end - arg_start : 0;
	if (n > KS_BPF_ARGS_MAX)
		n = KS_BPF_ARGS_MAX;
	ev->args_len = 0;
	if (n && bpf_probe_read_user(ev->data + 2 * KS_BPF_FILENAME_MAX, n,
				     (const void *)arg_start) == 0)
		ev->args_len = (u16)n;
	bpf_ringbuf_submit(ev, wake_flags(new_pair(&ev->h)));
	count(KS_BPF_C_SENT);

	/* the files: the program (for a script, its interpreter) and the ELF interpreter;
	 * not a hot path, and the same on every kernel: read with bpf_probe_read_kernel() */
	file_event(p, mntns, f, KS_BPF_HOW_EXEC, false);
	interp = elf_interpreter(p);
	if (interp)
		file_event(p, mntns, interp, KS_BPF_HOW_EXEC, false);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(ks_fork, struct task_struct *parent, struct task_struct *child)
{
	u32 ptgid = BPF_CORE_READ(parent, tgid), ctgid = BPF_CORE_READ(child, tgid);
	struct ks_bpf_fork ev;

	if (ptgid == ctgid)
		return 0;	/* a thread */
	if (cfg_filter == KS_BPF_FILTER_TARGETS && bpf_map_lookup_elem(&tracked_pids, &ptgid)) {
		u8 one = 1;

		if (bpf_map_update_elem(&tracked_pids, &ctgid, &one, BPF_ANY))
			count(KS_BPF_C_DROP_TRACK_FULL);
	}
	if (!wanted(parent, task_mntns(parent))) {
		count(KS_BPF_C_FILTERED);
		return 0;
	}
	__builtin_memset(&ev, 0, sizeof(ev));
	fill_hdr(&ev.h, KS_BPF_FORK, parent);
	ev.child_pid = ctgid;
	ev.child_start_ns = BPF_CORE_READ(child, start_boottime);
	send(&ev, sizeof(ev), &ev.h);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(ks_exit, struct task_struct *p)
{
	u32 tgid = BPF_CORE_READ(p, tgid);
	struct ks_bpf_exit ev;
	bool want;

	if (BPF_CORE_READ(p, signal, live.counter) != 0)
		return 0;	/* other threads of the process still run */
	want = wanted(p, task_mntns(p));
	/* the pid may be reused: stop following it (only targets are followed) */
	if (cfg_filter == KS_BPF_FILTER_TARGETS)
		bpf_map_delete_elem(&tracked_pids, &tgid);
	if (!want) {
		count(KS_BPF_C_FILTERED);
		return 0;
	}
	__builtin_memset(&ev, 0, sizeof(ev));
	fill_hdr(&ev.h, KS_BPF_EXIT, p);
	ev.exit_code = BPF_CORE_READ(p, exit_code);
	send(&ev, sizeof(ev), &ev.h);
	return 0;
}

/* ---------------------------------------------------------------- network */

static __always_inline u64 addr_hash(const u8 *a)
{
	u64 x, y;

	__builtin_memcpy(&x, a, 8);
	__builtin_memcpy(&y, a + 8, 8);
	return (x * 0x9E3779B97F4A7C15ULL) ^ (y + 0x632BE59BD9B4E019ULL);
}

/* The socket behind fd, or NULL when fd is not an inet socket. */
static __always_inline struct sock *fd_sock(struct task_struct *t, long fd, const bool cast)
{
	struct file *f = fd_file(t, fd, cast);
	struct socket *sock;
	u16 family;
	struct sock *sk;

	if (!f || (BPF_CORE_READ(f, f_inode, i_mode) & S_IFMT) != S_IFSOCK)
		return NULL;
	sock = BPF_CORE_READ(f, private_data);
	sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return NULL;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	return family == AF_INET || family == AF_INET6 ? sk : NULL;
}

static __always_inline void sock_local(struct ks_bpf_net *ev, struct sock *sk)
{
	ev->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	ev->protocol = BPF_CORE_READ(sk, sk_protocol);
	ev->type = BPF_CORE_READ(sk, sk_type);
	ev->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	if (ev->family == AF_INET) {
		__be32 a = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);

		__builtin_memcpy(ev->laddr, &a, 4);
	} else {
		BPF_CORE_READ_INTO(&ev->laddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
	}
}

static __always_inline void sock_remote(struct ks_bpf_net *ev, struct sock *sk)
{
	ev->rport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (ev->family == AF_INET) {
		__be32 a = BPF_CORE_READ(sk, __sk_common.skc_daddr);

		__builtin_memcpy(ev->raddr, &a, 4);
	} else {
		BPF_CORE_READ_INTO(&ev->raddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	}
}

/*
 * One network event per (pair, op, endpoint): the local endpoint for bind, listen and
 * accept (a server accepting a million clients is one event with a count), the remote one
 * for connect. A repeat is found before the event is built.
 */
static __always_inline int net_event(long fd, u16 op, long ret, const bool cast)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct ks_bpf_dedup_key k;
	struct ks_bpf_net ev;
	struct sock *sk;
	bool remote = op == KS_BPF_NET_CONNECT;
	u32 mntns;

	if (compat_syscall(t))
		return 0;
	mntns = task_mntns(t);
	if (!wanted(t, mntns)) {
		count(KS_BPF_C_FILTERED);
		return 0;
	}
	sk = fd_sock(t, fd, cast);
	if (!sk)
		return 0;
	__builtin_memset(&ev, 0, sizeof(ev));
	sock_local(&ev, sk);
	if (op == KS_BPF_NET_ACCEPT || op == KS_BPF_NET_CONNECT)
		sock_remote(&ev, sk);
	k.cgroup_id = task_cgroup_id(t);
	k.mntns = mntns;
	k.kind = KS_BPF_NET << 8 | op;
	k.a = addr_hash(remote ? ev.raddr : ev.laddr);
	k.b = (u64)ev.family << 48 | (u64)ev.protocol << 32 |
	      (u64)(remote ? ev.rport : ev.lport) << 16;
	if (dedup_seen(&k, 1, tick_now()))
		return 0;
	fill_hdr(&ev.h, KS_BPF_NET, t);
	ev.op = op;
	ev.ret = (s32)ret;
	if (send(&ev, sizeof(ev), &ev.h) == 0)
		dedup_add(&k, ev.h.time_ns);
	return 0;
}

/* ---------------------------------------------------------------- system calls */

/*
 * Every system call of every task ends here while the sensor runs: the ones not watched
 * return after comparing the number. `regs` are the caller's registers saved at entry
 * (x86-64 argument order: di, si, dx, r10, r8, r9), `ret` the result.
 */
static __always_inline int sys_exit(struct pt_regs *regs, long ret, const bool cast)
{
	switch (regs->orig_ax) {
	case NR_openat:
	case NR_open:
	case NR_openat2:
	case NR_creat:
		if (ret < 0)
			return 0;
		return file_used(ret, KS_BPF_HOW_OPEN, cast);
	case NR_mmap:
		/* only file mappings made executable count */
		if ((unsigned long)ret >= (unsigned long)-4095 || !(regs->dx & PROT_EXEC) ||
		    (regs->r10 & MAP_ANONYMOUS))
			return 0;
		return file_used((int)regs->r8, KS_BPF_HOW_MMAP, cast);
	case NR_bind:
		if (ret != 0)
			return 0;
		return net_event((int)regs->di, KS_BPF_NET_BIND, 0, cast);
	case NR_listen:
		if (ret != 0)
			return 0;
		return net_event((int)regs->di, KS_BPF_NET_LISTEN, 0, cast);
	case NR_accept:
	case NR_accept4:
		if (ret < 0)
			return 0;
		return net_event(ret, KS_BPF_NET_ACCEPT, 0, cast);
	case NR_connect:
		/* done, or under way (non-blocking sockets finish the handshake later) */
		if (ret != 0 && ret != -EINPROGRESS)
			return 0;
		return net_event((int)regs->di, KS_BPF_NET_CONNECT, ret, cast);
	}
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(ks_sys_exit, struct pt_regs *regs, long ret)
{
	return sys_exit(regs, ret, true);
}

/* The same for kernels without bpf_rdonly_cast() (before 6.2): user space loads one of the two. */
SEC("tp_btf/sys_exit")
int BPF_PROG(ks_sys_exit_nocast, struct pt_regs *regs, long ret)
{
	return sys_exit(regs, ret, false);
}
