// SPDX-License-Identifier: Apache-2.0
/*
 * csv.c — an RFC 4180 record reader for feeds published as CSV (CISA KEV's csv): quoted
 * fields with "" escapes and line breaks inside quotes, CRLF or LF line ends.
 *
 * Bounded: at most KS_CSV_MAX_FIELDS fields and KS_CSV_MAX_RECORD bytes per record; a
 * record that breaks a bound or an unterminated quote is reported malformed and the reader
 * resumes at the next line.
 */
#include "vulndb.h"

void ks_csv_init(struct ks_csv *c, const char *data, size_t len)
{
	memset(c, 0, sizeof(*c));
	c->p = data;
	c->end = data + len;
	c->field_data.limit = KS_CSV_MAX_RECORD + 2 * KS_CSV_MAX_FIELDS + 16;
}

void ks_csv_release(struct ks_csv *c)
{
	ks_buf_release(&c->field_data);
	free(c->offs);
	free(c->fields);
	memset(c, 0, sizeof(*c));
}

static void skip_line(struct ks_csv *c)
{
	while (c->p < c->end && *c->p != '\n')
		c->p++;
	if (c->p < c->end) {
		c->p++;
		c->line++;
	}
}

static int end_field(struct ks_csv *c)
{
	if (c->nf >= KS_CSV_MAX_FIELDS)
		return KENSA_ELIMIT;
	if (KS_GROW(c->offs, c->capf, c->nf + 1))
		return KENSA_ENOMEM;
	c->offs[c->nf++] = c->field_data.len;
	return 0;
}

int ks_csv_next(struct ks_csv *c)
{
	const char *start = c->p;
	int result = 0;

	if (c->p >= c->end)
		return 0;
	c->line++;
	ks_buf_reset(&c->field_data);
	c->nf = 0;
	for (;;) {
		if (c->p < c->end && *c->p == '"') {
			c->p++;
			for (;;) {
				if (c->p >= c->end) {
					result = KENSA_EFORMAT;	/* unterminated quote */
					goto bad;
				}
				if (*c->p == '"') {
					if (c->p + 1 < c->end && c->p[1] == '"') {
						result = ks_buf_addc(&c->field_data, '"');
						c->p += 2;
					} else {
						c->p++;
						break;
					}
				} else {
					if (*c->p == '\n')
						c->line++;
					result = ks_buf_addc(&c->field_data, *c->p++);
				}
				if (result)
					goto bad;
			}
			if (c->p < c->end && *c->p != ',' && *c->p != '\r' && *c->p != '\n') {
				result = KENSA_EFORMAT;	/* text after a closing quote */
				goto bad;
			}
		} else {
			const char *s = c->p;

			while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r')
				c->p++;
			result = ks_buf_add(&c->field_data, s, (size_t)(c->p - s));
			if (result)
				goto bad;
		}
		result = ks_buf_addc(&c->field_data, '\0');
		if (!result)
			result = end_field(c);
		if (result)
			goto bad;
		if ((size_t)(c->p - start) > KS_CSV_MAX_RECORD) {
			result = KENSA_ELIMIT;
			goto bad;
		}
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == '\r')
			c->p++;
		if (c->p < c->end && *c->p == '\n')
			c->p++;
		break;
	}
	/* offsets were recorded as the end of each field; turn them into starts */
	if (KS_GROW(c->fields, c->capfields, c->nf))
		return KENSA_ENOMEM;
	{
		size_t off = 0;

		for (size_t i = 0; i < c->nf; i++) {
			c->fields[i] = c->field_data.data + off;
			off = c->offs[i];
		}
	}
	return 1;
bad:
	if (result == KENSA_ENOMEM)
		return result;
	c->p = start;
	skip_line(c);
	return KENSA_EFORMAT;
}
