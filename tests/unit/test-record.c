// SPDX-License-Identifier: Apache-2.0
/*
 * test-record.c — record files and the replay engine: every event kind survives a write and
 * a replay byte for byte (paths with newlines and invalid UTF-8 included), the recorded drop
 * counters come back, and damaged files are survived: a cut file delivers what is whole, a
 * malformed record is skipped and counted, a file that is not a recording is refused.
 */
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"

#include "kensa/sensor.h"
#include "sensor/sensor.h"

static char dir[] = "/tmp/kensa-test-record.XXXXXX";

struct collected {
	struct kensa_sensor_event ev[16];
	char strs[16][3][300];
	int n;
	char engine[16];
};

static int collect(void *ud, const struct kensa_sensor_event *ev)
{
	struct collected *c = ud;

	if (c->n >= 16)
		return 0;
	c->ev[c->n] = *ev;
	/* strings are borrowed: keep copies */
	if (ev->kind == KENSA_SENSOR_FILE) {
		memcpy(c->strs[c->n][0], ev->file.path, ev->file.path_len);
		c->ev[c->n].file.path = c->strs[c->n][0];
	} else if (ev->kind == KENSA_SENSOR_EXEC) {
		memcpy(c->strs[c->n][0], ev->exec.filename, ev->exec.filename_len);
		memcpy(c->strs[c->n][1], ev->exec.args, ev->exec.args_len);
		c->ev[c->n].exec.filename = c->strs[c->n][0];
		c->ev[c->n].exec.args = c->strs[c->n][1];
	} else if (ev->kind == KENSA_SENSOR_CONTAINER) {
		snprintf(c->strs[c->n][0], 300, "%s", ev->container.id);
		snprintf(c->strs[c->n][1], 300, "%s",
			 ev->container.image_id ? ev->container.image_id : "(null)");
		c->ev[c->n].container.id = c->strs[c->n][0];
		c->ev[c->n].container.image_id = c->strs[c->n][1];
	}
	c->n++;
	return 0;
}

static const char weird_path[] = "/tmp/a b\nc\xff\xfe(deleted)";

static void sample_events(struct kensa_sensor_event *ev, int *n)
{
	struct kensa_task t = { 4242, 4243, 1000, 0, 123456789, 77, 4026531832u, "python3" };
	int i = 0;

	memset(ev, 0, 7 * sizeof(*ev));
	ev[i].kind = KENSA_SENSOR_CONTAINER;
	ev[i].time_ns = 1000;
	ev[i].task.cgroup_id = 77;
	ev[i].task.mntns = 4026531832u;
	ev[i].container.id = "83e10bd33b906b6fd10e2652cc3d091d32897ae16418f62e9556f89fc4c6708d";
	ev[i].container.runtime = "podman";
	ev[i].container.image_id = "sha256:c9ab";
	ev[i].container.root = "dir:/proc/self/fd/9";	/* not recorded: meaningless later */
	i++;
	ev[i].kind = KENSA_SENSOR_EXEC;
	ev[i].time_ns = 1001;
	ev[i].task = t;
	ev[i].exec.ppid = 1;
	ev[i].exec.dev = 0x800001;
	ev[i].exec.ino = 99;
	ev[i].exec.filename = "/usr/bin/python3";
	ev[i].exec.filename_len = 16;
	ev[i].exec.interp = "";
	ev[i].exec.args = "python3\0/app/fetch.py";
	ev[i].exec.args_len = 22;
	i++;
	ev[i].kind = KENSA_SENSOR_FILE;
	ev[i].time_ns = 1002;
	ev[i].task = t;
	ev[i].file.how = KENSA_HOW_OPEN;
	ev[i].file.flags = KENSA_FILE_DELETED;
	ev[i].file.dev = 7;
	ev[i].file.ino = 8;
	ev[i].file.path = weird_path;
	ev[i].file.path_len = sizeof(weird_path) - 1;
	i++;
	ev[i].kind = KENSA_SENSOR_NET;
	ev[i].time_ns = 1003;
	ev[i].task = t;
	ev[i].net.op = KENSA_NET_LISTEN;
	ev[i].net.family = 2;
	ev[i].net.protocol = 6;
	ev[i].net.lport = 3000;
	ev[i].net.laddr[0] = 127;
	ev[i].net.laddr[3] = 1;
	i++;
	ev[i].kind = KENSA_SENSOR_FORK;
	ev[i].time_ns = 1004;
	ev[i].task = t;
	ev[i].fork.child_pid = 4244;
	ev[i].fork.child_start_ns = 5;
	i++;
	ev[i].kind = KENSA_SENSOR_SEEN;
	ev[i].time_ns = 1005;
	ev[i].task = t;
	ev[i].seen.how = KENSA_HOW_MMAP;
	ev[i].seen.dev = 7;
	ev[i].seen.ino = 8;
	ev[i].seen.last_ns = 1005;
	ev[i].seen.count = 12;
	i++;
	ev[i].kind = KENSA_SENSOR_EXIT;
	ev[i].time_ns = 1006;
	ev[i].task = t;
	ev[i].exit.status = 256;
	i++;
	*n = i;
}

