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
/* Set os fields from an ecosystem/distro hint when a document lacks them (readers). */
void ks_sbom_os_from_distro(struct kensa_inventory *inv, const char *distro);

#endif
