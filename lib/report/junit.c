// SPDX-License-Identifier: Apache-2.0
/*
 * junit.c — the scan report as JUnit XML (format "junit") for CI test-report views
 * (GitLab's artifacts:reports:junit, Jenkins' JUnit/xUnit plugins): one <testsuite> for the
 * target, one <testcase> per finding the view shows and one per image check.
 *
 * What fails: a testcase fails when its finding needs action (docs/risk.md), so the number
 * of failures is the number of shown findings that need action and the red tests are the
 * short list; an image check fails when the policy's checks.fail_on names it (by id or
 * severity), as it fails the policy. A finding suppressed by policy or VEX is <skipped> with
 * the reason; every other testcase passes, with its evidence in <system-out>.
 *
 * The document is always well-formed XML 1.0: every string goes through ks_xml_put(), which
 * makes characters XML forbids visible instead of writing them. It validates against the
 * Jenkins JUnit schema (junit-4.xsd; tests/lib/schemas.py).
 */
#include <math.h>
#include <strings.h>

#include "common.h"
#include "kensa/kensa.h"

static bool check_fails(const struct kensa_report *r, const struct kensa_check *c)
{
	for (size_t k = 0; k < r->policy.ncheck_fail; k++)
		if (strcasecmp(c->id, r->policy.check_fail[k]) == 0 ||
		    strcasecmp(c->severity, r->policy.check_fail[k]) == 0)
			return true;
	return false;
}

static void attr(FILE *out, const char *name, const char *value)
{
	fprintf(out, " %s=\"", name);
	ks_xml_put(out, value ? value : "", true);
	fputc('"', out);
}

static void attr_n(FILE *out, const char *name, size_t v)
{
	fprintf(out, " %s=\"%zu\"", name, v);
}

static void property(FILE *out, const char *name, const char *value)
{
	if (!value)
		return;
	fputs("      <property", out);
	attr(out, "name", name);
	attr(out, "value", value);
	fputs("/>\n", out);
}

/* The evidence of a finding, as lines of text (the body of <failure> or <system-out>). */
static void finding_text(FILE *out, const struct kensa_report *r, const struct kensa_finding *f)
{
	const struct kensa_package *p = f->pkg;
	const char *layer = ks_report_layer_words(r, p->layer);

	ks_xml_put(out, f->id, false);
	if (f->summary) {
		fputs(": ", out);
		ks_xml_put(out, f->summary, false);
	}
	fputs("\npackage: ", out);
	ks_xml_put(out, p->name, false);
	fputc(' ', out);
	ks_xml_put(out, p->version, false);
	fputs(" (", out);
	ks_xml_put(out, p->ecosystem, false);
	fputs(")", out);
	if (p->location) {
		fputs(" in ", out);
		ks_xml_put(out, p->location, false);
	}
	if (layer) {
		fputs(", ", out);
		ks_xml_put(out, layer, false);
	}
	fputs("\nfixed in: ", out);
	if (f->nfixed)
		ks_xml_put(out, f->fixed_versions[0], false);
	else
		ks_xml_put(out, f->fix_status ? f->fix_status : "no fix", false);
	fprintf(out, "\nrisk: %.0f (%s), severity ", f->risk, f->tier ? f->tier : "-");
	ks_xml_put(out, f->severity, false);
	fprintf(out, ", in use: %s, KEV: %s", ks_report_in_use_word(f->in_use),
		f->kev ? "yes" : "no");
	if (!isnan(f->epss))
		fprintf(out, ", EPSS %.3f", f->epss);
	fputs("\nwhy:\n", out);
	for (size_t i = 0; i < f->nreasons; i++) {
		fputs("  - ", out);
		ks_xml_put(out, f->reasons[i], false);
		fputc('\n', out);
	}
	if (f->action) {
		fputs("do: ", out);
		ks_xml_put(out, f->action, false);
		fputc('\n', out);
	}
}

static void write_finding(FILE *out, const struct kensa_report *r, const struct kensa_finding *f,
			  struct ks_arena *a)
{
	const struct kensa_package *p = f->pkg;
	const char *id = ks_report_display_id(f);

	fputs("    <testcase", out);
	attr(out, "name",
	     ks_arena_printf(a, "%s in %s %s", id, p->name, p->version ? p->version : "?"));
	attr(out, "classname", ks_arena_printf(a, "%s.%s", p->ecosystem, p->name));
	attr(out, "time", "0");
	fputs(">\n", out);
	if (f->suppressed) {
		fputs("      <skipped>suppressed: ", out);
		ks_xml_put(out, f->suppressed_by, false);
		fputs("</skipped>\n", out);
	} else if (f->needs_action) {
		fputs("      <failure", out);
		attr(out, "type", "needs-action");
		attr(out, "message",
		     ks_arena_printf(a, "%s in %s %s needs action: %s", id, p->name,
				     p->version ? p->version : "?",
				     f->action ? f->action : "see the reasons"));
		fputs(">", out);
		finding_text(out, r, f);
		fputs("</failure>\n", out);
	}
	if (!f->needs_action || f->suppressed) {
		fputs("      <system-out>", out);
		finding_text(out, r, f);
		fputs("</system-out>\n", out);
	}
	fputs("    </testcase>\n", out);
}

