/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.h — what the kensa commands share: the command table entry, exit codes, output files,
 * error printing. Each command lives in cli/cmd-<name>.c and is listed once in kensa.c.
 */
#ifndef KENSA_CLI_H
#define KENSA_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "kensa/kensa.h"

/* Exit codes (documented in docs/cli.md). */
enum {
	EXIT_OK = 0,
	EXIT_POLICY = 1,	/* a policy / threshold failed */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_ERROR = 3,		/* could not do the work */
};

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);	/* argv[0] is the command name */
	const char *summary;
};

/* The commands (cli/cmd-<name>.c). */
int cmd_sbom(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_cvss(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_vercmp(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_agent(int argc, char **argv);

/* Global options, set by kensa.c before a command runs. */
struct cli_globals {
	int verbosity;		/* 0 normal, -1 quiet, 1+ verbose */
	bool progress;		/* progress lines on stderr (default: stderr is a TTY) */
	bool color;		/* colour on stdout (default: stdout is a TTY, NO_COLOR unset) */
};
extern struct cli_globals cli;

/* Print "kensa: error: <msg>" for err (or fallback text) and return EXIT_ERROR. */
int cli_fail(const struct kensa_err *err, const char *fallback);
/* Print "kensa <cmd>: <msg>" plus a usage hint and return EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Output to a file (written to a temporary beside it and renamed on cli_out_close, so a
 * failed run never leaves half a report) or to stdout when path is NULL or "-".
 */
struct cli_out {
	FILE *f;
	char *path;
	char *tmp;
};
int cli_out_open(struct cli_out *o, const char *path, struct kensa_err *err);
/* ok=false discards the temporary file. */
int cli_out_close(struct cli_out *o, bool ok, struct kensa_err *err);

/* Seconds since the command started (for summaries). */
double cli_elapsed(void);

#endif
