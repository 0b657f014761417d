// SPDX-License-Identifier: Apache-2.0
/* yaml.c — fuzz the YAML → cJSON reader (policies, scope files, lock files). */
#include <stdint.h>

#include "util/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON_Delete(ks_yaml_parse((const char *)data, size, "fuzz", NULL));
	return 0;
}
