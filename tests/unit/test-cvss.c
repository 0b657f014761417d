// SPDX-License-Identifier: Apache-2.0
/*
 * test-cvss.c — kensa_cvss_*: the worked examples of the specifications and of other
 * implementations' test suites (tests/data/cvss/examples-*.tsv, one vector per line with its
 * source), the vectors that must be refused (invalid.tsv), the normalized fields, the
 * canonical form and the rating scale. Exhaustive comparisons with an independent
 * implementation live in tests/cli/cvss-reference.py, the feeds in tests/cli/cvss-feeds.py.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "kensa/cvss.h"

static char data_dir[4096];

static int setup(void **state)
{
	const char *root = getenv("KENSA_ROOT");

	(void)state;
	snprintf(data_dir, sizeof(data_dir), "%s/tests/data/cvss", root ? root : ".");
	return 0;
}

/* Split a TSV line in place into at most n fields; returns the count. */
static int split(char *line, char **field, int n)
{
	int k = 0;

	line[strcspn(line, "\r\n")] = '\0';
	field[k++] = line;
	for (char *p = line; *p && k < n; p++) {
		if (*p == '\t') {
			*p = '\0';
			field[k++] = p + 1;
		}
	}
	return k;
}

/* Score in tenths ("9.8" → 98), -1 for "-". */
static long tenths(const char *s)
{
	char *end;
	double v;

	if (strcmp(s, "-") == 0)
		return -1;
	v = strtod(s, &end);
	assert_true(end != s && *end == '\0');
	return lround(v * 10);
}

static int check_examples(const char *path)
{
	char line[2048], *f[4];
	FILE *in = fopen(path, "r");
	int count = 0, bad = 0;

	assert_non_null(in);
	while (fgets(line, sizeof(line), in)) {
		struct kensa_err err = KENSA_ERR_INIT;
		struct kensa_cvss c = KENSA_CVSS_INIT;
		long base, score;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_int_equal(split(line, f, 4), 4);
		base = tenths(f[1]);
		score = tenths(f[2]);
		count++;
		if (kensa_cvss_parse(f[0], &c, &err) != 0) {
			print_error("%s: refused %s: %s\n", path, f[0], err.msg);
			bad++;
			continue;
		}
		if ((base >= 0 && lround(c.base_score * 10) != base) ||
		    (score >= 0 && lround(c.score * 10) != score)) {
			print_error("%s: %s (%s): want %s/%s, got %.1f/%.1f\n", path, f[0], f[3], f[1], f[2],
				    c.base_score, c.score);
			bad++;
		}
	}
	fclose(in);
	assert_int_equal(bad, 0);
	return count;
}

static void test_examples(void **state)
{
	DIR *d = opendir(data_dir);
	struct dirent *e;
	int files = 0, vectors = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[8192];
		size_t n = strlen(e->d_name);

		if (strncmp(e->d_name, "examples-", 9) != 0 || n < 4 || strcmp(e->d_name + n - 4, ".tsv") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", data_dir, e->d_name);
		vectors += check_examples(path);
		files++;
	}
	closedir(d);
	print_message("%d worked examples in %d files agree\n", vectors, files);
	assert_true(files >= 4);
	assert_true(vectors >= 100);
}

