// SPDX-License-Identifier: Apache-2.0
/*
 * sarif.c — the scan report as SARIF 2.1.0 (format "sarif"), shaped for GitHub code
 * scanning: one run; tool.driver with one rule per vulnerability (the id a person knows it
 * by, see ks_report_display_id) and one per kind of image check; one result per finding the
 * view shows and per image check.
 *
 * What GitHub requires or uses (docs.github.com, "SARIF support for code scanning"), and
 * how this file meets it:
 *   - rules: id, shortDescription / fullDescription (≤ 1024 characters: cut), help.text and
 *     help.markdown (the reasons and the action), properties.tags (with "security", ≤ 10
 *     kept: GitHub shows 10 of at most 20), properties.security-severity as a numeric string
 *     in (0, 10]: the CVSS base score, or the middle of the feed's severity band when no
 *     vector is known; nothing for UNKNOWN;
 *   - results: ruleId (always a rule of the run), level error / warning / note, message.text
 *     (first sentence: package, installed → fixed, advisory), exactly one location whose
 *     artifactLocation.uri is the package's file *relative* to the image root (leading '/'
 *     dropped, percent-encoded; uriBaseId ROOTPATH = file:///) with a region on line 1, and
 *     partialFingerprints.primaryLocationLineHash: a hash of (rule, ecosystem, package,
 *     file), so an alert keeps its identity across scans and two packages of one source
 *     package (same file, same CVE) stay two alerts;
 *   - limits: at most 25,000 results and rules per run (the highest risk kept; a
 *     toolExecutionNotification says what was left out), one run per file;
 *   - runAutomationDetails.id "kensa/<image repository>/" so several images scanned in one
 *     workflow are separate categories, and a new tag of the same image is not.
 * kensa's evidence goes in each result's properties (risk, tier, in_use, kev, epss,
 * needs_action, …). Suppressed findings the view shows carry SARIF suppressions.
 */
#include <math.h>
#include <stdlib.h>
#include <strings.h>

#include "common.h"
#include "kensa/kensa.h"
#include "sbom/inv.h"

#define SARIF_MAX_RESULTS 25000 /* GitHub rejects a run with more (and with more rules) */
#define SARIF_MAX_TEXT 1024	/* shortDescription / fullDescription */
#define SARIF_MAX_TAGS 10	/* GitHub shows 10 tags of a rule (and refuses more than 20) */
#define SARIF_HELP_FINDINGS 10	/* findings described in one rule's help */

struct rule {
	const char *id;
	const struct kensa_finding *f; /* first finding of the rule, or NULL for a check */
	const struct kensa_check *c;   /* first check of the rule */
	double score;		       /* highest CVSS score, or NAN */
	int sev_rank;		       /* highest severity word (ks_report_severity_rank) */
	int level;		       /* 0 note, 1 warning, 2 error */
	bool kev, needs_action;
	size_t first, last; /* results of the rule: a list through result.next */
};

struct result {
	const struct kensa_finding *f;
	const struct kensa_check *c;
	size_t rule;
	size_t next; /* next result of the same rule, or SIZE_MAX */
};

static const char *const levels[] = { "note", "warning", "error" };

static int finding_level(const struct kensa_finding *f)
{
	if (f->needs_action || (f->tier && strcmp(f->tier, "critical") == 0))
		return 2;
	if (f->tier && (strcmp(f->tier, "high") == 0 || strcmp(f->tier, "medium") == 0))
		return 1;
	return 0;
}

static int check_level(const struct kensa_check *c)
{
	int rank = ks_report_severity_rank(c->severity);

	return rank >= 4 ? 2 : rank == 3 ? 1 : 0;
}

/* Middle of a severity band on GitHub's scale (critical > 9.0, high 7.0–8.9, …), or NAN. */
static double band_score(int rank)
{
	static const double mid[] = { NAN, NAN, 2.0, 5.5, 8.0, 9.5 };

	return rank >= 0 && rank <= 5 ? mid[rank] : NAN;
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	return (h ^ 0xff) * 0x100000001b3ULL; /* field separator */
}

