// SPDX-License-Identifier: Apache-2.0
/*
 * registry.c — the one table of package analyzers. Adding a format: write lib/pkgdb/<fmt>.c
 * exporting `const struct ks_analyzer ks_analyzer_<fmt>` and list it here. Order matters
 * only for reading: the OS comes first so the rest of the report can name the distro.
 */
#include "pkgdb.h"

extern const struct ks_analyzer ks_analyzer_os;
extern const struct ks_analyzer ks_analyzer_dpkg;
extern const struct ks_analyzer ks_analyzer_apk;
extern const struct ks_analyzer ks_analyzer_rpm;
extern const struct ks_analyzer ks_analyzer_java;
extern const struct ks_analyzer ks_analyzer_gobinary;
extern const struct ks_analyzer ks_analyzer_rust;
extern const struct ks_analyzer ks_analyzer_python;
extern const struct ks_analyzer ks_analyzer_npm;
extern const struct ks_analyzer ks_analyzer_ruby;
extern const struct ks_analyzer ks_analyzer_php;
extern const struct ks_analyzer ks_analyzer_dotnet;

const struct ks_analyzer *const ks_analyzers[] = {
	&ks_analyzer_os,
	&ks_analyzer_dpkg,
	&ks_analyzer_apk,
	&ks_analyzer_rpm,
	&ks_analyzer_java,
	&ks_analyzer_gobinary,
	&ks_analyzer_rust,
	&ks_analyzer_python,
	&ks_analyzer_npm,
	&ks_analyzer_ruby,
	&ks_analyzer_php,
	&ks_analyzer_dotnet,
};

const size_t ks_nanalyzers = KS_ARRAY_SIZE(ks_analyzers);

/* bit 63 of node->want is the secret scanner's (lib/sbom/inventory.c) */
_Static_assert(KS_ARRAY_SIZE(ks_analyzers) <= 63, "node->want has one bit per analyzer");
