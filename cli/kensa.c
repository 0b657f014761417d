// SPDX-License-Identifier: Apache-2.0
/*
 * kensa.c — the command-line entry point: global options, logging to stderr, and the one
 * table of commands (git's builtin style: each command in cli/cmd-<name>.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const struct cli_command commands[] = {
	{ "sbom", cmd_sbom, "inventory a target and write an SBOM (CycloneDX, SPDX, JSON)" },
	{ "scan", cmd_scan, "find the vulnerabilities that need action, with the evidence" },
	{ "cvss", cmd_cvss, "score CVSS vectors (v2, v3.0, v3.1, v4.0)" },
	{ "db", cmd_db, "build, update and query the vulnerability database" },
	{ "vercmp", cmd_vercmp, "compare versions as an ecosystem's own tool does; npm ranges" },
	{ "profile", cmd_profile, "record which packages a workload really loads (in-use profile)" },
	{ "agent", cmd_agent, "profile every container continuously into the profile store" },
};

struct cli_globals cli;
static struct timespec started;
static bool progress_line;	/* a progress line is on screen and needs clearing */

double cli_elapsed(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - started.tv_sec) + (double)(now.tv_nsec - started.tv_nsec) / 1e9;
}

static void clear_progress(void)
{
	if (progress_line) {
		fputs("\r\033[K", stderr);
		progress_line = false;
	}
}

static void on_log(void *ud, enum kensa_log_level level, const char *msg)
{
	static const char *const names[] = { "error", "warning", "note", "debug" };

	(void)ud;
	clear_progress();
	fprintf(stderr, "kensa: %s: %s\n", names[level], msg);
}

static void on_progress(void *ud, const char *stage, uint64_t done, uint64_t total)
{
	(void)ud;
	if (total)
		fprintf(stderr, "\r\033[K%s: %llu%%", stage, (unsigned long long)(done * 100 / total));
	else
		fprintf(stderr, "\r\033[K%s: %llu", stage, (unsigned long long)done);
	progress_line = true;
	if (total && done >= total)
		clear_progress();
}

int cli_fail(const struct kensa_err *err, const char *fallback)
{
	clear_progress();
	if (err && err->code)
		fprintf(stderr, "kensa: error: %s\n", err->msg);
	else
		fprintf(stderr, "kensa: error: %s\n", fallback ? fallback : "failed");
	return EXIT_ERROR;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	clear_progress();
	fprintf(stderr, "kensa %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see 'kensa %s --help')\n", cmd);
	return EXIT_USAGE;
}

int cli_out_open(struct cli_out *o, const char *path, struct kensa_err *err)
{
	memset(o, 0, sizeof(*o));
	if (!path || strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	o->path = strdup(path);
	if (!o->path || asprintf(&o->tmp, "%s.kensa-tmp.%ld", path, (long)getpid()) < 0) {
		o->tmp = NULL;
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	}
	o->f = fopen(o->tmp, "w");
	if (!o->f)
		return kensa_err_set(err, KENSA_EIO, "cannot create '%s': %s", o->tmp, strerror(errno));
	return 0;
}

int cli_out_close(struct cli_out *o, bool ok, struct kensa_err *err)
{
	int result = 0;

	if (!o->f)
		goto out;
	if (o->f == stdout) {
		if (fflush(stdout) != 0 && ok)
			result = kensa_err_set(err, KENSA_EIO, "cannot write to standard output: %s", strerror(errno));
		goto out;
	}
	if (fclose(o->f) != 0 && ok)
		result = kensa_err_set(err, KENSA_EIO, "cannot write '%s': %s", o->path, strerror(errno));
	if (ok && !result && rename(o->tmp, o->path) != 0)
		result = kensa_err_set(err, KENSA_EIO, "cannot create '%s': %s", o->path, strerror(errno));
	if (!ok || result)
		unlink(o->tmp);
out:
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
	return result;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: kensa [-q | -v] [--progress | --no-progress] COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'kensa COMMAND --help' describes one command. Exit codes: 0 ok, 1 policy failed, "
		   "2 usage error, 3 error.\n");
}

int main(int argc, char **argv)
{
	int i;

	clock_gettime(CLOCK_MONOTONIC, &started);
	cli.progress = isatty(STDERR_FILENO);
	cli.color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
			cli.verbosity = -1;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			cli.verbosity++;
		} else if (strcmp(a, "--progress") == 0) {
			cli.progress = true;
		} else if (strcmp(a, "--no-progress") == 0) {
			cli.progress = false;
		} else if (strcmp(a, "--version") == 0) {
			printf("kensa %s\n", kensa_version());
			return EXIT_OK;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return EXIT_OK;
		} else {
			fprintf(stderr, "kensa: unknown option '%s'\n", a);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	kensa_log_set(on_log, NULL,
		      cli.verbosity < 0 ? KENSA_LOG_ERROR : cli.verbosity == 0 ? KENSA_LOG_WARN
		      : cli.verbosity == 1 ? KENSA_LOG_INFO : KENSA_LOG_DEBUG);
	if (cli.progress && cli.verbosity >= 0)
		kensa_progress_set(on_progress, NULL);
	for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++) {
		if (strcmp(commands[c].name, argv[i]) == 0) {
			int rc = commands[c].run(argc - i, argv + i);

			clear_progress();
			return rc;
		}
	}
	fprintf(stderr, "kensa: '%s' is not a kensa command\n", argv[i]);
	usage(stderr);
	return EXIT_USAGE;
}
