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
 * Program types: only tracepoints (syscalls:sys_exit_* and BTF-typed sched tracepoints).
 * fentry/fexit/LSM programs would allow bpf_d_path(), but they need ftrace trampolines,
 * which hardened or virtualized kernels refuse (this project's CI host answers EPERM);
 * tracepoints work wherever BPF does. Success is known at sys_exit: the returned fd (or the
 * fd argument, read from the task's saved registers) is looked up in the task's file table,
 * so failed calls and O_PATH opens are never reported.
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

static __always_inline bool wanted(struct task_struct *t)
{
	u32 tgid = t->tgid;
	u32 mntns;

	if (tgid == cfg_self_tgid)
		return false;
	if (cfg_skip_mntns && task_mntns(t) == cfg_skip_mntns)
		return false;
	if (cfg_filter == KS_BPF_FILTER_ALL)
		return true;
	if (bpf_map_lookup_elem(&tracked_pids, &tgid))
		return true;
	mntns = task_mntns(t);
	return bpf_map_lookup_elem(&tracked_mntns, &mntns) != NULL;
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

/* Already reported? Then refresh last-seen and tell the caller to stop. */
static __always_inline bool dedup_seen(const struct ks_bpf_dedup_key *k)
{
	struct ks_bpf_dedup_val *v = bpf_map_lookup_elem(&dedup, k);

	if (!v)
		return false;
	/* the hot path of a busy workload: no atomic, no counter (user space sums the
	 * counts at flush); a lost increment under a race only blurs a statistic */
	v->last_ns = bpf_ktime_get_boot_ns();
	v->count++;
	return true;
}

static __always_inline void dedup_add(const struct ks_bpf_dedup_key *k, u64 now)
{
	struct ks_bpf_dedup_val v = { .first_ns = now, .last_ns = now, .count = 1 };

	if (bpf_map_update_elem(&dedup, k, &v, BPF_NOEXIST) && !bpf_map_lookup_elem(&dedup, k))
		count(KS_BPF_C_DROP_DEDUP_FULL);
}

/* The struct file behind fd in the current task's table, or NULL. */
static __always_inline struct file *fd_file(struct task_struct *t, long fd)
{
	struct fdtable *fdt = t->files->fdt;
	struct file **fds;
	struct file *f = NULL;

	if (fd < 0 || (unsigned long)fd >= fdt->max_fds)
		return NULL;
	fds = fdt->fd;
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

/* Report f (used as `how` by task t) unless already reported for this cgroup and namespace. */
static __always_inline void file_event(struct task_struct *t, struct file *f, u32 how)
{
	struct inode *ino = BPF_CORE_READ(f, f_inode);
	struct ks_bpf_dedup_key k;
	struct ks_bpf_file *ev;
	u32 zero = 0;

	k.cgroup_id = bpf_get_current_cgroup_id();
	k.mntns = task_mntns(t);
	k.kind = KS_BPF_FILE << 8 | how;
	k.a = BPF_CORE_READ(ino, i_sb, s_dev);
	k.b = BPF_CORE_READ(ino, i_ino);
	if (dedup_seen(&k))
		return;
	if ((BPF_CORE_READ(f, f_mode) & FMODE_PATH) || pseudo_file(ino) || foreign_mount(f, t)) {
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

/* The syscall's arguments, from the registers saved at entry (x86-64 order). */
static __always_inline struct pt_regs *user_regs(struct task_struct *t)
{
	return (struct pt_regs *)bpf_task_pt_regs(t);
}

/* ---------------------------------------------------------------- files: open */

static __always_inline int open_exit(long ret)
{
	struct task_struct *t;
	struct file *f;

	if (ret < 0)
		return 0;
	t = bpf_get_current_task_btf();
	if (!wanted(t)) {
		count(KS_BPF_C_FILTERED);
		return 0;
	}
	f = fd_file(t, ret);
	if (!f) {
		count(KS_BPF_C_DROP_NOFILE);
		return 0;
	}
	file_event(t, f, KS_BPF_HOW_OPEN);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat")
int ks_openat(struct trace_event_raw_sys_exit *ctx)
{
	return open_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_openat2")
int ks_openat2(struct trace_event_raw_sys_exit *ctx)
{
	return open_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_open")
int ks_open(struct trace_event_raw_sys_exit *ctx)
{
	return open_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_creat")
int ks_creat(struct trace_event_raw_sys_exit *ctx)
{
	return open_exit(ctx->ret);
}

/* ---------------------------------------------------------------- files: executable mappings */

SEC("tracepoint/syscalls/sys_exit_mmap")
int ks_mmap(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *t;
	struct pt_regs *r;
	struct file *f;
	unsigned long prot, flags;
	long fd;

	if ((unsigned long)ctx->ret >= (unsigned long)-4095)
		return 0;	/* failed */
	t = bpf_get_current_task_btf();
	r = user_regs(t);
	prot = BPF_CORE_READ(r, dx);
	flags = BPF_CORE_READ(r, r10);
	fd = (long)(int)BPF_CORE_READ(r, r8);
	if (!(prot & PROT_EXEC) || (flags & MAP_ANONYMOUS) || fd < 0)
		return 0;
	if (!wanted(t)) {
		count(KS_BPF_C_FILTERED);
		return 0;
	}
	f = fd_file(t, fd);
	if (!f) {
		count(KS_BPF_C_DROP_NOFILE);
		return 0;
	}
	file_event(t, f, KS_BPF_HOW_MMAP);
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
	long r;

	if (!wanted(p)) {
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

	/* the files: the program (for a script, its interpreter) and the ELF interpreter */
	file_event(p, f, KS_BPF_HOW_EXEC);
	interp = elf_interpreter(p);
	if (interp)
		file_event(p, interp, KS_BPF_HOW_EXEC);
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
	if (!wanted(parent)) {
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
	want = wanted(p);
	/* the pid may be reused: stop following it */
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
static __always_inline struct sock *fd_sock(struct task_struct *t, long fd)
{
	struct file *f = fd_file(t, fd);
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
 * for connect.
 */
static __always_inline int net_event(long fd, u16 op, long ret)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct ks_bpf_dedup_key k;
	struct ks_bpf_net ev;
	struct sock *sk;
	bool remote = op == KS_BPF_NET_CONNECT;

	if (!wanted(t)) {
		count(KS_BPF_C_FILTERED);
		return 0;
	}
	sk = fd_sock(t, fd);
	if (!sk)
		return 0;
	__builtin_memset(&ev, 0, sizeof(ev));
	fill_hdr(&ev.h, KS_BPF_NET, t);
	ev.op = op;
	ev.ret = (s32)ret;
	sock_local(&ev, sk);
	if (op == KS_BPF_NET_ACCEPT || op == KS_BPF_NET_CONNECT)
		sock_remote(&ev, sk);
	k.cgroup_id = ev.h.cgroup_id;
	k.mntns = ev.h.mntns;
	k.kind = KS_BPF_NET << 8 | op;
	k.a = addr_hash(remote ? ev.raddr : ev.laddr);
	k.b = (u64)ev.family << 48 | (u64)ev.protocol << 32 |
	      (u64)(remote ? ev.rport : ev.lport) << 16;
	if (dedup_seen(&k))
		return 0;
	if (send(&ev, sizeof(ev), &ev.h) == 0)
		dedup_add(&k, ev.h.time_ns);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_bind")
int ks_bind(struct trace_event_raw_sys_exit *ctx)
{
	if (ctx->ret != 0)
		return 0;
	return net_event(BPF_CORE_READ(user_regs(bpf_get_current_task_btf()), di), KS_BPF_NET_BIND,
			 0);
}

SEC("tracepoint/syscalls/sys_exit_listen")
int ks_listen(struct trace_event_raw_sys_exit *ctx)
{
	if (ctx->ret != 0)
		return 0;
	return net_event(BPF_CORE_READ(user_regs(bpf_get_current_task_btf()), di),
			 KS_BPF_NET_LISTEN, 0);
}

SEC("tracepoint/syscalls/sys_exit_accept")
int ks_accept(struct trace_event_raw_sys_exit *ctx)
{
	if (ctx->ret < 0)
		return 0;
	return net_event(ctx->ret, KS_BPF_NET_ACCEPT, 0);
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int ks_accept4(struct trace_event_raw_sys_exit *ctx)
{
	if (ctx->ret < 0)
		return 0;
	return net_event(ctx->ret, KS_BPF_NET_ACCEPT, 0);
}

/* Connections: done, or under way (non-blocking sockets finish the handshake later). */
SEC("tracepoint/syscalls/sys_exit_connect")
int ks_connect(struct trace_event_raw_sys_exit *ctx)
{
	if (ctx->ret != 0 && ctx->ret != -EINPROGRESS)
		return 0;
	return net_event(BPF_CORE_READ(user_regs(bpf_get_current_task_btf()), di),
			 KS_BPF_NET_CONNECT, ctx->ret);
}
