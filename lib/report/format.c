// SPDX-License-Identifier: Apache-2.0
/*
 * format.c — the table of report formats, kensa_report_write() (with the finding filter of
 * the view, written in the policy condition language), and kensa_report_policy().
 */
#include <strings.h>

#include "risk/expr.h"
#include "risk/report.h"

extern const struct ks_report_format ks_report_table, ks_report_json, ks_report_sarif, ks_report_cyclonedx,
	ks_report_junit, ks_report_html, ks_report_openvex;

static const struct ks_report_format *const formats[] = {
	&ks_report_table,
	&ks_report_json,
	&ks_report_sarif,
	&ks_report_cyclonedx,
	&ks_report_junit,
	&ks_report_html,
	&ks_report_openvex,
};

const char *const *kensa_report_formats(void)
{
	static const char *names[KS_ARRAY_SIZE(formats) + 1];

	for (size_t i = 0; i < KS_ARRAY_SIZE(formats); i++)
		names[i] = formats[i]->name;
	return names;
}

static bool shown_by_expr(const struct kensa_report *r, const struct kensa_finding *f, const void *filter)
{
	(void)r;
	return !filter || ks_expr_eval(filter, f);
}

int kensa_report_write(const struct kensa_report *r, const char *format, const struct kensa_report_view *view,
		       FILE *out, struct kensa_err *err)
{
	struct kensa_report_view defaults = KENSA_REPORT_VIEW_INIT;
	struct ks_arena a = KS_ARENA_INIT;
	struct ks_expr *filter = NULL;
	int result;

	if (!view)
		view = &defaults;
	if (view->filter) {
		filter = ks_expr_parse(&a, view->filter, err);
		if (!filter) {
			ks_arena_release(&a);
			return KENSA_EINVAL;
		}
	}
	result = kensa_err_set(err, KENSA_EINVAL, "unknown report format '%s'", format);
	for (size_t i = 0; i < KS_ARRAY_SIZE(formats); i++) {
		if (strcmp(formats[i]->name, format) == 0) {
			kensa_err_clear(err);
			result = formats[i]->write(r, view, shown_by_expr, filter, out, err);
			break;
		}
	}
	ks_arena_release(&a);
	return result;
}

int kensa_report_policy(const struct kensa_report *r, const char *condition, bool *failed, size_t *nfailing,
			struct kensa_err *err)
{
	struct ks_arena a = KS_ARENA_INIT;
	struct ks_expr *e = NULL;
	size_t n = 0;

	*failed = false;
	if (!condition)
		condition = r->policy.fail_on;
	if (condition) {
		e = ks_expr_parse(&a, condition, err);
		if (!e) {
			ks_arena_release(&a);
			return KENSA_EINVAL;
		}
		for (size_t i = 0; i < r->nfindings; i++)
			if (!r->findings[i].suppressed && ks_expr_eval(e, &r->findings[i]))
				n++;
	}
	/* image checks the policy names, by id or severity */
	for (size_t i = 0; i < r->nchecks; i++)
		for (size_t k = 0; k < r->policy.ncheck_fail; k++)
			if (strcasecmp(r->checks[i].id, r->policy.check_fail[k]) == 0 ||
			    strcasecmp(r->checks[i].severity, r->policy.check_fail[k]) == 0)
				*failed = true;
	*failed |= n > 0;
	if (nfailing)
		*nfailing = n;
	ks_arena_release(&a);
	return 0;
}
