// SPDX-License-Identifier: Apache-2.0
/*
 * common.c — helpers the report writers share (see common.h): display ids, advisory links,
 * severity ranks and counts, XML/HTML escaping. Not a writer itself.
 */
#include <strings.h>

#include "common.h"
#include "util/json.h"

const char *ks_report_display_id(const struct kensa_finding *f)
{
	return f->cve && strncmp(f->id, "DEBIAN-", 7) == 0 ? f->cve : f->id;
}

static const struct {
	const char *prefix;
	const char *source;
	const char *url; /* printf format with one %s (the id), or NULL */
} publishers[] = {
	{ "CVE-", "NVD", "https://nvd.nist.gov/vuln/detail/%s" },
	{ "GHSA-", "GitHub Advisory Database", "https://github.com/advisories/%s" },
	{ "GO-", "Go Vulnerability Database", "https://pkg.go.dev/vuln/%s" },
	{ "PYSEC-", "PyPA Advisory Database", "https://osv.dev/vulnerability/%s" },
	{ "RUSTSEC-", "RustSec Advisory Database", "https://rustsec.org/advisories/%s.html" },
	{ "DEBIAN-DERIVED-", "Debian changelogs (kensa feed)", NULL },
	{ "DSA-", "Debian Security Tracker", "https://security-tracker.debian.org/tracker/%s" },
	{ "DLA-", "Debian Security Tracker", "https://security-tracker.debian.org/tracker/%s" },
};

void ks_report_advisory_link(struct ks_arena *a, const char *id, const char **source,
			     const char **url)
{
	*source = "OSV";
	*url = NULL;
	if (!id)
		return;
	/* ids come from feeds: only plain ones go into a URL */
	if (!*id ||
	    id[strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._:")])
		return;
	for (size_t i = 0; i < KS_ARRAY_SIZE(publishers); i++) {
		if (strncmp(id, publishers[i].prefix, strlen(publishers[i].prefix)) == 0) {
			*source = publishers[i].source;
			*url = publishers[i].url ? ks_arena_printf(a, publishers[i].url, id) : NULL;
			return;
		}
	}
	*url = ks_arena_printf(a, "https://osv.dev/vulnerability/%s", id);
}

const char *ks_report_in_use_word(enum kensa_in_use u)
{
	return u == KENSA_IN_USE_YES ? "yes" : u == KENSA_IN_USE_NO ? "no" : "unknown";
}

int ks_report_severity_rank(const char *word)
{
	static const char *const words[] = { "none", "low", "medium", "high", "critical" };

	for (size_t i = 0; word && i < KS_ARRAY_SIZE(words); i++)
		if (strcasecmp(word, words[i]) == 0)
			return (int)i + 1;
	return 0;
}

void ks_report_severity_counts(const struct kensa_report *r, size_t counts[6])
{
	memset(counts, 0, 6 * sizeof(*counts));
	for (size_t i = 0; i < r->nfindings; i++)
		if (!r->findings[i].suppressed)
			counts[ks_report_severity_rank(r->findings[i].severity)]++;
}

/* Length of the valid UTF-8 sequence at p (RFC 3629: no overlongs, no surrogates), 0 if none. */
static size_t utf8_len(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned char c = p[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xBF;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	*cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
	for (size_t i = 1; i < len; i++)
		*cp = (*cp << 6) | (p[i] & 0x3F);
	return len;
}

int ks_xml_escape(struct ks_buf *b, const char *s, size_t n, bool attribute)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, plain = 0;
	int result = 0;

	while (i < n && !result) {
		uint32_t cp = 0;
		size_t len = utf8_len(p + i, n - i, &cp);
		const char *rep = NULL;
		char tmp[16];

		if (!len) {
			snprintf(tmp, sizeof(tmp), "\\x%02X", p[i]);
			rep = tmp;
			len = 1;
		} else if (cp == '&') {
			rep = "&amp;";
		} else if (cp == '<') {
			rep = "&lt;";
		} else if (cp == '>') {
			rep = "&gt;";
		} else if (cp == '"') {
			rep = "&quot;";
		} else if (cp == '\'') {
			rep = "&#39;";
		} else if (cp == '\r' || (attribute && (cp == '\t' || cp == '\n'))) {
			snprintf(tmp, sizeof(tmp), "&#%u;", (unsigned)cp);
			rep = tmp;
		} else if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F) {
			snprintf(tmp, sizeof(tmp), "\\x%02X", (unsigned)cp);
			rep = tmp;
		} else if ((cp >= 0x80 && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF) {
			snprintf(tmp, sizeof(tmp), "\\u%04X", (unsigned)cp);
			rep = tmp;
		}
		if (rep) {
			if (plain)
				result = ks_buf_add(b, s + i - plain, plain);
			plain = 0;
			if (!result)
				result = ks_buf_adds(b, rep);
		} else {
			plain += len;
		}
		i += len;
	}
	if (plain && !result)
		result = ks_buf_add(b, s + i - plain, plain);
	return result;
}

void ks_xml_put(FILE *out, const char *s, bool attribute)
{
	struct ks_buf b = KS_BUF_INIT;

	if (!s)
		return;
	if (ks_xml_escape(&b, s, strlen(s), attribute) == 0 && b.len)
		fwrite(b.data, 1, b.len, out);
	ks_buf_release(&b);
}

size_t ks_utf8_prefix(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

void ks_report_write_funnel(struct ks_jw *w, const struct kensa_report *r)
{
	ks_jw_obj(w);
	ks_jw_kint(w, "total", (int64_t)r->funnel.total);
	ks_jw_kint(w, "fixable", (int64_t)r->funnel.fixable);
	ks_jw_kint(w, "exploitable", (int64_t)r->funnel.exploitable);
	ks_jw_kint(w, "in_use", (int64_t)r->funnel.in_use);
	ks_jw_kint(w, "needs_action", (int64_t)r->funnel.needs_action);
	ks_jw_obj_end(w);
}
