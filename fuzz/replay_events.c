// SPDX-License-Identifier: Apache-2.0
/*
 * replay_events.c — fuzz target: a record file (the replay engine's input), decoded record by
 * record, then replayed in full through the replay engine into an in-use profile rendered as
 * JSON. Hostile lengths, kinds, strings without NUL, paths with any byte: nothing may crash
 * or read out of bounds.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kensa/profile.h"
#include "kensa/sensor.h"
#include "sensor/sensor.h"

static void decode_all(const uint8_t *data, size_t size)
{
	size_t pos = size >= 8 && memcmp(data, KS_RECORD_MAGIC, 8) == 0 ? 8 : 0;

	while (pos < size) {
		struct ks_record_item it;
		size_t used = 0;
		int rc = ks_record_decode(data + pos, size - pos, &used, &it);

		if (rc == KENSA_ENOTFOUND || used == 0)
			break;
		if (rc == 0 && it.type == KS_REC_EVENT && it.ev.kind == KENSA_SENSOR_FILE &&
		    it.ev.file.path_len)
			/* in bounds (ASan checks) */
			(void)it.ev.file.path[it.ev.file.path_len - 1];
		pos += used;
	}
}

static void replay_all(const uint8_t *data, size_t size)
{
	struct kensa_sensor_opts so = KENSA_SENSOR_OPTS_INIT;
	struct kensa_profile_opts po = KENSA_PROFILE_OPTS_INIT;
	struct kensa_sensor *s = NULL;
	struct kensa_profile *p = NULL;
	char path[64];
	int fd = memfd_create("kensa-fuzz", MFD_CLOEXEC);
	FILE *out = fopen("/dev/null", "w");

	if (fd < 0 || !out || write(fd, data, size) != (ssize_t)size)
		goto out;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	so.engine = "replay";
	so.replay_path = path;
	po.scope = "replay";
	po.max_files = 64;
	if (kensa_sensor_open(&so, &s, NULL) || kensa_profile_new(&po, &p, NULL))
		goto out;
	for (int i = 0; i < 1000 && !kensa_sensor_done(s); i++)
		if (kensa_sensor_poll(s, 0, kensa_profile_on_event, p, NULL) < 0)
			break;
	kensa_profile_finish(p, s);
	kensa_profile_write_json(p, out, NULL);
out:
	kensa_profile_free(p);
	kensa_sensor_free(s);
	if (out)
		fclose(out);
	if (fd >= 0)
		close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	decode_all(data, size);
	replay_all(data, size);
	return 0;
}
