// SPDX-License-Identifier: Apache-2.0
/*
 * cmd-agent.c — `kensa agent`: profile every container (and with --host the host) continuously.
 *
 * Events flow into one in-use profile whose memory is bounded (--max-files, LRU); every
 * --flush seconds it is brought up to date (finished inventory scans, last-seen times from
 * the kernel) and written to the store; lost events are reported as they happen. SIGTERM
 * or SIGINT end it cleanly: a last flush, the store, and -o if given.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "kensa/profile.h"
#include "kensa/sensor.h"

static volatile sig_atomic_t agent_stop;

static void agent_signal(int sig)
{
	(void)sig;
	agent_stop = 1;
}

static void agent_help(FILE *f)
{
	fprintf(f,
		"usage: kensa agent [OPTIONS]\n"
		"\n"
		"Profile every container continuously: which packages are really in use, "
		"listening\n"
		"sockets, processes running as root. Kept in the profile store.\n"
		"\n"
		"  --engine ENGINE     ebpf (default when root) or proc\n"
		"  --store FILE        SQLite store (default $XDG_CACHE_HOME/kensa/profiles.db)\n"
		"  --flush S           update the store every S seconds (default 30)\n"
		"  --max-files N       distinct files kept in memory (default 65536)\n"
		"  --host              the host's own processes too (inventories the whole host:\n"
		"                      slow, and large in memory)\n"
		"  --record FILE       also record every event (for 'kensa profile --replay')\n"
		"  --duration S        stop after S seconds (default: until SIGTERM/SIGINT)\n"
		"  --ring-mb N         ebpf ring buffer size in MiB, a power of two (default 8)\n"
		"  -o, --output FILE   write the final profile JSON here on exit\n");
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Bring the profile up to date and store it; report new losses. */
static int agent_flush(struct kensa_sensor *s, struct kensa_profile *p, const char *store,
		       uint64_t *dropped_seen, bool final)
{
	struct kensa_err err = KENSA_ERR_INIT;
	struct kensa_sensor_stats st;

	if (kensa_sensor_flush(s, kensa_profile_on_event, p, &err) < 0)
		return cli_fail(&err, "the sensor failed");
	if (final)
		kensa_profile_finish(p, s);
	else
		kensa_profile_update(p, s);
	kensa_sensor_stats(s, &st);
	if (st.dropped > *dropped_seen) {
		fprintf(stderr,
			"kensa: warning: %llu event%s lost since the last flush (ring buffer full: "
			"%llu, fd gone: "
			"%llu, children not followed: %llu, malformed: %llu in total)\n",
			(unsigned long long)(st.dropped - *dropped_seen),
			st.dropped - *dropped_seen == 1 ? "" : "s",
			(unsigned long long)st.drop_ringbuf, (unsigned long long)st.drop_nofile,
			(unsigned long long)st.drop_track, (unsigned long long)st.drop_decode);
		*dropped_seen = st.dropped;
	}
	if (kensa_profile_store(p, store, &err) != 0)
		fprintf(stderr, "kensa: warning: %s\n", err.msg);
	return EXIT_OK;
}

