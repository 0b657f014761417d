// SPDX-License-Identifier: Apache-2.0
/*
 * cmd-profile.c — `kensa profile`: record what a workload really executes, opens and maps,
 * and which packages that makes in use.
 *
 *   kensa profile [OPTIONS] -- CMD [ARGS...]          run CMD and profile it and its children
 *   kensa profile [OPTIONS] --container ID --duration S   profile a running container
 *   kensa profile [OPTIONS] --replay FILE [--inventory TARGET]   profile a recording
 *
 * The command is forked first and held until the sensor runs (so nothing it does is missed
 * and it keeps the caller's privileges); then the sensor drops what it no longer needs.
 * The profile (JSON, docs/profile.md) goes to -o or standard output, and into the store.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "kensa/profile.h"
#include "kensa/sensor.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void profile_help(FILE *f)
{
	fprintf(f,
		"usage: kensa profile [OPTIONS] -- CMD [ARGS...]\n"
		"       kensa profile [OPTIONS] --container ID-or-NAME --duration S\n"
		"       kensa profile [OPTIONS] --replay FILE [--inventory TARGET]\n"
		"\n"
		"Record which files a workload executes, opens and maps executable, and map them "
		"to the\n"
		"packages that own them (the in-use profile read by 'kensa scan --profile').\n"
		"\n"
		"  --duration S          stop after S seconds (a command is then sent SIGTERM)\n"
		"  --container ID        profile a running container (podman) instead of a "
		"command\n"
		"  --engine ENGINE       ebpf (default when root), proc (polls /proc), replay\n"
		"  --record FILE         also record the events, for --replay later\n"
		"  --replay FILE         profile a recording (the replay engine)\n"
		"  --inventory TARGET    map files with TARGET's inventory (image archive, dir, "
		"sbom:)\n"
		"                        instead of each container's own root (needed for "
		"--replay)\n"
		"  --ignore-host         leave out processes that are not in a container\n"
		"  --max-files N         distinct files kept in memory (default 65536)\n"
		"  --poll-ms N           proc engine: polling interval (default 100)\n"
		"  --ring-mb N           ebpf engine: ring buffer size in MiB, a power of two "
		"(default 16)\n"
		"  -o, --output FILE     write the profile here (default: standard output)\n"
		"  --store FILE          keep the profile in this SQLite store\n"
		"                        (default $XDG_CACHE_HOME/kensa/profiles.db)\n"
		"  --no-store            do not keep it in the store\n"
		"\n"
		"The ebpf engine needs root (or CAP_BPF, CAP_PERFMON, CAP_SYS_PTRACE, "
		"CAP_DAC_READ_SEARCH);\n"
		"without it kensa says why and uses the proc engine.\n");
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Fork CMD held on a pipe until release_child(); it keeps our privileges and signals. */
static pid_t start_child(char **argv, int *gate)
{
	int fds[2];
	pid_t pid;

	if (pipe(fds) != 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		char go;

		close(fds[1]);
		if (read(fds[0], &go, 1) != 1)
			_exit(126);	/* the profiler went away: do not run unobserved */
		close(fds[0]);
		execvp(argv[0], argv);
		fprintf(stderr, "kensa profile: cannot run '%s': %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	*gate = fds[1];
	return pid;
}

static void release_child(int *gate)
{
	if (*gate >= 0) {
		ssize_t w = write(*gate, "g", 1);

		(void)w;
		close(*gate);
		*gate = -1;
	}
}

static bool pid_alive(uint32_t pid)
{
	return pid && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

static void summary(const struct kensa_profile *p, const struct kensa_sensor *s)
{
	struct kensa_profile_summary sum;

	kensa_profile_summary(p, &sum);
	fprintf(stderr,
		"kensa: %zu package%s in use, %zu file%s, %zu container%s (%zu image%s), %zu "
		"listening, "
		"%llu event%s, engine %s, %.1f s\n",
		sum.packages_in_use, sum.packages_in_use == 1 ? "" : "s", sum.files,
		sum.files == 1 ? "" : "s", sum.containers, sum.containers == 1 ? "" : "s",
		sum.images, sum.images == 1 ? "" : "s", sum.listening,
		(unsigned long long)sum.events, sum.events == 1 ? "" : "s", kensa_sensor_engine(s),
		sum.duration_s);
	if (sum.dropped_events)
		fprintf(stderr,
			"kensa: warning: %llu event%s lost (see \"drops\" in the profile)\n",
			(unsigned long long)sum.dropped_events, sum.dropped_events == 1 ? "" : "s");
	if (sum.files_evicted)
		fprintf(stderr,
			"kensa: note: %zu file records evicted (--max-files); their packages stay "
			"in use\n",
			sum.files_evicted);
}

int cmd_profile(int argc, char **argv)
{
	enum {
		O_DURATION = 256,
		O_CONTAINER,
		O_ENGINE,
		O_RECORD,
		O_REPLAY,
		O_INVENTORY,
		O_IGNORE_HOST,
		O_MAX_FILES,
		O_POLL,
		O_STORE,
		O_NO_STORE,
		O_RING_MB
	};
	static const struct option opts[] = {
		{ "duration", required_argument, NULL, O_DURATION },
		{ "container", required_argument, NULL, O_CONTAINER },
		{ "engine", required_argument, NULL, O_ENGINE },
		{ "record", required_argument, NULL, O_RECORD },
		{ "replay", required_argument, NULL, O_REPLAY },
		{ "inventory", required_argument, NULL, O_INVENTORY },
		{ "ignore-host", no_argument, NULL, O_IGNORE_HOST },
		{ "max-files", required_argument, NULL, O_MAX_FILES },
		{ "poll-ms", required_argument, NULL, O_POLL },
		{ "store", required_argument, NULL, O_STORE },
		{ "no-store", no_argument, NULL, O_NO_STORE },
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
	struct cli_out out = { 0 };
	const char *output = NULL, *store = NULL, *container = NULL;
	bool no_store = false;
	double duration = 0, started, term_at = 0, next_update;
	char **cmd = NULL;
	pid_t child = -1;
	int gate = -1, status = 0, c, rc = EXIT_OK;
	uint32_t ctr_pid = 0;
	bool child_done = false;
	struct sigaction sa;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+o:h", opts, NULL)) != -1) {
		char *end;

		switch (c) {
		case O_DURATION:
			duration = strtod(optarg, &end);
			if (*end || duration <= 0)
				return cli_usage("profile", "bad --duration '%s'", optarg);
			break;
		case O_CONTAINER: container = optarg; break;
		case O_ENGINE: so.engine = optarg; break;
		case O_RECORD: so.record_path = optarg; break;
		case O_REPLAY: so.replay_path = optarg; so.engine = "replay"; break;
		case O_INVENTORY: po.inventory = optarg; break;
		case O_IGNORE_HOST: po.ignore_host = so.containers_only = true; break;
		case O_MAX_FILES:
			po.max_files = strtoul(optarg, &end, 10);
			if (*end || !po.max_files)
				return cli_usage("profile", "bad --max-files '%s'", optarg);
			break;
		case O_POLL: {
			unsigned long ms = strtoul(optarg, &end, 10);

			if (*end || !ms || ms > 60000)
				return cli_usage("profile", "bad --poll-ms '%s'", optarg);
			so.poll_ms = (uint32_t)ms;
			break;
		}
		case O_RING_MB: {
			unsigned long mb = strtoul(optarg, &end, 10);

			if (*end || !mb || mb > 1024 || (mb & (mb - 1)))
				return cli_usage("profile",
						 "bad --ring-mb '%s' (a power of two, 1 to 1024)",
						 optarg);
			so.ring_mb = (uint32_t)mb;
			break;
		}
		case O_STORE: store = optarg; break;
		case O_NO_STORE: no_store = true; break;
		case 'o': output = optarg; break;
		case 'h': profile_help(stdout); return EXIT_OK;
		default: return cli_usage("profile", "bad option");
		}
	}
	if (optind < argc)
		cmd = argv + optind;
	if (so.engine && strcmp(so.engine, "replay") == 0 && !so.replay_path)
		return cli_usage("profile", "the replay engine needs --replay FILE");
	if (!!cmd + !!container + !!so.replay_path != 1)
		return cli_usage("profile", "give one of: -- CMD, --container ID, --replay FILE");
	if (container && !duration)
		return cli_usage("profile", "--container needs --duration");
	if (so.replay_path && so.record_path)
		return cli_usage("profile", "--record records a live engine, not a replay");

	po.scope = cmd ? "command" : container ? "container" : "replay";
	po.argv = (const char *const *)cmd;
	po.container = container;
	so.targets_only = !so.replay_path;

	if (cmd) {
		child = start_child(cmd, &gate);
		if (child < 0) {
			fprintf(stderr, "kensa: error: cannot start '%s': %s\n", cmd[0],
				strerror(errno));
			return EXIT_ERROR;
		}
	}
	if (kensa_sensor_open(&so, &s, &err) != 0) {
		rc = cli_fail(&err, "cannot start the sensor");
		goto out;
	}
	if (kensa_profile_new(&po, &p, &err) != 0) {
		rc = cli_fail(&err, "cannot start the profile");
		goto out;
	}
	if (child > 0 && kensa_sensor_track_pid(s, (uint32_t)child, &err) != 0) {
		rc = cli_fail(&err, "cannot follow the command");
		goto out;
	}
	if (container && kensa_sensor_track_container(s, container, &ctr_pid, &err) != 0) {
		rc = cli_fail(&err, "cannot follow the container");
		goto out;
	}
	if (!so.replay_path && kensa_sensor_drop_privileges(s, &err) != 0) {
		rc = cli_fail(&err, "cannot drop privileges");
		goto out;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	release_child(&gate);

	started = next_update = now_s();
	for (;;) {
		int n = kensa_sensor_poll(s, 100, kensa_profile_on_event, p, &err);
		double t = now_s();

		if (n < 0) {
			rc = cli_fail(&err, "the sensor failed");
			goto out;
		}
		if (child > 0 && !child_done && waitpid(child, &status, WNOHANG) == child) {
			child_done = true;
			kensa_profile_set_exit(p, status);
		}
		if (child_done || (container && !pid_alive(ctr_pid)) ||
		    (so.replay_path && kensa_sensor_done(s)))
			break;
		if (stop_requested || (duration && t - started >= duration)) {
			if (child <= 0)
				break;
			if (!term_at) {
				kill(child, SIGTERM);
				term_at = t;
			} else if (t - term_at > 10) {
				kill(child, SIGKILL);
			}
		}
		if (t >= next_update) {
			kensa_profile_update(p, s);
			next_update = t + 1;
		}
	}
	if (kensa_sensor_flush(s, kensa_profile_on_event, p, &err) < 0) {
		rc = cli_fail(&err, "the sensor failed");
		goto out;
	}
	kensa_profile_finish(p, s);
	if (cli_out_open(&out, output, &err) != 0 ||
	    kensa_profile_write_json(p, out.f, &err) != 0) {
		cli_out_close(&out, false, NULL);
		rc = cli_fail(&err, "cannot write the profile");
		goto out;
	}
	if (cli_out_close(&out, true, &err) != 0) {
		rc = cli_fail(&err, "cannot write the profile");
		goto out;
	}
	if (!no_store && kensa_profile_store(p, store, &err) != 0) {
		/* the profile itself was written */
		fprintf(stderr, "kensa: warning: %s\n", err.msg);
		kensa_err_clear(&err);
	}
	if (cli.verbosity >= 0)
		summary(p, s);
out:
	if (gate >= 0)
		close(gate);	/* the held command exits without running */
	if (child > 0 && !child_done) {
		if (rc != EXIT_OK)
			kill(child, SIGKILL);
		waitpid(child, &status, 0);
	}
	kensa_profile_free(p);
	kensa_sensor_free(s);
	return rc;
}
