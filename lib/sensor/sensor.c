// SPDX-License-Identifier: Apache-2.0
/*
 * sensor.c — the engine-independent half of the sensor: the engine table, opening with
 * fallback (ebpf → proc with a clear reason), container attribution of new (cgroup, mount
 * namespace) pairs, recording, statistics, and the clock conversion every engine uses.
 *
 * What it is not: an engine. Engines (engine-*.c) produce events; everything they share
 * happens here, in ks_sensor_emit(), so a replayed file and a live kernel look the same to
 * the profile above.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "runtime/runtime.h"
#include "sensor.h"

static const struct ks_engine *const engines[] = {
	&ks_engine_ebpf,
	&ks_engine_proc,
	&ks_engine_replay,
};

#define ROOT_FDS_MAX 64		/* container roots kept open (oldest closed first) */

/* ---------------------------------------------------------------- clocks */

uint64_t ks_boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int64_t ks_boot_to_wall(void)
{
	struct timespec rt, bt;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	return ((int64_t)rt.tv_sec - (int64_t)bt.tv_sec) * 1000000000LL +
	       ((int64_t)rt.tv_nsec - (int64_t)bt.tv_nsec);
}

uint64_t ks_sensor_wall(const struct kensa_sensor *s, uint64_t boot_ns)
{
	return (uint64_t)((int64_t)boot_ns + s->boot_to_wall);
}

/* ---------------------------------------------------------------- attribution cache */

struct pair_key {
	uint64_t cgroup_id;
	uint32_t mntns;
	uint32_t pad;
};

struct attrib_entry {
	struct pair_key key;
	struct kensa_container c;
	const char *rootfs;		/* where the runtime mounts its root, or NULL */
	int root_fd;
	uint64_t opened;		/* order of opening, for closing the oldest */
	uint64_t last_try;		/* boot ns of the last attempt to open its root */
};

struct ks_attrib {
	struct ks_map pairs;		/* pair_key bytes → struct attrib_entry * */
	struct attrib_entry **open_roots;
	size_t nopen, capopen;
	uint64_t seq;
};

static void attrib_free(struct ks_attrib *at)
{
	if (!at)
		return;
	for (size_t i = 0; i < at->nopen; i++)
		if (at->open_roots[i]->root_fd >= 0)
			close(at->open_roots[i]->root_fd);
	free(at->open_roots);
	ks_map_release(&at->pairs);
	free(at);
}

/* Keep at most ROOT_FDS_MAX roots open: close the oldest (its inventory was made long ago). */
static void attrib_keep_root(struct kensa_sensor *s, struct attrib_entry *e)
{
	struct ks_attrib *at = s->attrib;

	if (at->nopen >= ROOT_FDS_MAX) {
		struct attrib_entry *old = at->open_roots[0];

		close(old->root_fd);
		old->root_fd = -1;
		memmove(at->open_roots, at->open_roots + 1,
			(at->nopen - 1) * sizeof(*at->open_roots));
		at->nopen--;
	}
	if (KS_GROW(at->open_roots, at->capopen, at->nopen + 1)) {
		close(e->root_fd);
		e->root_fd = -1;
		e->c.root = NULL;
		return;
	}
	at->open_roots[at->nopen++] = e;
	e->opened = ++at->seq;
}

/* Try to open the container's root; true when it was opened now. */
static bool open_root(struct kensa_sensor *s, struct attrib_entry *e,
		      const struct kensa_sensor_event *ev)
{
	int fd;

	if (e->c.host || e->c.root)
		return false;
	e->last_try = ks_boot_ns();
	fd = ks_container_root(ev->task.pid, ev->task.start_ns, e->rootfs);
	if (fd < 0)
		return false;
	e->root_fd = fd;
	e->c.root = ks_arena_printf(&s->arena, "dir:/proc/self/fd/%d", fd);
	attrib_keep_root(s, e);
	return e->c.root != NULL;
}

static struct attrib_entry *attribute(struct kensa_sensor *s, const struct kensa_sensor_event *ev)
{
	struct pair_key key = { ev->task.cgroup_id, ev->task.mntns, 0 };
	struct attrib_entry *e;

	e = ks_arena_alloc(&s->arena, sizeof(*e));
	if (!e)
		return NULL;
	e->key = key;
	e->root_fd = -1;
	if (ks_container_attribute(&s->arena, ev->task.pid, ev->task.start_ns, key.cgroup_id,
				   key.mntns, s->host_mntns, &e->c, &e->rootfs) != 0)
		return NULL;
	if (e->c.host)
		e->c.root = "host";
	else
		open_root(s, e, ev);
	if (ks_map_put(&s->attrib->pairs, (const char *)&e->key, sizeof(e->key),
		       (uint64_t)(uintptr_t)e))
		return NULL;
	return e;
}

/* ---------------------------------------------------------------- emit */

