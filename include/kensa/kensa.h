/* SPDX-License-Identifier: Apache-2.0 */
/*
 * kensa.h — umbrella header of libkensa, and the library's version.
 *
 * libkensa turns a target (image, directory, host) into an inventory, matches it against
 * vulnerability feeds and ranks the findings by evidence. Each stage is its own header:
 *   error.h log.h   conventions every call follows
 *   inventory.h     targets → packages and the file ownership index
 *   sbom.h          inventory ⇄ CycloneDX / SPDX / native JSON
 *   cvss.h          CVSS v2 / v3.x / v4.0 vectors scored
 *   sensor.h        runtime events (eBPF, /proc, replay) attributed to containers
 *   profile.h       runtime events → files and packages really in use
 *   version.h       per-ecosystem version comparators
 */
#ifndef KENSA_H
#define KENSA_H

#include "kensa/error.h"
#include "kensa/log.h"
#include "kensa/inventory.h"
#include "kensa/sbom.h"
#include "kensa/cvss.h"
#include "kensa/version.h"
#include "kensa/sensor.h"
#include "kensa/profile.h"

#define KENSA_VERSION "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version string ("0.1.0"). */
KENSA_API const char *kensa_version(void);

#ifdef __cplusplus
}
#endif
#endif
