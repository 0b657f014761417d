// SPDX-License-Identifier: Apache-2.0
/*
 * test-report.c — the pieces every XML and HTML report relies on: the escaper on hostile
 * strings (markup, entities, control characters, invalid UTF-8, C1 controls, noncharacters,
 * attribute whitespace), cutting text on a character boundary, display ids and advisory
 * links (only plain ids become URLs).
 */
#include "unit.h"

#include <stdlib.h>

#include "report/common.h"

static char *esc(const char *s, size_t n, bool attribute)
{
	struct ks_buf b = KS_BUF_INIT;

	assert_int_equal(ks_xml_escape(&b, s, n, attribute), 0);
	return b.data ? b.data : calloc(1, 1);
}

static void test_escape_vectors(void **state)
{
	static const struct {
		const char *in;
		bool attribute;
		const char *out;
	} v[] = {
		{ "</script><script>alert(1)</script>", false,
		  "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" },
		{ "<img src=x onerror=\"alert('x')\">", true,
		  "&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;" },
		{ "a & b &amp;", false, "a &amp; b &amp;amp;" },
		{ "line1\nline2\ttab\r", false, "line1\nline2\ttab&#13;" },
		{ "line1\nline2\ttab\r", true, "line1&#10;line2&#9;tab&#13;" },
		{ "bell\x07 esc\x1b[31m del\x7f", false, "bell\\x07 esc\\x1B[31m del\\x7F" },
		{ "bad \xff\xfe end", false, "bad \\xFF\\xFE end" },
		{ "overlong \xc0\xaf surrogate \xed\xa0\x80", false,
		  "overlong \\xC0\\xAF surrogate \\xED\\xA0\\x80" },
		{ "c1 \xc2\x85 nonchar \xef\xbf\xbf", false, "c1 \\u0085 nonchar \\uFFFF" },
		{ "utf-8 \xe2\x82\xac \xf0\x9f\x94\x92 \xc3\xa9", false,
		  "utf-8 \xe2\x82\xac \xf0\x9f\x94\x92 \xc3\xa9" },
		{ "truncated \xe2\x82", false, "truncated \\xE2\\x82" },
	};

	(void)state;
	for (size_t i = 0; i < KS_ARRAY_SIZE(v); i++) {
		char *out = esc(v[i].in, strlen(v[i].in), v[i].attribute);

		assert_string_equal(out, v[i].out);
		assert_true(ks_utf8_valid(out, strlen(out)));
		free(out);
	}
	/* a NUL byte inside the text is a control character like any other */
	{
		char *out = esc("a\0b", 3, false);

		assert_string_equal(out, "a\\x00b");
		free(out);
	}
}

/* Every byte value, alone and after a lead byte: nothing unsafe ever comes out. */
static void test_escape_all_bytes(void **state)
{
	static const char unsafe[] = "<>\"'\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0d\x0e\x0f"
				     "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e"
				     "\x1f\x7f";

	(void)state;
	for (unsigned lead = 0; lead < 256; lead += 1) {
		for (unsigned c = 0; c < 256; c++) {
			char in[3] = { (char)lead, (char)c, 0 };

			for (int attribute = 0; attribute < 2; attribute++) {
				char *out = esc(in, 2, attribute);

				assert_true(ks_utf8_valid(out, strlen(out)));
				assert_null(strpbrk(out, unsafe));
				if (attribute)
					assert_null(strpbrk(out, "\t\n"));
				free(out);
			}
		}
	}
}

static void test_utf8_prefix(void **state)
{
	(void)state;
	assert_int_equal(ks_utf8_prefix("abc", 10), 3);
	assert_int_equal(ks_utf8_prefix("abcdef", 4), 4);
	/* "é" is 2 bytes: a cut in its middle backs off before it */
	assert_int_equal(ks_utf8_prefix("ab\xc3\xa9z", 3), 2);
	assert_int_equal(ks_utf8_prefix("ab\xc3\xa9z", 4), 4);
	/* a 4-byte character cut at every position */
	for (size_t m = 1; m <= 4; m++)
		assert_int_equal(ks_utf8_prefix("x\xf0\x9f\x94\x92y", m), 1);
}

static void test_ids_and_links(void **state)
{
	struct ks_arena a = KS_ARENA_INIT;
	struct kensa_finding f;
	const char *src, *url;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.id = "DEBIAN-DERIVED-CVE-2024-1234-openssl";
	f.cve = "CVE-2024-1234";
	assert_string_equal(ks_report_display_id(&f), "CVE-2024-1234");
	f.id = "GHSA-xvch-5gv4-984h";
	f.cve = "CVE-2021-44906";
	assert_string_equal(ks_report_display_id(&f), "GHSA-xvch-5gv4-984h");

	ks_report_advisory_link(&a, "GHSA-xvch-5gv4-984h", &src, &url);
	assert_string_equal(src, "GitHub Advisory Database");
	assert_string_equal(url, "https://github.com/advisories/GHSA-xvch-5gv4-984h");
	ks_report_advisory_link(&a, "CVE-2021-44906", &src, &url);
	assert_string_equal(url, "https://nvd.nist.gov/vuln/detail/CVE-2021-44906");
	ks_report_advisory_link(&a, "DEBIAN-DERIVED-CVE-2021-1-x", &src, &url);
	assert_null(url);
	/* an id from a hostile feed never becomes a URL */
	ks_report_advisory_link(&a, "GHSA-x\"><script>", &src, &url);
	assert_null(url);
	ks_report_advisory_link(&a, "OSV-2024-1/../../x", &src, &url);
	assert_null(url);
	ks_arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_vectors),
		cmocka_unit_test(test_escape_all_bytes),
		cmocka_unit_test(test_utf8_prefix),
		cmocka_unit_test(test_ids_and_links),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
