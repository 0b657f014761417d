// SPDX-License-Identifier: Apache-2.0
/*
 * engine-ebpf.c — the ebpf engine: loads bpf/sensor.bpf.c (the skeleton is generated at
 * build time), attaches its tracepoints, and turns ring-buffer records into kensa events.
 *
 * Sequence (libbpf-bootstrap's): open → set rodata (filter mode, our own pid, wake-up
 * threshold) and map sizes → load → attach → poll the ring buffer → destroy. After attach it
 * needs no privilege but reading /proc (kensa_sensor_drop_privileges()).
 *
 * On the first poll it takes one /proc snapshot of the target processes (procscan.c), so
 * libraries loaded and files opened before the sensor started are reported too. At flush
 * it reads the kernel's de-duplication map and reports the last use of every object
 * (KENSA_SENSOR_SEEN). Its counters — every lost event by reason — come from a per-CPU array.
 *
 * What it is not: a fallback chooser; kensa_sensor_open() falls back to proc when this
 * engine cannot open, with the reason this file gives.
 */
#include <errno.h>
#include <stdlib.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "../../bpf/sensor.h"
#include "sensor.h"
#include "sensor.skel.h"

#define BTF_PATH "/sys/kernel/btf/vmlinux"

struct ebpf_engine {
	struct sensor_bpf *skel;
	struct ring_buffer *rb;
	struct kensa_sensor *s;
	struct ks_procscan *snapshot;	/* until the first poll */
	uint64_t last_flush_boot;	/* boot ns: SEEN events cover uses after this */
	uint64_t bad_events;
	uint64_t dedup_hits;		/* repeats folded by the kernel, summed at the last flush */
	int ncpus;
};

/* ---------------------------------------------------------------- availability */

static bool has_cap(int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) != 0)
		return false;
	return (d[cap / 32].effective >> (cap % 32)) & 1;
}

#ifndef CAP_BPF
#define CAP_BPF 39
#endif
#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif

bool kensa_sensor_ebpf_available(struct kensa_err *err)
{
	struct stat st;

	if (geteuid() != 0 && !(has_cap(CAP_BPF) && has_cap(CAP_PERFMON)) &&
	    !has_cap(CAP_SYS_ADMIN)) {
		kensa_err_set(err, KENSA_EPERM,
			      "not root: the ebpf engine needs root, or CAP_BPF and CAP_PERFMON "
			      "(+ CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH to read containers)");
		return false;
	}
	if (stat(BTF_PATH, &st) != 0) {
		kensa_err_set(err, KENSA_EUNSUPPORTED,
			      "no kernel BTF at %s (a kernel built without "
			      "CONFIG_DEBUG_INFO_BTF)",
			      BTF_PATH);
		return false;
	}
	return true;
}

/* libbpf talks through our log: its warnings are details of an error we report ourselves. */
static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char msg[1024];
	size_t n;

	if (level == LIBBPF_DEBUG || !ks_log_enabled(KENSA_LOG_DEBUG))
		return 0;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	ks_debug("libbpf: %s", msg);
	return 0;
}

/* ---------------------------------------------------------------- decoding */

static uint64_t user_dev(uint64_t kdev)
{
	return (uint64_t)makedev((unsigned)(kdev >> 20), (unsigned)(kdev & 0xfffff));
}

static void decode_task(const struct ks_bpf_hdr *h, struct kensa_task *t)
{
	t->pid = h->pid;
	t->tid = h->tid;
	t->uid = h->uid;
	t->euid = h->euid;
	t->start_ns = h->start_ns;
	t->cgroup_id = h->cgroup_id;
	t->mntns = h->mntns;
	memcpy(t->comm, h->comm, sizeof(t->comm));
	t->comm[sizeof(t->comm) - 1] = '\0';
}