/* Undo the escapes invalid.tsv allows: \t, \\, \xHH. */
static void unescape(char *s)
{
	char *o = s;

	for (char *p = s; *p; p++) {
		if (p[0] == '\\' && p[1] == 't') {
			*o++ = '\t';
			p++;
		} else if (p[0] == '\\' && p[1] == '\\') {
			*o++ = '\\';
			p++;
		} else if (p[0] == '\\' && p[1] == 'x' && p[2] && p[3]) {
			char hex[3] = { p[2], p[3], 0 };

			*o++ = (char)strtol(hex, NULL, 16);
			p += 3;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
}

static void test_invalid(void **state)
{
	char path[8192], line[2048], *f[3];
	FILE *in;
	int count = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/invalid.tsv", data_dir);
	in = fopen(path, "r");
	assert_non_null(in);
	while (fgets(line, sizeof(line), in)) {
		struct kensa_err err = KENSA_ERR_INIT;
		struct kensa_cvss c = KENSA_CVSS_INIT;
		int rc;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		assert_int_equal(split(line, f, 3), 3);
		unescape(f[0]);
		c.version = 99;
		rc = kensa_cvss_parse(f[0], &c, &err);
		if (rc != KENSA_EFORMAT || !strstr(err.msg, f[1]) ||
		    !strstr(err.msg, "malformed CVSS vector '")) {
			print_error("%s (%s): rc %d, message '%s', want '%s'\n", f[0], f[2], rc, err.msg, f[1]);
			fail();
		}
		assert_int_equal(err.code, KENSA_EFORMAT);
		assert_int_equal(c.version, 0);		/* *out zeroed on failure */
		assert_null(c.severity);
		/* without an error object it fails the same way */
		assert_int_equal(kensa_cvss_parse(f[0], &c, NULL), KENSA_EFORMAT);
		count++;
	}
	fclose(in);
	print_message("%d malformed vectors refused\n", count);
	assert_true(count >= 30);
}

static void test_fields(void **state)
{
	struct kensa_cvss c;

	(void)state;
	assert_int_equal(kensa_cvss_parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/E:P", &c, NULL), 0);
	assert_int_equal(c.version, KENSA_CVSS_V31);
	assert_string_equal(c.severity, "MEDIUM");
	assert_int_equal(c.attack_vector, 'N');
	assert_int_equal(c.attack_complexity, 'L');
	assert_int_equal(c.attack_requirements, 0);
	assert_int_equal(c.privileges_required, 'N');
	assert_int_equal(c.user_interaction, 'R');
	assert_true(c.scope_changed);
	assert_int_equal(c.confidentiality, 'L');
	assert_int_equal(c.integrity, 'L');
	assert_int_equal(c.availability, 'N');
	assert_string_equal(kensa_cvss_metric(&c, "E"), "P");
	assert_string_equal(kensa_cvss_metric(&c, "S"), "C");
	assert_null(kensa_cvss_metric(&c, "RL"));
	assert_null(kensa_cvss_metric(&c, "AT"));
	assert_null(kensa_cvss_metric(&c, NULL));
	assert_null(kensa_cvss_metric(NULL, "AV"));

	assert_int_equal(kensa_cvss_parse("CVSS:3.0/AV:P/AC:H/PR:H/UI:N/S:U/C:H/I:N/A:N", &c, NULL), 0);
	assert_int_equal(c.version, KENSA_CVSS_V30);
	assert_int_equal(c.attack_vector, 'P');
	assert_false(c.scope_changed);

	assert_int_equal(kensa_cvss_parse("CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:A/VC:H/VI:N/VA:L/SC:N/SI:L/SA:N/"
					  "E:U/AU:Y/U:Amber", &c, NULL), 0);
	assert_int_equal(c.version, KENSA_CVSS_V40);
	assert_int_equal(c.attack_vector, 'A');
	assert_int_equal(c.attack_complexity, 'H');
	assert_int_equal(c.attack_requirements, 'P');
	assert_int_equal(c.privileges_required, 'L');
	assert_int_equal(c.user_interaction, 'A');
	assert_true(c.scope_changed);		/* SI:L: impact beyond the vulnerable system */
	assert_int_equal(c.confidentiality, 'H');
	assert_int_equal(c.integrity, 'N');
	assert_int_equal(c.availability, 'L');
	assert_string_equal(kensa_cvss_metric(&c, "U"), "Amber");
	assert_string_equal(kensa_cvss_metric(&c, "AU"), "Y");
	assert_true(c.score < c.base_score);	/* E:U lowers CVSS-BT below CVSS-B */
	assert_string_equal(c.severity, kensa_cvss_severity(KENSA_CVSS_V40, c.base_score));

	assert_int_equal(kensa_cvss_parse("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
					  &c, NULL), 0);
	assert_false(c.scope_changed);
	assert_string_equal(c.severity, "CRITICAL");

	assert_int_equal(kensa_cvss_parse("(AV:A/AC:M/Au:S/C:C/I:P/A:N/E:POC)", &c, NULL), 0);
	assert_int_equal(c.version, KENSA_CVSS_V2);
	assert_int_equal(c.attack_vector, 'A');
	assert_int_equal(c.attack_complexity, 'M');
	assert_int_equal(c.privileges_required, 'L');	/* Au:S */
	assert_int_equal(c.user_interaction, 0);
	assert_int_equal(c.confidentiality, 'H');
	assert_int_equal(c.integrity, 'L');
	assert_int_equal(c.availability, 'N');
	assert_string_equal(kensa_cvss_metric(&c, "E"), "POC");
	assert_string_equal(kensa_cvss_metric(&c, "Au"), "S");
}

static void check_format(const char *in, const char *want)
{
	struct kensa_cvss c, again;
	char buf[256];
	int n;

	assert_int_equal(kensa_cvss_parse(in, &c, NULL), 0);
	n = kensa_cvss_format(&c, buf, sizeof(buf));
	assert_string_equal(buf, want);
	assert_int_equal(n, (int)strlen(want));
	assert_int_equal(kensa_cvss_parse(buf, &again, NULL), 0);
	assert_true(again.base_score == c.base_score && again.score == c.score);
}

static void test_format(void **state)
{
	struct kensa_cvss c;
	char small[12];

	(void)state;
	check_format("CVSS:3.1/S:U/A:H/AV:N/AC:L/PR:N/UI:N/C:H/I:H/E:X/MAV:L",
		     "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MAV:L");
	check_format("(AV:N/AC:L/Au:N/C:P/I:P/A:P/E:ND/RL:OF)", "AV:N/AC:L/Au:N/C:P/I:P/A:P/RL:OF");
	check_format("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/CR:X/MSI:S/U:Red",
		     "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSI:S/U:Red");

	assert_int_equal(kensa_cvss_parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", &c, NULL), 0);
	assert_int_equal(kensa_cvss_format(&c, small, sizeof(small)), KENSA_ELIMIT);
	assert_int_equal(strlen(small), sizeof(small) - 1);	/* truncated, terminated */
	assert_int_equal(kensa_cvss_format(&c, small, 0), KENSA_ELIMIT);
	c.version = 7;
	assert_int_equal(kensa_cvss_format(&c, small, sizeof(small)), KENSA_EINVAL);
}

static void test_severity(void **state)
{
	static const struct {
		int version;
		double score;
		const char *want;
	} cases[] = {
		{ KENSA_CVSS_V31, 0.0, "NONE" }, { KENSA_CVSS_V31, 0.1, "LOW" },
		{ KENSA_CVSS_V31, 3.9, "LOW" }, { KENSA_CVSS_V31, 4.0, "MEDIUM" },
		{ KENSA_CVSS_V30, 6.9, "MEDIUM" }, { KENSA_CVSS_V30, 7.0, "HIGH" },
		{ KENSA_CVSS_V40, 8.9, "HIGH" }, { KENSA_CVSS_V40, 9.0, "CRITICAL" },
		{ KENSA_CVSS_V40, 10.0, "CRITICAL" }, { KENSA_CVSS_V2, 0.0, "LOW" },
		{ KENSA_CVSS_V2, 3.9, "LOW" }, { KENSA_CVSS_V2, 4.0, "MEDIUM" },
		{ KENSA_CVSS_V2, 7.0, "HIGH" }, { KENSA_CVSS_V2, 10.0, "HIGH" },
		{ KENSA_CVSS_V31, -0.1, "UNKNOWN" }, { KENSA_CVSS_V31, 10.1, "UNKNOWN" },
		{ KENSA_CVSS_V31, NAN, "UNKNOWN" }, { 3, 5.0, "UNKNOWN" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(kensa_cvss_severity(cases[i].version, cases[i].score), cases[i].want);
}

static void test_limits(void **state)
{
	struct kensa_err err = KENSA_ERR_INIT;
	struct kensa_cvss c;
	char *big = malloc(4001);

	(void)state;
	assert_int_equal(kensa_cvss_parse(NULL, &c, &err), KENSA_EFORMAT);
	assert_non_null(strstr(err.msg, "none given"));

	/* Too long: refused before parsing, quoted in part. */
	assert_non_null(big);
	memset(big, 'A', 4000);
	big[4000] = '\0';
	kensa_err_clear(&err);
	assert_int_equal(kensa_cvss_parse(big, &c, &err), KENSA_EFORMAT);
	assert_non_null(strstr(err.msg, "longer than 1024 bytes"));
	assert_non_null(strstr(err.msg, "AAA...'"));
	assert_true(strlen(err.msg) < 300);

	/* Exactly at the limit it is parsed (and refused for what it says). */
	big[1024] = '\0';
	kensa_err_clear(&err);
	assert_int_equal(kensa_cvss_parse(big, &c, &err), KENSA_EFORMAT);
	assert_null(strstr(err.msg, "longer than"));
	free(big);

	/* The first error is kept (error.h: filled once). */
	kensa_err_clear(&err);
	assert_int_equal(kensa_cvss_parse("CVSS:3.1/AV:X", &c, &err), KENSA_EFORMAT);
	assert_int_equal(kensa_cvss_parse("CVSS:3.1/AC:X", &c, &err), KENSA_EFORMAT);
	assert_non_null(strstr(err.msg, "'AV'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples), cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_fields),	 cmocka_unit_test(test_format),
		cmocka_unit_test(test_severity), cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