int cmd_agent(int argc, char **argv)
{
	enum {
		O_ENGINE = 256,
		O_STORE,
		O_FLUSH,
		O_MAX_FILES,
		O_HOST,
		O_IGNORE_HOST,
		O_RECORD,
		O_DURATION,
		O_RING_MB
	};
	static const struct option opts[] = {
		{ "engine", required_argument, NULL, O_ENGINE },
		{ "store", required_argument, NULL, O_STORE },
		{ "flush", required_argument, NULL, O_FLUSH },
		{ "max-files", required_argument, NULL, O_MAX_FILES },
		{ "host", no_argument, NULL, O_HOST },
		{ "ignore-host", no_argument, NULL, O_IGNORE_HOST },
		{ "record", required_argument, NULL, O_RECORD },
		{ "duration", required_argument, NULL, O_DURATION },
		{ "ring-mb", required_argument, NULL, O_RING_MB },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kensa_sensor_opts so = KENSA_SENSOR_OPTS_INIT;
	struct kensa_profile_opts po = KENSA_PROFILE_OPTS_INIT;
	struct kensa_err err = KENSA_ERR_INIT;
	struct kensa_sensor *s = NULL;
	struct kensa_profile *p = NULL;
	const char *store = NULL, *output = NULL;
	double flush = 30, duration = 0, started, next_flush;
	uint64_t dropped_seen = 0;
	bool host = false;
	struct sigaction sa;
	int c, rc = EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		char *end;

		switch (c) {
		case O_ENGINE: so.engine = optarg; break;
		case O_STORE: store = optarg; break;
		case O_FLUSH:
			flush = strtod(optarg, &end);
			if (*end || flush <= 0)
				return cli_usage("agent", "bad --flush '%s'", optarg);
			break;
		case O_MAX_FILES:
			po.max_files = strtoul(optarg, &end, 10);
			if (*end || !po.max_files)
				return cli_usage("agent", "bad --max-files '%s'", optarg);
			break;
		case O_HOST: host = true; break;
		case O_IGNORE_HOST: host = false; break;
		case O_RECORD: so.record_path = optarg; break;
		case O_DURATION:
			duration = strtod(optarg, &end);
			if (*end || duration <= 0)
				return cli_usage("agent", "bad --duration '%s'", optarg);
			break;
		case O_RING_MB: {
			unsigned long mb = strtoul(optarg, &end, 10);

			if (*end || !mb || mb > 1024 || (mb & (mb - 1)))
				return cli_usage("agent",
						 "bad --ring-mb '%s' (a power of two, 1 to 1024)",
						 optarg);
			so.ring_mb = (uint32_t)mb;
			break;
		}
		case 'o': output = optarg; break;
		case 'h': agent_help(stdout); return EXIT_OK;
		default: return cli_usage("agent", "bad option");
		}
	}
	if (optind != argc)
		return cli_usage("agent", "unexpected argument '%s'", argv[optind]);
	if (so.engine && strcmp(so.engine, "replay") == 0)
		return cli_usage("agent", "the agent runs a live engine (ebpf or proc)");
	/* 8 MiB lose nothing at 100k events/s here, and the ring is the agent's largest buffer */
	if (!so.ring_mb)
		so.ring_mb = 8;
	po.scope = "agent";
	po.ignore_host = !host;
	so.containers_only = !host;	/* the kernel leaves the host out: no cost for it */

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = agent_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (kensa_sensor_open(&so, &s, &err) != 0) {
		rc = cli_fail(&err, "cannot start the sensor");
		goto out;
	}
	if (kensa_profile_new(&po, &p, &err) != 0) {
		rc = cli_fail(&err, "cannot start the profile");
		goto out;
	}
	if (kensa_sensor_drop_privileges(s, &err) != 0) {
		rc = cli_fail(&err, "cannot drop privileges");
		goto out;
	}
	if (cli.verbosity >= 0)
		fprintf(stderr, "kensa: agent running (engine %s); SIGTERM or Ctrl-C stops it\n",
			kensa_sensor_engine(s));
	started = mono_s();
	next_flush = started + flush;
	while (!agent_stop) {
		double t;

		if (kensa_sensor_poll(s, 200, kensa_profile_on_event, p, &err) < 0) {
			rc = cli_fail(&err, "the sensor failed");
			goto out;
		}
		t = mono_s();
		if (duration && t - started >= duration)
			break;
		if (t >= next_flush) {
			rc = agent_flush(s, p, store, &dropped_seen, false);
			if (rc)
				goto out;
			next_flush = t + flush;
		}
	}
	rc = agent_flush(s, p, store, &dropped_seen, true);
	if (!rc && output) {
		struct cli_out out;

		if (cli_out_open(&out, output, &err) != 0 ||
		    kensa_profile_write_json(p, out.f, &err) != 0) {
			cli_out_close(&out, false, NULL);
			rc = cli_fail(&err, "cannot write the profile");
		} else if (cli_out_close(&out, true, &err) != 0) {
			rc = cli_fail(&err, "cannot write the profile");
		}
	}
	if (!rc && cli.verbosity >= 0) {
		struct kensa_profile_summary sum;

		kensa_profile_summary(p, &sum);
		fprintf(stderr,
			"kensa: agent stopped: %zu packages in use in %zu containers, %llu events, "
			"%llu lost\n",
			sum.packages_in_use, sum.containers, (unsigned long long)sum.events,
			(unsigned long long)sum.dropped_events);
	}
out:
	kensa_profile_free(p);
	kensa_sensor_free(s);
	return rc;
}