/* A file path inside the image as a relative URI reference: no leading '/', percent-encoded. */
static const char *relative_uri(struct ks_arena *a, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	struct ks_buf b = KS_BUF_INIT;
	const char *out;

	while (*path == '/')
		path++;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/!$&'()*+,;=@", *p))
			ks_buf_addc(&b, (char)*p);
		else
			ks_buf_printf(&b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
	out = ks_arena_strdup(a, b.data ? b.data : "");
	ks_buf_release(&b);
	return out && *out ? out : ".";
}

/* The image repository without tag or digest ("registry/team/app"), or the target name. */
static const char *category_name(struct ks_arena *a, const struct kensa_inventory *inv)
{
	const struct kensa_image *img = kensa_inventory_image(inv);
	const char *name = img && img->name ? img->name : kensa_inventory_target(inv);
	const char *at = strchr(name, '@');
	size_t n = at ? (size_t)(at - name) : strlen(name);
	const char *slash = memrchr(name, '/', n);
	const char *colon =
		memrchr(slash ? slash : name, ':', n - (size_t)((slash ? slash : name) - name));

	if (img && img->name && colon)
		n = (size_t)(colon - name);
	return ks_arena_strndup(a, name, n);
}

/* Markdown-safe text: punctuation that could start markup backslash-escaped, lines joined. */
static void md(struct ks_buf *b, const char *s)
{
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == '\n' || *p == '\r') {
			ks_buf_addc(b, ' ');
			continue;
		}
		if (strchr("\\`*_[]<>|#!~{}", *p))
			ks_buf_addc(b, '\\');
		ks_buf_addc(b, *p);
	}
}

/* "Image-" + "root-user" → "ImageRootUser": a rule name to read (it must differ from the id). */
static const char *pascal_name(struct ks_arena *a, const char *prefix, const char *id)
{
	struct ks_buf b = KS_BUF_INIT;
	bool up = true;
	const char *out;

	for (const char *s = prefix; s; s = s == prefix ? id : NULL) {
		for (const char *p = s; *p; p++) {
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			      (*p >= '0' && *p <= '9'))) {
				up = true;
				continue;
			}
			ks_buf_addc(&b, up && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p);
			up = false;
		}
	}
	out = ks_arena_strdup(a, b.data ? b.data : "ImageCheck");
	ks_buf_release(&b);
	return out;
}

static void text_obj(struct ks_jw *w, const char *key, const char *text, size_t max)
{
	ks_jw_key(w, key);
	ks_jw_obj(w);
	ks_jw_key(w, "text");
	ks_jw_strn(w, text, max ? ks_utf8_prefix(text, max) : strlen(text));
	ks_jw_obj_end(w);
}

static const char *finding_where(const struct kensa_finding *f)
{
	const struct kensa_package *p = f->pkg;

	if (p->location)
		return p->location;
	return p->nfiles ? p->files[0] : NULL;
}

