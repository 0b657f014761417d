// SPDX-License-Identifier: Apache-2.0
/*
 * test-util.c — the toolbox: path normalization, the hash map, capped buffers, the JSON
 * writer's escaping (control characters, invalid UTF-8), purls.
 */
#include "unit.h"

#include <stdlib.h>

#include "sbom/inv.h"
#include "util/json.h"
#include "util/util.h"

static void test_path_normalize(void **state)
{
	static const struct {
		const char *in, *out;
	} ok[] = {
		{ "./a//b/./c/", "/a/b/c" }, { "/abs/file", "/abs/file" }, { "", "/" }, { ".", "/" },
		{ "a/.../b", "/a/.../b" }, { "..a/b..", "/..a/b.." },
	};
	static const char *const bad[] = { "..", "../x", "a/../../b", "a/..", "/..", "x/../y" };
	char out[64];
	size_t n;

	(void)state;
	for (size_t i = 0; i < KS_ARRAY_SIZE(ok); i++) {
		assert_int_equal(ks_path_normalize(ok[i].in, strlen(ok[i].in), out, &n), 0);
		assert_string_equal(out, ok[i].out);
		assert_int_equal(n, strlen(ok[i].out));
	}
	for (size_t i = 0; i < KS_ARRAY_SIZE(bad); i++)
		assert_int_equal(ks_path_normalize(bad[i], strlen(bad[i]), out, &n), KENSA_EFORMAT);
	assert_int_equal(ks_path_normalize("a\0b", 3, out, &n), KENSA_EFORMAT);
	assert_int_equal(ks_path_dirlen("/a/b", 4), 2);
	assert_int_equal(ks_path_dirlen("/a", 2), 1);
	assert_int_equal(ks_path_depth("/a/b/c"), 3);
	assert_int_equal(ks_path_depth("/"), 0);
}

static void test_map(void **state)
{
	struct ks_map m = KS_MAP_INIT;
	struct ks_arena a = KS_ARENA_INIT;
	uint64_t v;

	(void)state;
	for (int i = 0; i < 100000; i++) {
		char *k = ks_arena_printf(&a, "/usr/lib/file-%d.so", i);

		assert_int_equal(ks_map_puts(&m, k, (uint64_t)i), 0);
	}
	assert_int_equal(m.count, 100000);
	for (int i = 0; i < 100000; i += 997) {
		char k[64];

		snprintf(k, sizeof(k), "/usr/lib/file-%d.so", i);
		assert_true(ks_map_gets(&m, k, &v));
		assert_int_equal(v, (uint64_t)i);
	}
	assert_false(ks_map_gets(&m, "/usr/lib/file-100000.so", &v));
	assert_int_equal(ks_map_puts(&m, "/usr/lib/file-7.so", 42), 0);	/* replace */
	assert_true(ks_map_gets(&m, "/usr/lib/file-7.so", &v));
	assert_int_equal(v, 42);
	assert_int_equal(m.count, 100000);
	ks_map_release(&m);
	ks_arena_release(&a);
}

static void test_buf_cap(void **state)
{
	struct ks_buf b = KS_BUF_INIT;

	(void)state;
	b.limit = 10;
	assert_int_equal(ks_buf_adds(&b, "0123456789"), 0);
	assert_int_equal(ks_buf_adds(&b, "x"), KENSA_ELIMIT);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.data, "0123456789");
	ks_buf_release(&b);
}

static void test_json_escape(void **state)
{
	struct ks_buf b = KS_BUF_INIT;
	static const char in[] = "a\"b\\c\nd\x01 é \xff\xfe z";

	(void)state;
	assert_int_equal(ks_json_escape(&b, in, sizeof(in) - 1), 0);
	assert_string_equal(b.data, "a\\\"b\\\\c\\nd\\u0001 é \\\\xff\\\\xfe z");
	ks_buf_release(&b);
}

static void test_json_writer_roundtrip(void **state)
{
	struct ks_jw w;
	cJSON *root;

	(void)state;
	ks_jw_init(&w, NULL, true);
	ks_jw_obj(&w);
	ks_jw_kstr(&w, "path", "/tmp/with space\nand newline");
	ks_jw_knum(&w, "epss", 0.97123);
	ks_jw_key(&w, "list");
	ks_jw_arr(&w);
	ks_jw_int(&w, -3);
	ks_jw_null(&w);
	ks_jw_bool(&w, true);
	ks_jw_arr_end(&w);
	ks_jw_obj_end(&w);
	assert_int_equal(w.error, 0);
	root = cJSON_Parse(w.buf.data);
	assert_non_null(root);
	assert_string_equal(cJSON_GetObjectItem(root, "path")->valuestring, "/tmp/with space\nand newline");
	assert_true(cJSON_GetObjectItem(root, "epss")->valuedouble == 0.97123);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "list")), 3);
	cJSON_Delete(root);
	ks_buf_release(&w.buf);
}

static void test_purl(void **state)
{
	struct ks_arena a = KS_ARENA_INIT;
	struct kensa_os os = { .id = "debian", .version_id = "12" };
	struct kensa_package deb = { .ecosystem = "Debian", .name = "bsdutils", .version = "1:2.38.1-5+deb12u3",
				     .arch = "amd64", .flags = KENSA_PKG_OS };
	struct kensa_package npm = { .ecosystem = "npm", .name = "@babel/core", .version = "7.0.0" };
	struct kensa_package mvn = { .ecosystem = "Maven", .name = "org.apache.logging.log4j:log4j-core",
				     .version = "2.19.0" };
	struct kensa_package py = { .ecosystem = "PyPI", .name = "Charset_Normalizer", .version = "3.0.1" };
	const char *eco, *name, *ver, *distro;

	(void)state;
	assert_string_equal(ks_purl_build(&a, &deb, &os),
			    "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bdeb12u3?arch=amd64&distro=debian-12");
	assert_string_equal(ks_purl_build(&a, &npm, &os), "pkg:npm/%40babel/core@7.0.0");
	assert_string_equal(ks_purl_build(&a, &mvn, &os),
			    "pkg:maven/org.apache.logging.log4j/log4j-core@2.19.0");
	assert_string_equal(ks_purl_build(&a, &py, &os), "pkg:pypi/charset-normalizer@3.0.1");
	assert_int_equal(ks_purl_parse(&a, "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bdeb12u3?arch=amd64&distro=debian-12",
				       &eco, &name, &ver, &distro), 0);
	assert_string_equal(eco, "Debian");
	assert_string_equal(name, "bsdutils");
	assert_string_equal(ver, "1:2.38.1-5+deb12u3");
	assert_string_equal(distro, "debian-12");
	assert_int_equal(ks_purl_parse(&a, "pkg:npm/%40babel/core@7.0.0", &eco, &name, &ver, NULL), 0);
	assert_string_equal(name, "@babel/core");
	assert_int_equal(ks_purl_parse(&a, "pkg:maven/org.x/y@1", &eco, &name, &ver, NULL), 0);
	assert_string_equal(name, "org.x:y");
	assert_int_equal(ks_purl_parse(&a, "pkg:unknowntype/x@1", &eco, &name, &ver, NULL), KENSA_EUNSUPPORTED);
	assert_int_equal(ks_purl_parse(&a, "not a purl", &eco, &name, &ver, NULL), KENSA_EFORMAT);
	ks_arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_normalize), cmocka_unit_test(test_map),
		cmocka_unit_test(test_buf_cap), cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_json_writer_roundtrip), cmocka_unit_test(test_purl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
