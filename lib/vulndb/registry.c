// SPDX-License-Identifier: Apache-2.0
/*
 * registry.c — the one table of feed importers. Adding a feed: write lib/vulndb/<feed>.c
 * exporting `const struct ks_importer ks_importer_<feed>` and list it here.
 *
 * Order matters for sniffing only: a document goes to the first importer that claims it,
 * so the specific shapes (KEV, NVD, CVE JSON 5, VEX) come before OSV, which accepts any
 * object with an "id" and an OSV field.
 */
#include "vulndb.h"

extern const struct ks_importer ks_importer_kev;
extern const struct ks_importer ks_importer_nvd;
extern const struct ks_importer ks_importer_cve5;
extern const struct ks_importer ks_importer_openvex;
extern const struct ks_importer ks_importer_cdx_vex;
extern const struct ks_importer ks_importer_epss;
extern const struct ks_importer ks_importer_osv;

const struct ks_importer *const ks_importers[] = {
	&ks_importer_kev,
	&ks_importer_nvd,
	&ks_importer_cve5,
	&ks_importer_openvex,
	&ks_importer_cdx_vex,
	&ks_importer_epss,
	&ks_importer_osv,
};

const size_t ks_nimporters = KS_ARRAY_SIZE(ks_importers);

const struct ks_importer *ks_importer_find(const char *name)
{
	for (size_t i = 0; i < ks_nimporters; i++)
		if (strcmp(ks_importers[i]->name, name) == 0)
			return ks_importers[i];
	return NULL;
}
