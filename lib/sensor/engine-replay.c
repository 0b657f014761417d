// SPDX-License-Identifier: Apache-2.0
/*
 * engine-replay.c — the replay engine: events read back from a record file (record.c), in
 * the order and with the times they were recorded, including the container attribution
 * and the original engine's drop counters. Everything above the kernel is testable with it
 * without root.
 *
 * What it is not: a live sensor. It never looks at /proc (the pids are history), and the
 * containers' roots are gone: a profile of a replay needs an inventory given explicitly.
 * A malformed record is counted and skipped when its length can be trusted; a damaged
 * length ends the replay with a warning (the rest of the file cannot be framed).
 */
#include <errno.h>
#include <stdlib.h>

#include "sensor.h"

#define CHUNK ((size_t)1 << 20)
#define BATCH 65536		/* events per poll, so callers keep control */

struct replay {
	FILE *f;
	uint8_t *buf;
	size_t len, pos, cap;
	bool eof, done;
	uint64_t bad;
	struct kensa_sensor_stats recorded;
};

static int replay_fill(struct kensa_sensor *s, struct replay *r, struct kensa_err *err)
{
	size_t n;

	if (r->pos) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
	}
	n = fread(r->buf + r->len, 1, r->cap - r->len, r->f);
	r->len += n;
	if (n == 0) {
		if (ferror(r->f))
			return kensa_err_set(err, KENSA_EIO, "cannot read '%s': %s",
					     s->opts.replay_path, strerror(errno));
		r->eof = true;
	}
	return 0;
}

static int replay_open(struct kensa_sensor *s, struct kensa_err *err)
{
	struct replay *r = calloc(1, sizeof(*r));
	char magic[8];
	int result = 0;

	if (!r)
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	s->priv = r;
	s->attrib_off = true;
	r->cap = CHUNK + KS_RECORD_MAX + 8;
	r->buf = malloc(r->cap);
	if (!r->buf) {
		result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		goto out;
	}
	r->f = fopen(s->opts.replay_path, "rbe");
	if (!r->f) {
		result =
			kensa_err_set(err, errno == ENOENT ? KENSA_ENOTFOUND : KENSA_EIO,
				      "cannot open '%s': %s", s->opts.replay_path, strerror(errno));
		goto out;
	}
	if (fread(magic, 1, 8, r->f) != 8 || memcmp(magic, KS_RECORD_MAGIC, 8) != 0) {
		result = kensa_err_set(err, KENSA_EFORMAT,
				       "'%s' is not a kensa record file (bad magic)",
				       s->opts.replay_path);
		goto out;
	}
	ks_sensor_caveat(s,
			 "replayed from a record file: container roots are gone, so packages are "
			 "mapped with the inventory given for the replay");
out:
	if (result) {
		if (r->f)
			fclose(r->f);
		free(r->buf);
		free(r);
		s->priv = NULL;
	}
	return result;
}

static int replay_poll(struct kensa_sensor *s, int timeout_ms, struct kensa_err *err)
{
	struct replay *r = s->priv;
	int delivered = 0;

	KS_UNUSED(timeout_ms);
	while (!r->done && delivered < BATCH && !s->stop) {
		struct ks_record_item item;
		size_t used;
		int rc;

		rc = ks_record_decode(r->buf + r->pos, r->len - r->pos, &used, &item);
		if (rc == KENSA_ENOTFOUND) {
			if (r->eof) {
				if (r->len > r->pos)
					ks_warn("%s: %zu trailing bytes are not a whole record "
					        "(the recording was cut)",
						s->opts.replay_path, r->len - r->pos);
				r->done = true;
				break;
			}
			rc = replay_fill(s, r, err);
			if (rc)
				return rc;
			continue;
		}
		if (rc == KENSA_EFORMAT && used == 0) {
			ks_warn("%s: a record has an impossible length at byte offset %zu; the "
			        "rest of the file "
				"is ignored",
				s->opts.replay_path, r->pos);
			r->bad++;
			r->done = true;
			break;
		}
		r->pos += used;
		if (rc == KENSA_EUNSUPPORTED)
			continue;	/* a record type from a newer kensa */
		if (rc) {
			if (!r->bad++)
				ks_warn("%s: malformed record at byte offset %zu skipped (more are "
				        "counted as "
					"dropped)",
					s->opts.replay_path, r->pos - used);
			continue;
		}
		switch (item.type) {
		case KS_REC_META:
			if (item.engine_len) {
				char *e = ks_arena_strndup(&s->arena, item.engine, item.engine_len);

				if (e)
					s->engine_name = e;
			}
			break;
		case KS_REC_STATS:
			r->recorded = item.stats;
			break;
		case KS_REC_EVENT:
			ks_sensor_emit(s, &item.ev);
			delivered++;
			break;
		}
	}
	return delivered;
}

static void replay_stats(const struct kensa_sensor *s, struct kensa_sensor_stats *st)
{
	const struct replay *r = s->priv;

	*st = r->recorded;	/* the original engine's counters, as recorded */
	st->drop_decode += r->bad;
}

static bool replay_done(const struct kensa_sensor *s)
{
	const struct replay *r = s->priv;

	return r->done;
}

static void replay_close(struct kensa_sensor *s)
{
	struct replay *r = s->priv;

	if (!r)
		return;
	if (r->f)
		fclose(r->f);
	free(r->buf);
	free(r);
	s->priv = NULL;
}

static int replay_track(struct kensa_sensor *s, uint32_t id, struct kensa_err *err)
{
	KS_UNUSED(s);
	KS_UNUSED(id);
	KS_UNUSED(err);
	return 0;	/* a recording is already filtered */
}

const struct ks_engine ks_engine_replay = {
	.name = "replay",
	.live = false,
	.open = replay_open,
	.poll = replay_poll,
	.track_pid = replay_track,
	.track_mntns = replay_track,
	.stats = replay_stats,
	.done = replay_done,
	.close = replay_close,
};
