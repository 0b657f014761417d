// SPDX-License-Identifier: Apache-2.0
/*
 * html.c — the scan report as one self-contained HTML page (format "html"): the funnel
 * (numbers and bars), a severity chart, the findings the view shows in a table that sorts
 * by clicking a column header and filters by text and by needs action / KEV / in use, each
 * row expanding to its reasons and action; the upgrades and the image checks.
 *
 * Self-contained and safe to open from anywhere:
 *   - nothing external: CSS, JavaScript and charts (SVG) are inline; no fonts, no images;
 *   - every string from the report goes through ks_xml_put() (HTML-escaped, characters HTML
 *     and XML forbid made visible);
 *   - the data the script sorts and filters on is a JSON document in a
 *     <script type="application/json"> block, written with every '<', '>' and '&' as a \u
 *     escape, so no text in it can close the block;
 *   - a Content-Security-Policy allows exactly the inline style and script that kensa wrote
 *     (by their SHA-256), nothing else: even a string that slipped through could not run.
 * Without JavaScript the page is a plain report: every row and its details are shown, the
 * sort and filter controls are hidden.
 */
#include <math.h>
#include <openssl/evp.h>
#include <strings.h>

#include "common.h"
#include "kensa/kensa.h"

static const char style[] =
	":root{--bg:#f5f6f8;--fg:#1c2230;--muted:#5d6676;--card:#fff;--line:#e2e5ea;--crit:#b3261e;"
	"--high:#e8590c;--med:#e0a800;--low:#2f9e44;--none:#8a929e;--accent:#3451b2}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',"
	"sans-serif;"
	"background:var(--bg);color:var(--fg)}\n"
	"header{background:#1c2230;color:#fff;padding:18px 28px}\n"
	"header h1{margin:0;font-size:20px;font-weight:600;overflow-wrap:anywhere}\n"
	"header p{margin:4px 0 0;color:#c3c9d4}\n"
	"main{padding:20px 28px;max-width:1500px}\n"
	"section{background:var(--card);border:1px solid var(--line);border-radius:8px;"
	"padding:16px 20px;"
	"margin-bottom:18px}\n"
	"h2{font-size:16px;margin:0 0 12px}\n"
	"h2 small{font-weight:400;color:var(--muted);font-size:13px;margin-left:8px}\n"
	".summary{display:grid;grid-template-columns:minmax(340px,3fr) minmax(280px,2fr);gap:18px;"
	"align-items:start;margin-bottom:18px}\n"
	".summary>section{margin:0}\n"
	".step{display:grid;grid-template-columns:170px 1fr 64px;align-items:center;gap:10px;"
	"margin:7px 0}\n"
	".step svg{width:100%;height:18px;display:block}\n"
	".step .n{text-align:right;font-variant-numeric:tabular-nums;font-weight:600;"
	"font-size:15px}\n"
	".step.last .n{color:var(--crit)}\n"
	".note{color:var(--muted);margin:10px 0 0}\n"
	"table{border-collapse:collapse;width:100%}\n"
	"th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);"
	"vertical-align:top}\n"
	"th{font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);"
	"white-space:nowrap;"
	"user-select:none}\n"
	".js th[data-key]{cursor:pointer}\n"
	".js th[data-key]:hover{color:var(--fg)}\n"
	"th[aria-sort=ascending]::after{content:' \\25B2'}\n"
	"th[aria-sort=descending]::after{content:' \\25BC'}\n"
	"td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
	"td.id{white-space:nowrap}\n"
	".badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;"
	"font-weight:600;"
	"color:#fff;background:var(--none)}\n"
	".s5{background:var(--crit)}.s4{background:var(--high)}.s3{background:var(--med);"
	"color:#1c2230}"
	".s2{background:var(--low)}\n"
	".flag{font-weight:600;color:var(--crit)}\n"
	"tr.more td{background:#fafbfc}\n"
	".js tr.more{display:none}\n"
	".js tbody.open tr.more{display:table-row}\n"
	".js tr.row{cursor:pointer}\n"
	".js tr.row:hover td,.js tr.row:focus td{background:#eef2fa}\n"
	"tbody.na tr.row td:first-child{box-shadow:inset 3px 0 var(--crit)}\n"
	".more h3{font-size:14px;margin:2px 0 6px}\n"
	".more ul{margin:4px 0 8px 18px;padding:0}\n"
	".more dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0 0}\n"
	".more dt{color:var(--muted)}\n"
	".more dd{margin:0;overflow-wrap:anywhere}\n"
	".controls{display:none;gap:16px;align-items:center;margin-bottom:10px;flex-wrap:wrap}\n"
	".js .controls{display:flex}\n"
	".controls input[type=search]{padding:6px 10px;border:1px solid #c9ced6;border-radius:6px;"
	"min-width:300px;font:inherit}\n"
	"#count{color:var(--muted);margin-left:auto}\n"
	".muted{color:var(--muted)}\n"
	"code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:anywhere}\n"
	"a{color:var(--accent)}\n"
	"footer{color:var(--muted);padding:0 28px 24px}\n"
	"@media (max-width:900px){.summary{grid-template-columns:1fr}}\n";

