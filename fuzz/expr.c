// SPDX-License-Identifier: Apache-2.0
/* expr.c — fuzz the --fail-on / policy condition parser and evaluate what parses. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "risk/expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_arena a = KS_ARENA_INIT;
	struct kensa_finding f;
	struct kensa_package p;
	char *text = malloc(size + 1);
	struct ks_expr *e;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	e = ks_expr_parse(&a, text, NULL);
	if (e) {
		memset(&f, 0, sizeof(f));
		memset(&p, 0, sizeof(p));
		f.pkg = &p;
		f.epss = NAN;
		ks_expr_eval(e, &f);
	}
	ks_arena_release(&a);
	free(text);
	return 0;
}
