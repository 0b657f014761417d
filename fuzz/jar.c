// SPDX-License-Identifier: Apache-2.0
/*
 * jar.c — fuzz target: Java archives (zip, nested archives, pom.properties, MANIFEST.MF)
 * through the "jar" analyzer, as an image would present the file at /app/lib/app.jar.
 */
#include "analyzer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run_analyzer("jar", "/app/lib/app.jar", 0644, data, size);
	return 0;
}
