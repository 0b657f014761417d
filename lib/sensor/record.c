// SPDX-License-Identifier: Apache-2.0
/*
 * record.c — the record file: sensor events written by a live engine (`--record FILE`) and
 * read back by the replay engine, so profiles, rules and risk are testable without root.
 *
 * The format (sensor.h) is our own, little-endian and field by field, never a memory dump
 * of a kernel struct: a file recorded by one build replays in another. The decoder is total
 * over hostile bytes (fuzz/replay_events.c): every length is checked against what remains
 * and against its cap, strings that the event model hands out as C strings must carry their
 * NUL, and unknown record types are skipped.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "sensor.h"

struct ks_record {
	FILE *f;
	struct ks_buf buf;
	int error;		/* first write error (errno) */
	char *path;
};

/* ---------------------------------------------------------------- encoding */

static void put(struct ks_buf *b, const void *p, size_t n)
{
	ks_buf_add(b, p, n);	/* a failure is caught by the length check in finish */
}

static void put_u16(struct ks_buf *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	put(b, x, 2);
}

static void put_u32(struct ks_buf *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	put(b, x, 4);
}

static void put_u64(struct ks_buf *b, uint64_t v)
{
	put_u32(b, (uint32_t)v);
	put_u32(b, (uint32_t)(v >> 32));
}

static void put_str(struct ks_buf *b, const char *s, size_t n)
{
	n = s ? KS_MIN(n, (size_t)KS_RECORD_STR_MAX) : 0;
	put_u16(b, (uint16_t)n);
	if (n)
		put(b, s, n);
}

/* A C string, stored with its NUL so the reader can hand it out as is; NULL is length 0. */
static void put_cstr(struct ks_buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (!s || n >= KS_RECORD_STR_MAX) {
		put_u16(b, 0);
		return;
	}
	put_u16(b, (uint16_t)(n + 1));
	put(b, s, n + 1);
}

static void put_event(struct ks_buf *b, const struct kensa_sensor_event *ev)
{
	const struct kensa_task *t = &ev->task;

	put_u32(b, (uint32_t)ev->kind);
	put_u64(b, ev->time_ns);
	put_u32(b, t->pid);
	put_u32(b, t->tid);
	put_u32(b, t->uid);
	put_u32(b, t->euid);
	put_u64(b, t->start_ns);
	put_u64(b, t->cgroup_id);
	put_u32(b, t->mntns);
	put(b, t->comm, sizeof(t->comm));
	switch (ev->kind) {
	case KENSA_SENSOR_FILE:
		put_u32(b, ev->file.how);
		put_u32(b, ev->file.open_flags);
		put_u32(b, ev->file.flags);
		put_u64(b, ev->file.dev);
		put_u64(b, ev->file.ino);
		put_str(b, ev->file.path, ev->file.path_len);
		break;
	case KENSA_SENSOR_EXEC:
		put_u32(b, ev->exec.ppid);
		put_u64(b, ev->exec.dev);
		put_u64(b, ev->exec.ino);
		put_str(b, ev->exec.filename, ev->exec.filename_len);
		put_str(b, ev->exec.interp, ev->exec.interp_len);
		put_str(b, ev->exec.args, ev->exec.args_len);
		break;
	case KENSA_SENSOR_FORK:
		put_u32(b, ev->fork.child_pid);
		put_u64(b, ev->fork.child_start_ns);
		break;
	case KENSA_SENSOR_EXIT:
		put_u32(b, (uint32_t)ev->exit.status);
		break;
	case KENSA_SENSOR_NET:
		put_u16(b, ev->net.op);
		put_u16(b, ev->net.family);
		put_u16(b, ev->net.protocol);
		put_u16(b, ev->net.type);
		put_u16(b, ev->net.lport);
		put_u16(b, ev->net.rport);
		put_u32(b, (uint32_t)ev->net.ret);
		put(b, ev->net.laddr, 16);
		put(b, ev->net.raddr, 16);
		break;
	case KENSA_SENSOR_CONTAINER: {
		uint8_t host = ev->container.host;

		put(b, &host, 1);
		put_cstr(b, ev->container.id);
		put_cstr(b, ev->container.name);
		put_cstr(b, ev->container.runtime);
		put_cstr(b, ev->container.image_id);
		put_cstr(b, ev->container.image_name);
		break;
	}
	case KENSA_SENSOR_SEEN:
		put_u32(b, ev->seen.how);
		put_u64(b, ev->seen.dev);
		put_u64(b, ev->seen.ino);
		put_u64(b, ev->seen.last_ns);
		put_u64(b, ev->seen.count);
		break;
	}
}

static const size_t stats_offsets[] = {
	offsetof(struct kensa_sensor_stats, events),
	offsetof(struct kensa_sensor_stats, dropped),
	offsetof(struct kensa_sensor_stats, drop_ringbuf),
	offsetof(struct kensa_sensor_stats, drop_nofile),
	offsetof(struct kensa_sensor_stats, drop_track),
	offsetof(struct kensa_sensor_stats, drop_decode),
	offsetof(struct kensa_sensor_stats, dedup_full),
	offsetof(struct kensa_sensor_stats, path_truncated),
	offsetof(struct kensa_sensor_stats, dedup_hits),
	offsetof(struct kensa_sensor_stats, polls),
};