static void write_file(const char *path, const struct kensa_sensor_event *ev, int n,
		       uint64_t dropped)
{
	struct ks_record *r = NULL;
	struct kensa_sensor_stats st;

	memset(&st, 0, sizeof(st));
	st.drop_ringbuf = dropped;
	st.dropped = dropped;
	assert_int_equal(ks_record_create(path, "ebpf", &r, NULL), 0);
	for (int i = 0; i < n; i++)
		assert_int_equal(ks_record_write(r, &ev[i]), 0);
	assert_int_equal(ks_record_write_stats(r, &st), 0);
	assert_int_equal(ks_record_close(r, NULL), 0);
}

static int replay(const char *path, struct collected *c, struct kensa_sensor_stats *st,
		  struct kensa_err *err)
{
	struct kensa_sensor_opts o = KENSA_SENSOR_OPTS_INIT;
	struct kensa_sensor *s = NULL;
	int rc;

	o.engine = "replay";
	o.replay_path = path;
	memset(c, 0, sizeof(*c));
	rc = kensa_sensor_open(&o, &s, err);
	if (rc)
		return rc;
	while (!kensa_sensor_done(s))
		assert_true(kensa_sensor_poll(s, 0, collect, c, NULL) >= 0);
	snprintf(c->engine, sizeof(c->engine), "%s", kensa_sensor_engine(s));
	kensa_sensor_stats(s, st);
	kensa_sensor_free(s);
	return 0;
}

static void test_roundtrip(void **state)
{
	struct kensa_sensor_event ev[8];
	struct collected c;
	struct kensa_sensor_stats st;
	char path[64];
	int n;

	(void)state;
	sample_events(ev, &n);
	snprintf(path, sizeof(path), "%s/all.rec", dir);
	write_file(path, ev, n, 3);
	assert_int_equal(replay(path, &c, &st, NULL), 0);
	assert_int_equal(c.n, n);
	assert_string_equal(c.engine, "ebpf");	/* the engine that recorded, not "replay" */
	for (int i = 0; i < n; i++) {
		assert_int_equal(c.ev[i].kind, ev[i].kind);
		assert_int_equal(c.ev[i].time_ns, ev[i].time_ns);
		assert_int_equal(c.ev[i].task.pid, ev[i].task.pid);
		assert_int_equal(c.ev[i].task.start_ns, ev[i].task.start_ns);
		assert_int_equal(c.ev[i].task.cgroup_id, ev[i].task.cgroup_id);
		assert_string_equal(c.ev[i].task.comm, ev[i].task.comm);
	}
	assert_string_equal(c.ev[0].container.id, ev[0].container.id);
	assert_string_equal(c.ev[0].container.image_id, "sha256:c9ab");
	assert_null(c.ev[0].container.root);
	assert_int_equal(c.ev[1].exec.args_len, 22);
	assert_memory_equal(c.ev[1].exec.args, ev[1].exec.args, 22);
	assert_int_equal(c.ev[2].file.path_len, sizeof(weird_path) - 1);
	assert_memory_equal(c.ev[2].file.path, weird_path, sizeof(weird_path) - 1);
	assert_int_equal(c.ev[2].file.flags, KENSA_FILE_DELETED);
	assert_int_equal(c.ev[3].net.lport, 3000);
	assert_int_equal(c.ev[3].net.laddr[0], 127);
	assert_int_equal(c.ev[4].fork.child_pid, 4244);
	assert_int_equal(c.ev[5].seen.count, 12);
	assert_int_equal(c.ev[6].exit.status, 256);
	/* the original run's losses are the replay's losses */
	assert_int_equal(st.drop_ringbuf, 3);
	assert_int_equal(st.dropped, 3);
	assert_int_equal(st.events, (uint64_t)n);
	unlink(path);
}