static int on_ring(void *ctx, void *data, size_t size)
{
	struct ebpf_engine *ee = ctx;
	struct kensa_sensor *s = ee->s;
	const struct ks_bpf_hdr *h = data;
	struct kensa_sensor_event ev;

	if (size < sizeof(*h) || h->size > size) {
		ee->bad_events++;
		return 0;
	}
	memset(&ev, 0, sizeof(ev));
	ev.time_ns = ks_sensor_wall(s, h->time_ns);
	decode_task(h, &ev.task);
	switch (h->kind) {
	case KS_BPF_FILE: {
		const struct ks_bpf_file *f = data;
		size_t fixed = offsetof(struct ks_bpf_file, path);

		if (size < fixed || f->path_len > size - fixed || f->path_len > KS_BPF_PATH_MAX) {
			ee->bad_events++;
			return 0;
		}
		ev.kind = KENSA_SENSOR_FILE;
		ev.file.how = f->how;
		ev.file.open_flags = f->open_flags;
		ev.file.flags = (f->flags & KS_BPF_F_DELETED ? KENSA_FILE_DELETED : 0) |
				(f->flags & KS_BPF_F_PATH_TRUNC ? KENSA_FILE_TRUNCATED : 0) |
				(f->flags & KS_BPF_F_UNREACHABLE ? KENSA_FILE_UNREACHABLE : 0);
		ev.file.dev = user_dev(f->dev);
		ev.file.ino = f->ino;
		ev.file.path = f->path;
		ev.file.path_len = f->path_len;
		break;
	}
	case KS_BPF_EXEC: {
		const struct ks_bpf_exec *e = data;

		if (size < sizeof(*e) || e->filename_len >= KS_BPF_FILENAME_MAX ||
		    e->interp_len >= KS_BPF_FILENAME_MAX || e->args_len > KS_BPF_ARGS_MAX) {
			ee->bad_events++;
			return 0;
		}
		ev.kind = KENSA_SENSOR_EXEC;
		ev.exec.ppid = e->ppid;
		ev.exec.dev = user_dev(e->dev);
		ev.exec.ino = e->ino;
		ev.exec.filename = e->data;
		ev.exec.filename_len = e->filename_len;
		ev.exec.interp = e->data + KS_BPF_FILENAME_MAX;
		ev.exec.interp_len = e->interp_len;
		ev.exec.args = e->data + 2 * KS_BPF_FILENAME_MAX;
		ev.exec.args_len = e->args_len;
		break;
	}
	case KS_BPF_FORK: {
		const struct ks_bpf_fork *f = data;

		if (size < sizeof(*f)) {
			ee->bad_events++;
			return 0;
		}
		ev.kind = KENSA_SENSOR_FORK;
		ev.fork.child_pid = f->child_pid;
		ev.fork.child_start_ns = f->child_start_ns;
		break;
	}
	case KS_BPF_EXIT: {
		const struct ks_bpf_exit *x = data;

		if (size < sizeof(*x)) {
			ee->bad_events++;
			return 0;
		}
		ev.kind = KENSA_SENSOR_EXIT;
		ev.exit.status = x->exit_code;
		break;
	}
	case KS_BPF_NET: {
		const struct ks_bpf_net *n = data;

		if (size < sizeof(*n)) {
			ee->bad_events++;
			return 0;
		}
		ev.kind = KENSA_SENSOR_NET;
		ev.net.op = n->op;
		ev.net.family = n->family;
		ev.net.protocol = n->protocol;
		ev.net.type = n->type;
		ev.net.lport = n->lport;
		ev.net.rport = n->rport;
		ev.net.ret = n->ret;
		memcpy(ev.net.laddr, n->laddr, 16);
		memcpy(ev.net.raddr, n->raddr, 16);
		break;
	}
	default:
		ee->bad_events++;
		return 0;
	}
	ks_sensor_emit(s, &ev);
	return s->stop ? -1 : 0;	/* a negative value stops ring_buffer__poll */
}

/* ---------------------------------------------------------------- lifecycle */

static void ebpf_close(struct kensa_sensor *s)
{
	struct ebpf_engine *ee = s->priv;

	if (!ee)
		return;
	ring_buffer__free(ee->rb);
	sensor_bpf__destroy(ee->skel);
	ks_procscan_free(ee->snapshot);
	free(ee);
	s->priv = NULL;
}

/*
 * The kernel has bpf_rdonly_cast() (6.2+): ks_sys_exit reads files with plain loads, else
 * ks_sys_exit_nocast with bpf_probe_read_kernel(). KENSA_TEST_BPF_NOCAST=1 forces the
 * latter, so the tests cover it on new kernels too.
 */
static bool kernel_has_rdonly_cast(void)
{
	const char *force = getenv("KENSA_TEST_BPF_NOCAST");
	struct btf *btf;
	bool found;

	if (force && strcmp(force, "1") == 0)
		return false;
	btf = btf__load_vmlinux_btf();
	if (libbpf_get_error(btf))
		return false;
	found = btf__find_by_name_kind(btf, "bpf_rdonly_cast", BTF_KIND_FUNC) >= 0;
	btf__free(btf);
	return found;
}

