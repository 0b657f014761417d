// SPDX-License-Identifier: Apache-2.0
/*
 * table.c — the terminal report (format "table"): the funnel first, then the findings the
 * view selects (by default those that need action) with why and what to do, the upgrades
 * that fix the most, and the image checks. Fits the terminal width; colour only when asked.
 */
#include <math.h>
#include <strings.h>

#include "risk/report.h"
#include "sbom/inv.h"

#define RED "\033[31m"
#define YELLOW "\033[33m"
#define BOLD "\033[1m"
#define DIM "\033[2m"
#define RESET "\033[0m"

/*
 * Text from an image (package names, paths, versions, advisory text) reaches a terminal:
 * control characters would let a hostile image move the cursor, recolour or rewrite the
 * report, so they are shown as \xNN instead.
 */
static const char *safe(struct ks_arena *a, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0, bad = 0;
	char *out, *o;

	if (!s)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++, n++)
		bad += *p < 0x20 || *p == 0x7f;
	if (!bad)
		return s;
	out = ks_arena_alloc(a, n + bad * 3 + 1);
	if (!out)
		return "?";
	o = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		} else {
			*o++ = (char)*p;
		}
	}
	*o = '\0';
	return out;
}

/* Print s in exactly w columns (UTF-8 aware enough for our text), cutting with "…". */
static void cell(FILE *out, const char *s, int w)
{
	int cols = 0;
	const unsigned char *p = (const unsigned char *)(s ? s : "-");
	const unsigned char *start = p;
	size_t len = strlen((const char *)p);
	int total = 0;

	for (const unsigned char *q = p; *q; q++)
		total += (*q & 0xC0) != 0x80;
	if (total <= w) {
		fwrite(start, 1, len, out);
		for (int i = total; i < w; i++)
			fputc(' ', out);
		return;
	}
	while (*p && cols < w - 1) {
		const unsigned char *n = p + 1;

		while ((*n & 0xC0) == 0x80)
			n++;
		fwrite(p, 1, (size_t)(n - p), out);
		p = n;
		cols++;
	}
	fputs("…", out);
}

static const char *tier_color(const char *tier)
{
	if (!tier)
		return "";
	if (strcmp(tier, "critical") == 0)
		return BOLD RED;
	if (strcmp(tier, "high") == 0)
		return RED;
	if (strcmp(tier, "medium") == 0)
		return YELLOW;
	return DIM;
}

static void wrap(FILE *out, const char *label, const char *text, unsigned width)
{
	unsigned indent = 11, col = indent;
	const char *p = text;

	fprintf(out, "      %-5s", label);
	while (*p) {
		const char *sp = strchr(p, ' ');
		size_t wl = sp ? (size_t)(sp - p) : strlen(p);

		if (col + wl > width && col > indent) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
		}
		fwrite(p, 1, wl, out);
		col += (unsigned)wl;
		p += wl;
		if (*p == ' ') {
			fputc(' ', out);
			col++;
			p++;
		}
	}
	fputc('\n', out);
}

