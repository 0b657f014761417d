/* SPDX-License-Identifier: Apache-2.0 */
/*
 * acmatch.h — Aho–Corasick multi-keyword matcher (internal).
 *
 * One pass over the input finds every occurrence of every keyword, case-insensitively for
 * ASCII, in time linear in the input whatever the number of keywords. The secret scanner
 * uses it as a prefilter: only around keyword hits does it run a rule's full regex, so
 * scanning cost does not grow with the number of rules (the "regex loop" it replaces).
 */
#ifndef KS_ACMATCH_H
#define KS_ACMATCH_H

#include "util/util.h"

struct ks_ac;

/* Build from n keywords (ASCII; matched case-insensitively). Owned by the caller (ks_ac_free). */
struct ks_ac *ks_ac_build(const char *const *keywords, size_t n);
void ks_ac_free(struct ks_ac *ac);

/*
 * Call hit(ud, keyword index, end offset) for every occurrence in [data, data+len).
 * Returns the first non-zero value hit() returned (stops there), or 0.
 */
int ks_ac_scan(const struct ks_ac *ac, const unsigned char *data, size_t len,
	       int (*hit)(void *ud, size_t keyword, size_t end), void *ud);

#endif