/* Attach every program that was loaded. */
static int attach_all(struct ebpf_engine *ee, struct kensa_err *err)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, ee->skel->obj) {
		struct bpf_link *link;
		long e;

		if (!bpf_program__autoload(prog))
			continue;
		link = bpf_program__attach(prog);
		e = libbpf_get_error(link);
		if (e)
			return kensa_err_set(err, KENSA_EUNSUPPORTED,
					     "cannot attach the BPF program %s: %s",
					     bpf_program__name(prog), strerror((int)-e));
		/* the skeleton destroys links it knows; keep ours in its array */
		for (size_t i = 0; i < (size_t)ee->skel->skeleton->prog_cnt; i++)
			if (*ee->skel->skeleton->progs[i].prog == prog)
				*ee->skel->skeleton->progs[i].link = link;
	}
	return 0;
}

static int ebpf_open(struct kensa_sensor *s, struct kensa_err *err)
{
	struct ebpf_engine *ee = NULL;
	uint32_t ring = s->opts.ring_mb ? s->opts.ring_mb : 16;
	int result = 0, rc;
	bool cast;

	if (!kensa_sensor_ebpf_available(err))
		return err && err->code ? err->code : KENSA_EPERM;
	if (ring & (ring - 1) || ring > 1024)
		return kensa_err_set(err, KENSA_EINVAL,
				     "the ring buffer size must be a power of two up to 1024 MiB");
	ee = calloc(1, sizeof(*ee));
	if (!ee)
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	ee->s = s;
	s->priv = ee;
	libbpf_set_print(libbpf_log);
	ee->skel = sensor_bpf__open();
	if (!ee->skel) {
		result = kensa_err_set(err, KENSA_EIO, "cannot open the BPF object: %s",
				       strerror(errno));
		goto out;
	}
	ee->skel->rodata->cfg_filter =
		s->opts.targets_only ? KS_BPF_FILTER_TARGETS : KS_BPF_FILTER_ALL;
	ee->skel->rodata->cfg_self_tgid = s->self_pid;
	ee->skel->rodata->cfg_skip_mntns = s->opts.containers_only ? s->host_mntns : 0;
	ee->skel->rodata->cfg_wake_bytes = (uint64_t)ring << 20 >> 4;	/* 1/16 of the ring */
	bpf_map__set_max_entries(ee->skel->maps.events, ring << 20);
	if (s->opts.dedup_entries)
		bpf_map__set_max_entries(ee->skel->maps.dedup, s->opts.dedup_entries);
	cast = kernel_has_rdonly_cast();
	bpf_program__set_autoload(ee->skel->progs.ks_sys_exit, cast);
	bpf_program__set_autoload(ee->skel->progs.ks_sys_exit_nocast, !cast);
	ks_debug("sensor: files read with %s",
		 cast ? "bpf_rdonly_cast" : "bpf_probe_read_kernel");
	rc = sensor_bpf__load(ee->skel);
	if (rc) {
		int e = errno ? errno : -rc;

		result = kensa_err_set(
			err, e == EPERM || e == EACCES ? KENSA_EPERM : KENSA_EUNSUPPORTED,
			"the kernel refused the BPF programs: %s (run with -vv for libbpf's log)",
			strerror(e));
		goto out;
	}
	result = attach_all(ee, err);
	if (result)
		goto out;
	ee->rb = ring_buffer__new(bpf_map__fd(ee->skel->maps.events), on_ring, ee, NULL);
	if (!ee->rb) {
		result = kensa_err_set(err, KENSA_EIO, "cannot map the ring buffer: %s",
				       strerror(errno));
		goto out;
	}
	ee->ncpus = libbpf_num_possible_cpus();
	if (ee->ncpus <= 0)
		ee->ncpus = 1;
	if (s->opts.snapshot) {
		struct ks_procscan_opts po = { s->opts.targets_only, false,
						 s->opts.containers_only ? s->host_mntns : 0 };

		if (ks_procscan_new(&po, &ee->snapshot)) {
			result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
			goto out;
		}
	}
	ee->last_flush_boot = ks_boot_ns();
	ks_sensor_caveat(
		s, "opens through io_uring or open_by_handle_at, and mprotect() making a mapping "
		   "executable, are not seen");
out:
	if (result)
		ebpf_close(s);
	return result;
}

static int ebpf_poll(struct kensa_sensor *s, int timeout_ms, struct kensa_err *err)
{
	struct ebpf_engine *ee = s->priv;
	int rc;

	if (ee->snapshot) {	/* what the targets had before we started */
		ks_procscan_round(ee->snapshot, s);
		ks_procscan_free(ee->snapshot);
		ee->snapshot = NULL;
		if (s->stop)
			return 0;
	}
	/* events written without a wake-up (below the threshold) are only found by consuming */
	rc = ring_buffer__poll(ee->rb, timeout_ms);
	if (rc >= 0 && !s->stop)
		rc = ring_buffer__consume(ee->rb);
	if (rc < 0 && rc != -EINTR && !s->stop)
		return kensa_err_set(err, KENSA_EIO, "cannot read the ring buffer: %s",
				     strerror(-rc));
	return 0;
}