static const char script[] =
	"(function () {\n"
	"'use strict';\n"
	"var table = document.getElementById('findings');\n"
	"var data = JSON.parse(document.getElementById('kensa-data').textContent);\n"
	"document.documentElement.classList.add('js');\n"
	"if (!table) return;\n"
	"var rows = {};\n"
	"Array.prototype.forEach.call(table.tBodies, function (b) { "
	"rows[b.getAttribute('data-i')] = b; });\n"
	"var found = data.findings;\n"
	"var q = document.getElementById('q'), count = document.getElementById('count');\n"
	"var boxes = { na: document.getElementById('f-na'), kev: "
	"document.getElementById('f-kev'),\n"
	"  use: document.getElementById('f-use') };\n"
	"var heads = Array.prototype.slice.call(table.querySelectorAll('th[data-key]'));\n"
	"var key = null, dir = -1;  /* rows start in the report's order: needs action first, "
	"then risk */\n"
	"function cmp(a, b) {\n"
	"  var x = found[a][key], y = found[b][key], c;\n"
	"  if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1;\n"
	"  if (typeof x === 'string') c = x.localeCompare(y, undefined, { numeric: true, "
	"sensitivity: 'base' });\n"
	"  else c = x < y ? -1 : x > y ? 1 : 0;\n"
	"  return c ? c * dir : a - b;\n"
	"}\n"
	"function sort() {\n"
	"  found.map(function (f, i) { return i; }).sort(cmp).forEach(function (i) { "
	"table.appendChild(rows[i]); });\n"
	"  heads.forEach(function (th) {\n"
	"    if (th.getAttribute('data-key') === key) th.setAttribute('aria-sort', dir > 0 ? "
	"'ascending' : 'descending');\n"
	"    else th.removeAttribute('aria-sort');\n"
	"  });\n"
	"}\n"
	"function filter() {\n"
	"  var t = q.value.trim().toLowerCase(), n = 0;\n"
	"  found.forEach(function (f, i) {\n"
	"    var ok = (!t || f.text.indexOf(t) >= 0) && (!boxes.na.checked || f.na) &&\n"
	"      (!boxes.kev.checked || f.kev) && (!boxes.use.checked || f.use === 'yes');\n"
	"    rows[i].hidden = !ok;\n"
	"    if (ok) n++;\n"
	"  });\n"
	"  count.textContent = n + ' of ' + found.length + ' shown';\n"
	"}\n"
	"heads.forEach(function (th) {\n"
	"  th.tabIndex = 0;\n"
	"  function go() {\n"
	"    var k = th.getAttribute('data-key');\n"
	"    if (k === key) dir = -dir;\n"
	"    else { key = k; dir = th.getAttribute('data-type') === 'text' ? 1 : -1; }\n"
	"    sort();\n"
	"  }\n"
	"  th.addEventListener('click', go);\n"
	"  th.addEventListener('keydown', function (e) { if (e.key === 'Enter') go(); });\n"
	"});\n"
	"Array.prototype.forEach.call(table.querySelectorAll('tr.row'), function (tr) {\n"
	"  tr.tabIndex = 0;\n"
	"  tr.setAttribute('aria-expanded', 'false');\n"
	"  function toggle(e) {\n"
	"    if (e.target.closest('a')) return;\n"
	"    var open = tr.parentNode.classList.toggle('open');\n"
	"    tr.setAttribute('aria-expanded', open ? 'true' : 'false');\n"
	"  }\n"
	"  tr.addEventListener('click', toggle);\n"
	"  tr.addEventListener('keydown', function (e) {\n"
	"    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(e); }\n"
	"  });\n"
	"});\n"
	"q.addEventListener('input', filter);\n"
	"Object.keys(boxes).forEach(function (k) { boxes[k].addEventListener('change', filter); }"
	");\n"
	"filter();\n"
	"})();\n";

