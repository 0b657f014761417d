// SPDX-License-Identifier: Apache-2.0
/*
 * gobuildinfo.c — fuzz target: Go build info in ELF executables (both layouts) through the
 * "gobinary" analyzer, as an image would present the file at /usr/local/bin/tool.
 */
#include "analyzer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run_analyzer("gobinary", "/usr/local/bin/tool", 0755, data, size);
	return 0;
}