static void test_damaged(void **state)
{
	struct kensa_sensor_event ev[8];
	struct collected c;
	struct kensa_sensor_stats st;
	struct kensa_err err = KENSA_ERR_INIT;
	char path[64];
	char *data;
	size_t len;
	FILE *f;
	int n;

	(void)state;
	sample_events(ev, &n);
	snprintf(path, sizeof(path), "%s/cut.rec", dir);
	write_file(path, ev, n, 0);
	assert_int_equal(ks_file_read(path, 1 << 20, &data, &len, NULL), 0);

	/* cut in the middle of the 3rd event record: the first two are delivered */
	{
		size_t pos = 8, rec = 0;

		while (rec < 4) {	/* META + 3 events */
			uint32_t plen = (uint32_t)(uint8_t)data[pos] |
					(uint32_t)(uint8_t)data[pos + 1] << 8;

			if (rec == 3)
				break;
			pos += 8 + plen;
			rec++;
		}
		f = fopen(path, "wb");
		fwrite(data, 1, pos + 20, f);
		fclose(f);
		assert_int_equal(replay(path, &c, &st, NULL), 0);
		assert_int_equal(c.n, 2);
	}

	/* a record whose kind is unknown: skipped, counted, the rest delivered */
	{
		size_t pos = 8;
		uint32_t plen = (uint32_t)(uint8_t)data[pos] | (uint32_t)(uint8_t)data[pos + 1]
								       << 8;

		pos += 8 + plen;	/* past META: the first event's kind */
		data[pos + 8] = 99;
		f = fopen(path, "wb");
		fwrite(data, 1, len, f);
		fclose(f);
		assert_int_equal(replay(path, &c, &st, NULL), 0);
		assert_int_equal(c.n, n - 1);
		assert_int_equal(st.drop_decode, 1);
		assert_true(st.dropped >= 1);
	}

	/* an impossible length: the rest cannot be framed, the replay ends cleanly */
	{
		size_t pos = 8;

		data[pos + 3] = 0x7f;
		f = fopen(path, "wb");
		fwrite(data, 1, len, f);
		fclose(f);
		assert_int_equal(replay(path, &c, &st, NULL), 0);
		assert_int_equal(c.n, 0);
		assert_true(st.drop_decode >= 1);
	}

	/* not a recording */
	f = fopen(path, "wb");
	fputs("hello, world\n", f);
	fclose(f);
	assert_int_equal(replay(path, &c, &st, &err), KENSA_EFORMAT);
	assert_non_null(strstr(err.msg, "not a kensa record file"));
	free(data);
	unlink(path);
}

static void test_bad_opts(void **state)
{
	struct kensa_sensor_opts o = KENSA_SENSOR_OPTS_INIT;
	struct kensa_sensor *s = NULL;
	struct kensa_err err = KENSA_ERR_INIT;

	(void)state;
	o.engine = "kprobe";
	assert_int_equal(kensa_sensor_open(&o, &s, &err), KENSA_EINVAL);
	assert_non_null(strstr(err.msg, "unknown sensor engine 'kprobe'"));
	kensa_err_clear(&err);
	o.engine = "replay";
	assert_int_equal(kensa_sensor_open(&o, &s, &err), KENSA_EINVAL);
	kensa_err_clear(&err);
	o.replay_path = "/nonexistent/x.rec";
	assert_int_equal(kensa_sensor_open(&o, &s, &err), KENSA_ENOTFOUND);
	assert_null(s);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_bad_opts),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
