// SPDX-License-Identifier: Apache-2.0
/*
 * cvss.c — the CVSS vector parser shared by every version: picks the version from the
 * prefix, splits "KEY:VALUE" components, checks them against the version's metric table
 * and hands the result to that version's scorer (cvss2.c, cvss3.c, cvss4.c). Also the
 * canonical formatter, metric look-up and the qualitative severity scale.
 *
 * Not here: any scoring arithmetic. Vectors are untrusted: the parser reads at most
 * KS_CVSS_VECTOR_MAX bytes, never allocates, and quotes what it refuses in the error
 * message with non-printable bytes replaced.
 */
#include <math.h>

#include "risk/cvss.h"
#include "util/util.h"

#define KS_CVSS_VECTOR_MAX 1024
#define QUOTE_MAX 120		/* bytes of a refused vector quoted in an error message */

static const struct ks_cvss_scheme *const schemes[] = {
	&ks_cvss_v2, &ks_cvss_v30, &ks_cvss_v31, &ks_cvss_v40,
};

double ks_cvss_round1(double x)
{
	double t = (x + KS_CVSS_EPSILON) * 10, r = floor(t);

	if (t - r >= 0.5)
		r += 1;
	return r == 0 ? 0.0 : r / 10;	/* never -0.0 */
}

static const struct ks_cvss_scheme *scheme_of(int version)
{
	for (size_t i = 0; i < KS_ARRAY_SIZE(schemes); i++)
		if (schemes[i]->version == version)
			return schemes[i];
	return NULL;
}