/* Frame the payload in r->buf (after an 8-byte hole) and write it. */
static int write_record(struct ks_record *r, uint16_t type)
{
	size_t payload = r->buf.len - 8;
	uint8_t *h = (uint8_t *)r->buf.data;

	if (r->error)
		return KENSA_EIO;
	if (!r->buf.data || payload > KS_RECORD_MAX) {
		r->error = ENOMEM;
		return KENSA_ELIMIT;
	}
	h[0] = (uint8_t)payload;
	h[1] = (uint8_t)(payload >> 8);
	h[2] = (uint8_t)(payload >> 16);
	h[3] = (uint8_t)(payload >> 24);
	h[4] = (uint8_t)type;
	h[5] = (uint8_t)(type >> 8);
	h[6] = h[7] = 0;
	if (fwrite(r->buf.data, 1, r->buf.len, r->f) != r->buf.len) {
		r->error = errno ? errno : EIO;
		return KENSA_EIO;
	}
	return 0;
}

static void begin(struct ks_record *r)
{
	static const uint8_t hole[8];

	ks_buf_reset(&r->buf);
	put(&r->buf, hole, sizeof(hole));
}

int ks_record_create(const char *path, const char *engine, struct ks_record **out,
		     struct kensa_err *err)
{
	struct ks_record *r = calloc(1, sizeof(*r));
	struct timespec ts;

	*out = NULL;
	if (!r || !(r->path = strdup(path))) {
		free(r);
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	}
	r->f = fopen(path, "wbe");
	if (!r->f) {
		int e = errno;

		free(r->path);
		free(r);
		return kensa_err_set(err, KENSA_EIO, "cannot create '%s': %s", path, strerror(e));
	}
	r->buf.limit = KS_RECORD_MAX + 64;
	fwrite(KS_RECORD_MAGIC, 1, 8, r->f);
	clock_gettime(CLOCK_REALTIME, &ts);
	begin(r);
	put_u64(&r->buf, (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec);
	put_str(&r->buf, engine, strlen(engine));
	write_record(r, KS_REC_META);
	*out = r;
	return 0;
}

int ks_record_write(struct ks_record *r, const struct kensa_sensor_event *ev)
{
	begin(r);
	put_event(&r->buf, ev);
	return write_record(r, KS_REC_EVENT);
}

int ks_record_write_stats(struct ks_record *r, const struct kensa_sensor_stats *st)
{
	begin(r);
	put_u32(&r->buf, (uint32_t)KS_ARRAY_SIZE(stats_offsets));
	for (size_t i = 0; i < KS_ARRAY_SIZE(stats_offsets); i++)
		put_u64(&r->buf, *(const uint64_t *)((const char *)st + stats_offsets[i]));
	return write_record(r, KS_REC_STATS);
}

int ks_record_close(struct ks_record *r, struct kensa_err *err)
{
	int result = 0;

	if (!r)
		return 0;
	if (fclose(r->f) != 0 && !r->error)
		r->error = errno ? errno : EIO;
	if (r->error)
		result = kensa_err_set(err, KENSA_EIO, "cannot write '%s': %s", r->path,
				       strerror(r->error));
	ks_buf_release(&r->buf);
	free(r->path);
	free(r);
	return result;
}

/* ---------------------------------------------------------------- decoding */

struct rd {
	const uint8_t *p, *end;
	bool bad;
};

static bool need(struct rd *r, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		return false;
	}
	return true;
}

static uint16_t get_u16(struct rd *r)
{
	uint16_t v;

	if (!need(r, 2))
		return 0;
	v = (uint16_t)(r->p[0] | r->p[1] << 8);
	r->p += 2;
	return v;
}

static uint32_t get_u32(struct rd *r)
{
	uint32_t v;

	if (!need(r, 4))
		return 0;
	v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
	    (uint32_t)r->p[3] << 24;
	r->p += 4;
	return v;
}

static uint64_t get_u64(struct rd *r)
{
	uint64_t lo = get_u32(r);

	return lo | (uint64_t)get_u32(r) << 32;
}

static void get_bytes(struct rd *r, void *out, size_t n)
{
	if (!need(r, n)) {
		memset(out, 0, n);
		return;
	}
	memcpy(out, r->p, n);
	r->p += n;
}

static const char *get_str(struct rd *r, size_t *len)
{
	uint16_t n = get_u16(r);
	const char *s;

	*len = 0;
	if (n > KS_RECORD_STR_MAX) {
		r->bad = true;
		return "";
	}
	if (!need(r, n))
		return "";
	s = (const char *)r->p;
	r->p += n;
	*len = n;
	return s;
}

static const char *get_cstr(struct rd *r)
{
	size_t n;
	const char *s = get_str(r, &n);

	if (r->bad || n == 0)
		return NULL;
	if (s[n - 1] != '\0' || memchr(s, '\0', n - 1)) {
		r->bad = true;
		return NULL;
	}
	return s;
}

