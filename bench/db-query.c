// SPDX-License-Identifier: Apache-2.0
/*
 * db-query.c — the matcher's hot path, measured: look up every package of an inventory in
 * the vulnerability database (kensa_db_query_package), then fetch the enrichment of every
 * advisory that came back (kensa_db_advisory_get). Built and run by bench/db.sh.
 *
 * usage: db-query DB TSV [N]
 *   TSV: "ecosystem<TAB>name" per line (bench/db.sh derives it from ../shared/images/truth);
 *   the list is repeated until N packages (default 1000) are queried. Prints the best of
 *   five runs. Not a test: it asserts nothing about time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kensa/vulndb.h"

struct pkg {
	char *eco, *name;
};

struct count {
	size_t entries, ranges, events;
	char **ids;
	size_t nids, cap;
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int on_entry(void *ud, const struct kensa_affected *a)
{
	struct count *c = ud;

	c->entries++;
	c->ranges += a->nranges;
	for (uint32_t i = 0; i < a->nranges; i++)
		c->events += a->ranges[i].nevents;
	if (c->ids) {
		if (c->nids == c->cap) {
			char **n = realloc(c->ids, 2 * c->cap * sizeof(*c->ids));

			if (!n)
				return 1;
			c->ids = n;
			c->cap *= 2;
		}
		c->ids[c->nids++] = strdup(a->advisory);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct kensa_err err = KENSA_ERR_INIT;
	struct kensa_db *db = NULL;
	struct pkg *pkgs = NULL;
	size_t n = 0, cap = 0, want = argc > 3 ? strtoul(argv[3], NULL, 10) : 1000;
	double best = 1e9, best_adv = 1e9;
	size_t per_pass;
	struct count c = { 0 };
	char line[4096];
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: %s DB TSV [N]\n", argv[0]);
		return 2;
	}
	f = fopen(argv[2], "r");
	if (!f) {
		perror(argv[2]);
		return 3;
	}
	while (fgets(line, sizeof(line), f)) {
		char *tab = strchr(line, '\t');

		line[strcspn(line, "\n")] = '\0';
		if (!tab)
			continue;
		*tab = '\0';
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			pkgs = realloc(pkgs, cap * sizeof(*pkgs));
		}
		pkgs[n].eco = strdup(line);
		pkgs[n].name = strdup(tab + 1);
		n++;
	}
	fclose(f);
	if (!n || kensa_db_open(argv[1], 0, &db, &err) != 0) {
		fprintf(stderr, "db-query: %s\n", n ? err.msg : "no packages");
		return 3;
	}
	for (int run = 0; run < 5; run++) {
		double t0 = now();

		memset(&c, 0, sizeof(c));
		for (size_t i = 0; i < want; i++) {
			const struct pkg *p = &pkgs[i % n];

			if (kensa_db_query_package(db, p->eco, p->name, 0, on_entry, &c, &err) !=
			    0) {
				fprintf(stderr, "db-query: %s\n", err.msg);
				return 3;
			}
		}
		if (now() - t0 < best)
			best = now() - t0;
	}
	per_pass = c.entries;
	/* enrichment of each advisory found (once per package list, not repeated) */
	c = (struct count){ 0 };
	c.cap = 64;
	c.ids = malloc(c.cap * sizeof(*c.ids));
	for (size_t i = 0; i < n; i++)
		kensa_db_query_package(db, pkgs[i].eco, pkgs[i].name, 0, on_entry, &c, &err);
	for (int run = 0; run < 5 && c.nids; run++) {
		double t0 = now();

		for (size_t i = 0; i < c.nids; i++) {
			struct kensa_advisory *a = NULL;

			if (kensa_db_advisory_get(db, c.ids[i], &a, &err) == 0)
				kensa_db_advisory_free(a);
		}
		if (now() - t0 < best_adv)
			best_adv = now() - t0;
	}
	printf("package look-ups: %zu packages (%zu distinct) in %.2f ms (%.1f us each), "
	       "%zu entries per pass\n",
	       want, n, best * 1e3, best * 1e6 / (double)want, per_pass);
	if (c.nids)
		printf("advisory enrichment: %zu advisories in %.2f ms (%.1f us each)\n", c.nids,
		       best_adv * 1e3, best_adv * 1e6 / (double)c.nids);
	for (size_t i = 0; i < c.nids; i++)
		free(c.ids[i]);
	free(c.ids);
	for (size_t i = 0; i < n; i++) {
		free(pkgs[i].eco);
		free(pkgs[i].name);
	}
	free(pkgs);
	kensa_db_free(db);
	return 0;
}
