// SPDX-License-Identifier: Apache-2.0
/*
 * test-secrets.c — the Aho–Corasick matcher against a brute-force search on random text, and
 * the secret rules on real token formats (AWS's documented example key pair, PEM headers),
 * near misses that must not match, and redaction.
 */
#include "unit.h"

#include <stdlib.h>

#include "checks/acmatch.h"
#include "kensa/secrets.h"

struct hits {
	size_t n;
	size_t kw[4096];
	size_t end[4096];
};

static int on_hit(void *ud, size_t kw, size_t end)
{
	struct hits *h = ud;

	if (h->n < 4096) {
		h->kw[h->n] = kw;
		h->end[h->n] = end;
	}
	h->n++;
	return 0;
}

static void test_ac_vs_bruteforce(void **state)
{
	static const char *const kws[] = { "ab", "b", "abc", "bca", "CaB", "aaaa", "c" };
	unsigned char text[2000];
	struct hits h;
	struct ks_ac *ac = ks_ac_build(kws, KS_ARRAY_SIZE(kws));

	(void)state;
	assert_non_null(ac);
	srand(7);
	for (int round = 0; round < 50; round++) {
		size_t want = 0;

		for (size_t i = 0; i < sizeof(text); i++)
			text[i] = "abcABC x"[rand() % 8];
		for (size_t i = 0; i < sizeof(text); i++)
			for (size_t k = 0; k < KS_ARRAY_SIZE(kws); k++) {
				size_t l = strlen(kws[k]);

				if (i + l <= sizeof(text) && strncasecmp((const char *)text + i, kws[k], l) == 0)
					want++;
			}
		memset(&h, 0, sizeof(h));
		ks_ac_scan(ac, text, sizeof(text), on_hit, &h);
		assert_int_equal(h.n, want);
		for (size_t i = 0; i < h.n && i < 4096; i++) {
			size_t l = strlen(kws[h.kw[i]]);

			assert_true(h.end[i] >= l);
			assert_int_equal(strncasecmp((const char *)text + h.end[i] - l, kws[h.kw[i]], l), 0);
		}
	}
	ks_ac_free(ac);
}

struct found {
	int n;
	char rule[8][64];
	char red[8][128];
	uint32_t line[8];
};

static int on_found(void *ud, const char *rule, const char *title, const char *severity, uint32_t line,
		    const char *redacted)
{
	struct found *f = ud;

	(void)title;
	(void)severity;
	if (f->n < 8) {
		snprintf(f->rule[f->n], sizeof(f->rule[0]), "%s", rule);
		snprintf(f->red[f->n], sizeof(f->red[0]), "%s", redacted);
		f->line[f->n] = line;
	}
	f->n++;
	return 0;
}

static void test_rules(void **state)
{
	/* AWS's documentation example key pair, as planted in the app-multi image's /app/.env */
	static const char env[] = "# FAKE credentials\n"
				  "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"
				  "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
				  "AWS_DEFAULT_REGION=us-east-1\n";
	static const char pem[] = "x\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n";
	static const char miss[] = "AKIAIOSFODNN7EXAMPL is too short; AKIAIOSFODNN7EXAMPLEX too long;\n"
				   "-----BEGIN PUBLIC KEY----- is public; ghp_short; password=hunter2\n";
	struct found f;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(kensa_secrets_scan(env, sizeof(env) - 1, on_found, &f), 0);
	assert_int_equal(f.n, 2);
	assert_string_equal(f.rule[0], "aws-access-key-id");
	assert_string_equal(f.red[0], "AKIA****************");
	assert_int_equal(f.line[0], 2);
	assert_string_equal(f.rule[1], "aws-secret-access-key");
	assert_string_equal(f.red[1], "wJal************************************");
	assert_int_equal(f.line[1], 3);
	assert_null(strstr(f.red[1], "EXAMPLEKEY"));

	memset(&f, 0, sizeof(f));
	kensa_secrets_scan(pem, sizeof(pem) - 1, on_found, &f);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.rule[0], "private-key");
	assert_int_equal(f.line[0], 2);

	memset(&f, 0, sizeof(f));
	kensa_secrets_scan(miss, sizeof(miss) - 1, on_found, &f);
	assert_int_equal(f.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ac_vs_bruteforce),
		cmocka_unit_test(test_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
