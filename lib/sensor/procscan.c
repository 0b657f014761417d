// SPDX-License-Identifier: Apache-2.0
/*
 * procscan.c — one look at /proc, turned into sensor events: for each target process its
 * program (/proc/PID/exe), its executable file mappings (/proc/PID/maps), its open regular
 * files (/proc/PID/fd) and its listening sockets (/proc/PID/net/{tcp,udp} matched to its socket
 * fds). Repeated rounds report only what is new, processes that appeared (as EXEC) and ended
 * (EXIT).
 *
 * Used by the proc engine on every poll, and once by the ebpf engine when it starts, so what
 * was loaded before the sensor ran is not missed.
 *
 * What it is not: complete. A file opened and closed between two rounds is never seen, and
 * the exact time of an exec is unknown (the round's time is used). Processes are identified
 * by (pid, start time): a reused pid is a new process.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "runtime/runtime.h"
#include "sensor.h"

#define SEEN_MAX 262144		/* distinct (process group, object) pairs remembered */
#define MAPS_MAX ((size_t)16 << 20)
#define FDS_MAX 65536		/* per process per round */

struct proc_ent {
	uint32_t pid;		/* the map key points here */
	uint32_t ppid;
	uint64_t start_ns;
	uint64_t cgroup_id;
	uint32_t mntns, netns;
	uint32_t uid, euid;
	char comm[16];
	uint64_t exe_dev, exe_ino;
	bool member;		/* a target (stays one when its parent exits) */
	bool announced;		/* EXEC reported */
	uint64_t *socks;	/* socket inodes this round */
	size_t nsocks, capsocks;
};

struct seen_key {
	uint64_t cgroup_id;
	uint32_t mntns;
	uint32_t kind;		/* how, or 0x100 | net op */
	uint64_t a, b;
};

struct seen_ent {
	struct seen_key k;
	uint64_t last_ns;
	struct kensa_task task;
};

struct ks_procscan {
	struct ks_procscan_opts o;
	struct ks_map procs;		/* pid → struct proc_ent * */
	struct ks_map tracked;		/* pid → 1 (keys in `arena`) */
	struct ks_map mntns;		/* mntns → 1 */
	struct ks_map seen;		/* struct seen_key → struct seen_ent * (in seen_arena) */
	struct ks_arena arena, seen_arena;
	struct ks_buf buf;
	uint64_t rounds;
	uint64_t self_dev, self_ino;
	uint32_t self_pid;
};

int ks_procscan_new(const struct ks_procscan_opts *o, struct ks_procscan **out)
{
	struct ks_procscan *ps = calloc(1, sizeof(*ps));
	struct stat st;

	*out = NULL;
	if (!ps)
		return KENSA_ENOMEM;
	ps->o = *o;
	ps->self_pid = (uint32_t)getpid();
	if (stat("/proc/self/exe", &st) == 0) {
		ps->self_dev = (uint64_t)st.st_dev;
		ps->self_ino = (uint64_t)st.st_ino;
	}
	*out = ps;
	return 0;
}

static void free_ent(struct proc_ent *e)
{
	if (e) {
		free(e->socks);
		free(e);
	}
}

void ks_procscan_free(struct ks_procscan *ps)
{
	if (!ps)
		return;
	for (size_t i = 0; i < ps->procs.cap; i++)
		if (ps->procs.slots[i].key)
			free_ent((struct proc_ent *)(uintptr_t)ps->procs.slots[i].value);
	ks_map_release(&ps->procs);
	ks_map_release(&ps->tracked);
	ks_map_release(&ps->mntns);
	ks_map_release(&ps->seen);
	ks_arena_release(&ps->arena);
	ks_arena_release(&ps->seen_arena);
	ks_buf_release(&ps->buf);
	free(ps);
}

static void track(struct ks_procscan *ps, struct ks_map *m, uint32_t v)
{
	uint32_t *k = ks_arena_alloc(&ps->arena, sizeof(*k));

	if (k) {
		*k = v;
		ks_map_put(m, (const char *)k, sizeof(*k), 1);
	}
}

void ks_procscan_track_pid(struct ks_procscan *ps, uint32_t pid)
{
	track(ps, &ps->tracked, pid);
}

void ks_procscan_track_mntns(struct ks_procscan *ps, uint32_t mntns)
{
	track(ps, &ps->mntns, mntns);
}

uint64_t ks_procscan_rounds(const struct ks_procscan *ps)
{
	return ps->rounds;
}