static void write_rule(struct ks_jw *w, const struct kensa_report *r, const struct rule *ru,
		       const struct result *res, struct ks_arena *a)
{
	struct ks_buf help = KS_BUF_INIT, mdb = KS_BUF_INIT;
	const char *src, *url = NULL;
	size_t ntags = 0;

	ks_jw_obj(w);
	ks_jw_kstr(w, "id", ru->id);
	ks_jw_kstr(w, "name", ru->f ? "VulnerablePackage" : pascal_name(a, "Image-", ru->c->id));
	if (ru->f) {
		const struct kensa_finding *f = ru->f;
		const char *summary = f->summary && *f->summary ? f->summary : NULL;
		const char *full = f->details && *f->details ? f->details : summary;

		ks_report_advisory_link(a, f->id, &src, &url);
		text_obj(w, "shortDescription",
			 summary ? ks_arena_printf(a, "%s: %s", ru->id, summary)
				 : ks_arena_printf(a, "%s in %s", ru->id, f->pkg->name),
			 SARIF_MAX_TEXT);
		text_obj(w, "fullDescription",
			 full ? full
			      : ks_arena_printf(a, "%s affects %s (%s).", ru->id, f->pkg->name,
						f->pkg->ecosystem),
			 SARIF_MAX_TEXT);
		if (f->cve && strcmp(f->cve, ru->id) != 0)
			ks_report_advisory_link(a, f->cve, &src, &url);
		if (url)
			ks_jw_kstr(w, "helpUri", url);
		/* help: the vulnerability, then per package of this image: why, what to do */
		ks_buf_printf(&help, "%s%s%s\n", ru->id, summary ? ": " : "",
			      summary ? summary : "");
		md(&mdb, ru->id);
		if (summary) {
			ks_buf_adds(&mdb, ": ");
			md(&mdb, summary);
		}
		ks_buf_adds(&mdb, "\n\n");
		if (url)
			ks_buf_printf(&mdb, "Advisory: <%s>\n\n", url);
		size_t k = 0;
		for (size_t i = ru->first; i != SIZE_MAX && k < SARIF_HELP_FINDINGS;
		     i = res[i].next, k++) {
			const struct kensa_finding *g = res[i].f;

			ks_buf_printf(&help, "\n%s %s (%s): risk %.0f (%s), %s\n", g->pkg->name,
				      g->pkg->version, g->pkg->ecosystem, g->risk,
				      g->tier ? g->tier : "-",
				      g->needs_action ? "needs action"
						      : "does not need action now");
			ks_buf_adds(&mdb, "### ");
			md(&mdb, g->pkg->name);
			ks_buf_adds(&mdb, " ");
			md(&mdb, g->pkg->version);
			ks_buf_printf(&mdb, " (%s)\n\n**Risk %.0f, %s", g->pkg->ecosystem, g->risk,
				      g->tier ? g->tier : "-");
			ks_buf_adds(&mdb, g->needs_action ? ": needs action.**\n\n"
							  : ": does not need action now.**\n\n");
			if (g->nreasons)
				ks_buf_adds(&mdb, "Why:\n\n");
			for (size_t j = 0; j < g->nreasons; j++) {
				ks_buf_printf(&help, "  - %s\n", g->reasons[j]);
				ks_buf_adds(&mdb, "- ");
				md(&mdb, g->reasons[j]);
				ks_buf_addc(&mdb, '\n');
			}
			if (g->action) {
				ks_buf_printf(&help, "  What to do: %s\n", g->action);
				ks_buf_adds(&mdb, "\n**What to do:** ");
				md(&mdb, g->action);
				ks_buf_addc(&mdb, '\n');
			}
			ks_buf_addc(&mdb, '\n');
		}
		if (ru->first != SIZE_MAX && k == SARIF_HELP_FINDINGS &&
		    res[ru->first].next != SIZE_MAX)
			ks_buf_adds(&mdb, "(more packages in the results)\n");
	} else {
		const struct kensa_check *c = ru->c;

		/* one rule per kind of check; secrets of all kinds share one, results say which */
		bool same = true;

		for (size_t i = ru->first; i != SIZE_MAX && same; i = res[i].next)
			same = strcmp(res[i].c->title, c->title) == 0;
		text_obj(w, "shortDescription",
			 same ? c->title : ks_arena_printf(a, "image check '%s'", c->id),
			 SARIF_MAX_TEXT);
		text_obj(w, "fullDescription",
			 ks_arena_printf(a, "Image check '%s': %s.", c->id,
					 same ? c->title : "see each result for what was found"),
			 SARIF_MAX_TEXT);
		ks_buf_printf(&help, "%s\n\nHow to fix: %s\n", c->title, c->fix ? c->fix : "-");
		md(&mdb, c->title);
		ks_buf_adds(&mdb, "\n\n**How to fix:** ");
		md(&mdb, c->fix ? c->fix : "-");
		ks_buf_addc(&mdb, '\n');
	}
	ks_jw_key(w, "help");
	ks_jw_obj(w);
	ks_jw_kstr(w, "text", help.data ? help.data : ru->id);
	ks_jw_kstr(w, "markdown", mdb.data ? mdb.data : ru->id);
	ks_jw_obj_end(w);
	ks_jw_key(w, "defaultConfiguration");
	ks_jw_obj(w);
	ks_jw_kstr(w, "level", levels[ru->level]);
	ks_jw_obj_end(w);
	ks_jw_key(w, "properties");
	ks_jw_obj(w);
	{
		double score = !isnan(ru->score) ? ru->score : band_score(ru->sev_rank);

		if (!isnan(score) && score > 0) {
			char s[16];

			snprintf(s, sizeof(s), "%.1f", score);
			ks_jw_kstr(w, "security-severity", s);
		}
	}
	ks_jw_kstr(w, "precision", "high");
	ks_jw_key(w, "tags");
	ks_jw_arr(w);
	ks_jw_str(w, "security"), ntags++;
	if (ru->f) {
		ks_jw_str(w, "vulnerability"), ntags++;
		ks_jw_str(w, ru->f->pkg->ecosystem), ntags++;
		if (ru->kev)
			ks_jw_str(w, "kev"), ntags++;
		if (ru->needs_action)
			ks_jw_str(w, "needs-action"), ntags++;
		for (size_t i = 0; i < ru->f->ncwes && ntags < SARIF_MAX_TAGS; i++)
			ks_jw_str(w, ru->f->cwes[i]), ntags++;
	} else {
		ks_jw_str(w, "image-check");
		ks_jw_str(w, ru->c->id);
	}
	ks_jw_arr_end(w);
	if (ru->f) {
		ks_jw_kstr(w, "advisory", ru->f->id);
		ks_jw_kstr(w, "cve", ru->f->cve);
		ks_jw_key(w, "aliases");
		ks_jw_arr(w);
		for (size_t i = 0; i < ru->f->naliases; i++)
			ks_jw_str(w, ru->f->aliases[i]);
		ks_jw_arr_end(w);
	}
	ks_jw_obj_end(w);
	ks_jw_obj_end(w);
	ks_buf_release(&help);
	ks_buf_release(&mdb);
	(void)r;
}