static void get_event(struct rd *r, struct kensa_sensor_event *ev)
{
	struct kensa_task *t = &ev->task;

	memset(ev, 0, sizeof(*ev));
	ev->kind = (enum kensa_sensor_kind)get_u32(r);
	ev->time_ns = get_u64(r);
	t->pid = get_u32(r);
	t->tid = get_u32(r);
	t->uid = get_u32(r);
	t->euid = get_u32(r);
	t->start_ns = get_u64(r);
	t->cgroup_id = get_u64(r);
	t->mntns = get_u32(r);
	get_bytes(r, t->comm, sizeof(t->comm));
	t->comm[sizeof(t->comm) - 1] = '\0';
	switch (ev->kind) {
	case KENSA_SENSOR_FILE:
		ev->file.how = get_u32(r);
		ev->file.open_flags = get_u32(r);
		ev->file.flags = get_u32(r);
		ev->file.dev = get_u64(r);
		ev->file.ino = get_u64(r);
		ev->file.path = get_str(r, &ev->file.path_len);
		if (ev->file.how != KENSA_HOW_EXEC && ev->file.how != KENSA_HOW_OPEN &&
		    ev->file.how != KENSA_HOW_MMAP)
			r->bad = true;
		break;
	case KENSA_SENSOR_EXEC:
		ev->exec.ppid = get_u32(r);
		ev->exec.dev = get_u64(r);
		ev->exec.ino = get_u64(r);
		ev->exec.filename = get_str(r, &ev->exec.filename_len);
		ev->exec.interp = get_str(r, &ev->exec.interp_len);
		ev->exec.args = get_str(r, &ev->exec.args_len);
		break;
	case KENSA_SENSOR_FORK:
		ev->fork.child_pid = get_u32(r);
		ev->fork.child_start_ns = get_u64(r);
		break;
	case KENSA_SENSOR_EXIT:
		ev->exit.status = (int32_t)get_u32(r);
		break;
	case KENSA_SENSOR_NET:
		ev->net.op = get_u16(r);
		ev->net.family = get_u16(r);
		ev->net.protocol = get_u16(r);
		ev->net.type = get_u16(r);
		ev->net.lport = get_u16(r);
		ev->net.rport = get_u16(r);
		ev->net.ret = (int32_t)get_u32(r);
		get_bytes(r, ev->net.laddr, 16);
		get_bytes(r, ev->net.raddr, 16);
		if (ev->net.op < KENSA_NET_BIND || ev->net.op > KENSA_NET_CONNECT)
			r->bad = true;
		break;
	case KENSA_SENSOR_CONTAINER: {
		uint8_t host = 0;

		get_bytes(r, &host, 1);
		ev->container.host = host != 0;
		ev->container.id = get_cstr(r);
		ev->container.name = get_cstr(r);
		ev->container.runtime = get_cstr(r);
		ev->container.image_id = get_cstr(r);
		ev->container.image_name = get_cstr(r);
		if (!ev->container.id || !ev->container.runtime)
			r->bad = true;
		break;
	}
	case KENSA_SENSOR_SEEN:
		ev->seen.how = get_u32(r);
		ev->seen.dev = get_u64(r);
		ev->seen.ino = get_u64(r);
		ev->seen.last_ns = get_u64(r);
		ev->seen.count = get_u64(r);
		break;
	default:
		r->bad = true;
	}
}

int ks_record_decode(const uint8_t *data, size_t len, size_t *used, struct ks_record_item *item)
{
	struct rd r;
	uint32_t plen;
	uint16_t type;

	*used = 0;
	memset(item, 0, sizeof(*item));
	if (len < 8)
		return KENSA_ENOTFOUND;
	plen = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
	       (uint32_t)data[3] << 24;
	type = (uint16_t)(data[4] | data[5] << 8);
	if (plen > KS_RECORD_MAX)
		return KENSA_EFORMAT;	/* a length we cannot trust: the caller cannot skip it */
	if (len - 8 < plen)
		return KENSA_ENOTFOUND;
	*used = 8 + (size_t)plen;
	r.p = data + 8;
	r.end = data + 8 + plen;
	r.bad = false;
	item->type = (enum ks_record_type)type;
	switch (type) {
	case KS_REC_META:
		item->started_ns = get_u64(&r);
		item->engine = get_str(&r, &item->engine_len);
		break;
	case KS_REC_EVENT:
		get_event(&r, &item->ev);
		break;
	case KS_REC_STATS: {
		uint32_t n = get_u32(&r);

		for (uint32_t i = 0; i < n && !r.bad; i++) {
			uint64_t v = get_u64(&r);

			if (i < KS_ARRAY_SIZE(stats_offsets))
				*(uint64_t *)((char *)&item->stats + stats_offsets[i]) = v;
		}
		break;
	}
	default:
		return KENSA_EUNSUPPORTED;	/* a newer record type: skip it */
	}
	if (r.bad || r.p != r.end)
		return KENSA_EFORMAT;
	return 0;
}