/* ---------------------------------------------------------------- events */

static void task_of(const struct proc_ent *e, struct kensa_task *t)
{
	memset(t, 0, sizeof(*t));
	t->pid = e->pid;
	t->tid = e->pid;
	t->uid = e->uid;
	t->euid = e->euid;
	t->start_ns = e->start_ns;
	t->cgroup_id = e->cgroup_id;
	t->mntns = e->mntns;
	memcpy(t->comm, e->comm, sizeof(t->comm));
}

static uint64_t wall_now(const struct kensa_sensor *s)
{
	return ks_sensor_wall(s, ks_boot_ns());
}

/* First time this (process group, object)? Remember it (and refresh its last use) either way. */
static bool first_sight(struct ks_procscan *ps, const struct proc_ent *e, uint32_t kind, uint64_t a,
			uint64_t b, uint64_t now)
{
	struct seen_key k;
	struct seen_ent *se;
	uint64_t v;

	memset(&k, 0, sizeof(k));
	k.cgroup_id = e->cgroup_id;
	k.mntns = e->mntns;
	k.kind = kind;
	k.a = a;
	k.b = b;
	if (ks_map_get(&ps->seen, (const char *)&k, sizeof(k), &v)) {
		((struct seen_ent *)(uintptr_t)v)->last_ns = now;
		return false;
	}
	if (ps->seen.count >= SEEN_MAX) {	/* forget everything: objects are reported again */
		ks_map_release(&ps->seen);
		ks_arena_release(&ps->seen_arena);
	}
	se = ks_arena_alloc(&ps->seen_arena, sizeof(*se));
	if (se) {
		se->k = k;
		se->last_ns = now;
		task_of(e, &se->task);
		ks_map_put(&ps->seen, (const char *)&se->k, sizeof(se->k), (uint64_t)(uintptr_t)se);
	}
	return true;
}

static void emit_file(struct ks_procscan *ps, struct kensa_sensor *s, const struct proc_ent *e,
		      uint32_t how, uint64_t dev, uint64_t ino, const char *path, size_t plen,
		      bool deleted, uint64_t now)
{
	struct kensa_sensor_event ev;

	if (!first_sight(ps, e, how, dev, ino, now))
		return;
	memset(&ev, 0, sizeof(ev));
	ev.kind = KENSA_SENSOR_FILE;
	ev.time_ns = now;
	task_of(e, &ev.task);
	ev.file.how = how;
	ev.file.dev = dev;
	ev.file.ino = ino;
	ev.file.flags = deleted ? KENSA_FILE_DELETED : 0;
	ev.file.path = path;
	ev.file.path_len = plen;
	ks_sensor_emit(s, &ev);
}

/* ---------------------------------------------------------------- one process */

static void announce(struct ks_procscan *ps, struct kensa_sensor *s, struct proc_ent *e,
		     uint64_t now);

/* The program: a process that exec'd another since the last round (same pid and start
 * time, new executable) is announced again. */
static void scan_exe(struct ks_procscan *ps, struct kensa_sensor *s, struct proc_ent *e,
		     uint64_t now)
{
	char link[4096], path[64];
	ssize_t n;
	static const char deleted[] = " (deleted)";
	bool del = false;
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%u/exe", e->pid);
	if (stat(path, &st) == 0 &&
	    ((uint64_t)st.st_dev != e->exe_dev || (uint64_t)st.st_ino != e->exe_ino)) {
		e->exe_dev = (uint64_t)st.st_dev;
		e->exe_ino = (uint64_t)st.st_ino;
		if (ks_proc_read(e->pid, "stat", &ps->buf, 4096) == 0 && ps->buf.data) {
			struct ks_proc_stat pst;

			if (ks_proc_stat_parse(ps->buf.data, ps->buf.len, &pst) == 0)
				memcpy(e->comm, pst.comm, sizeof(e->comm));
		}
		announce(ps, s, e, now);
	}
	n = ks_proc_link(e->pid, "exe", link, sizeof(link));
	if (n <= 0 || link[0] != '/')
		return;
	if (ks_mem_endswith(link, (size_t)n, deleted)) {
		n -= (ssize_t)(sizeof(deleted) - 1);
		del = true;
	}
	emit_file(ps, s, e, KENSA_HOW_EXEC, e->exe_dev, e->exe_ino, link, (size_t)n, del, now);
}