static const char *const sev_names[6] = { "unknown", "none", "low", "medium", "high", "critical" };
static const char *const sev_colors[6] = { "#adb5bd", "#8a929e", "#2f9e44",
					   "#e0a800", "#e8590c", "#b3261e" };

static void put(FILE *out, const char *s)
{
	ks_xml_put(out, s, false);
}

static void put_attr(FILE *out, const char *s)
{
	ks_xml_put(out, s, true);
}

/* 'sha256-<base64>' of s, for the Content-Security-Policy. */
static void csp_hash(FILE *out, const char *s)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];

	if (!EVP_Digest(s, strlen(s), md, &mdlen, EVP_sha256(), NULL))
		return;
	EVP_EncodeBlock(b64, md, (int)mdlen);
	fprintf(out, " 'sha256-%s'", b64);
}

static void badge(FILE *out, const char *word)
{
	int rank = ks_report_severity_rank(word);

	fprintf(out, "<span class=\"badge s%d\">", rank);
	put(out, word ? word : "-");
	fputs("</span>", out);
}

static void funnel_step(FILE *out, const char *key, const char *label, size_t n, size_t total,
			const char *color, bool last)
{
	double w = total ? 100.0 * (double)n / (double)total : 0;

	if (n && w < 0.6)
		w = 0.6; /* a step that is not empty stays visible */
	fprintf(out,
		"<div class=\"step%s\" data-step=\"%s\"><span>%s</span>"
		"<svg viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\">"
		"<rect width=\"100\" height=\"10\" rx=\"1\" fill=\"#e9ecf1\"/>"
		"<rect width=\"%.2f\" height=\"10\" rx=\"1\" fill=\"%s\"/></svg>"
		"<span class=\"n\" data-n=\"%zu\">%zu</span></div>\n",
		last ? " last" : "", key, label, w, color, n, n);
}

static void severity_chart(FILE *out, const struct kensa_report *r)
{
	size_t counts[6], max = 0, total = 0;
	const int row = 26, barx = 84, barw = 250;

	ks_report_severity_counts(r, counts);
	for (int i = 0; i < 6; i++) {
		max = KS_MAX(max, counts[i]);
		total += counts[i];
	}
	fprintf(out,
		"<svg id=\"severity\" viewBox=\"0 0 380 %d\" width=\"100%%\" role=\"img\" "
		"aria-label=\"findings by severity\" font-size=\"13\" "
		"font-family=\"system-ui,sans-serif\">\n",
		6 * row);
	for (int k = 0; k < 6; k++) {
		int i = 5 - k; /* critical first */
		double w = max ? (double)barw * (double)counts[i] / (double)max : 0;
		int y = k * row;

		if (counts[i] && w < 2)
			w = 2;
		fprintf(out,
			"<g data-severity=\"%s\"><text x=\"0\" y=\"%d\" fill=\"#1c2230\">%s</text>"
			"<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"16\" rx=\"2\" "
			"fill=\"%s\"/>"
			"<text x=\"%.1f\" y=\"%d\" fill=\"#5d6676\">%zu</text></g>\n",
			sev_names[i], y + 17, sev_names[i], barx, y + 4, w, sev_colors[i],
			barx + w + 6, y + 17, counts[i]);
	}
	fputs("</svg>\n", out);
	fprintf(out,
		"<p class=\"note\">All findings not suppressed (%zu), by the severity of their "
		"CVSS vector, "
		"else the advisory's word.</p>\n",
		total);
}

