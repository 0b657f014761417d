// SPDX-License-Identifier: Apache-2.0
/*
 * test-expr.c — the condition language, table-driven from tests/data/expr.tsv (condition,
 * finding as JSON, expected result): a new case is a new line. Also the YAML reader: types,
 * aliases refused, depth limit.
 */
#include "unit.h"

#include <math.h>
#include <stdlib.h>

#include "risk/expr.h"
#include "util/json.h"
#include "util/yaml.h"

static void finding_from_json(const cJSON *j, struct kensa_finding *f, struct kensa_package *p,
			      const char **aliases)
{
	const char *in_use = ks_json_str(j, "in_use");
	size_t n = 0;

	memset(f, 0, sizeof(*f));
	memset(p, 0, sizeof(*p));
	f->pkg = p;
	f->epss = ks_json_num(j, "epss", NAN);
	f->needs_action = ks_json_bool(j, "needs_action", false);
	f->fixable = ks_json_bool(j, "fixable", false);
	f->kev = ks_json_bool(j, "kev", false);
	f->severity = ks_json_str(j, "severity");
	f->tier = ks_json_str(j, "tier");
	f->criticality = ks_json_str(j, "criticality");
	f->has_cvss = ks_json_get(j, "cvss") != NULL;
	f->cvss.score = ks_json_num(j, "cvss", 0);
	f->risk = ks_json_num(j, "risk", 0);
	f->id = ks_json_str(j, "id");
	ks_json_each(a, ks_json_arr(j, "aliases"))
		aliases[n++] = a->valuestring;
	f->aliases = aliases;
	f->naliases = n;
	p->ecosystem = ks_json_str(j, "ecosystem");
	p->name = ks_json_str(j, "package");
	f->in_use = !in_use ? KENSA_IN_USE_UNKNOWN : strcmp(in_use, "yes") == 0 ? KENSA_IN_USE_YES
		  : strcmp(in_use, "no") == 0 ? KENSA_IN_USE_NO : KENSA_IN_USE_UNKNOWN;
}

static void test_expr_table(void **state)
{
	char *data = NULL;
	size_t len, cases = 0;
	const char *p, *end, *line;
	size_t ll;

	(void)state;
	assert_int_equal(ks_file_read("tests/data/expr.tsv", 1 << 20, &data, &len, NULL), 0);
	p = data;
	end = data + len;
	while (ks_next_line(&p, end, &line, &ll)) {
		char buf[1024], *cond, *json, *want;
		struct ks_arena a = KS_ARENA_INIT;
		struct kensa_err err = KENSA_ERR_INIT;
		struct kensa_finding f;
		struct kensa_package pk;
		const char *aliases[8];
		struct ks_expr *e;
		cJSON *j;

		if (!ll || line[0] == '#')
			continue;
		assert_true(ll < sizeof(buf));
		memcpy(buf, line, ll);
		buf[ll] = '\0';
		cond = buf;
		json = strchr(cond, '\t');
		assert_non_null(json);
		*json++ = '\0';
		want = strchr(json, '\t');
		assert_non_null(want);
		*want++ = '\0';
		e = ks_expr_parse(&a, cond, &err);
		if (strcmp(want, "error") == 0) {
			if (e)
				fail_msg("'%s' should not parse", cond);
			assert_true(err.code != 0 && strstr(err.msg, "position"));
		} else {
			if (!e)
				fail_msg("'%s': %s", cond, err.msg);
			j = cJSON_Parse(json);
			assert_non_null(j);
			finding_from_json(j, &f, &pk, aliases);
			if (ks_expr_eval(e, &f) != (strcmp(want, "true") == 0))
				fail_msg("'%s' on %s should be %s", cond, json, want);
			cJSON_Delete(j);
		}
		ks_arena_release(&a);
		cases++;
	}
	assert_true(cases >= 30);
	free(data);
}

static void test_yaml(void **state)
{
	static const char doc[] = "fail_on: needs_action and kev\n"
				  "epss_threshold: 0.25\n"
				  "strict: true\n"
				  "version: 1.2.3\n"
				  "ignore:\n"
				  "  - id: CVE-2024-1\n"
				  "    expires: 2026-12-31\n"
				  "    reason: 'not reachable'\n";
	static const char alias[] = "a: &x [1, 2]\nb: *x\n";
	struct kensa_err err = KENSA_ERR_INIT;
	cJSON *j;
	char deep[400];

	(void)state;
	j = ks_yaml_parse(doc, sizeof(doc) - 1, "policy.yaml", &err);
	assert_non_null(j);
	assert_string_equal(ks_json_str(j, "fail_on"), "needs_action and kev");
	assert_true(ks_json_num(j, "epss_threshold", 0) == 0.25);
	assert_true(ks_json_bool(j, "strict", false));
	assert_string_equal(ks_json_str(j, "version"), "1.2.3");
	assert_string_equal(ks_json_str(ks_json_arr(j, "ignore")->child, "expires"), "2026-12-31");
	cJSON_Delete(j);
	assert_null(ks_yaml_parse(alias, sizeof(alias) - 1, "alias.yaml", &err));
	assert_non_null(strstr(err.msg, "alias"));
	memset(deep, '[', 200);
	deep[200] = '\0';
	kensa_err_clear(&err);
	assert_null(ks_yaml_parse(deep, 200, "deep.yaml", &err));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expr_table),
		cmocka_unit_test(test_yaml),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