static void scan_maps(struct ks_procscan *ps, struct kensa_sensor *s, struct proc_ent *e,
		      uint64_t now)
{
	const char *p, *end;

	if (ks_proc_read(e->pid, "maps", &ps->buf, MAPS_MAX) != 0 || !ps->buf.data)
		return;
	p = ps->buf.data;
	end = ps->buf.data + ps->buf.len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		struct ks_maps_entry m;

		if (ks_proc_maps_line(p, n, &m) == 0 && m.perms[2] == 'x' && m.path_len &&
		    m.path[0] == '/' && m.inode) {
			uint64_t dev = (uint64_t)makedev(m.dev_major, m.dev_minor);
			char path[4096];
			size_t plen = KS_MIN(m.path_len, sizeof(path));

			if (!(dev == e->exe_dev && m.inode == e->exe_ino)) {
				memcpy(path, m.path, plen);
				plen = ks_proc_unescape(path, plen);
				emit_file(ps, s, e, KENSA_HOW_MMAP, dev, m.inode, path, plen,
					  m.deleted, now);
			}
		}
		p = nl ? nl + 1 : end;
	}
}

static void scan_fds(struct ks_procscan *ps, struct kensa_sensor *s, struct proc_ent *e,
		     uint64_t now)
{
	char dir[64];
	DIR *d;
	struct dirent *de;
	size_t count = 0;
	int dfd;

	e->nsocks = 0;
	snprintf(dir, sizeof(dir), "/proc/%u/fd", e->pid);
	d = opendir(dir);
	if (!d)
		return;
	dfd = dirfd(d);
	while ((de = readdir(d)) && count++ < FDS_MAX) {
		char link[4096];
		ssize_t n;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		n = readlinkat(dfd, de->d_name, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (ks_str_startswith(link, "socket:[")) {
			uint64_t ino;

			if (link[n - 1] == ']' && ks_parse_u64(link + 8, (size_t)n - 9, &ino) &&
			    !KS_GROW(e->socks, e->capsocks, e->nsocks + 1))
				e->socks[e->nsocks++] = ino;
			continue;
		}
		if (link[0] != '/' || fstatat(dfd, de->d_name, &st, 0) != 0 || !S_ISREG(st.st_mode))
			continue;
		{
			static const char deleted[] = " (deleted)";
			bool del = ks_mem_endswith(link, (size_t)n, deleted) && st.st_nlink == 0;

			if (del)
				n -= (ssize_t)(sizeof(deleted) - 1);
			emit_file(ps, s, e, KENSA_HOW_OPEN, (uint64_t)st.st_dev,
				  (uint64_t)st.st_ino, link, (size_t)n, del, now);
		}
	}
	closedir(d);
}

static bool has_sock(const struct proc_ent *e, uint64_t ino)
{
	for (size_t i = 0; i < e->nsocks; i++)
		if (e->socks[i] == ino)
			return true;
	return false;
}

/* Listening TCP sockets and bound UDP sockets of e, from its network namespace's tables. */
static void scan_net(struct ks_procscan *ps, struct kensa_sensor *s, struct proc_ent *e,
		     uint64_t now)
{
	static const struct {
		const char *file;
		int family;
		uint16_t protocol, type;
	} tables[] = {
		{ "net/tcp", AF_INET, 6, SOCK_STREAM },
		{ "net/tcp6", AF_INET6, 6, SOCK_STREAM },
		{ "net/udp", AF_INET, 17, SOCK_DGRAM },
		{ "net/udp6", AF_INET6, 17, SOCK_DGRAM },
	};

	if (!e->nsocks)
		return;
	for (size_t t = 0; t < KS_ARRAY_SIZE(tables); t++) {
		const char *p, *end;

		if (ks_proc_read(e->pid, tables[t].file, &ps->buf, MAPS_MAX) != 0 || !ps->buf.data)
			continue;
		p = ps->buf.data;
		end = p + ps->buf.len;
		while (p < end) {
			const char *line = p, *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = (size_t)((nl ? nl : end) - p);
			struct ks_net_line nlr;
			bool tcp = tables[t].protocol == 6;

			p = nl ? nl + 1 : end;
			if (ks_proc_net_line(line, n, tables[t].family, &nlr) != 0)
				continue;
			if ((tcp && nlr.state != 0x0A) || (!tcp && (nlr.rport || !nlr.lport)))
				continue;
			if (!has_sock(e, nlr.inode))
				continue;
			{
				struct kensa_sensor_event ev;
				uint64_t a, b;

				memcpy(&a, nlr.laddr, 8);
				memcpy(&b, nlr.laddr + 8, 8);
				if (!first_sight(ps, e,
						 0x100u | (tcp ? KENSA_NET_LISTEN : KENSA_NET_BIND),
						 a ^ b,
						 (uint64_t)tables[t].family << 48 |
							 (uint64_t)tables[t].protocol << 32 |
							 (uint64_t)nlr.lport << 16,
						 now))
					continue;
				memset(&ev, 0, sizeof(ev));
				ev.kind = KENSA_SENSOR_NET;
				ev.time_ns = now;
				task_of(e, &ev.task);
				ev.net.op = tcp ? KENSA_NET_LISTEN : KENSA_NET_BIND;
				ev.net.family = (uint16_t)tables[t].family;
				ev.net.protocol = tables[t].protocol;
				ev.net.type = tables[t].type;
				ev.net.lport = nlr.lport;
				memcpy(ev.net.laddr, nlr.laddr, 16);
				ks_sensor_emit(s, &ev);
			}
		}
	}
}

/* Fill identity fields of a process seen for the first time. */
static void identify(struct ks_procscan *ps, struct proc_ent *e)
{
	struct stat st;
	char path[64];
	uint32_t uid = 0, euid = 0;

	if (ks_proc_read(e->pid, "status", &ps->buf, 65536) == 0 && ps->buf.data &&
	    ks_proc_status_uids(ps->buf.data, ps->buf.len, &uid, &euid) == 0) {
		e->uid = uid;
		e->euid = euid;
	}
	e->mntns = ks_proc_mntns(e->pid);
	e->cgroup_id = ks_proc_cgroup_id(e->pid);
	snprintf(path, sizeof(path), "/proc/%u/exe", e->pid);
	if (stat(path, &st) == 0) {
		e->exe_dev = (uint64_t)st.st_dev;
		e->exe_ino = (uint64_t)st.st_ino;
	}
}

static void announce(struct ks_procscan *ps, struct kensa_sensor *s, struct proc_ent *e,
		     uint64_t now)
{
	struct kensa_sensor_event ev;
	char exe[4096];
	ssize_t n = ks_proc_link(e->pid, "exe", exe, sizeof(exe));

	memset(&ev, 0, sizeof(ev));
	ev.kind = KENSA_SENSOR_EXEC;
	ev.time_ns = now;
	task_of(e, &ev.task);
	ev.exec.ppid = e->ppid;
	ev.exec.dev = e->exe_dev;
	ev.exec.ino = e->exe_ino;
	ev.exec.filename = n > 0 ? exe : "";
	ev.exec.filename_len = n > 0 ? (size_t)n : 0;
	ev.exec.interp = "";
	n = ks_proc_read(e->pid, "cmdline", &ps->buf, 256);
	if ((n == 0 || n == KENSA_ELIMIT) && ps->buf.data) {
		ev.exec.args = ps->buf.data;
		ev.exec.args_len = ps->buf.len;
	}
	ks_sensor_emit(s, &ev);
	e->announced = true;
}

/* ---------------------------------------------------------------- a round */

static bool tracked(const struct ks_map *m, uint32_t v)
{
	return m->count && ks_map_get(m, (const char *)&v, sizeof(v), NULL);
}

int ks_procscan_round(struct ks_procscan *ps, struct kensa_sensor *s)
{
	struct ks_map now_map = KS_MAP_INIT;
	struct proc_ent **list = NULL;
	size_t n = 0, cap = 0;
	uint64_t before = s->delivered, now = wall_now(s);
	DIR *d = opendir("/proc");
	struct dirent *de;
	bool changed;

	if (!d)
		return KENSA_EIO;
	while ((de = readdir(d))) {
		uint64_t pid64;
		struct ks_proc_stat st;
		struct proc_ent *e;
		uint64_t v, start;
		uint32_t pid;

		if (!ks_parse_u64(de->d_name, strlen(de->d_name), &pid64) || pid64 == 0 ||
		    pid64 > UINT32_MAX)
			continue;
		pid = (uint32_t)pid64;
		if (pid == ps->self_pid)
			continue;
		if (ks_proc_read(pid, "stat", &ps->buf, 4096) != 0 || !ps->buf.data ||
		    ks_proc_stat_parse(ps->buf.data, ps->buf.len, &st) != 0)
			continue;	/* gone meanwhile */
		start = st.starttime * ks_proc_tick_ns();
		e = NULL;
		if (ks_map_get(&ps->procs, (const char *)&pid, sizeof(pid), &v)) {
			struct proc_ent *old = (struct proc_ent *)(uintptr_t)v;

			if (old->start_ns == start) {
				e = old;	/* the same process */
				ks_map_put(&ps->procs, (const char *)&old->pid, sizeof(old->pid),
					   0);
			}
		}
		if (!e) {
			e = calloc(1, sizeof(*e));
			if (!e)
				break;
			e->pid = pid;
			e->start_ns = start;
		}
		e->ppid = st.ppid;
		memcpy(e->comm, st.comm, sizeof(e->comm));
		if (KS_GROW(list, cap, n + 1) ||
		    ks_map_put(&now_map, (const char *)&e->pid, sizeof(e->pid),
			       (uint64_t)(uintptr_t)e)) {
			free_ent(e);
			break;
		}
		list[n++] = e;
	}
	closedir(d);

	/* what is left in the old map has ended (or its pid was reused): report that first,
	 * so a reused pid's end comes before its new process */
	for (size_t i = 0; i < ps->procs.cap; i++) {
		struct proc_ent *e;

		if (!ps->procs.slots[i].key || !ps->procs.slots[i].value)
			continue;
		e = (struct proc_ent *)(uintptr_t)ps->procs.slots[i].value;
		if (ps->o.report_exits && e->announced && !s->stop) {
			struct kensa_sensor_event ev;

			memset(&ev, 0, sizeof(ev));
			ev.kind = KENSA_SENSOR_EXIT;
			ev.time_ns = now;
			task_of(e, &ev.task);
			ks_sensor_emit(s, &ev);
		}
		free_ent(e);
	}
	/* membership: everything, or tracked pids, their descendants and tracked namespaces */
	do {
		changed = false;
		for (size_t i = 0; i < n; i++) {
			struct proc_ent *e = list[i];
			uint64_t v;

			if (e->member)
				continue;
			if (!ps->o.targets_only || tracked(&ps->tracked, e->pid) ||
			    (ks_map_get(&now_map, (const char *)&e->ppid, sizeof(e->ppid), &v) &&
			     ((struct proc_ent *)(uintptr_t)v)->member)) {
				e->member = true;
				changed = true;
			} else if (ps->mntns.count) {
				if (!e->mntns)
					e->mntns = ks_proc_mntns(e->pid);
				if (tracked(&ps->mntns, e->mntns)) {
					e->member = true;
					changed = true;
				}
			}
		}
	} while (changed && ps->o.targets_only);

	for (size_t i = 0; i < n && !s->stop; i++) {
		struct proc_ent *e = list[i];

		if (!e->member)
			continue;
		if (ps->o.skip_mntns) {
			if (!e->mntns)
				e->mntns = ks_proc_mntns(e->pid);
			if (e->mntns == ps->o.skip_mntns)
				continue;
		}
		if (!e->announced) {
			identify(ps, e);
			if (ps->self_ino && e->exe_dev == ps->self_dev &&
			    e->exe_ino == ps->self_ino)
				/* our own child before its exec: not the workload yet */
				continue;
			announce(ps, s, e, now);
		}
		scan_exe(ps, s, e, now);
		scan_maps(ps, s, e, now);
		scan_fds(ps, s, e, now);
		scan_net(ps, s, e, now);
	}

	ks_map_release(&ps->procs);
	ps->procs = now_map;
	free(list);
	ps->rounds++;
	return (int)KS_MIN(s->delivered - before, (uint64_t)INT32_MAX);
}

int ks_procscan_seen(struct ks_procscan *ps, struct kensa_sensor *s)
{
	for (size_t i = 0; i < ps->seen.cap && !s->stop; i++) {
		const struct seen_ent *se;
		struct kensa_sensor_event ev;

		if (!ps->seen.slots[i].key)
			continue;
		se = (const struct seen_ent *)(uintptr_t)ps->seen.slots[i].value;
		if (se->k.kind & 0x100)
			continue;	/* sockets: listening is a state, not a use */
		memset(&ev, 0, sizeof(ev));
		ev.kind = KENSA_SENSOR_SEEN;
		ev.time_ns = se->last_ns;
		ev.task = se->task;
		ev.seen.how = se->k.kind;
		ev.seen.dev = se->k.a;
		ev.seen.ino = se->k.b;
		ev.seen.last_ns = se->last_ns;
		ks_sensor_emit(s, &ev);
	}
	return 0;
}