static void cell(FILE *out, const char *cls, const char *text)
{
	fprintf(out, "<td%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	put(out, text ? text : "-");
	fputs("</td>", out);
}

static void dl_row(FILE *out, const char *term, const char *value, bool code)
{
	if (!value || !*value)
		return;
	fprintf(out, "<dt>%s</dt><dd>%s", term, code ? "<code>" : "");
	put(out, value);
	fprintf(out, "%s</dd>", code ? "</code>" : "");
}

static void write_row(FILE *out, const struct kensa_report *r, const struct kensa_finding *f,
		      size_t i, struct ks_arena *a)
{
	const struct kensa_package *p = f->pkg;
	const char *id = ks_report_display_id(f);
	const char *src, *url;
	char num[32];

	ks_report_advisory_link(a, f->cve && strcmp(id, f->cve) == 0 ? f->cve : f->id, &src, &url);
	fprintf(out, "<tbody data-i=\"%zu\"%s><tr class=\"row\">", i,
		f->needs_action ? " class=\"na\"" : "");
	fputs("<td>", out);
	badge(out, f->tier);
	fputs("</td>", out);
	snprintf(num, sizeof(num), "%.0f", f->risk);
	cell(out, "num", num);
	fputs("<td class=\"id\">", out);
	if (url) {
		fputs("<a href=\"", out);
		put_attr(out, url);
		fputs("\" rel=\"noreferrer noopener\" target=\"_blank\">", out);
		put(out, id);
		fputs("</a>", out);
	} else {
		put(out, id);
	}
	fputs("</td>", out);
	fputs("<td>", out);
	put(out, p->name);
	fputs(" <span class=\"muted\">", out);
	put(out, p->ecosystem);
	fputs("</span></td>", out);
	cell(out, NULL, p->version);
	cell(out, NULL, f->nfixed ? f->fixed_versions[0] : "no fix");
	fputs("<td>", out);
	badge(out, f->severity);
	fputs("</td>", out);
	if (f->has_cvss)
		snprintf(num, sizeof(num), "%.1f", f->cvss.score);
	else
		snprintf(num, sizeof(num), "-");
	cell(out, "num", num);
	if (isnan(f->epss))
		snprintf(num, sizeof(num), "-");
	else
		snprintf(num, sizeof(num), "%.3f", f->epss);
	cell(out, "num", num);
	fprintf(out, "<td>%s</td>", f->kev ? "<span class=\"flag\">KEV</span>" : "-");
	cell(out, NULL, ks_report_in_use_word(f->in_use));
	if (f->needs_action)
		fputs("<td><span class=\"flag\">yes</span></td></tr>\n", out);
	else
		fprintf(out, "<td>%s</td></tr>\n", f->suppressed ? "suppressed" : "no");

	fputs("<tr class=\"more\"><td colspan=\"12\">", out);
	fputs("<h3>", out);
	put(out, f->summary ? f->summary : id);
	fputs("</h3>", out);
	if (f->nreasons) {
		fputs("<div>Why:</div><ul>", out);
		for (size_t k = 0; k < f->nreasons; k++) {
			fputs("<li>", out);
			put(out, f->reasons[k]);
			fputs("</li>", out);
		}
		fputs("</ul>", out);
	}
	if (f->action) {
		fputs("<div><strong>What to do:</strong> ", out);
		put(out, f->action);
		fputs("</div>", out);
	}
	fputs("<dl>", out);
	dl_row(out, "advisory", f->id, true);
	if (f->naliases) {
		struct ks_buf b = KS_BUF_INIT;

		for (size_t k = 0; k < f->naliases; k++)
			ks_buf_printf(&b, "%s%s", k ? ", " : "", f->aliases[k]);
		dl_row(out, "aliases", b.data, true);
		ks_buf_release(&b);
	}
	dl_row(out, "package file", p->location, true);
	dl_row(out, "layer", ks_report_layer_words(r, p->layer), false);
	dl_row(out, "purl", p->purl, true);
	dl_row(out, "matched", f->via, false);
	dl_row(out, "range", f->range, false);
	if (f->has_cvss)
		dl_row(out, "CVSS",
		       ks_arena_printf(a, "%.1f %s (%s; %s)", f->cvss.score,
				       f->cvss.vector ? f->cvss.vector : "",
				       f->cvss.source ? f->cvss.source : "?",
				       f->cvss.why ? f->cvss.why : ""),
		       false);
	dl_row(out, "in use", f->in_use_evidence, false);
	dl_row(out, "suppressed by", f->suppressed ? f->suppressed_by : NULL, false);
	if (f->details && (!f->summary || strcmp(f->details, f->summary) != 0))
		dl_row(out, "details", f->details, false);
	fputs("</dl></td></tr></tbody>\n", out);
}

/* The data the script sorts and filters on: one entry per table row, in row order. */
static int write_data(FILE *out, const struct kensa_report *r,
		      bool (*shown)(const struct kensa_report *, const struct kensa_finding *,
				    const void *),
		      const void *filter)
{
	struct ks_jw w;
	struct ks_buf text = KS_BUF_INIT;
	int result;

	ks_jw_init(&w, NULL, false);
	ks_jw_obj(&w);
	ks_jw_key(&w, "funnel");
	ks_report_write_funnel(&w, r);
	ks_jw_key(&w, "findings");
	ks_jw_arr(&w);
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct kensa_finding *f = &r->findings[i];
		const struct kensa_package *p = f->pkg;

		if (!shown(r, f, filter))
			continue;
		ks_buf_reset(&text);
		ks_buf_printf(&text, "%s %s %s %s %s %s %s %s %s", f->id, p->name,
			      p->version ? p->version : "", p->ecosystem,
			      f->severity ? f->severity : "", f->tier ? f->tier : "",
			      f->summary ? f->summary : "", f->action ? f->action : "",
			      p->location ? p->location : "");
		for (size_t k = 0; k < f->naliases; k++)
			ks_buf_printf(&text, " %s", f->aliases[k]);
		for (size_t k = 0; k < f->nreasons; k++)
			ks_buf_printf(&text, " %s", f->reasons[k]);
		for (char *c = text.data; c && *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		ks_jw_obj(&w);
		ks_jw_key(&w, "risk");
		ks_jw_numf(&w, f->risk, 1);
		ks_jw_kint(&w, "tier", ks_report_severity_rank(f->tier));
		ks_jw_kstr(&w, "id", ks_report_display_id(f));
		ks_jw_kstr(&w, "package", p->name);
		ks_jw_kstr(&w, "installed", p->version ? p->version : "");
		ks_jw_kstr(&w, "fixed", f->nfixed ? f->fixed_versions[0] : NULL);
		ks_jw_kint(&w, "severity", ks_report_severity_rank(f->severity));
		ks_jw_key(&w, "cvss");
		if (f->has_cvss)
			ks_jw_numf(&w, f->cvss.score, 1);
		else
			ks_jw_null(&w);
		ks_jw_key(&w, "epss");
		ks_jw_num(&w, f->epss);
		ks_jw_kbool(&w, "kev", f->kev);
		ks_jw_kstr(&w, "use", ks_report_in_use_word(f->in_use));
		ks_jw_kbool(&w, "na", f->needs_action);
		ks_jw_kint(&w, "action", f->needs_action ? 2 : f->suppressed ? 0 : 1);
		ks_jw_kstr(&w, "text", text.data ? text.data : "");
		ks_jw_obj_end(&w);
	}
	ks_jw_arr_end(&w);
	ks_jw_obj_end(&w);
	result = ks_jw_finish(&w);
	/* inside <script> only "</script" and "<!--" matter; escaping every < > & covers both */
	for (size_t i = 0; !result && i < w.buf.len; i++) {
		char c = w.buf.data[i];

		if (c == '<')
			fputs("\\u003c", out);
		else if (c == '>')
			fputs("\\u003e", out);
		else if (c == '&')
			fputs("\\u0026", out);
		else
			fputc(c, out);
	}
	ks_buf_release(&w.buf);
	ks_buf_release(&text);
	return result;
}

static void header(FILE *out, const struct kensa_report *r, const char *title)
{
	const struct kensa_inventory *inv = r->inv;
	const struct kensa_image *img = kensa_inventory_image(inv);
	const struct kensa_os *os = kensa_inventory_os(inv);

	fputs("<header><h1>", out);
	put(out, title);
	fputs("</h1><p>", out);
	put(out, os->pretty_name ? os->pretty_name : os->id ? os->id : "unknown OS");
	fprintf(out, " &middot; %zu packages", kensa_inventory_count(inv));
	if (img && img->id) {
		fputs(" &middot; <code>", out);
		put(out, img->id);
		fputs("</code>", out);
	}
	fputs(" &middot; scanned ", out);
	put(out, r->created);
	if (r->criticality) {
		fputs(" &middot; business criticality ", out);
		put(out, r->criticality);
	}
	fputs("</p></header>\n", out);
}

static void summary(FILE *out, const struct kensa_report *r)
{
	const struct kensa_funnel *fu = &r->funnel;

	fputs("<div class=\"summary\"><section id=\"funnel\">"
	      "<h2>From all findings to the few that need action</h2>\n",
	      out);
	funnel_step(out, "total", "findings", fu->total, fu->total, "#8a929e", false);
	funnel_step(out, "fixable", "fixable", fu->fixable, fu->total, "#5c7cfa", false);
	funnel_step(out, "exploitable", "exploitable", fu->exploitable, fu->total, "#e8590c",
		    false);
	funnel_step(out, "in_use", "in use (not ruled out)", fu->in_use, fu->total, "#d9480f",
		    false);
	funnel_step(out, "needs_action", "need action", fu->needs_action, fu->total, "#b3261e",
		    true);
	fprintf(out, "<p class=\"note\">%.1f%% fewer to look at.",
		fu->total ? 100.0 * (1.0 - (double)fu->needs_action / (double)fu->total) : 0.0);
	if (r->profiles.n) {
		fputs(" Runtime evidence: ", out);
		put(out, r->profiles.engines);
		fprintf(out, " profile, %.0f s, %llu dropped events.", r->profiles.duration_s,
			(unsigned long long)r->profiles.dropped);
	} else {
		fputs(" No runtime profile: &ldquo;in use&rdquo; is unknown, never assumed false.",
		      out);
	}
	if (r->suppressed)
		fprintf(out, " %zu suppressed by policy or VEX (not counted).", r->suppressed);
	fputs("</p></section>\n<section><h2>Severity</h2>\n", out);
	severity_chart(out, r);
	fputs("</section></div>\n", out);
}

static void findings_table(FILE *out, const struct kensa_report *r,
			   const struct kensa_report_view *view,
			   bool (*shown)(const struct kensa_report *, const struct kensa_finding *,
					 const void *),
			   const void *filter, struct ks_arena *a)
{
	size_t n = 0, k = 0;

	for (size_t i = 0; i < r->nfindings; i++)
		n += shown(r, &r->findings[i], filter);
	fputs("<section id=\"findings-section\"><h2>Findings<small>", out);
	fprintf(out, "%zu of %zu shown", n, r->nfindings);
	if (view->filter) {
		fputs(" &middot; view: <code>", out);
		put(out, view->filter);
		fputs("</code> (<code>kensa scan --all</code> shows every finding)", out);
	}
	fputs("</small></h2>\n", out);
	if (!n) {
		fputs("<p>No finding matches the view.</p></section>\n", out);
		return;
	}
	fputs("<div class=\"controls\"><input type=\"search\" id=\"q\" "
	      "placeholder=\"Filter: id, package, text&hellip;\" "
	      "aria-label=\"filter findings\">"
	      "<label><input type=\"checkbox\" id=\"f-na\"> needs action</label>"
	      "<label><input type=\"checkbox\" id=\"f-kev\"> KEV</label>"
	      "<label><input type=\"checkbox\" id=\"f-use\"> in use</label>"
	      "<span id=\"count\"></span></div>\n",
	      out);
	fputs("<table id=\"findings\"><thead><tr>"
	      "<th data-key=\"tier\">Tier</th><th data-key=\"risk\">Risk</th>"
	      "<th data-key=\"id\" data-type=\"text\">ID</th><th data-key=\"package\" "
	      "data-type=\"text\">Package</th>"
	      "<th data-key=\"installed\" data-type=\"text\">Installed</th><th "
	      "data-key=\"fixed\" data-type=\"text\">Fixed</th>"
	      "<th data-key=\"severity\">Severity</th><th data-key=\"cvss\">CVSS</th><th "
	      "data-key=\"epss\">EPSS</th>"
	      "<th data-key=\"kev\">KEV</th><th data-key=\"use\" data-type=\"text\">In use</th>"
	      "<th data-key=\"action\">Action</th></tr></thead>\n",
	      out);
	for (size_t i = 0; i < r->nfindings; i++)
		if (shown(r, &r->findings[i], filter))
			write_row(out, r, &r->findings[i], k++, a);
	fputs("</table>\n<noscript><p class=\"note\">"
	      "Sorting and filtering need JavaScript; every finding and its "
	      "details are listed above.</p></noscript></section>\n",
	      out);
}

static void upgrades_table(FILE *out, const struct kensa_report *r)
{
	if (!r->nupgrades)
		return;
	fputs("<section id=\"upgrades\"><h2>Upgrades<small>"
	      "the smallest version that fixes all of a package's "
	      "findings</small></h2>\n<table><thead><tr><th>Package</th><th>Installed</th><th>"
	      "Upgrade to</th>"
	      "<th>Fixes</th><th>Need action</th><th>How</th></tr></thead><tbody>\n",
	      out);
	for (size_t i = 0; i < r->nupgrades; i++) {
		const struct ks_upgrade *u = &r->upgrades[i];
		char n1[32], n2[32];

		snprintf(n1, sizeof(n1), "%zu", u->fixes);
		snprintf(n2, sizeof(n2), "%zu", u->needs_action);
		fputs("<tr>", out);
		cell(out, NULL, u->pkg->name);
		cell(out, NULL, u->pkg->version);
		cell(out, NULL, u->to);
		cell(out, "num", n1);
		cell(out, "num", n2);
		cell(out, NULL, u->action);
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table></section>\n", out);
}

static void checks_table(FILE *out, const struct kensa_report *r)
{
	fputs("<section id=\"checks\"><h2>Image checks</h2>\n", out);
	if (!r->nchecks) {
		fputs("<p>Every image check passed.</p></section>\n", out);
		return;
	}
	fputs("<table><thead><tr><th>Severity</th><th>Check</th><th>Found</th><th>Where</th>"
	      "<th>Fix</th></tr>"
	      "</thead><tbody>\n",
	      out);
	for (size_t i = 0; i < r->nchecks; i++) {
		const struct kensa_check *c = &r->checks[i];
		const char *where;

		fputs("<tr data-check=\"", out);
		put_attr(out, c->id);
		fputs("\"><td>", out);
		badge(out, c->severity);
		fputs("</td>", out);
		cell(out, NULL, c->title);
		cell(out, NULL, c->detail);
		where = c->path ? c->path : ks_report_layer_words(r, c->layer);
		cell(out, NULL, where ? where : "image configuration");
		cell(out, NULL, c->fix);
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table></section>\n", out);
}

static int html_write(const struct kensa_report *r, const struct kensa_report_view *view,
		      bool (*shown)(const struct kensa_report *, const struct kensa_finding *,
				    const void *),
		      const void *filter, FILE *out, struct kensa_err *err)
{
	struct ks_arena a = KS_ARENA_INIT;
	const struct kensa_image *img = kensa_inventory_image(r->inv);
	const char *title = img && img->name ? img->name : kensa_inventory_target(r->inv);
	int result;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"referrer\" content=\"no-referrer\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "base-uri 'none'; "
	      "form-action 'none'; style-src",
	      out);
	csp_hash(out, style);
	fputs("; script-src", out);
	csp_hash(out, script);
	fputs("\">\n<meta name=\"generator\" content=\"kensa " KENSA_VERSION "\">\n<title>kensa: ",
	      out);
	put(out, title);
	fprintf(out, " &mdash; %zu need action</title>\n<style>", r->funnel.needs_action);
	fputs(style, out);
	fputs("</style>\n</head>\n<body>\n", out);
	header(out, r, title);
	fputs("<main>\n", out);
	summary(out, r);
	findings_table(out, r, view, shown, filter, &a);
	upgrades_table(out, r);
	checks_table(out, r);
	fputs("</main>\n<footer>kensa " KENSA_VERSION " &middot; target <code>", out);
	put(out, kensa_inventory_target(r->inv));
	fputs("</code> &middot; risk model: docs/risk.md</footer>\n"
	      "<script type=\"application/json\" id=\"kensa-data\">",
	      out);
	result = write_data(out, r, shown, filter);
	fputs("</script>\n<script>", out);
	fputs(script, out);
	fputs("</script>\n</body>\n</html>\n", out);
	ks_arena_release(&a);
	if (result)
		return kensa_err_set(err, result, "cannot write the HTML report: %s",
				     kensa_strerror(result));
	if (fflush(out) != 0 || ferror(out))
		return kensa_err_set(err, KENSA_EIO, "cannot write the HTML report");
	return 0;
}

const struct ks_report_format ks_report_html = { "html", html_write };