static void write_location(struct ks_jw *w, const char *uri, const char *message)
{
	ks_jw_key(w, "locations");
	ks_jw_arr(w);
	ks_jw_obj(w);
	ks_jw_key(w, "physicalLocation");
	ks_jw_obj(w);
	ks_jw_key(w, "artifactLocation");
	ks_jw_obj(w);
	ks_jw_kstr(w, "uri", uri);
	ks_jw_kstr(w, "uriBaseId", "ROOTPATH");
	ks_jw_obj_end(w);
	ks_jw_key(w, "region");
	ks_jw_obj(w);
	ks_jw_kint(w, "startLine", 1);
	ks_jw_kint(w, "startColumn", 1);
	ks_jw_kint(w, "endLine", 1);
	ks_jw_kint(w, "endColumn", 1);
	ks_jw_obj_end(w);
	ks_jw_obj_end(w);
	if (message)
		text_obj(w, "message", message, 0);
	ks_jw_obj_end(w);
	ks_jw_arr_end(w);
}

static void write_fingerprint(struct ks_jw *w, uint64_t h)
{
	char fp[40];

	snprintf(fp, sizeof(fp), "%016llx:1", (unsigned long long)h);
	ks_jw_key(w, "partialFingerprints");
	ks_jw_obj(w);
	ks_jw_kstr(w, "primaryLocationLineHash", fp);
	fp[16] = 0;
	ks_jw_kstr(w, "kensa/v1", fp);
	ks_jw_obj_end(w);
}

