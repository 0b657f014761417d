/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sensor.h (internal) — the engine vtable, the sensor handle all engines share, the record
 * file format and the /proc scanner used by the proc engine and by the ebpf engine's
 * start-up snapshot.
 *
 * An engine produces struct kensa_sensor_event values and hands each to ks_sensor_emit(), which
 * attributes new (cgroup, mount namespace) pairs to containers (live engines), writes the
 * record file when asked and calls the user's callback. Engines never call the callback
 * themselves, so attribution and recording are the same for all of them.
 */
#ifndef KS_SENSOR_INT_H
#define KS_SENSOR_INT_H

#include "kensa/sensor.h"
#include "util/util.h"

struct kensa_sensor;

struct ks_engine {
	const char *name;
	bool live;		/* events come from this machine now: attribute them via /proc */
	int (*open)(struct kensa_sensor *s, struct kensa_err *err);
	/* deliver through ks_sensor_emit(); return events delivered, or negative */
	int (*poll)(struct kensa_sensor *s, int timeout_ms, struct kensa_err *err);
	int (*flush)(struct kensa_sensor *s, struct kensa_err *err);		/* optional */
	int (*track_pid)(struct kensa_sensor *s, uint32_t pid, struct kensa_err *err);
	int (*track_mntns)(struct kensa_sensor *s, uint32_t mntns, struct kensa_err *err);
	void (*stats)(const struct kensa_sensor *s, struct kensa_sensor_stats *st);
	bool (*done)(const struct kensa_sensor *s);				/* optional */
	void (*close)(struct kensa_sensor *s);
};

extern const struct ks_engine ks_engine_ebpf;
extern const struct ks_engine ks_engine_proc;
extern const struct ks_engine ks_engine_replay;

struct ks_record;
struct ks_attrib;

struct kensa_sensor {
	const struct ks_engine *engine;
	struct kensa_sensor_opts opts;	/* strings owned (copied at open) */
	void *priv;			/* the engine's state */
	struct ks_arena arena;		/* long-lived strings: caveats, container attribution */
	const char **caveats;
	size_t ncaveats, capcaveats;
	const char *engine_name;	/* replay: the engine that recorded */
	/* during a poll */
	kensa_sensor_event_fn fn;
	void *ud;
	int stop;			/* the callback's non-zero return */
	uint64_t delivered;
	uint64_t decode_errors;		/* malformed events from the engine */
	uint64_t rec_failed;		/* record writes that failed */
	int64_t boot_to_wall;		/* wall ns = boot ns + boot_to_wall */
	uint32_t self_pid;
	uint32_t host_mntns;
	struct ks_record *rec;
	struct ks_attrib *attrib;
	bool attrib_off;		/* replay: containers come from the file */
};

/* Attribute (when live), record, and call the user's callback; returns the callback's value. */
int ks_sensor_emit(struct kensa_sensor *s, const struct kensa_sensor_event *ev);
/* Add a caveat sentence (copied). */
void ks_sensor_caveat(struct kensa_sensor *s, const char *text);
/* CLOCK_BOOTTIME ns → wall clock ns. */
uint64_t ks_sensor_wall(const struct kensa_sensor *s, uint64_t boot_ns);
/* Now, in CLOCK_BOOTTIME ns. */
uint64_t ks_boot_ns(void);
/* The wall-clock offset of CLOCK_BOOTTIME (realtime - boottime). */
int64_t ks_boot_to_wall(void);

/* ---------------------------------------------------------------- record files (record.c) */

/*
 * A record file: the 8-byte magic "KSEVREC1", then records. A record is a little-endian
 * u32 payload length, u16 type, u16 reserved (0), then the payload:
 *   META   (1): u64 wall ns at start, str engine
 *   EVENT  (2): an event (kind, time, task, then the kind's fields; strings as u16 length
 *               + bytes, at most KS_RECORD_STR_MAX)
 *   STATS  (3): the engine's counters at the time (the last one wins)
 * Readers skip unknown record types and refuse malformed records (counted, never fatal).
 */
#define KS_RECORD_MAGIC "KSEVREC1"
#define KS_RECORD_MAX ((size_t)65536)
#define KS_RECORD_STR_MAX 8192

enum ks_record_type {
	KS_REC_META = 1,
	KS_REC_EVENT = 2,
	KS_REC_STATS = 3,
};

struct ks_record_item {
	enum ks_record_type type;
	struct kensa_sensor_event ev;		/* EVENT; strings point into the decoded buffer */
	const char *engine;		/* META */
	size_t engine_len;
	uint64_t started_ns;		/* META */
	struct kensa_sensor_stats stats;	/* STATS */
};

int ks_record_create(const char *path, const char *engine, struct ks_record **out,
		     struct kensa_err *err);
int ks_record_write(struct ks_record *r, const struct kensa_sensor_event *ev);
int ks_record_write_stats(struct ks_record *r, const struct kensa_sensor_stats *st);
/* Flush and close; reports the first write error. */
int ks_record_close(struct ks_record *r, struct kensa_err *err);

/*
 * Decode one record from [data, data+len): on success *used is its size and *item is
 * filled (strings borrowed from data). KENSA_EFORMAT for a malformed record (*used is then
 * its declared size when that is sane, so a reader can skip it, else 0), KENSA_ENOTFOUND
 * when fewer bytes than a record remain (the end of the file, or a partial record).
 */
int ks_record_decode(const uint8_t *data, size_t len, size_t *used, struct ks_record_item *item);

/* ---------------------------------------------------------------- /proc scanner (procscan.c) */

struct ks_procscan;

struct ks_procscan_opts {
	bool targets_only;		/* else every process but our own */
	bool report_exits;		/* EXIT for processes gone since the last round */
	/* leave out processes of this mount namespace (the host's) */
	uint32_t skip_mntns;
};

int ks_procscan_new(const struct ks_procscan_opts *o, struct ks_procscan **out);
void ks_procscan_free(struct ks_procscan *ps);
void ks_procscan_track_pid(struct ks_procscan *ps, uint32_t pid);
void ks_procscan_track_mntns(struct ks_procscan *ps, uint32_t mntns);
/* One round over /proc: emit what changed since the last round. Returns events emitted. */
int ks_procscan_round(struct ks_procscan *ps, struct kensa_sensor *s);
/* SEEN events for what is still in use (last seen at the last round). */
int ks_procscan_seen(struct ks_procscan *ps, struct kensa_sensor *s);
uint64_t ks_procscan_rounds(const struct ks_procscan *ps);

#endif