static void write_check(FILE *out, const struct kensa_report *r, const struct kensa_check *c,
			struct ks_arena *a)
{
	const char *layer = ks_report_layer_words(r, c->layer);
	bool fails = check_fails(r, c);

	fputs("    <testcase", out);
	attr(out, "name",
	     ks_arena_printf(a, "[%s] %s: %s", c->severity, c->title,
			     c->path ? c->path : "image configuration"));
	attr(out, "classname", ks_arena_printf(a, "image-check.%s", c->id));
	attr(out, "time", "0");
	fputs(">\n", out);
	fputs(fails ? "      <failure" : "      <system-out>", out);
	if (fails) {
		attr(out, "type", "image-check");
		attr(out, "message",
		     ks_arena_printf(a, "%s: %s", c->title, c->detail ? c->detail : ""));
		fputc('>', out);
	}
	ks_xml_put(out, c->detail, false);
	if (layer) {
		fputs("\nin ", out);
		ks_xml_put(out, layer, false);
	}
	fputs("\nfix: ", out);
	ks_xml_put(out, c->fix, false);
	fputs(fails ? "</failure>\n" : "</system-out>\n", out);
	fputs("    </testcase>\n", out);
}

static int junit_write(const struct kensa_report *r, const struct kensa_report_view *view,
		       bool (*shown)(const struct kensa_report *, const struct kensa_finding *,
				     const void *),
		       const void *filter, FILE *out, struct kensa_err *err)
{
	struct ks_arena a = KS_ARENA_INIT;
	const struct kensa_image *img = kensa_inventory_image(r->inv);
	const char *target = img && img->name ? img->name : kensa_inventory_target(r->inv);
	size_t tests = r->nchecks, failures = 0, skipped = 0;
	char secs[32];

	for (size_t i = 0; i < r->nfindings; i++) {
		const struct kensa_finding *f = &r->findings[i];

		if (!shown(r, f, filter))
			continue;
		tests++;
		skipped += f->suppressed;
		failures += f->needs_action && !f->suppressed;
	}
	for (size_t i = 0; i < r->nchecks; i++)
		failures += check_fails(r, &r->checks[i]);
	snprintf(secs, sizeof(secs), "%.3f", r->elapsed_s);

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", out);
	attr(out, "name", "kensa scan");
	attr_n(out, "tests", tests);
	attr_n(out, "failures", failures);
	attr_n(out, "errors", 0);
	attr(out, "time", secs);
	fputs(">\n  <testsuite", out);
	attr(out, "name", ks_arena_printf(&a, "kensa: %s", target));
	attr_n(out, "tests", tests);
	attr_n(out, "failures", failures);
	attr_n(out, "errors", 0);
	attr_n(out, "skipped", skipped);
	attr(out, "time", secs);
	attr(out, "timestamp", r->created);
	attr(out, "id", "0");
	attr(out, "package", "kensa");
	fputs(">\n    <properties>\n", out);
	property(out, "kensa.version", KENSA_VERSION);
	property(out, "target", kensa_inventory_target(r->inv));
	property(out, "image.id", img ? img->id : NULL);
	property(out, "filter", view->filter ? view->filter : "(all findings)");
	property(out, "funnel.total", ks_arena_printf(&a, "%zu", r->funnel.total));
	property(out, "funnel.fixable", ks_arena_printf(&a, "%zu", r->funnel.fixable));
	property(out, "funnel.exploitable", ks_arena_printf(&a, "%zu", r->funnel.exploitable));
	property(out, "funnel.in_use", ks_arena_printf(&a, "%zu", r->funnel.in_use));
	property(out, "funnel.needs_action", ks_arena_printf(&a, "%zu", r->funnel.needs_action));
	property(out, "suppressed", ks_arena_printf(&a, "%zu", r->suppressed));
	property(out, "failing",
		 "a finding that needs action; an image check the policy's checks.fail_on names");
	fputs("    </properties>\n", out);
	for (size_t i = 0; i < r->nfindings; i++)
		if (shown(r, &r->findings[i], filter))
			write_finding(out, r, &r->findings[i], &a);
	for (size_t i = 0; i < r->nchecks; i++)
		write_check(out, r, &r->checks[i], &a);
	fputs("  </testsuite>\n</testsuites>\n", out);
	ks_arena_release(&a);
	if (fflush(out) != 0 || ferror(out))
		return kensa_err_set(err, KENSA_EIO, "cannot write the JUnit report");
	return 0;
}

const struct ks_report_format ks_report_junit = { "junit", junit_write };