static int table_write(const struct kensa_report *r, const struct kensa_report_view *view,
		       bool (*shown)(const struct kensa_report *, const struct kensa_finding *, const void *),
		       const void *filter, FILE *out, struct kensa_err *err)
{
	const struct kensa_inventory *inv = r->inv;
	const struct kensa_image *img = kensa_inventory_image(inv);
	const struct kensa_os *os = kensa_inventory_os(inv);
	unsigned width = view->width ? view->width : 120;	/* not a terminal: a wide page */
	const struct kensa_funnel *fu = &r->funnel;
	size_t nshown = 0;
	int wid, wpkg, wver, wfix;
	bool c = view->color;
	struct ks_arena sa = KS_ARENA_INIT;	/* sanitized copies of image-derived text */
	struct ks_arena *A = &sa;

	if (width < 60)
		width = 60;
	fprintf(out, "%s%s%s  %s, %zu packages\n", c ? BOLD : "",
		safe(A, img && img->name ? img->name : kensa_inventory_target(inv)), c ? RESET : "",
		safe(A, os->pretty_name ? os->pretty_name : os->id ? os->id : "unknown OS"),
		kensa_inventory_count(inv));
	fprintf(out, "%zu findings → %zu fixable → %zu exploitable → %zu in use → %s%zu need%s action%s (%.1f%% fewer)\n",
		fu->total, fu->fixable, fu->exploitable, fu->in_use, c ? BOLD : "", fu->needs_action,
		fu->needs_action == 1 ? "s" : "", c ? RESET : "",
		fu->total ? 100.0 * (1.0 - (double)fu->needs_action / (double)fu->total) : 0.0);
	if (r->profiles.n)
		fprintf(out, "runtime: %s profile, %.0f s, %llu dropped events\n", r->profiles.engines,
			r->profiles.duration_s, (unsigned long long)r->profiles.dropped);
	else
		fprintf(out, "runtime: no profile given (--profile FILE): \"in use\" is unknown, never assumed false\n");
	if (r->suppressed)
		fprintf(out, "suppressed by policy or VEX: %zu\n", r->suppressed);
	fputc('\n', out);

	/* columns: tier 8, risk 5, id, package, installed, fixed, severity 8, epss 5, kev 3, in use 7 */
	wid = 19;
	wpkg = 18;
	wver = 16;
	wfix = 16;
	{
		int fixed = 8 + 1 + 5 + 1 + 8 + 1 + 5 + 1 + 3 + 1 + 7 + 5;
		int rest = (int)width - fixed;

		/* advisory ids are up to 19 wide (GHSA-xxxx-xxxx-xxxx); the rest shares what is left */
		if (rest > 40) {
			wid = KS_MIN(19, rest / 3);
			rest -= wid;
			wpkg = rest * 36 / 100;
			wver = rest * 32 / 100;
			wfix = rest - wpkg - wver;
		}
	}
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct kensa_finding *f = &r->findings[i];
		char risk[16], epss[16];

		if (!shown(r, f, filter))
			continue;
		if (!nshown++) {
			fprintf(out, "%s", c ? BOLD : "");
			cell(out, "TIER", 8), fputc(' ', out);
			cell(out, "RISK", 5), fputc(' ', out);
			cell(out, "ID", wid), fputc(' ', out);
			cell(out, "PACKAGE", wpkg), fputc(' ', out);
			cell(out, "INSTALLED", wver), fputc(' ', out);
			cell(out, "FIXED", wfix), fputc(' ', out);
			cell(out, "SEVERITY", 8), fputc(' ', out);
			cell(out, "EPSS", 5), fputc(' ', out);
			cell(out, "KEV", 3), fputc(' ', out);
			fprintf(out, "IN USE%s\n", c ? RESET : "");
		}
		snprintf(risk, sizeof(risk), "%.0f", f->risk);
		if (isnan(f->epss))
			snprintf(epss, sizeof(epss), "-");
		else
			snprintf(epss, sizeof(epss), "%.2f", f->epss);
		fprintf(out, "%s", c ? tier_color(f->tier) : "");
		cell(out, f->tier, 8);
		fprintf(out, "%s ", c ? RESET : "");
		cell(out, risk, 5), fputc(' ', out);
		cell(out, safe(A, f->cve && strncmp(f->id, "DEBIAN-", 7) == 0 ? f->cve : f->id), wid), fputc(' ', out);
		cell(out, safe(A, f->pkg->name), wpkg), fputc(' ', out);
		cell(out, safe(A, f->pkg->version), wver), fputc(' ', out);
		cell(out, safe(A, f->nfixed ? f->fixed_versions[0] : "no fix"), wfix), fputc(' ', out);
		cell(out, f->severity, 8), fputc(' ', out);
		cell(out, epss, 5), fputc(' ', out);
		cell(out, f->kev ? "yes" : "-", 3), fputc(' ', out);
		fprintf(out, "%s\n", f->in_use == KENSA_IN_USE_YES ? "yes" : f->in_use == KENSA_IN_USE_NO ? "no" : "?");
		if (f->needs_action) {
			char why[2048];
			size_t o = 0;

			for (size_t k = 0; k < f->nreasons && o < sizeof(why) - 4; k++)
				o += (size_t)snprintf(why + o, sizeof(why) - o, "%s%s", k ? "; " : "", f->reasons[k]);
			wrap(out, "why:", safe(A, why), width);
			wrap(out, "do:", safe(A, f->action), width);
		}
	}
	if (!nshown)
		fprintf(out, "no finding matches the view%s%s%s\n", view->filter ? " (filter: " : "",
			view->filter ? view->filter : "", view->filter ? "); --all shows every finding" : "");
	else
		fprintf(out, "\n%zu of %zu findings shown%s%s%s\n", nshown, r->nfindings, view->filter ? " (filter: " : "",
			view->filter ? view->filter : "", view->filter ? "; --all shows every finding)" : "");

	if (r->nupgrades) {
		size_t shown_up = 0;

		fprintf(out, "\n%sUPGRADES%s (the smallest version fixing all of a package's findings)\n", c ? BOLD : "",
			c ? RESET : "");
		for (size_t i = 0; i < r->nupgrades && shown_up < 15; i++) {
			const struct ks_upgrade *u = &r->upgrades[i];

			if (!u->needs_action && r->funnel.needs_action)
				continue;
			fprintf(out, "  %s %s → %s fixes %zu (%zu need action): %s\n", safe(A, u->pkg->name),
				safe(A, u->pkg->version), safe(A, u->to), u->fixes, u->needs_action, safe(A, u->action));
			shown_up++;
		}
		if (shown_up < r->nupgrades)
			fprintf(out, "  … %zu more in the JSON report\n", r->nupgrades - shown_up);
	}
	if (r->nchecks) {
		fprintf(out, "\n%sIMAGE CHECKS%s\n", c ? BOLD : "", c ? RESET : "");
		for (size_t i = 0; i < r->nchecks; i++) {
			const struct kensa_check *k = &r->checks[i];

			fprintf(out, "  %-8s %s: %s\n", k->severity, safe(A, k->title), safe(A, k->detail));
			wrap(out, "", safe(A, ks_arena_printf(A, "fix: %s", k->fix)), width);
		}
	}
	ks_arena_release(&sa);
	if (ferror(out))
		return kensa_err_set(err, KENSA_EIO, "cannot write the report");
	return 0;
}

const struct ks_report_format ks_report_table = { "table", table_write };
