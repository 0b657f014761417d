/* SPDX-License-Identifier: Apache-2.0 */
/*
 * common.h — what the report writers share (internal): the id a person knows a finding by,
 * where an advisory is published, severity words, and text escaping for XML and HTML.
 *
 * Every string a writer prints comes from hostile input one way or another (feeds, image
 * file names, package metadata): the escapers here are the only way XML and HTML writers put
 * text out, and they never produce a character XML 1.0 forbids.
 */
#ifndef KS_REPORT_COMMON_H
#define KS_REPORT_COMMON_H

#include "risk/report.h"

/* The id to show: the CVE for kensa's Debian-derived records, else the advisory id. */
const char *ks_report_display_id(const struct kensa_finding *f);

/*
 * Who publishes advisory `id` and where to read it: *source (OUT) a name ("NVD", "GitHub
 * Advisory Database", "Go Vulnerability Database" …), *url (OUT) a link or NULL when the
 * publisher has no page per id. Strings are static or live in arena a.
 */
void ks_report_advisory_link(struct ks_arena *a, const char *id, const char **source,
			     const char **url);

/* The funnel as a JSON object {total, fixable, exploitable, in_use, needs_action}. */
struct ks_jw;
void ks_report_write_funnel(struct ks_jw *w, const struct kensa_report *r);

/* "yes", "no", "unknown". */
const char *ks_report_in_use_word(enum kensa_in_use u);

/* Rank of a severity or tier word: critical 5, high 4, medium 3, low 2, none 1, else 0. */
int ks_report_severity_rank(const char *word);

/* Findings counted per severity word (not suppressed), by rank: [5] critical … [0] unknown. */
void ks_report_severity_counts(const struct kensa_report *r, size_t counts[6]);

/*
 * Append s (n bytes, any bytes) to b as XML 1.0 / HTML text: & < > " ' as entities; in an
 * attribute also tab, newline and carriage return as character references (so they survive
 * attribute normalization). Characters XML 1.0 forbids come out visible instead: control
 * bytes and invalid UTF-8 as the four characters "\xNN", C1 controls and U+FFFE/U+FFFF as
 * "\uNNNN". The output is always valid UTF-8.
 */
int ks_xml_escape(struct ks_buf *b, const char *s, size_t n, bool attribute);
/* ks_xml_escape() of a C string (NULL writes nothing) straight to out. */
void ks_xml_put(FILE *out, const char *s, bool attribute);

/*
 * Longest prefix of s that is at most max bytes and ends on a UTF-8 character boundary
 * (for fields with a length limit).
 */
size_t ks_utf8_prefix(const char *s, size_t max);

#endif