/* Last uses of de-duplicated files since the previous flush, from the kernel's LRU map. */
static int ebpf_flush(struct kensa_sensor *s, struct kensa_err *err)
{
	struct ebpf_engine *ee = s->priv;
	int fd = bpf_map__fd(ee->skel->maps.dedup);
	struct ks_bpf_dedup_key key, next;
	struct ks_bpf_dedup_val val;
	void *prev = NULL;
	uint64_t since = ee->last_flush_boot, now = ks_boot_ns();
	size_t guard = 0, max = bpf_map__max_entries(ee->skel->maps.dedup) * 2u + 16;
	uint64_t repeats = 0;

	KS_UNUSED(err);
	while (!s->stop && guard++ < max && bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &val) != 0)
			continue;	/* evicted meanwhile */
		if (val.first_ns && val.count > 1)
			repeats += val.count - 1;
		if ((key.kind >> 8) != KS_BPF_FILE || !val.first_ns || val.last_ns <= since ||
		    val.last_ns == val.first_ns)
			continue;
		{
			struct kensa_sensor_event ev;

			memset(&ev, 0, sizeof(ev));
			ev.kind = KENSA_SENSOR_SEEN;
			ev.time_ns = ks_sensor_wall(s, val.last_ns);
			ev.task.cgroup_id = key.cgroup_id;
			ev.task.mntns = key.mntns;
			ev.seen.how = key.kind & 0xff;
			ev.seen.dev = user_dev(key.a);
			ev.seen.ino = key.b;
			ev.seen.last_ns = ev.time_ns;
			ev.seen.count = val.count;
			ks_sensor_emit(s, &ev);
		}
	}
	ee->last_flush_boot = now;
	ee->dedup_hits = repeats;
	return 0;
}

static int ebpf_track_pid(struct kensa_sensor *s, uint32_t pid, struct kensa_err *err)
{
	struct ebpf_engine *ee = s->priv;
	uint8_t one = 1;

	if (ee->snapshot)
		ks_procscan_track_pid(ee->snapshot, pid);
	if (bpf_map_update_elem(bpf_map__fd(ee->skel->maps.tracked_pids), &pid, &one, BPF_ANY) != 0)
		return kensa_err_set(err, KENSA_EIO, "cannot follow pid %u: %s", pid,
				     strerror(errno));
	return 0;
}

static int ebpf_track_mntns(struct kensa_sensor *s, uint32_t mntns, struct kensa_err *err)
{
	struct ebpf_engine *ee = s->priv;
	uint8_t one = 1;

	if (ee->snapshot)
		ks_procscan_track_mntns(ee->snapshot, mntns);
	if (bpf_map_update_elem(bpf_map__fd(ee->skel->maps.tracked_mntns), &mntns, &one, BPF_ANY) !=
	    0)
		return kensa_err_set(err, KENSA_EIO, "cannot follow mount namespace %u: %s", mntns,
				     strerror(errno));
	return 0;
}

static void ebpf_stats(const struct kensa_sensor *s, struct kensa_sensor_stats *st)
{
	const struct ebpf_engine *ee = s->priv;
	int fd = bpf_map__fd(ee->skel->maps.counters);
	uint64_t sum[KS_BPF_C_MAX] = { 0 };
	uint64_t *vals = calloc((size_t)ee->ncpus, sizeof(*vals));

	for (uint32_t c = 0; vals && c < KS_BPF_C_MAX; c++) {
		if (bpf_map_lookup_elem(fd, &c, vals) != 0)
			continue;
		for (int cpu = 0; cpu < ee->ncpus; cpu++)
			sum[c] += vals[cpu];
	}
	free(vals);
	st->drop_ringbuf = sum[KS_BPF_C_DROP_RINGBUF];
	st->drop_nofile = sum[KS_BPF_C_DROP_NOFILE];
	st->drop_track = sum[KS_BPF_C_DROP_TRACK_FULL];
	st->dedup_full = sum[KS_BPF_C_DROP_DEDUP_FULL];
	st->path_truncated = sum[KS_BPF_C_PATH_TRUNC];
	st->dedup_hits = ee->dedup_hits;
	st->drop_decode = ee->bad_events;
}

const struct ks_engine ks_engine_ebpf = {
	.name = "ebpf",
	.live = true,
	.open = ebpf_open,
	.poll = ebpf_poll,
	.flush = ebpf_flush,
	.track_pid = ebpf_track_pid,
	.track_mntns = ebpf_track_mntns,
	.stats = ebpf_stats,
	.close = ebpf_close,
};
