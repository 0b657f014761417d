/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sbom.h — writing an inventory as an SBOM, and reading one back.
 *
 * Formats (one file each under lib/sbom/, listed in one table):
 *   "cyclonedx"  CycloneDX 1.6 JSON; kensa facts as "kensa:*" properties (layer digest and
 *                command, owned files, source package, owner)
 *   "spdx"       SPDX 2.3 JSON (packages, purls, relationships)
 *   "json"       kensa's native inventory JSON, described by docs/schemas/sbom.schema.json
 * Reading accepts any of the three (sniffed from the document) and rebuilds the same model,
 * ownership index included, so `kensa scan sbom:FILE` matches without the image.
 */
#ifndef KENSA_SBOM_H
#define KENSA_SBOM_H

#include <stdio.h>

#include "kensa/inventory.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Names of the formats, NULL-terminated, borrowed forever. */
KENSA_API const char *const *kensa_sbom_formats(void);

/* Write inv as `format` to out. */
KENSA_API int kensa_sbom_write(const struct kensa_inventory *inv, const char *format, FILE *out,
			       struct kensa_err *err);

/* Read a CycloneDX / SPDX / kensa JSON document. *out is owned by the caller. */
KENSA_API int kensa_sbom_read(const char *path, struct kensa_inventory **out, struct kensa_err *err);
/* Same, from memory (name is used in messages). */
KENSA_API int kensa_sbom_read_mem(const char *data, size_t len, const char *name,
				  struct kensa_inventory **out, struct kensa_err *err);

#ifdef __cplusplus
}
#endif
#endif
