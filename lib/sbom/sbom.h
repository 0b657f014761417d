/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sbom.h (internal) — the table of SBOM writers/readers and what they share: timestamps,
 * UUIDs, the kensa property names.
 */
#ifndef KS_SBOM_H
#define KS_SBOM_H

#include "inv.h"
#include "kensa/kensa.h"
#include "util/json.h"

struct ks_sbom_format {
	const char *name;
	int (*write)(const struct kensa_inventory *inv, FILE *out, struct kensa_err *err);
	/* Does this document look like ours? */
	bool (*sniff)(const cJSON *root);
	int (*read)(const cJSON *root, const char *name, struct kensa_inventory *inv, struct kensa_err *err);
};

extern const struct ks_sbom_format ks_sbom_cyclonedx, ks_sbom_spdx, ks_sbom_native;

/* RFC 3339 UTC time of "now" (SOURCE_DATE_EPOCH when set, for reproducible output). */
void ks_sbom_timestamp(char out[32]);
/* Random (v4) UUID text. */
void ks_sbom_uuid(char out[37]);
/*
 * CycloneDX 1.6 pieces the scan report's VDR (lib/report/cyclonedx.c) shares with the SBOM,
 * so both describe components the same way.
 *
 * ks_cdx_refs(): the bom-ref of every package, by inventory index (arena strings; NULL when
 * out of memory). ks_cdx_write_bom(): the BOM's fields for inv, "$schema" through
 * "dependencies", into the open top-level object of w; meta_props (borrowed, may be NULL)
 * become metadata.properties. The caller adds its own fields and closes the object.
 */
const char **ks_cdx_refs(const struct kensa_inventory *inv, struct ks_arena *a);
void ks_cdx_write_bom(struct ks_jw *w, const struct kensa_inventory *inv, const char *const *refs,
		      const struct kensa_kv *meta_props, size_t nmeta, struct ks_arena *a);

/* Set os fields from an ecosystem/distro hint when a document lacks them (readers). */
void ks_sbom_os_from_distro(struct kensa_inventory *inv, const char *distro);

#endif
