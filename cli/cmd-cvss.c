// SPDX-License-Identifier: Apache-2.0
/*
 * cmd-cvss.c — `kensa cvss [VECTOR...]`: parse and score CVSS vectors (v2, v3.0, v3.1,
 * v4.0) given as arguments or one per line on standard input, one tab-separated result line
 * each. The tests pipe thousands of vectors through it to compare kensa with reference
 * implementations; people use it to check a score.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kensa/cvss.h"

static void cvss_help(FILE *f)
{
	fprintf(f,
		"usage: kensa cvss [--canonical] [VECTOR...]\n"
		"\n"
		"Score CVSS vectors: v2 (\"AV:N/AC:L/Au:N/C:P/I:P/A:P\"), v3.0 and v3.1\n"
		"(\"CVSS:3.1/...\"), v4.0 (\"CVSS:4.0/...\"). Without VECTOR, read one vector\n"
		"per line from standard input.\n"
		"\n"
		"Prints one line per vector, tab-separated:\n"
		"  BASE  SCORE  SEVERITY  VERSION  VECTOR\n"
		"BASE is the base score (v4.0: CVSS-B), SCORE applies every metric group the\n"
		"vector carries (temporal/threat, environmental), SEVERITY rates BASE. A\n"
		"malformed vector prints \"-  -  INVALID  -  VECTOR\", its error goes to\n"
		"standard error and the exit code is 3.\n"
		"\n"
		"  -c, --canonical   print the vector in canonical form (spec order, no X)\n");
}

static const char *version_name(int version)
{
	switch (version) {
	case KENSA_CVSS_V2: return "2.0";
	case KENSA_CVSS_V30: return "3.0";
	case KENSA_CVSS_V31: return "3.1";
	case KENSA_CVSS_V40: return "4.0";
	default: return "?";
	}
}

/* Score one vector and print its line; false when it is malformed. */
static bool score_one(const char *vector, bool canonical)
{
	struct kensa_err err = KENSA_ERR_INIT;
	struct kensa_cvss c = KENSA_CVSS_INIT;
	char buf[256];

	if (kensa_cvss_parse(vector, &c, &err) != 0) {
		printf("-\t-\tINVALID\t-\t%s\n", vector);
		fprintf(stderr, "kensa: error: %s\n", err.msg);
		return false;
	}
	if (canonical && kensa_cvss_format(&c, buf, sizeof(buf)) >= 0)
		vector = buf;
	printf("%.1f\t%.1f\t%s\t%s\t%s\n", c.base_score, c.score, c.severity,
	       version_name(c.version), vector);
	return true;
}

int cmd_cvss(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "canonical", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool canonical = false, ok = true;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "ch", opts, NULL)) != -1) {
		switch (c) {
		case 'c': canonical = true; break;
		case 'h': cvss_help(stdout); return EXIT_OK;
		default: return cli_usage("cvss", "bad option");
		}
	}
	if (optind < argc) {
		for (int i = optind; i < argc; i++)
			ok &= score_one(argv[i], canonical);
		return ok ? EXIT_OK : EXIT_ERROR;
	}
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		ok &= score_one(line, canonical);
	}
	free(line);
	if (fflush(stdout) != 0)
		return cli_fail(NULL, "cannot write to standard output");
	return ok ? EXIT_OK : EXIT_ERROR;
}
