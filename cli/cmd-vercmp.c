// SPDX-License-Identifier: Apache-2.0
/*
 * cmd-vercmp.c — `kensa vercmp`: compare two versions the way an ecosystem's own tool does,
 * one pair from the command line or many from standard input, and check npm ranges.
 *
 *   kensa vercmp ECOSYSTEM A B                  prints <, = or >
 *   kensa vercmp --batch ECOSYSTEM              "A<TAB>B" lines in, one answer per line out
 *   kensa vercmp --satisfies npm RANGE VERSION  prints true or false
 *   kensa vercmp --batch --satisfies npm        "RANGE<TAB>VERSION" lines in
 *
 * In batch mode a pair that cannot be compared answers "!" and the run goes on (with -v the
 * reason goes to stderr). docs/vercmp.md describes the rules of every scheme.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kensa/version.h"

static void vercmp_help(FILE *f)
{
	fprintf(f,
		"usage: kensa vercmp ECOSYSTEM A B\n"
		"       kensa vercmp --batch ECOSYSTEM < pairs.tsv\n"
		"       kensa vercmp --satisfies npm RANGE VERSION\n"
		"       kensa vercmp --batch --satisfies npm < ranges.tsv\n"
		"       kensa vercmp --list\n"
		"\n"
		"Compare versions A and B as ECOSYSTEM's own tool does; print '<', '=' or '>'.\n"
		"\n"
		"ECOSYSTEM  an OSV ecosystem name (Debian, Debian:12, Ubuntu, Alpine, Wolfi,\n"
		"           Red Hat, Rocky Linux, SUSE, PyPI, npm, Maven, Go, RubyGems, NuGet,\n"
		"           Packagist, crates.io, ...) or a scheme: dpkg apk rpm pep440 semver\n"
		"           maven go gem nuget composer cargo\n"
		"\n"
		"  -b, --batch      read 'A<TAB>B' lines from standard input and answer one line\n"
		"                   each: '<', '=', '>', or '!' when the pair cannot be compared\n"
		"  -s, --satisfies  npm only: does VERSION satisfy the npm RANGE, as\n"
		"                   node-semver's satisfies() says? prints 'true' or 'false';\n"
		"                   in batch mode the lines are 'RANGE<TAB>VERSION' and '!'\n"
		"                   marks a bad range or version\n"
		"  -l, --list       list the schemes\n"
		"\n"
		"Exit: 0 answered (in batch mode even when some lines are '!'), 2 usage error\n"
		"(unknown ecosystem), 3 malformed version or range, or unreadable input.\n");
}

/* One answer: 0 with *answer set, or a KENSA_E* code with err filled. */
static int answer(const struct kensa_version_scheme *s, bool satisfies, const char *a,
		  const char *b, const char **out, struct kensa_err *err)
{
	int result;

	if (satisfies) {
		bool ok = false;

		result = kensa_semver_satisfies(a, b, &ok, err);
		*out = ok ? "true" : "false";
	} else {
		int cmp = 0;

		result = kensa_version_compare(s, a, b, &cmp, err);
		*out = cmp < 0 ? "<" : cmp > 0 ? ">" : "=";
	}
	return result;
}

static int run_batch(const struct kensa_version_scheme *s, bool satisfies)
{
	char *line = NULL;
	size_t cap = 0, lineno = 0, bad = 0;
	ssize_t n;
	int rc = EXIT_OK;

	while ((n = getline(&line, &cap, stdin)) != -1) {
		struct kensa_err err = KENSA_ERR_INIT;
		const char *out = "!";
		char *tab;

		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		tab = memchr(line, '\t', (size_t)n);
		if (!tab || strlen(line) != (size_t)n) {
			kensa_err_set(&err, KENSA_EFORMAT,
				      "expected two fields separated by a tab");
		} else {
			*tab = '\0';
			if (answer(s, satisfies, line, tab + 1, &out, &err) != 0)
				out = "!";
		}
		if (err.code) {
			bad++;
			if (cli.verbosity > 0)
				fprintf(stderr, "kensa vercmp: line %zu: %s\n", lineno, err.msg);
		}
		fputs(out, stdout);
		fputc('\n', stdout);
	}
	if (ferror(stdin)) {
		fprintf(stderr, "kensa: error: cannot read standard input\n");
		rc = EXIT_ERROR;
	}
	if (fflush(stdout) != 0) {
		fprintf(stderr, "kensa: error: cannot write to standard output\n");
		rc = EXIT_ERROR;
	}
	if (bad && cli.verbosity >= 0)
		fprintf(stderr, "kensa vercmp: %zu of %zu lines could not be answered ('!')%s\n",
			bad, lineno, cli.verbosity > 0 ? "" : " (-v says why)");
	free(line);
	return rc;
}

int cmd_vercmp(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "batch", no_argument, NULL, 'b' },
		{ "satisfies", no_argument, NULL, 's' },
		{ "list", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct kensa_version_scheme *s;
	struct kensa_err err = KENSA_ERR_INIT;
	bool batch = false, satisfies = false;
	const char *out = NULL;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+bslh", opts, NULL)) != -1) {
		switch (c) {
		case 'b': batch = true; break;
		case 's': satisfies = true; break;
		case 'l':
			for (const char *const *n = kensa_version_schemes(); *n; n++)
				printf("%s\n", *n);
			return EXIT_OK;
		case 'h': vercmp_help(stdout); return EXIT_OK;
		default: return cli_usage("vercmp", "bad option");
		}
	}
	if (optind >= argc)
		return cli_usage("vercmp", "no ecosystem given");
	s = kensa_version_scheme(argv[optind]);
	if (!s)
		return cli_usage("vercmp", "unknown ecosystem '%s' (kensa vercmp --list)",
				 argv[optind]);
	if (satisfies && strcmp(kensa_version_scheme_name(s), "semver") != 0)
		return cli_usage("vercmp", "--satisfies is for npm ranges only, not '%s'",
				 argv[optind]);
	if (batch) {
		if (optind + 1 != argc)
			return cli_usage("vercmp",
					 "--batch reads pairs from standard input, not arguments");
		return run_batch(s, satisfies);
	}
	if (optind + 3 != argc)
		return cli_usage("vercmp", satisfies ? "expected: npm RANGE VERSION"
						     : "expected: ECOSYSTEM A B");
	if (answer(s, satisfies, argv[optind + 1], argv[optind + 2], &out, &err) != 0)
		return cli_fail(&err, "cannot compare");
	printf("%s\n", out);
	return EXIT_OK;
}
