/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json.h — reading JSON (cJSON, chosen by measurement: bench/json-parsers.c) and writing it
 * (a small streaming writer of our own, so big SBOMs never exist twice in memory).
 *
 * Reading: ks_json_parse() wraps cJSON with a size check, nesting limit (cJSON's 1000) and an
 * error message naming the input and the byte offset. Accessors return NULL / defaults for
 * missing keys or wrong types, so parsers of untrusted input stay short and total.
 *
 * Writing: struct ks_jw emits compact or indented JSON into a buffer that is flushed to a
 * FILE when it grows. Strings are escaped per RFC 8259; bytes that are not valid UTF-8 are
 * written as the six characters "\\xNN" (a literal backslash, x, two hex digits) so a path
 * with invalid UTF-8 stays recognizable and the document stays valid JSON.
 */
#ifndef KS_JSON_H
#define KS_JSON_H

#include <cjson/cJSON.h>

#include "util.h"

/* Parse `len` bytes; on failure fills err naming `name` and returns NULL. Caller: cJSON_Delete. */
cJSON *ks_json_parse(const char *data, size_t len, const char *name, struct kensa_err *err);

const cJSON *ks_json_get(const cJSON *obj, const char *key);	/* case-sensitive */
const char *ks_json_str(const cJSON *obj, const char *key);	/* string or NULL */
double ks_json_num(const cJSON *obj, const char *key, double dflt);
#define KS_JSON_INT_MAX (INT64_C(1) << 53)	/* the largest integer a double holds exactly */

/* A number of [lo, hi] (hi at most 2^53) truncated to an integer, else dflt (missing, not a
 * number, out of range): for counts and indices read from untrusted documents. */
int64_t ks_json_int_in(const cJSON *obj, const char *key, int64_t lo, int64_t hi, int64_t dflt);
bool ks_json_bool(const cJSON *obj, const char *key, bool dflt);
const cJSON *ks_json_arr(const cJSON *obj, const char *key);	/* array or NULL */
const cJSON *ks_json_obj(const cJSON *obj, const char *key);	/* object or NULL */
#define ks_json_each(el, arr) for (const cJSON *el = (arr) ? (arr)->child : NULL; el; el = el->next)

struct ks_jw {
	struct ks_buf buf;
	FILE *out;		/* borrowed; NULL: everything stays in buf */
	int depth;
	bool pretty;
	bool need_comma[64];
	bool after_key;
	int error;		/* first failure (write error, too deep), sticky */
};

void ks_jw_init(struct ks_jw *w, FILE *out, bool pretty);
/* Flush and report the first error (0 if none). Releases the buffer unless out == NULL. */
int ks_jw_finish(struct ks_jw *w);
void ks_jw_obj(struct ks_jw *w);
void ks_jw_obj_end(struct ks_jw *w);
void ks_jw_arr(struct ks_jw *w);
void ks_jw_arr_end(struct ks_jw *w);
void ks_jw_key(struct ks_jw *w, const char *key);
void ks_jw_str(struct ks_jw *w, const char *s);		/* NULL writes null */
void ks_jw_strn(struct ks_jw *w, const char *s, size_t n);
void ks_jw_int(struct ks_jw *w, int64_t v);
void ks_jw_uint(struct ks_jw *w, uint64_t v);
void ks_jw_num(struct ks_jw *w, double v);		/* shortest round-trip form; NaN/inf → null */
void ks_jw_numf(struct ks_jw *w, double v, int decimals);	/* fixed decimals */
void ks_jw_bool(struct ks_jw *w, bool v);
void ks_jw_null(struct ks_jw *w);
void ks_jw_raw(struct ks_jw *w, const char *json);	/* pre-rendered JSON value */
/* key + value shorthands; the *_opt forms write nothing when the value is NULL */
void ks_jw_kstr(struct ks_jw *w, const char *key, const char *s);
void ks_jw_kstr_opt(struct ks_jw *w, const char *key, const char *s);
void ks_jw_kint(struct ks_jw *w, const char *key, int64_t v);
void ks_jw_kbool(struct ks_jw *w, const char *key, bool v);
void ks_jw_knum(struct ks_jw *w, const char *key, double v);

/* Append a JSON-escaped rendering of s (without quotes) to b. */
int ks_json_escape(struct ks_buf *b, const char *s, size_t n);

#endif