static void write_finding_result(struct ks_jw *w, const struct kensa_report *r,
				 const struct result *re, const struct rule *ru, struct ks_arena *a)
{
	const struct kensa_finding *f = re->f;
	const struct kensa_package *p = f->pkg;
	const char *where = finding_where(f);
	const char *uri =
		where ? relative_uri(a, where)
		      : relative_uri(a, ks_arena_printf(a, "%s/%s", p->ecosystem, p->name));
	const char *fixed = f->nfixed ? f->fixed_versions[0] : NULL;
	const char *layer = ks_report_layer_words(r, p->layer);
	struct ks_buf msg = KS_BUF_INIT;

	ks_buf_printf(&msg, "%s %s (%s) is affected by %s (%s)", p->name,
		      p->version ? p->version : "?", p->ecosystem, ru->id,
		      f->severity ? f->severity : "UNKNOWN");
	if (fixed)
		ks_buf_printf(&msg, "; fixed in %s.", fixed);
	else
		ks_buf_printf(&msg, "; no fix (%s).",
			      f->fix_status ? f->fix_status : "no fixed version known");
	ks_buf_printf(&msg, " Risk %.0f (%s)", f->risk, f->tier ? f->tier : "-");
	if (f->needs_action) {
		ks_buf_adds(&msg, ", needs action: ");
		for (size_t i = 0; i < f->nreasons; i++)
			ks_buf_printf(&msg, "%s%s", i ? "; " : "", f->reasons[i]);
		ks_buf_adds(&msg, ".");
	} else {
		ks_buf_adds(&msg, ".");
	}
	if (f->action)
		ks_buf_printf(&msg, " Do: %s.", f->action);
	if (f->suppressed)
		ks_buf_printf(&msg, " Suppressed: %s.",
			      f->suppressed_by ? f->suppressed_by : "by policy");

	ks_jw_obj(w);
	ks_jw_kstr(w, "ruleId", ru->id);
	ks_jw_kint(w, "ruleIndex", (int64_t)re->rule);
	ks_jw_kstr(w, "level", levels[finding_level(f)]);
	text_obj(w, "message", msg.data ? msg.data : ru->id, 0);
	write_location(
		w, uri,
		layer ? ks_arena_printf(a, "%s, installed by %s", where ? where : p->name, layer)
		      : NULL);
	write_fingerprint(
		w, fnv1a(fnv1a(fnv1a(fnv1a(0xcbf29ce484222325ULL, ru->id), p->ecosystem), p->name),
			 uri));
	if (f->suppressed) {
		ks_jw_key(w, "suppressions");
		ks_jw_arr(w);
		ks_jw_obj(w);
		ks_jw_kstr(w, "kind", "external");
		ks_jw_kstr(w, "status", "accepted");
		ks_jw_kstr(w, "justification",
			   f->suppressed_by ? f->suppressed_by : "suppressed by policy");
		ks_jw_obj_end(w);
		ks_jw_arr_end(w);
	}
	ks_jw_key(w, "properties");
	ks_jw_obj(w);
	ks_jw_kstr(w, "advisory", f->id);
	ks_jw_kstr(w, "package", p->name);
	ks_jw_kstr(w, "ecosystem", p->ecosystem);
	ks_jw_kstr(w, "installed", p->version);
	ks_jw_kstr(w, "fixed", fixed);
	ks_jw_kstr(w, "purl", p->purl);
	ks_jw_kstr(w, "severity", f->severity);
	ks_jw_key(w, "cvss");
	if (f->has_cvss)
		ks_jw_numf(w, f->cvss.score, 1);
	else
		ks_jw_null(w);
	ks_jw_kstr(w, "cvss_vector", f->has_cvss ? f->cvss.vector : NULL);
	ks_jw_key(w, "risk");
	ks_jw_numf(w, f->risk, 1);
	ks_jw_kstr(w, "tier", f->tier);
	ks_jw_kstr(w, "in_use", ks_report_in_use_word(f->in_use));
	ks_jw_kstr(w, "in_use_evidence", f->in_use_evidence);
	ks_jw_kbool(w, "kev", f->kev);
	ks_jw_key(w, "epss");
	ks_jw_num(w, f->epss); /* NaN → null */
	ks_jw_kbool(w, "fixable", f->fixable);
	ks_jw_kbool(w, "exploitable", f->exploitable);
	ks_jw_kbool(w, "needs_action", f->needs_action);
	ks_jw_kstr(w, "action", f->action);
	ks_jw_key(w, "reasons");
	ks_jw_arr(w);
	for (size_t i = 0; i < f->nreasons; i++)
		ks_jw_str(w, f->reasons[i]);
	ks_jw_arr_end(w);
	ks_jw_key(w, "layer");
	if (p->layer >= 0)
		ks_jw_int(w, p->layer);
	else
		ks_jw_null(w);
	ks_jw_obj_end(w);
	ks_jw_obj_end(w);
	ks_buf_release(&msg);
}

