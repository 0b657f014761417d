/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scheme.h — what every version comparator provides, and the small helpers they share.
 *
 * Each family lives in lib/version/<family>.c and exports one
 * `const struct kensa_version_scheme ks_version_<family>`, listed once in registry.c.
 * Comparators get a version as (pointer, length) — not necessarily NUL-terminated, never
 * longer than KENSA_VERSION_MAX — parse it on the stack and allocate nothing.
 */
#ifndef KS_VERSION_SCHEME_H
#define KS_VERSION_SCHEME_H

#include "kensa/version.h"
#include "util/util.h"

struct kensa_version_scheme {
	const char *name;	/* family name: "dpkg" */
	const char *label;	/* how messages name its versions: "Debian" */
	/* Order a and b (*cmp < 0, 0, > 0) or fail with KENSA_EFORMAT naming the bad one. */
	int (*compare)(const char *a, size_t alen, const char *b, size_t blen, int *cmp,
		       struct kensa_err *err);
	/* 0 if v is well-formed, else KENSA_EFORMAT with the reason. */
	int (*check)(const char *v, size_t n, struct kensa_err *err);
};

extern const struct kensa_version_scheme ks_version_dpkg;
extern const struct kensa_version_scheme ks_version_apk;
extern const struct kensa_version_scheme ks_version_rpm;
extern const struct kensa_version_scheme ks_version_pep440;
extern const struct kensa_version_scheme ks_version_semver;
extern const struct kensa_version_scheme ks_version_maven;
extern const struct kensa_version_scheme ks_version_go;
extern const struct kensa_version_scheme ks_version_gem;
extern const struct kensa_version_scheme ks_version_nuget;
extern const struct kensa_version_scheme ks_version_composer;
extern const struct kensa_version_scheme ks_version_cargo;

/*
 * The subject of a message: printable ASCII as is, other bytes (and '\\') as \xNN, cut at
 * 120 bytes with "..."; out holds at least KS_VERSION_QUOTE_MAX bytes.
 */
#define KS_VERSION_QUOTE_MAX (4 * 120 + 8)
void ks_version_quote(char *out, size_t cap, const char *v, size_t n);

/* Fill err with "malformed <label> version '<v>': <why>" and return KENSA_EFORMAT. */
int ks_version_malformed(struct kensa_err *err, const struct kensa_version_scheme *s,
			 const char *v, size_t n, const char *why);

/* Compare two runs of ASCII digits as unbounded non-negative integers (leading zeros ignored). */
int ks_version_numcmp(const char *a, size_t alen, const char *b, size_t blen);

/*
 * SemVer 2.0 precedence of two prerelease identifier lists ("alpha.1", without the '-'):
 * numeric identifiers compare as unbounded numbers and before alphanumeric ones, which
 * compare bytewise; a list that is a prefix of the other sorts first. Neither may be empty.
 */
int ks_version_prerelease_cmp(const char *a, size_t alen, const char *b, size_t blen);

/* Three-way result of two comparable values, as -1, 0 or 1. */
#define KS_CMP(a, b) (((a) > (b)) - ((a) < (b)))

/* Locale-free ASCII classes: the references all use the "C" locale or explicit ranges. */
static inline bool ks_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static inline bool ks_islower(int c)
{
	return c >= 'a' && c <= 'z';
}

static inline bool ks_isupper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static inline bool ks_isalpha(int c)
{
	return ks_islower(c) || ks_isupper(c);
}

static inline bool ks_isalnum(int c)
{
	return ks_isalpha(c) || ks_isdigit(c);
}

static inline int ks_tolower(int c)
{
	return ks_isupper(c) ? c + ('a' - 'A') : c;
}

static inline int ks_toupper(int c)
{
	return ks_islower(c) ? c - ('a' - 'A') : c;
}

/* Which language's idea of "whitespace" a trim follows. */
enum ks_space_flavor {
	KS_SPACE_JS,		/* ECMAScript String.prototype.trim / \s */
	KS_SPACE_PYTHON,	/* Python 3 str regex \s */
};

/*
 * Length in bytes of the whitespace character that starts at s (UTF-8), or 0 when the
 * character there is not whitespace in that language.
 */
size_t ks_version_space_at(const char *s, size_t n, enum ks_space_flavor flavor);
/* Length in bytes of the whitespace character that ends at s + n, or 0. */
size_t ks_version_space_before(const char *s, size_t n, enum ks_space_flavor flavor);
/* Trim whitespace of that flavor from both ends of [*s, *s + *n). */
void ks_version_trim(const char **s, size_t *n, enum ks_space_flavor flavor);

/* ---------------------------------------------------------------- npm semver (semver.c) */

/* A parsed node-semver version; pointers borrow from the input string. */
struct ks_semver {
	uint64_t major, minor, patch;	/* each <= 2^53 - 1, as node-semver requires */
	const char *pre;		/* prerelease identifiers without the '-', or NULL */
	size_t prelen;
};

/* Parse like `new SemVer(v)` (strict, trimmed, at most 256 UTF-16 units). 0 or KENSA_EFORMAT. */
int ks_semver_parse(const char *v, size_t n, struct ks_semver *out, struct kensa_err *err);
/* SemVer.prototype.compare */
int ks_semver_cmp(const struct ks_semver *a, const struct ks_semver *b);

#endif
