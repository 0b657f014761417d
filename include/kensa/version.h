/* SPDX-License-Identifier: Apache-2.0 */
/*
 * version.h — comparing package versions the way each ecosystem's own tool does.
 *
 * One comparator per version-scheme family, each a faithful port of its reference
 * implementation (dpkg, apk-tools, rpm, python "packaging", node-semver, Maven
 * ComparableVersion, golang.org/x/mod/semver, RubyGems Gem::Version, NuGet.Versioning,
 * composer/semver, the semver crate). "Faithful" means: the same order on every pair the
 * reference accepts, and a refusal (KENSA_EFORMAT) wherever the reference refuses the
 * version. A comparator never guesses: a version it cannot order is an error, never a
 * best effort. docs/vercmp.md lists the rules and the few documented deviations.
 *
 * What this is not: a range matcher for vulnerability feeds (the matcher combines OSV
 * events with kensa_version_compare()), nor a version normalizer.
 *
 * Comparisons allocate nothing (versions are parsed on the stack) and are thread-safe.
 * Versions longer than KENSA_VERSION_MAX bytes are refused as malformed.
 */
#ifndef KENSA_VERSION_H
#define KENSA_VERSION_H

#include <stdbool.h>

#include "kensa/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KENSA_VERSION_MAX 1024

/* A version scheme: static, never freed, comparable by pointer. */
struct kensa_version_scheme;

/*
 * The scheme for an OSV ecosystem name, with or without its release suffix ("Debian",
 * "Debian:12", "Ubuntu:22.04:LTS", "Alpine:v3.19", "Red Hat", "Rocky Linux:9", "PyPI",
 * "npm", "Maven", "Go", "RubyGems", "NuGet", "Packagist", "crates.io", …), or a family name
 * ("dpkg", "apk", "rpm", "pep440", "semver", "maven", "go", "gem", "nuget", "composer",
 * "cargo"). Names are matched case-insensitively. NULL when unknown.
 */
KENSA_API const struct kensa_version_scheme *kensa_version_scheme(const char *name);

/* The family name of a scheme ("dpkg"); borrowed forever. */
KENSA_API const char *kensa_version_scheme_name(const struct kensa_version_scheme *s);

/* The family names, NULL-terminated, borrowed forever. */
KENSA_API const char *const *kensa_version_schemes(void);

/*
 * Compare versions a and b under scheme s: *cmp (OUT) is < 0, 0 or > 0. A version the
 * scheme's reference refuses fails with KENSA_EFORMAT, err naming it and the reason;
 * *cmp is then left untouched.
 */
KENSA_API int kensa_version_compare(const struct kensa_version_scheme *s, const char *a,
				    const char *b, int *cmp, struct kensa_err *err);

/* Same, saying why v is malformed: 0 when valid, else KENSA_EFORMAT with err filled. */
KENSA_API int kensa_version_check(const struct kensa_version_scheme *s, const char *v,
				  struct kensa_err *err);

/* Is v a well-formed version of scheme s? */
KENSA_API bool kensa_version_valid(const struct kensa_version_scheme *s, const char *v);

/*
 * npm range satisfaction, exactly like node-semver's satisfies(version, range) with default
 * options (not loose, prereleases only where a comparator of the same tuple names one).
 * *ok (OUT) is set on success. Where node-semver's satisfies() quietly returns false
 * because the range or the version is invalid, this fails with KENSA_EFORMAT instead, so a
 * caller can tell "not in range" from "cannot tell". Ranges longer than
 * KENSA_SEMVER_RANGE_MAX bytes fail with KENSA_ELIMIT.
 */
#define KENSA_SEMVER_RANGE_MAX 4096
KENSA_API int kensa_semver_satisfies(const char *range, const char *version, bool *ok,
				     struct kensa_err *err);

/* Is range a valid npm range (node-semver's validRange() would not return null)? */
KENSA_API bool kensa_semver_range_valid(const char *range);

#ifdef __cplusplus
}
#endif
#endif