static void write_check_result(struct ks_jw *w, const struct kensa_report *r,
			       const struct result *re, const struct rule *ru,
			       const char *image_uri, struct ks_arena *a)
{
	const struct kensa_check *c = re->c;
	const char *uri = c->path ? relative_uri(a, c->path) : image_uri;
	const char *layer = ks_report_layer_words(r, c->layer);

	ks_jw_obj(w);
	ks_jw_kstr(w, "ruleId", ru->id);
	ks_jw_kint(w, "ruleIndex", (int64_t)re->rule);
	ks_jw_kstr(w, "level", levels[check_level(c)]);
	text_obj(w, "message",
		 ks_arena_printf(a, "%s: %s. Fix: %s", c->title, c->detail ? c->detail : "-",
				 c->fix ? c->fix : "-"),
		 0);
	write_location(w, uri, layer ? ks_arena_printf(a, "%s", layer) : NULL);
	write_fingerprint(
		w, fnv1a(fnv1a(fnv1a(fnv1a(0xcbf29ce484222325ULL, ru->id), c->path), c->title),
			 c->detail));
	ks_jw_key(w, "properties");
	ks_jw_obj(w);
	ks_jw_kstr(w, "check", c->id);
	ks_jw_kstr(w, "severity", c->severity);
	ks_jw_kstr(w, "path", c->path);
	ks_jw_key(w, "layer");
	if (c->layer >= 0)
		ks_jw_int(w, c->layer);
	else
		ks_jw_null(w);
	ks_jw_obj_end(w);
	ks_jw_obj_end(w);
}

