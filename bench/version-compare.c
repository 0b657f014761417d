// SPDX-License-Identifier: Apache-2.0
/*
 * bench/version-compare.c — nanoseconds per kensa_version_compare() (and per npm range
 * check) over pairs read from a file, all in memory, so only the comparator is timed.
 * Built and run by bench/vercmp.py, which also makes the pair files from real data:
 *
 *   version-compare SCHEME PAIRS.tsv [SECONDS]      "A<TAB>B" lines
 *   version-compare --satisfies PAIRS.tsv [SECONDS]  "RANGE<TAB>VERSION" lines
 *
 * Prints: pairs, rounds, ns per call, fraction of pairs that failed (malformed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kensa/version.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const struct kensa_version_scheme *s = NULL;
	bool satisfies = argc > 1 && strcmp(argv[1], "--satisfies") == 0;
	char **a = NULL, **b = NULL, *line = NULL;
	size_t n = 0, cap = 0, lcap = 0, rounds = 0, failed = 0;
	double seconds = argc > 3 ? strtod(argv[3], NULL) : 2.0, start, elapsed;
	volatile int sink = 0;
	FILE *f;

	if (argc < 3 || (!satisfies && !(s = kensa_version_scheme(argv[1])))) {
		fprintf(stderr, "usage: %s SCHEME|--satisfies PAIRS.tsv [SECONDS]\n", argv[0]);
		return 2;
	}
	f = fopen(argv[2], "r");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	while (getline(&line, &lcap, f) > 0) {
		char *tab = strchr(line, '\t'), *nl = strchr(line, '\n');

		if (!tab)
			continue;
		if (nl)
			*nl = '\0';
		*tab = '\0';
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			a = realloc(a, cap * sizeof(*a));
			b = realloc(b, cap * sizeof(*b));
			if (!a || !b)
				return 1;
		}
		a[n] = strdup(line);
		b[n] = strdup(tab + 1);
		n++;
	}
	fclose(f);
	free(line);
	if (!n)
		return 1;

	start = now();
	do {
		for (size_t i = 0; i < n; i++) {
			int cmp = 0, r;
			bool ok = false;

			if (satisfies)
				r = kensa_semver_satisfies(a[i], b[i], &ok, NULL);
			else
				r = kensa_version_compare(s, a[i], b[i], &cmp, NULL);
			sink += cmp + ok;
			failed += rounds == 0 && r != 0;
		}
		rounds++;
		elapsed = now() - start;
	} while (elapsed < seconds);
	printf("%zu pairs, %zu rounds, %.0f ns per call, %.1f%% malformed\n", n, rounds,
	       elapsed * 1e9 / (double)(n * rounds), 100.0 * (double)failed / (double)n);
	for (size_t i = 0; i < n; i++) {
		free(a[i]);
		free(b[i]);
	}
	free(a);
	free(b);
	return 0;
}
