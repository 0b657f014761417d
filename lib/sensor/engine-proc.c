// SPDX-License-Identifier: Apache-2.0
/*
 * engine-proc.c — the proc engine: no kernel help, only /proc, polled every poll_ms
 * (procscan.c does one round). Runs unprivileged (then it sees the user's own processes).
 *
 * What it is not: complete. What happens between two rounds is invisible — a file opened
 * and closed, a process that lives less than one interval — and the engine says so in its
 * caveats, which end up in every profile made with it.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>

#include "sensor.h"

struct proc_engine {
	struct ks_procscan *ps;
	uint64_t next_ns;	/* boot ns of the next round */
	uint64_t interval_ns;
};

static int proc_open(struct kensa_sensor *s, struct kensa_err *err)
{
	struct ks_procscan_opts po = { s->opts.targets_only, true,
					 s->opts.containers_only ? s->host_mntns : 0 };
	struct proc_engine *pe = calloc(1, sizeof(*pe));
	char msg[256];

	if (!pe || ks_procscan_new(&po, &pe->ps)) {
		free(pe);
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	}
	pe->interval_ns = (uint64_t)(s->opts.poll_ms ? s->opts.poll_ms : 100) * 1000000ULL;
	s->priv = pe;
	snprintf(
		msg, sizeof(msg),
		"the proc engine polls /proc every %u ms: files opened and closed between two "
		"polls and "
		"processes shorter than a poll are missed, and times are those of the polls",
		s->opts.poll_ms ? s->opts.poll_ms : 100);
	ks_sensor_caveat(s, msg);
	return 0;
}

static int proc_poll(struct kensa_sensor *s, int timeout_ms, struct kensa_err *err)
{
	struct proc_engine *pe = s->priv;
	uint64_t now = ks_boot_ns(),
		 deadline = now + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0) * 1000000ULL;
	int total = 0;

	KS_UNUSED(err);
	for (;;) {
		if (now >= pe->next_ns) {
			int n = ks_procscan_round(pe->ps, s);

			if (n < 0)
				return n;
			total += n;
			pe->next_ns = now + pe->interval_ns;
			if (s->stop)
				break;
		}
		if (now >= deadline || total)
			break;
		{
			uint64_t wait = KS_MIN(pe->next_ns, deadline) - now;

			poll(NULL, 0, (int)(wait / 1000000ULL) + 1);
		}
		now = ks_boot_ns();
	}
	return total;
}

static int proc_flush(struct kensa_sensor *s, struct kensa_err *err)
{
	struct proc_engine *pe = s->priv;

	KS_UNUSED(err);
	return ks_procscan_seen(pe->ps, s);
}

static int proc_track_pid(struct kensa_sensor *s, uint32_t pid, struct kensa_err *err)
{
	struct proc_engine *pe = s->priv;

	KS_UNUSED(err);
	ks_procscan_track_pid(pe->ps, pid);
	return 0;
}

static int proc_track_mntns(struct kensa_sensor *s, uint32_t mntns, struct kensa_err *err)
{
	struct proc_engine *pe = s->priv;

	KS_UNUSED(err);
	ks_procscan_track_mntns(pe->ps, mntns);
	return 0;
}

static void proc_stats(const struct kensa_sensor *s, struct kensa_sensor_stats *st)
{
	const struct proc_engine *pe = s->priv;

	st->polls = ks_procscan_rounds(pe->ps);
}

static void proc_close(struct kensa_sensor *s)
{
	struct proc_engine *pe = s->priv;

	if (!pe)
		return;
	ks_procscan_free(pe->ps);
	free(pe);
	s->priv = NULL;
}

const struct ks_engine ks_engine_proc = {
	.name = "proc",
	.live = true,
	.open = proc_open,
	.poll = proc_poll,
	.flush = proc_flush,
	.track_pid = proc_track_pid,
	.track_mntns = proc_track_mntns,
	.stats = proc_stats,
	.close = proc_close,
};
