// SPDX-License-Identifier: Apache-2.0
/*
 * fuzz/version.c — libFuzzer target for every version comparator and the npm range parser.
 *
 * Input: one byte choosing the scheme (low bits) and whether to test an npm range (bit 7),
 * then "A\nB": two versions (or a range and a version). Checks, besides not crashing or
 * reading out of bounds: compare(a, b) fails exactly when check(a) or check(b) fails,
 * compare(a, a) = 0 for a valid a, and compare(a, b) = -compare(b, a).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kensa/version.h"

#define FUZZ_MAX_INPUT 4200

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *const *names = kensa_version_schemes();
	const struct kensa_version_scheme *s;
	char buf[FUZZ_MAX_INPUT + 1], *a, *b, *nl;
	size_t nschemes = 0, n;
	int ab = 0, ba = 0, aa = 0, rab, rba;
	bool ok = false;

	if (size < 1 || size > FUZZ_MAX_INPUT)
		return 0;
	while (names[nschemes])
		nschemes++;
	s = kensa_version_scheme(names[data[0] % nschemes]);
	n = size - 1;
	memcpy(buf, data + 1, n);
	buf[n] = '\0';
	a = buf;
	nl = memchr(buf, '\n', n);
	if (nl) {
		*nl = '\0';
		b = nl + 1;
	} else {
		b = buf + n;	/* the empty string */
	}

	if (data[0] & 0x80) {
		int r = kensa_semver_satisfies(a, b, &ok, NULL);

		if ((r == 0) && !kensa_semver_range_valid(a))
			abort();
		return 0;
	}

	rab = kensa_version_compare(s, a, b, &ab, NULL);
	rba = kensa_version_compare(s, b, a, &ba, NULL);
	if ((rab == 0) != (kensa_version_valid(s, a) && kensa_version_valid(s, b)))
		abort();
	if ((rab == 0) != (rba == 0))
		abort();
	if (rab == 0 && sign(ab) != -sign(ba))
		abort();
	if (kensa_version_valid(s, a) &&
	    (kensa_version_compare(s, a, a, &aa, NULL) != 0 || aa != 0))
		abort();
	return 0;
}
