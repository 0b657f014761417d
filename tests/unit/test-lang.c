// SPDX-License-Identifier: Apache-2.0
/*
 * test-lang.c — the small pieces of the language analyzers whose edge cases the analyzer
 * cases (tests/pkgdb/) do not reach directly: lexical path joining (RECORD and
 * installed-files.txt paths), which core-metadata header gives a Python license, the forms
 * of a gemspec's assignments, and RECORD's CSV quoting. Whole formats are tested as data in
 * tests/pkgdb/<case>/ and against the package managers in tests/cli/lang-reference.py.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "pkgdb/lang.h"

static void test_path_join(void **state)
{
	static const struct {
		const char *base, *rel, *want;	/* want "" = refused */
	} cases[] = {
		{ "/usr/lib/python3/dist-packages", "requests/api.py",
		  "/usr/lib/python3/dist-packages/requests/api.py" },
		{ "/opt/venv/lib/python3.11/site-packages", "../../../bin/jsonpointer",
		  "/opt/venv/bin/jsonpointer" },
		{ "/a/b", "./c//d/./e", "/a/b/c/d/e" },
		{ "/a/b", "../../../../etc/passwd", "/etc/passwd" },	/* ".." stops at the root */
		{ "/a/b", "/abs/path", "/abs/path" },
		{ "/", "x", "/x" },
		{ "/a", "", "/a" },
		{ "/a", "..", "/" },
	};
	char out[KS_MAX_PATH], big[KS_MAX_PATH + 16];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n =
			ks_lang_path_join(cases[i].base, cases[i].rel, strlen(cases[i].rel), out);

		assert_int_equal(n, strlen(cases[i].want));
		assert_string_equal(out, cases[i].want);
	}
	/* a NUL inside rel, and a result that would not fit, are refused */
	assert_int_equal(ks_lang_path_join("/a", "b\0c", 3, out), 0);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(ks_lang_path_join("/a", big, strlen(big), out), 0);
}

static void pymeta(const char *text, const char *name, const char *version, const char *license)
{
	struct ks_arena a = KS_ARENA_INIT;
	struct ks_pymeta m;

	assert_int_equal(ks_pymeta_parse(&a, text, strlen(text), &m), 0);
	if (name)
		assert_string_equal(m.name, name);
	else
		assert_null(m.name);
	if (version)
		assert_string_equal(m.version, version);
	else
		assert_null(m.version);
	if (license)
		assert_string_equal(m.license, license);
	else
		assert_null(m.license);
	ks_arena_release(&a);
}

static void test_pymeta(void **state)
{
	(void)state;
	/* License-Expression wins over License and classifiers */
	pymeta("Metadata-Version: 2.4\nName: foo\nVersion: 1.0\nLicense: BSD\nLicense-Expression: "
	       "MIT OR Apache-2.0\n"
	       "Classifier: License :: OSI Approved :: MIT License\n",
	       "foo", "1.0", "MIT OR Apache-2.0");
	/* a License header carrying a whole license text is not a name: the classifiers are */
	pymeta("Name: bar\nVersion: 2\nLicense: Copyright (c) 2020 Someone\n        Permission is "
	       "hereby granted\n"
	       "Classifier: License :: OSI Approved :: BSD License\nClassifier: License :: OSI "
	       "Approved :: MIT License\n",
	       "bar", "2", "BSD License, MIT License");
	/* UNKNOWN is no license; header names are case-insensitive; the body is not read */
	pymeta("name: baz\nVERSION: 0.1\nLicense: UNKNOWN\n\nVersion: 9.9\nLicense: GPL\n", "baz",
	       "0.1", NULL);
	/* no headers at all */
	pymeta("just text without a colon\n", NULL, NULL, NULL);
}

static void gemspec(const char *text, const char *name, const char *version, const char *license)
{
	struct ks_arena a = KS_ARENA_INIT;
	struct ks_gemspec g;

	assert_int_equal(ks_gemspec_parse(&a, text, strlen(text), &g), 0);
	if (name)
		assert_string_equal(g.name, name);
	else
		assert_null(g.name);
	if (version)
		assert_string_equal(g.version, version);
	else
		assert_null(g.version);
	if (license)
		assert_string_equal(g.license, license);
	else
		assert_null(g.license);
	ks_arena_release(&a);
}

static void test_gemspec(void **state)
{
	(void)state;
	gemspec("Gem::Specification.new do |s|\n  s.name = \"rake\".freeze\n  s.version = "
		"\"13.0.6\"\n"
		"  s.licenses = [\"MIT\".freeze]\nend\n",
		"rake", "13.0.6", "MIT");
	/* another block variable, single quotes, Gem::Version.new, a dual license */
	gemspec("Gem::Specification.new do |spec|\n  spec.name    = 'thing'\n"
		"  spec.version = Gem::Version.new('0.3.1')\n  spec.license = 'MIT'\n"
		"  s.name = \"not-this\"\nend\n",
		"thing", "0.3.1", "MIT");
	gemspec("Gem::Specification.new do |s|\n  s.name = \"io-console\".freeze\n  s.version = "
		"\"0.5.11\"\n"
		"  s.licenses = [\"Ruby\".freeze, \"BSD-2-Clause\".freeze]\nend\n",
		"io-console", "0.5.11", "Ruby, BSD-2-Clause");
	/* a computed version: only the stub header says */
	gemspec("# stub: sidekiq 6.5.8 ruby lib\nGem::Specification.new do |gem|\n  gem.name = "
		"\"sidekiq\"\n"
		"  gem.version = Sidekiq::VERSION\nend\n",
		"sidekiq", "6.5.8", NULL);
	/* `==` is a comparison, not an assignment; an unterminated string is nothing */
	gemspec("Gem::Specification.new do |s|\n  s.name == \"x\"\n  s.version = \"1.0\n", NULL,
		NULL, NULL);
}

static int collect(void *ud, const char *p, size_t n)
{
	char *out = ud;
	size_t l = strlen(out);

	snprintf(out + l, 256 - l, "%.*s|", (int)n, p);
	return 0;
}

static void test_record(void **state)
{
	static const char record[] =
		"a/b.py,sha256=x,12\n\"c,d.py\",,\n\"e\"\"f.py\",,\n../../../bin/g,,\r\n\n";
	char out[256] = "";

	(void)state;
	assert_int_equal(ks_pyrecord_each(record, sizeof(record) - 1, collect, out), 0);
	/* doubled quotes inside a quoted path are rare enough to skip, not to misread */
	assert_string_equal(out, "a/b.py|c,d.py|../../../bin/g|");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_join),
		cmocka_unit_test(test_pymeta),
		cmocka_unit_test(test_gemspec),
		cmocka_unit_test(test_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