static int deliver(struct kensa_sensor *s, const struct kensa_sensor_event *ev)
{
	if (s->rec && ks_record_write(s->rec, ev) != 0 && !s->rec_failed++)
		ks_warn("cannot write the record file: events are no longer recorded");
	s->delivered++;
	return s->fn ? s->fn(s->ud, ev) : 0;
}

static int announce(struct kensa_sensor *s, const struct attrib_entry *e, uint64_t time_ns)
{
	struct kensa_sensor_event cev;

	memset(&cev, 0, sizeof(cev));
	cev.kind = KENSA_SENSOR_CONTAINER;
	cev.time_ns = time_ns;
	cev.task.cgroup_id = e->key.cgroup_id;
	cev.task.mntns = e->key.mntns;
	cev.container = e->c;
	return deliver(s, &cev);
}

#define ROOT_RETRY_NS 20000000ULL	/* 20 ms between attempts, except at an exec */

int ks_sensor_emit(struct kensa_sensor *s, const struct kensa_sensor_event *ev)
{
	int rc;

	if (s->engine->live && !s->attrib_off && ev->kind != KENSA_SENSOR_CONTAINER &&
	    (ev->task.cgroup_id || ev->task.mntns)) {
		struct pair_key key = { ev->task.cgroup_id, ev->task.mntns, 0 };
		struct attrib_entry *e = NULL;
		uint64_t v;

		if (ks_map_get(&s->attrib->pairs, (const char *)&key, sizeof(key), &v)) {
			e = (struct attrib_entry *)(uintptr_t)v;
			/* a container whose root could not be opened yet (the runtime was still
			 * setting it up): try again, and tell the profile when it works */
			if (!e->c.root && !e->c.host &&
			    (ev->kind == KENSA_SENSOR_EXEC ||
			     ks_boot_ns() - e->last_try > ROOT_RETRY_NS) &&
			    open_root(s, e, ev) && (rc = announce(s, e, ev->time_ns)))
				return rc;
		} else {
			e = attribute(s, ev);
			if (e && (rc = announce(s, e, ev->time_ns)))
				return rc;
		}
	}
	return deliver(s, ev);
}

void ks_sensor_caveat(struct kensa_sensor *s, const char *text)
{
	char *copy = ks_arena_strdup(&s->arena, text);

	for (size_t i = 0; i < s->ncaveats; i++)
		if (strcmp(s->caveats[i], text) == 0)
			return;
	if (!copy || KS_GROW(s->caveats, s->capcaveats, s->ncaveats + 2))
		return;
	s->caveats[s->ncaveats++] = copy;
	s->caveats[s->ncaveats] = NULL;
}

/* ---------------------------------------------------------------- lifecycle */

static const struct ks_engine *engine_by_name(const char *name)
{
	for (size_t i = 0; i < KS_ARRAY_SIZE(engines); i++)
		if (strcmp(engines[i]->name, name) == 0)
			return engines[i];
	return NULL;
}

static char *dup_opt(struct ks_arena *a, const char *s)
{
	return s ? ks_arena_strdup(a, s) : NULL;
}

static int try_open(struct kensa_sensor *s, const struct ks_engine *e, struct kensa_err *err)
{
	int result;

	s->engine = e;
	s->engine_name = e->name;
	result = e->open(s, err);
	if (result)
		return result;
	if (s->opts.record_path && e->live) {
		result = ks_record_create(s->opts.record_path, e->name, &s->rec, err);
		if (result) {
			e->close(s);
			s->priv = NULL;
		}
	}
	return result;
}

int kensa_sensor_open(const struct kensa_sensor_opts *opts, struct kensa_sensor **out,
		      struct kensa_err *err)
{
	struct kensa_sensor_opts defaults = KENSA_SENSOR_OPTS_INIT;
	struct kensa_sensor *s = NULL;
	const struct ks_engine *e = NULL;
	int result;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (opts->engine && !(e = engine_by_name(opts->engine)))
		return kensa_err_set(err, KENSA_EINVAL,
				     "unknown sensor engine '%s' (ebpf, proc, replay)",
				     opts->engine);
	if (e == &ks_engine_replay && !opts->replay_path)
		return kensa_err_set(err, KENSA_EINVAL, "the replay engine needs a recorded file");
	s = calloc(1, sizeof(*s));
	if (!s || !(s->attrib = calloc(1, sizeof(*s->attrib)))) {
		result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		goto out;
	}
	s->opts = *opts;
	s->opts.engine = dup_opt(&s->arena, opts->engine);
	s->opts.replay_path = dup_opt(&s->arena, opts->replay_path);
	s->opts.record_path = dup_opt(&s->arena, opts->record_path);
	s->self_pid = (uint32_t)getpid();
	s->host_mntns = ks_proc_mntns(1);
	if (!s->host_mntns)
		s->host_mntns = ks_proc_mntns(s->self_pid);
	s->boot_to_wall = ks_boot_to_wall();