static int sarif_write(const struct kensa_report *r, const struct kensa_report_view *view,
		       bool (*shown)(const struct kensa_report *, const struct kensa_finding *,
				     const void *),
		       const void *filter, FILE *out, struct kensa_err *err)
{
	struct ks_arena a = KS_ARENA_INIT;
	struct ks_map ids = KS_MAP_INIT;
	struct rule *rules = NULL;
	struct result *res = NULL;
	size_t nrules = 0, nres = 0, nshown = 0, dropped = 0;
	size_t room = r->nfindings + r->nchecks + 1;
	const char *category = category_name(&a, r->inv);
	const char *image_uri = relative_uri(&a, category);
	struct ks_jw w;
	int result = 0;

	rules = calloc(room, sizeof(*rules));
	res = calloc(room, sizeof(*res));
	if (!rules || !res || !category) {
		result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		goto out;
	}
	/* image checks first: they are few, and must survive the result limit */
	for (size_t pass = 0; pass < 2; pass++) {
		size_t n = pass == 0 ? r->nchecks : r->nfindings;

		for (size_t i = 0; i < n; i++) {
			const struct kensa_finding *f = pass ? &r->findings[i] : NULL;
			const struct kensa_check *c = pass ? NULL : &r->checks[i];
			const char *id;
			uint64_t *slot;
			bool inserted;
			struct rule *ru;

			if (f && !shown(r, f, filter))
				continue;
			if (f)
				nshown++;
			if (nres == SARIF_MAX_RESULTS) {
				dropped++;
				continue;
			}
			id = f ? ks_report_display_id(f)
			       : ks_arena_printf(&a, "image-check/%s", c->id);
			if (!id || ks_map_upsert(&ids, id, strlen(id), nrules, &slot, &inserted)) {
				result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
				goto out;
			}
			ru = &rules[*slot];
			if (inserted) {
				ru->id = id;
				ru->f = f;
				ru->c = c;
				ru->score = NAN;
				ru->first = SIZE_MAX;
				nrules++;
			}
			res[nres] = (struct result){ f, c, (size_t)*slot, SIZE_MAX };
			if (ru->first == SIZE_MAX)
				ru->first = nres;
			else
				res[ru->last].next = nres;
			ru->last = nres;
			if (f) {
				if (f->has_cvss && (isnan(ru->score) || f->cvss.score > ru->score))
					ru->score = f->cvss.score;
				ru->sev_rank =
					KS_MAX(ru->sev_rank, ks_report_severity_rank(f->severity));
				ru->level = KS_MAX(ru->level, finding_level(f));
				ru->kev |= f->kev;
				ru->needs_action |= f->needs_action;
			} else {
				ru->sev_rank =
					KS_MAX(ru->sev_rank, ks_report_severity_rank(c->severity));
				ru->level = KS_MAX(ru->level, check_level(c));
			}
			nres++;
		}
	}

	ks_jw_init(&w, out, true);
	ks_jw_obj(&w);
	ks_jw_kstr(&w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	ks_jw_kstr(&w, "version", "2.1.0");
	ks_jw_key(&w, "runs");
	ks_jw_arr(&w);
	ks_jw_obj(&w);
	ks_jw_key(&w, "tool");
	ks_jw_obj(&w);
	ks_jw_key(&w, "driver");
	ks_jw_obj(&w);
	ks_jw_kstr(&w, "name", "kensa");
	ks_jw_kstr(&w, "fullName", "kensa container vulnerability scanner");
	ks_jw_kstr(&w, "version", KENSA_VERSION);
	ks_jw_kstr(&w, "semanticVersion", KENSA_VERSION);
	ks_jw_kstr(&w, "informationUri", "https://kensa.dev");
	ks_jw_key(&w, "rules");
	ks_jw_arr(&w);
	for (size_t i = 0; i < nrules; i++)
		write_rule(&w, r, &rules[i], res, &a);
	ks_jw_arr_end(&w);
	ks_jw_obj_end(&w);
	ks_jw_obj_end(&w);
	ks_jw_key(&w, "automationDetails");
	ks_jw_obj(&w);
	ks_jw_kstr(&w, "id", ks_arena_printf(&a, "kensa/%s/", category));
	ks_jw_obj_end(&w);
	ks_jw_key(&w, "invocations");
	ks_jw_arr(&w);
	ks_jw_obj(&w);
	ks_jw_kbool(&w, "executionSuccessful", true);
	ks_jw_kstr(&w, "endTimeUtc", r->created);
	if (dropped) {
		ks_jw_key(&w, "toolExecutionNotifications");
		ks_jw_arr(&w);
		ks_jw_obj(&w);
		ks_jw_kstr(&w, "level", "warning");
		text_obj(
			&w, "message",
			ks_arena_printf(
				&a,
				"%zu findings of lower risk left out: GitHub accepts at most %d "
				"results per run; "
				"narrow the view (--where) or use -f json for everything",
				dropped, SARIF_MAX_RESULTS),
			0);
		ks_jw_obj_end(&w);
		ks_jw_arr_end(&w);
	}
	ks_jw_obj_end(&w);
	ks_jw_arr_end(&w);
	ks_jw_key(&w, "originalUriBaseIds");
	ks_jw_obj(&w);
	ks_jw_key(&w, "ROOTPATH");
	ks_jw_obj(&w);
	ks_jw_kstr(&w, "uri", "file:///");
	text_obj(&w, "description", "The root file system of the scanned target", 0);
	ks_jw_obj_end(&w);
	ks_jw_obj_end(&w);
	ks_jw_key(&w, "results");
	ks_jw_arr(&w);
	for (size_t i = 0; i < nres; i++) {
		if (res[i].f)
			write_finding_result(&w, r, &res[i], &rules[res[i].rule], &a);
		else
			write_check_result(&w, r, &res[i], &rules[res[i].rule], image_uri, &a);
	}
	ks_jw_arr_end(&w);
	ks_jw_key(&w, "properties");
	ks_jw_obj(&w);
	ks_jw_kstr(&w, "target", kensa_inventory_target(r->inv));
	ks_jw_kstr(&w, "filter", view->filter);
	ks_jw_kint(&w, "findings_shown", (int64_t)nshown);
	ks_jw_kint(&w, "results_left_out", (int64_t)dropped);
	ks_jw_key(&w, "funnel");
	ks_report_write_funnel(&w, r);
	ks_jw_kint(&w, "suppressed", (int64_t)r->suppressed);
	ks_jw_obj_end(&w);
	ks_jw_obj_end(&w);
	ks_jw_arr_end(&w);
	ks_jw_obj_end(&w);
	result = ks_jw_finish(&w);
	if (result)
		kensa_err_set(err, result, "cannot write the SARIF report: %s",
			      kensa_strerror(result));
out:
	free(rules);
	free(res);
	ks_map_release(&ids);
	ks_arena_release(&a);
	return result;
}

const struct ks_report_format ks_report_sarif = { "sarif", sarif_write };
