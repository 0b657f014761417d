// SPDX-License-Identifier: Apache-2.0
/*
 * epss.c — FIRST EPSS daily scores (epss_scores-YYYY-MM-DD.csv[.gz]): a comment line
 * "#model_version:v2025.03.14,score_date:2026-01-30T12:55:00Z", a header "cve,epss,percentile",
 * then one unquoted row per CVE. (Decompression happens in import.c.)
 *
 * Kept: score and percentile per CVE; model version and score date as the source's feed
 * facts. A row that is not "CVE id, number in [0,1], number in [0,1]" is skipped and counted.
 * The columns are found by the header's names, so a reordered file still imports.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "vulndb.h"

#define EPSS_MAX_LINE 4096

static bool epss_sniff(const char *data, size_t len)
{
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	return (len >= 14 && memcmp(data, "#model_version", 14) == 0) ||
	       (len >= 9 && memcmp(data, "cve,epss,", 9) == 0);
}

static bool parse_prob(const char *s, size_t n, double *out)
{
	char buf[64];
	char *end = NULL;

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	*out = strtod(buf, &end);
	return errno == 0 && end == buf + n && isfinite(*out) && *out >= 0.0 && *out <= 1.0;
}

/* "#model_version:v2025.03.14,score_date:2026-01-30T12:55:00Z" */
static void header_facts(struct ks_import *im, const char *line, size_t n)
{
	char buf[256], *model = NULL, *date = NULL;

	if (n >= sizeof(buf))
		return;
	memcpy(buf, line + 1, n - 1);
	buf[n - 1] = '\0';
	for (char *p = buf, *next; p && *p; p = next) {
		char *colon;

		next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		colon = strchr(p, ':');
		if (!colon)
			continue;
		*colon = '\0';
		if (strcmp(p, "model_version") == 0)
			model = colon + 1;
		else if (strcmp(p, "score_date") == 0)
			date = colon + 1;
	}
	if (model && !ks_vdb_text_ok(model, 64))
		model = NULL;
	if (date && !ks_vdb_text_ok(date, 64))
		date = NULL;
	ks_import_feed_info(im, model, date);
}

static int epss_import(struct ks_import *im, const cJSON *doc, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	int col_cve = -1, col_score = -1, col_pct = -1;
	bool header = false;
	uint64_t line = 0;
	int result = 0;

	(void)doc;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end && !result) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		const char *f[3] = { 0 };
		size_t fl[3] = { 0 }, n = (size_t)(e - p);
		double score, pct;
		char cve[64];
		int col = 0, max;

		line++;
		if (n && p[n - 1] == '\r')
			n--;
		if (n == 0)
			goto next;
		if (n > EPSS_MAX_LINE) {
			ks_import_skip(im, "bad row", "line %llu is too long",
				       (unsigned long long)line);
			goto next;
		}
		if (p[0] == '#') {
			header_facts(im, p, n);
			goto next;
		}
		if (!header) {
			/* the column names */
			for (const char *s = p; s <= p + n; col++) {
				const char *c = memchr(s, ',', (size_t)(p + n - s));
				size_t fl0 = c ? (size_t)(c - s) : (size_t)(p + n - s);

				if (fl0 == 3 && memcmp(s, "cve", 3) == 0)
					col_cve = col;
				else if (fl0 == 4 && memcmp(s, "epss", 4) == 0)
					col_score = col;
				else if (fl0 == 10 && memcmp(s, "percentile", 10) == 0)
					col_pct = col;
				if (!c)
					break;
				s = c + 1;
			}
			header = true;
			if (col_cve < 0 || col_score < 0 || col_pct < 0) {
				ks_import_skip(im, "unknown schema",
					       "no cve,epss,percentile header");
				return 0;
			}
			goto next;
		}
		max = KS_MAX(col_cve, KS_MAX(col_score, col_pct));
		for (const char *s = p; col <= max; col++) {
			const char *c = memchr(s, ',', (size_t)(p + n - s));
			size_t l = c ? (size_t)(c - s) : (size_t)(p + n - s);

			if (col == col_cve) {
				f[0] = s;
				fl[0] = l;
			} else if (col == col_score) {
				f[1] = s;
				fl[1] = l;
			} else if (col == col_pct) {
				f[2] = s;
				fl[2] = l;
			}
			if (!c)
				break;
			s = c + 1;
		}
		if (!f[0] || !f[1] || !f[2] || fl[0] < 9 || fl[0] >= sizeof(cve) ||
		    strncmp(f[0], "CVE-", 4) != 0 || !parse_prob(f[1], fl[1], &score) ||
		    !parse_prob(f[2], fl[2], &pct)) {
			ks_import_skip(im, "bad row", "line %llu: not \"CVE-id,score,percentile\"",
				       (unsigned long long)line);
			goto next;
		}
		memcpy(cve, f[0], fl[0]);
		cve[fl[0]] = '\0';
		if (!ks_vdb_id_valid(cve)) {
			ks_import_skip(im, "bad row", "line %llu: bad CVE id",
				       (unsigned long long)line);
			goto next;
		}
		result = ks_store_epss(im, cve, score, pct);
		if (!result)
			ks_import_count(im, "records", 1);
next:
		p = nl ? nl + 1 : end;
	}
	if (!header && !result)
		ks_import_skip(im, "unknown schema", "no header line");
	return result;
}

const struct ks_importer ks_importer_epss = {
	.name = "epss",
	.per_record = false,
	.sniff_text = epss_sniff,
	.import = epss_import,
};
