// SPDX-License-Identifier: Apache-2.0
/*
 * xml_escape.c — fuzz the escaper every XML and HTML report writes its text through
 * (lib/report/common.c) and check what it promises, for text and for attributes: the output
 * is valid UTF-8, has no character XML 1.0 forbids, no raw < > " ', and every & starts an
 * entity or a character reference. A broken promise aborts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct ks_buf *b, bool attribute)
{
	const unsigned char *p = (const unsigned char *)b->data;
	size_t n = b->len;

	if (!n)
		return;
	if (!ks_utf8_valid(b->data, n))
		abort();
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];

		if (c == '<' || c == '>' || c == '"' || c == '\'' || c == 0x7F)
			abort();
		if (c < 0x20 && (c != '\t' && c != '\n'))
			abort();
		if (attribute && (c == '\t' || c == '\n'))
			abort();
		if (c == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F)
			abort(); /* a C1 control */
		if (c == 0xEF && i + 2 < n && p[i + 1] == 0xBF &&
		    (p[i + 2] == 0xBE || p[i + 2] == 0xBF))
			abort(); /* U+FFFE, U+FFFF */
		if (c == '&') {
			size_t k = i + 1;

			if (k < n && p[k] == '#')
				k++;
			while (k < n &&
			       ((p[k] >= 'a' && p[k] <= 'z') || (p[k] >= '0' && p[k] <= '9')))
				k++;
			if (k == i + 1 || k >= n || p[k] != ';')
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int attribute = 0; attribute < 2; attribute++) {
		struct ks_buf b = KS_BUF_INIT;

		if (ks_xml_escape(&b, (const char *)data, size, attribute) == 0)
			check(&b, attribute);
		ks_buf_release(&b);
	}
	return 0;
}
