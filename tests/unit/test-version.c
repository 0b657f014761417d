// SPDX-License-Identifier: Apache-2.0
/*
 * test-version.c — the contract of include/kensa/version.h: which names select which
 * scheme, errors and their messages, the size limit, and that comparing allocates nothing.
 * Whether the orders are right is proven elsewhere, against the reference implementations
 * (tests/cli/vercmp-*.py) and the documented vectors (tests/version/).
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "kensa/version.h"

#if defined(__SANITIZE_ADDRESS__)
#define COUNT_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define COUNT_MALLOC 0
#endif
#endif
#ifndef COUNT_MALLOC
#define COUNT_MALLOC 1
#endif

#if COUNT_MALLOC
/* Interpose the allocator of this test program (glibc) to count calls while `counting`. */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t m);
extern void *__libc_realloc(void *p, size_t n);
static int counting, allocations;

void *malloc(size_t n)
{
	allocations += counting;
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t m)
{
	allocations += counting;
	return __libc_calloc(n, m);
}

void *realloc(void *p, size_t n)
{
	allocations += counting;
	return __libc_realloc(p, n);
}
#endif

static const struct kensa_version_scheme *scheme(const char *name)
{
	const struct kensa_version_scheme *s = kensa_version_scheme(name);

	assert_non_null(s);
	return s;
}

