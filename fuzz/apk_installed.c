// SPDX-License-Identifier: Apache-2.0
/*
 * apk_installed.c — fuzz target: Alpine's lib/apk/db/installed through the "apk" analyzer, as
 * an image would present the file at /lib/apk/db/installed.
 */
#include "analyzer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run_analyzer("apk", "/lib/apk/db/installed", 0644, data, size);
	return 0;
}
