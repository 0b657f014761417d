// SPDX-License-Identifier: Apache-2.0
/*
 * buf.c — growable byte buffers with a hard size cap, and the generic array grower.
 */
#include <stdlib.h>

#include "util.h"

int ks_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return KENSA_ENOMEM;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / elem)
		return KENSA_ENOMEM;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return KENSA_ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

int ks_buf_grow(struct ks_buf *b, size_t extra)
{
	size_t limit = b->limit ? b->limit : KS_BUF_DEFAULT_LIMIT;
	size_t need, ncap;
	char *p;

	if (extra > limit || b->len > limit - extra)
		return KENSA_ELIMIT;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 256;
	while (ncap < need)
		ncap *= 2;
	p = realloc(b->data, ncap);
	if (!p)
		return KENSA_ENOMEM;
	b->data = p;
	b->cap = ncap;
	return 0;
}

int ks_buf_add(struct ks_buf *b, const void *p, size_t n)
{
	int result = ks_buf_grow(b, n);

	if (result)
		return result;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int ks_buf_adds(struct ks_buf *b, const char *s)
{
	return ks_buf_add(b, s, strlen(s));
}

int ks_buf_addc(struct ks_buf *b, char c)
{
	if (b->len + 1 < b->cap) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return 0;
	}
	return ks_buf_add(b, &c, 1);
}

int ks_buf_vprintf(struct ks_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n, result;

	va_copy(ap2, ap);
	n = vsnprintf(b->data ? b->data + b->len : NULL, b->data ? b->cap - b->len : 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return KENSA_EINVAL;
	if (b->data && (size_t)n < b->cap - b->len) {
		b->len += (size_t)n;
		return 0;
	}
	result = ks_buf_grow(b, (size_t)n);
	if (result)
		return result;
	vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int ks_buf_printf(struct ks_buf *b, const char *fmt, ...)
{
	va_list ap;
	int result;

	va_start(ap, fmt);
	result = ks_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return result;
}

void ks_buf_reset(struct ks_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *ks_buf_detach(struct ks_buf *b)
{
	char *p = b->data;

	if (!p)
		p = calloc(1, 1);
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void ks_buf_release(struct ks_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