	if (e) {
		result = try_open(s, e, err);
	} else {
		struct kensa_err why = KENSA_ERR_INIT;

		result = try_open(s, &ks_engine_ebpf, &why);
		if (result) {
			ks_warn("the ebpf engine cannot run here (%s); using the proc engine, "
			        "which polls /proc "
				"and can miss files opened and closed between two polls",
				why.msg);
			result = try_open(s, &ks_engine_proc, err);
		}
	}
	if (result)
		goto out;
	*out = s;
	s = NULL;
out:
	kensa_sensor_free(s);
	return result;
}

void kensa_sensor_free(struct kensa_sensor *s)
{
	if (!s)
		return;
	if (s->rec) {
		struct kensa_sensor_stats st;

		kensa_sensor_stats(s, &st);
		ks_record_write_stats(s->rec, &st);
		if (ks_record_close(s->rec, NULL) != 0)
			ks_warn("the record file '%s' is incomplete", s->opts.record_path);
	}
	if (s->engine && s->priv)
		s->engine->close(s);
	attrib_free(s->attrib);
	free(s->caveats);
	ks_arena_release(&s->arena);
	free(s);
}

const char *kensa_sensor_engine(const struct kensa_sensor *s)
{
	return s->engine_name;
}

const char *const *kensa_sensor_caveats(const struct kensa_sensor *s, size_t *n)
{
	static const char *const none[] = { NULL };

	*n = s->ncaveats;
	return s->caveats ? s->caveats : none;
}

int kensa_sensor_track_pid(struct kensa_sensor *s, uint32_t pid, struct kensa_err *err)
{
	if (!s->engine->track_pid)
		return kensa_err_set(err, KENSA_EUNSUPPORTED,
				     "the %s engine cannot follow processes", s->engine->name);
	return s->engine->track_pid(s, pid, err);
}

int kensa_sensor_track_mntns(struct kensa_sensor *s, uint32_t mntns, struct kensa_err *err)
{
	if (!s->engine->track_mntns)
		return kensa_err_set(err, KENSA_EUNSUPPORTED,
				     "the %s engine cannot follow containers", s->engine->name);
	return s->engine->track_mntns(s, mntns, err);
}

int kensa_sensor_track_container(struct kensa_sensor *s, const char *what, uint32_t *pid,
				 struct kensa_err *err)
{
	struct ks_arena a = KS_ARENA_INIT;
	struct ks_container_info info;
	uint32_t mntns;
	int result;

	*pid = 0;
	result = ks_container_lookup(&a, what, &info, err);
	if (result)
		goto out;
	if (!info.running || !info.pid) {
		result = kensa_err_set(err, KENSA_ENOTFOUND, "container '%s' is not running", what);
		goto out;
	}
	mntns = ks_proc_mntns(info.pid);
	if (!mntns) {
		result = kensa_err_set(err, KENSA_EPERM,
				       "cannot read the mount namespace of container '%s' (pid %u)",
				       what, info.pid);
		goto out;
	}
	result = kensa_sensor_track_mntns(s, mntns, err);
	if (!result)
		*pid = info.pid;
out:
	ks_arena_release(&a);
	return result;
}

int kensa_sensor_poll(struct kensa_sensor *s, int timeout_ms, kensa_sensor_event_fn fn, void *ud,
		      struct kensa_err *err)
{
	uint64_t before = s->delivered;
	int result;

	s->fn = fn;
	s->ud = ud;
	s->stop = 0;
	result = s->engine->poll(s, timeout_ms, err);
	s->fn = NULL;
	if (s->stop)
		return s->stop;
	if (result < 0)
		return result;
	return (int)KS_MIN(s->delivered - before, (uint64_t)INT32_MAX);
}

int kensa_sensor_flush(struct kensa_sensor *s, kensa_sensor_event_fn fn, void *ud,
		       struct kensa_err *err)
{
	int result;

	result = kensa_sensor_poll(s, 0, fn, ud, err);
	if (result < 0 || !s->engine->flush)
		return result < 0 ? result : 0;
	s->fn = fn;
	s->ud = ud;
	s->stop = 0;
	result = s->engine->flush(s, err);
	s->fn = NULL;
	if (s->stop)
		return s->stop;
	return result < 0 ? result : 0;
}

bool kensa_sensor_done(const struct kensa_sensor *s)
{
	return s->engine->done ? s->engine->done(s) : false;
}

void kensa_sensor_stats(const struct kensa_sensor *s, struct kensa_sensor_stats *st)
{
	memset(st, 0, sizeof(*st));
	s->engine->stats(s, st);
	st->events = s->delivered;
	st->drop_decode += s->decode_errors;
	st->dropped = st->drop_ringbuf + st->drop_nofile + st->drop_track + st->drop_decode;
}