static void test_names(void **state)
{
	static const struct {
		const char *ecosystem, *family;
	} names[] = {
		{ "Debian", "dpkg" }, { "Debian:12", "dpkg" }, { "Ubuntu:22.04:LTS", "dpkg" },
		{ "Ubuntu:Pro:18.04:LTS", "dpkg" }, { "Alpine", "apk" }, { "Alpine:v3.19", "apk" },
		{ "Wolfi", "apk" }, { "Chainguard", "apk" }, { "Red Hat", "rpm" },
		{ "Red Hat:enterprise_linux:9::appstream", "rpm" }, { "Rocky Linux:9", "rpm" },
		{ "AlmaLinux:8", "rpm" }, { "SUSE:Linux Enterprise Server 15 SP5", "rpm" },
		{ "openSUSE:Leap 15.5", "rpm" }, { "Amazon Linux", "rpm" }, { "Fedora", "rpm" },
		{ "PyPI", "pep440" }, { "pypi", "pep440" }, { "npm", "semver" },
		{ "Maven", "maven" },
		{ "Go", "go" }, { "golang", "go" }, { "RubyGems", "gem" }, { "NuGet", "nuget" },
		{ "Packagist", "composer" }, { "crates.io", "cargo" }, { "deb", "dpkg" },
		{ "DPKG", "dpkg" }, { "cargo", "cargo" }, { "semver", "semver" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_string_equal(kensa_version_scheme_name(scheme(names[i].ecosystem)),
				    names[i].family);
	assert_ptr_equal(kensa_version_scheme("Debian"), kensa_version_scheme("dpkg"));
	assert_null(kensa_version_scheme(NULL));
	assert_null(kensa_version_scheme(""));
	assert_null(kensa_version_scheme("Debia"));
	assert_null(kensa_version_scheme("Debianx"));
	assert_null(kensa_version_scheme("Hex"));
	assert_null(kensa_version_scheme_name(NULL));
}

static void test_schemes_list(void **state)
{
	const char *const *names = kensa_version_schemes();
	size_t n = 0;

	(void)state;
	for (; names[n]; n++)
		assert_string_equal(kensa_version_scheme_name(scheme(names[n])), names[n]);
	assert_int_equal(n, 11);
}

static void test_compare_and_errors(void **state)
{
	struct kensa_err err = KENSA_ERR_INIT;
	int cmp = 42;

	(void)state;
	assert_int_equal(kensa_version_compare(scheme("Debian"), "1:1.0", "2.0", &cmp, &err), 0);
	assert_true(cmp > 0);
	assert_int_equal(err.code, 0);	/* untouched on success */

	cmp = 42;
	assert_int_equal(kensa_version_compare(scheme("Debian"), "1.0", "a1", &cmp, &err),
			 KENSA_EFORMAT);
	assert_int_equal(cmp, 42);	/* untouched on failure */
	assert_int_equal(err.code, KENSA_EFORMAT);
	assert_non_null(strstr(err.msg, "'a1'"));
	assert_non_null(strstr(err.msg, "does not start with digit"));

	/* the first failure's message stays */
	assert_int_equal(kensa_version_compare(scheme("npm"), "x", "1.0.0", &cmp, &err),
			 KENSA_EFORMAT);
	assert_non_null(strstr(err.msg, "'a1'"));

	kensa_err_clear(&err);
	assert_int_equal(kensa_version_compare(NULL, "1", "2", &cmp, &err), KENSA_EINVAL);
	assert_int_equal(kensa_version_compare(scheme("Go"), NULL, "2", &cmp, NULL), KENSA_EINVAL);
	assert_int_equal(kensa_version_compare(scheme("Go"), "1", "2", NULL, NULL), KENSA_EINVAL);
	assert_int_equal(kensa_version_compare(scheme("Go"), "v1", "v2", &cmp, NULL), 0);
	assert_true(cmp < 0);
}

static void test_valid_and_limit(void **state)
{
	char *big = malloc(KENSA_VERSION_MAX + 2);
	struct kensa_err err = KENSA_ERR_INIT;
	int cmp = 0;

	(void)state;
	assert_non_null(big);
	assert_true(kensa_version_valid(scheme("PyPI"), "1.0.post1"));
	assert_false(kensa_version_valid(scheme("PyPI"), "1.0.x"));
	assert_false(kensa_version_valid(scheme("npm"), ""));
	assert_false(kensa_version_valid(NULL, "1"));
	assert_false(kensa_version_valid(scheme("npm"), NULL));
	assert_int_equal(kensa_version_check(scheme("Maven"), "", &err), KENSA_EFORMAT);

	/* an rpm version may be anything non-empty: exactly the limit is fine, one more is not */
	memset(big, '1', KENSA_VERSION_MAX);
	big[KENSA_VERSION_MAX] = '\0';
	assert_int_equal(kensa_version_compare(scheme("rpm"), big, big, &cmp, NULL), 0);
	assert_int_equal(cmp, 0);
	big[KENSA_VERSION_MAX] = '1';
	big[KENSA_VERSION_MAX + 1] = '\0';
	kensa_err_clear(&err);
	assert_int_equal(kensa_version_compare(scheme("rpm"), big, "1", &cmp, &err), KENSA_EFORMAT);
	assert_non_null(strstr(err.msg, "longer than"));
	assert_false(kensa_version_valid(scheme("rpm"), big));
	free(big);
}

static void test_satisfies(void **state)
{
	struct kensa_err err = KENSA_ERR_INIT;
	char *range = malloc(KENSA_SEMVER_RANGE_MAX + 2);
	bool ok = false;

	(void)state;
	assert_non_null(range);
	assert_int_equal(kensa_semver_satisfies("^1.2.3", "1.9.0", &ok, &err), 0);
	assert_true(ok);
	assert_int_equal(kensa_semver_satisfies(">=1.0.0 <2.0.0 || ^3", "2.5.0", &ok, &err), 0);
	assert_false(ok);
	assert_int_equal(kensa_semver_satisfies("^1.2.3", "1.9.0-beta", &ok, &err), 0);
	assert_false(ok);
	assert_int_equal(err.code, 0);
	assert_int_equal(kensa_semver_satisfies("latest", "1.0.0", &ok, &err), KENSA_EFORMAT);
	assert_non_null(strstr(err.msg, "latest"));
	kensa_err_clear(&err);
	assert_int_equal(kensa_semver_satisfies("*", "1.0", &ok, &err), KENSA_EFORMAT);
	assert_non_null(strstr(err.msg, "'1.0'"));
	assert_int_equal(kensa_semver_satisfies(NULL, "1.0.0", &ok, NULL), KENSA_EINVAL);
	assert_true(kensa_semver_range_valid("1.2 - 2.3 || ~4"));
	assert_false(kensa_semver_range_valid("file:../x"));
	assert_false(kensa_semver_range_valid(NULL));

	memset(range, ' ', KENSA_SEMVER_RANGE_MAX + 1);
	range[0] = '*';
	range[KENSA_SEMVER_RANGE_MAX + 1] = '\0';
	assert_int_equal(kensa_semver_satisfies(range, "1.0.0", &ok, NULL), KENSA_ELIMIT);
	range[KENSA_SEMVER_RANGE_MAX] = '\0';
	assert_int_equal(kensa_semver_satisfies(range, "1.0.0", &ok, NULL), 0);
	assert_true(ok);
	free(range);
}

/* The matcher calls kensa_version_compare() millions of times: it must not allocate. */
static void test_no_allocation(void **state)
{
	static const char *const cases[][3] = {
		{ "dpkg", "1:2.36-9+deb12u4", "2.36-9+deb12u10" },
		{ "apk", "1.2.3_rc1-r0", "1.2.3_p2-r4" },
		{ "rpm", "2:1.0.1^git1-3.el9_2", "1.0.1~rc1-3.el9" },
		{ "pep440", "1!2.0.post1.dev3+local.7", "2.0rc1" },
		{ "semver", "1.2.3-alpha.1+build", "1.2.3-alpha.beta" },
		{ "maven", "1.0.0.RELEASE", "1.0-SNAPSHOT-jre1" },
		{ "go", "v0.0.0-20191109021931-daa7c04131f5", "v1.2.3+incompatible" },
		{ "gem", "1.0.0.pre.rc1", "1.0-rc2" },
		{ "nuget", "1.0.0.1-BETA.2", "1.0.0-beta.10" },
		{ "composer", "v1.2.3-RC1", "1.2.x-dev" },
		{ "cargo", "1.0.0-alpha.1+x", "1.0.0" },
		{ "pep440", "not a version", "1.0" },
	};
	int cmp;

	(void)state;
#if COUNT_MALLOC
	counting = 1;
	allocations = 0;
#endif
	for (int round = 0; round < 100; round++)
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			kensa_version_compare(kensa_version_scheme(cases[i][0]), cases[i][1],
					      cases[i][2], &cmp, NULL);
#if COUNT_MALLOC
	counting = 0;
	assert_int_equal(allocations, 0);
	/* the counter works: range checking does allocate */
	counting = 1;
	kensa_semver_satisfies("^1.2.3 || 2.x", "1.5.0", &(bool){ false }, NULL);
	counting = 0;
	assert_true(allocations > 0);
#else
	skip();
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_schemes_list),
		cmocka_unit_test(test_compare_and_errors),
		cmocka_unit_test(test_valid_and_limit),
		cmocka_unit_test(test_satisfies),
		cmocka_unit_test(test_no_allocation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
