/* SPDX-License-Identifier: Apache-2.0 */
/*
 * yaml.h — YAML documents (policies, scope files, lock files) read with libyaml into a cJSON
 * tree, so every reader uses the same accessors as for JSON.
 *
 * Mappings become objects, sequences arrays; plain scalars that look like numbers, booleans
 * (true/false) or null become those types, every other scalar a string. Anchors/aliases are
 * refused (a "billion laughs" document cannot expand); nesting is capped at 64 levels and the
 * number of nodes at 10 million. Only the first document of a stream is read.
 */
#ifndef KS_YAML_H
#define KS_YAML_H

#include "json.h"

/* Caller frees the result with cJSON_Delete. NULL with err filled on failure. */
cJSON *ks_yaml_parse(const char *data, size_t len, const char *name, struct kensa_err *err);

#endif