/* Copy at most `max` bytes of [s, s+n) into out (size > max + 3), printable ASCII only. */
static const char *quote(char *out, const char *s, size_t n, size_t max)
{
	size_t k = 0;

	for (size_t i = 0; i < n && i < max; i++) {
		unsigned char ch = (unsigned char)s[i];

		out[k++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	if (n > max) {
		memcpy(out + k, "...", 3);
		k += 3;
	}
	out[k] = '\0';
	return out;
}

/* Fill err with "malformed CVSS vector '<vector>': <what>" and return KENSA_EFORMAT. */
static int refuse(struct kensa_err *err, const char *vector, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int refuse(struct kensa_err *err, const char *vector, size_t len, const char *fmt, ...)
{
	char q[QUOTE_MAX + 4], why[256];
	va_list ap;

	if (!err)
		return KENSA_EFORMAT;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return kensa_err_set(err, KENSA_EFORMAT, "malformed CVSS vector '%s': %s",
			     quote(q, vector, len, QUOTE_MAX), why);
}

static int find_metric(const struct ks_cvss_scheme *s, const char *key, size_t n)
{
	for (unsigned i = 0; i < s->count; i++)
		if (strlen(s->metrics[i].key) == n && memcmp(s->metrics[i].key, key, n) == 0)
			return (int)i;
	return -1;
}

static int find_value(const struct ks_cvss_metric *m, const char *val, size_t n)
{
	for (int i = 0; i < KS_CVSS_VALUES_MAX && m->values[i]; i++)
		if (strlen(m->values[i]) == n && memcmp(m->values[i], val, n) == 0)
			return i;
	return -1;
}

/* Check the components of [p, end) against scheme s and record them in out->metric[]. */
static int parse_metrics(const struct ks_cvss_scheme *s, const char *vector, size_t len,
			 const char *p, const char *end, struct kensa_cvss *out,
			 struct kensa_err *err)
{
	char q1[24], q2[24];
	int last = -1;

	if (p == end)
		return refuse(err, vector, len, "no metrics");
	while (p <= end) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		const char *e = slash ? slash : end;
		const char *colon = memchr(p, ':', (size_t)(e - p));
		int m, v;

		if (e == p)
			return refuse(err, vector, len, "empty metric");
		if (!colon)
			return refuse(err, vector, len, "'%s' is not METRIC:VALUE",
				      quote(q1, p, (size_t)(e - p), 16));
		m = find_metric(s, p, (size_t)(colon - p));
		if (m < 0)
			return refuse(err, vector, len, "unknown metric '%s'",
				      quote(q1, p, (size_t)(colon - p), 16));
		if (out->metric[m])
			return refuse(err, vector, len, "metric '%s' given twice",
				      s->metrics[m].key);
		if (s->ordered && m < last)
			return refuse(err, vector, len, "metric '%s' must come before '%s'",
				      s->metrics[m].key, s->metrics[last].key);
		v = find_value(&s->metrics[m], colon + 1, (size_t)(e - colon - 1));
		if (v < 0)
			return refuse(err, vector, len, "invalid value '%s' for metric '%s'",
				      quote(q2, colon + 1, (size_t)(e - colon - 1), 16),
				      s->metrics[m].key);
		out->metric[m] = (unsigned char)(v + 1);
		last = m;
		if (!slash)
			break;
		p = slash + 1;
	}
	for (unsigned i = 0; i < s->count; i++)
		if (s->metrics[i].mandatory && !out->metric[i])
			return refuse(err, vector, len, "missing metric '%s'", s->metrics[i].key);
	return 0;
}

int kensa_cvss_parse(const char *vector, struct kensa_cvss *out, struct kensa_err *err)
{
	const struct ks_cvss_scheme *s = NULL;
	const char *p, *end;
	size_t len;
	int result;

	memset(out, 0, sizeof(*out));
	if (!vector)
		return kensa_err_set(err, KENSA_EFORMAT, "malformed CVSS vector: none given");
	len = strnlen(vector, KS_CVSS_VECTOR_MAX + 1);
	if (len > KS_CVSS_VECTOR_MAX)
		return refuse(err, vector, len, "longer than %d bytes", KS_CVSS_VECTOR_MAX);
	p = vector;
	end = vector + len;
	if (ks_str_startswith(vector, "CVSS:")) {
		for (size_t i = 0; i < KS_ARRAY_SIZE(schemes) && !s; i++)
			if (schemes[i]->prefix[0] && ks_str_startswith(vector, schemes[i]->prefix))
				s = schemes[i];
		if (!s)
			return refuse(err, vector, len, "unknown version (CVSS:3.0/, CVSS:3.1/, "
				      "CVSS:4.0/ or a v2 vector without prefix)");
		p += strlen(s->prefix);
	} else {
		/* v2 has no prefix; NVD and some feeds wrap it in parentheses. */
		s = &ks_cvss_v2;
		if (len && vector[0] == '(') {
			if (len < 2 || vector[len - 1] != ')')
				return refuse(err, vector, len, "unbalanced parenthesis");
			p++;
			end--;
		}
	}
	result = parse_metrics(s, vector, len, p, end, out, err);
	if (result) {
		memset(out, 0, sizeof(*out));
		return result;
	}
	out->version = s->version;
	s->score(out);
	out->severity = kensa_cvss_severity(out->version, out->base_score);
	return 0;
}

const char *kensa_cvss_metric(const struct kensa_cvss *c, const char *key)
{
	const struct ks_cvss_scheme *s = c && key ? scheme_of(c->version) : NULL;
	int m = s ? find_metric(s, key, strlen(key)) : -1;

	if (m < 0 || !c->metric[m] || c->metric[m] > KS_CVSS_VALUES_MAX)
		return NULL;
	return s->metrics[m].values[c->metric[m] - 1];
}

int kensa_cvss_format(const struct kensa_cvss *c, char *buf, size_t size)
{
	const struct ks_cvss_scheme *s = c ? scheme_of(c->version) : NULL;
	size_t n = 0;
	bool first = true;

	if (!buf || !size)
		return KENSA_ELIMIT;
	buf[0] = '\0';
	if (!s)
		return KENSA_EINVAL;
	n = (size_t)snprintf(buf, size, "%s", s->prefix);
	for (unsigned i = 0; i < s->count && n < size; i++) {
		unsigned v = c->metric[i];

		if (!v || v > KS_CVSS_VALUES_MAX || (!s->metrics[i].mandatory && v == 1))
			continue;
		n += (size_t)snprintf(buf + n, size - n, "%s%s:%s", first ? "" : "/",
				      s->metrics[i].key, s->metrics[i].values[v - 1]);
		first = false;
	}
	return n < size ? (int)n : KENSA_ELIMIT;
}

const char *kensa_cvss_severity(int version, double score)
{
	long t = isfinite(score) ? lround(score * 10) : -1;

	if (t < 0 || t > 100 || !scheme_of(version))
		return "UNKNOWN";
	if (version == KENSA_CVSS_V2)
		return t < 40 ? "LOW" : t < 70 ? "MEDIUM" : "HIGH";
	if (t == 0)
		return "NONE";
	return t < 40 ? "LOW" : t < 70 ? "MEDIUM" : t < 90 ? "HIGH" : "CRITICAL";
}
