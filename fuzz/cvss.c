// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz/cvss.c — libFuzzer target for kensa_cvss_parse(): any bytes are a candidate vector.
 * It must never crash or read out of bounds; a vector it accepts must have scores in
 * 0.0–10.0 with one decimal and a rating, and its canonical form (kensa_cvss_format) must
 * parse again to the same scores and format to the same text.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kensa/cvss.h"

static int tenths_ok(double x)
{
	double t = x * 10;

	return x >= 0 && x <= 10 && fabs(t - nearbyint(t)) < 1e-9;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "AV", "E", "MSI", "Au", "U", "XX", "" };
	struct kensa_err err = KENSA_ERR_INIT;
	struct kensa_cvss c, again;
	char canon[256], canon2[256];
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (kensa_cvss_parse(s, &c, &err) != 0) {
		if (err.code != KENSA_EFORMAT || !err.msg[0])
			abort();
		free(s);
		return 0;
	}
	if (!tenths_ok(c.base_score) || !tenths_ok(c.score) || !c.severity)
		abort();
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		(void)kensa_cvss_metric(&c, keys[i]);
	if (kensa_cvss_format(&c, canon, sizeof(canon)) < 0)
		abort();
	if (kensa_cvss_parse(canon, &again, NULL) != 0 || again.base_score != c.base_score ||
	    again.score != c.score || again.version != c.version)
		abort();
	if (kensa_cvss_format(&again, canon2, sizeof(canon2)) < 0 || strcmp(canon, canon2) != 0)
		abort();
	free(s);
	return 0;
}
