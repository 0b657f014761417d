// SPDX-License-Identifier: Apache-2.0
/*
 * json.c — cJSON accessors and the streaming JSON writer (see json.h).
 */
#include <math.h>
#include <stdlib.h>

#include "json.h"

cJSON *ks_json_parse(const char *data, size_t len, const char *name, struct kensa_err *err)
{
	const char *end = NULL;
	cJSON *root;

	if (len > (size_t)INT32_MAX) {
		kensa_err_set(err, KENSA_ELIMIT, "'%s': JSON document too large (%zu bytes)", name, len);
		return NULL;
	}
	root = cJSON_ParseWithLengthOpts(data, len, &end, 0);
	if (!root) {
		size_t off = end && end >= data ? (size_t)(end - data) : 0;

		if (off >= len && len > 0)
			kensa_err_set(err, KENSA_EFORMAT, "'%s': truncated or too deeply nested JSON", name);
		else
			kensa_err_set(err, KENSA_EFORMAT, "'%s': malformed JSON at byte %zu", name, off);
	}
	return root;
}

const cJSON *ks_json_get(const cJSON *obj, const char *key)
{
	return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

const char *ks_json_str(const cJSON *obj, const char *key)
{
	const cJSON *v = ks_json_get(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

double ks_json_num(const cJSON *obj, const char *key, double dflt)
{
	const cJSON *v = ks_json_get(obj, key);

	return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

int64_t ks_json_int_in(const cJSON *obj, const char *key, int64_t lo, int64_t hi, int64_t dflt)
{
	const cJSON *v = ks_json_get(obj, key);
	double d;

	if (!cJSON_IsNumber(v))
		return dflt;
	d = v->valuedouble;
	/* NaN fails both compares; converting an out-of-range double is undefined behaviour */
	if (!(d >= (double)lo && d <= (double)hi))
		return dflt;
	return (int64_t)d;
}

bool ks_json_bool(const cJSON *obj, const char *key, bool dflt)
{
	const cJSON *v = ks_json_get(obj, key);

	if (cJSON_IsTrue(v))
		return true;
	if (cJSON_IsFalse(v))
		return false;
	return dflt;
}

const cJSON *ks_json_arr(const cJSON *obj, const char *key)
{
	const cJSON *v = ks_json_get(obj, key);

	return cJSON_IsArray(v) ? v : NULL;
}

const cJSON *ks_json_obj(const cJSON *obj, const char *key)
{
	const cJSON *v = ks_json_get(obj, key);

	return cJSON_IsObject(v) ? v : NULL;
}

/* ---------------------------------------------------------------- writer */

#define JW_FLUSH_AT 65536

static void jw_fail(struct ks_jw *w, int code)
{
	if (!w->error)
		w->error = code;
}

static void jw_flush(struct ks_jw *w, bool force)
{
	if (!w->out || (!force && w->buf.len < JW_FLUSH_AT))
		return;
	if (w->buf.len && fwrite(w->buf.data, 1, w->buf.len, w->out) != w->buf.len)
		jw_fail(w, KENSA_EIO);
	ks_buf_reset(&w->buf);
}

static void jw_put(struct ks_jw *w, const char *s, size_t n)
{
	int result = ks_buf_add(&w->buf, s, n);

	if (result)
		jw_fail(w, result);
}

static void jw_indent(struct ks_jw *w)
{
	static const char tabs[] = "\n                                                                ";

	if (!w->pretty)
		return;
	jw_put(w, tabs, 1 + KS_MIN((size_t)w->depth * 2, sizeof(tabs) - 2));
}

/* Separator and indentation before a value or a key. */
static void jw_pre(struct ks_jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth > 0) {
		if (w->need_comma[w->depth])
			jw_put(w, ",", 1);
		w->need_comma[w->depth] = true;
		jw_indent(w);
	}
}

void ks_jw_init(struct ks_jw *w, FILE *out, bool pretty)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->pretty = pretty;
	w->buf.limit = (size_t)1 << 34;
}

int ks_jw_finish(struct ks_jw *w)
{
	if (w->pretty && w->out)
		jw_put(w, "\n", 1);
	jw_flush(w, true);
	if (w->out) {
		if (fflush(w->out) != 0)
			jw_fail(w, KENSA_EIO);
		ks_buf_release(&w->buf);
	}
	return w->error;
}

static void jw_open(struct ks_jw *w, char c)
{
	jw_pre(w);
	jw_put(w, &c, 1);
	if (w->depth + 1 >= (int)KS_ARRAY_SIZE(w->need_comma)) {
		jw_fail(w, KENSA_ELIMIT);
		return;
	}
	w->depth++;
	w->need_comma[w->depth] = false;
}

static void jw_close(struct ks_jw *w, char c)
{
	bool had = w->need_comma[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (had)
		jw_indent(w);
	jw_put(w, &c, 1);
	jw_flush(w, false);
}

void ks_jw_obj(struct ks_jw *w) { jw_open(w, '{'); }
void ks_jw_obj_end(struct ks_jw *w) { jw_close(w, '}'); }
void ks_jw_arr(struct ks_jw *w) { jw_open(w, '['); }
void ks_jw_arr_end(struct ks_jw *w) { jw_close(w, ']'); }

int ks_json_escape(struct ks_buf *b, const char *str, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0;
	int result = 0;

	while (i < n && !result) {
		unsigned c = s[i];
		char esc[8];
		size_t elen = 0;

		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			i++;
			run++;
			continue;
		}
		if (c >= 0x80) {
			size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;

			if (len && i + len <= n && ks_utf8_valid((const char *)s + i, len)) {
				i += len;
				run += len;
				continue;
			}
			/* invalid byte: \\xNN, see json.h */
			esc[0] = '\\';
			esc[1] = '\\';
			esc[2] = 'x';
			esc[3] = hex[c >> 4];
			esc[4] = hex[c & 15];
			elen = 5;
		} else {
			esc[elen++] = '\\';
			switch (c) {
			case '"': esc[elen++] = '"'; break;
			case '\\': esc[elen++] = '\\'; break;
			case '\n': esc[elen++] = 'n'; break;
			case '\r': esc[elen++] = 'r'; break;
			case '\t': esc[elen++] = 't'; break;
			case '\b': esc[elen++] = 'b'; break;
			case '\f': esc[elen++] = 'f'; break;
			default:
				esc[elen++] = 'u';
				esc[elen++] = '0';
				esc[elen++] = '0';
				esc[elen++] = hex[c >> 4];
				esc[elen++] = hex[c & 15];
			}
		}
		if (run)
			result = ks_buf_add(b, s + i - run, run);
		run = 0;
		if (!result)
			result = ks_buf_add(b, esc, elen);
		i++;
	}
	if (run && !result)
		result = ks_buf_add(b, s + i - run, run);
	return result;
}

static void jw_string(struct ks_jw *w, const char *s, size_t n)
{
	int result;

	jw_put(w, "\"", 1);
	result = ks_json_escape(&w->buf, s, n);
	if (result)
		jw_fail(w, result);
	jw_put(w, "\"", 1);
}

void ks_jw_key(struct ks_jw *w, const char *key)
{
	jw_pre(w);
	jw_string(w, key, strlen(key));
	jw_put(w, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
	w->after_key = true;
}

void ks_jw_strn(struct ks_jw *w, const char *s, size_t n)
{
	jw_pre(w);
	jw_string(w, s, n);
	jw_flush(w, false);
}

void ks_jw_str(struct ks_jw *w, const char *s)
{
	if (!s) {
		ks_jw_null(w);
		return;
	}
	ks_jw_strn(w, s, strlen(s));
}

void ks_jw_raw(struct ks_jw *w, const char *json)
{
	jw_pre(w);
	jw_put(w, json, strlen(json));
}

void ks_jw_int(struct ks_jw *w, int64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%lld", (long long)v);

	jw_pre(w);
	jw_put(w, tmp, (size_t)n);
}

void ks_jw_uint(struct ks_jw *w, uint64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);

	jw_pre(w);
	jw_put(w, tmp, (size_t)n);
}

void ks_jw_num(struct ks_jw *w, double v)
{
	char tmp[40];
	int n;

	if (!isfinite(v)) {
		ks_jw_null(w);
		return;
	}
	/* shortest of %.15g / %.17g that round-trips */
	n = snprintf(tmp, sizeof(tmp), "%.15g", v);
	if (strtod(tmp, NULL) != v)
		n = snprintf(tmp, sizeof(tmp), "%.17g", v);
	jw_pre(w);
	jw_put(w, tmp, (size_t)n);
}

void ks_jw_numf(struct ks_jw *w, double v, int decimals)
{
	char tmp[64];
	int n;

	if (!isfinite(v)) {
		ks_jw_null(w);
		return;
	}
	n = snprintf(tmp, sizeof(tmp), "%.*f", decimals, v);
	jw_pre(w);
	jw_put(w, tmp, (size_t)n);
}

void ks_jw_bool(struct ks_jw *w, bool v)
{
	jw_pre(w);
	jw_put(w, v ? "true" : "false", v ? 4 : 5);
}

void ks_jw_null(struct ks_jw *w)
{
	jw_pre(w);
	jw_put(w, "null", 4);
}

void ks_jw_kstr(struct ks_jw *w, const char *key, const char *s)
{
	ks_jw_key(w, key);
	ks_jw_str(w, s);
}

void ks_jw_kstr_opt(struct ks_jw *w, const char *key, const char *s)
{
	if (s)
		ks_jw_kstr(w, key, s);
}

void ks_jw_kint(struct ks_jw *w, const char *key, int64_t v)
{
	ks_jw_key(w, key);
	ks_jw_int(w, v);
}

void ks_jw_kbool(struct ks_jw *w, const char *key, bool v)
{
	ks_jw_key(w, key);
	ks_jw_bool(w, v);
}

void ks_jw_knum(struct ks_jw *w, const char *key, double v)
{
	ks_jw_key(w, key);
	ks_jw_num(w, v);
}
