// SPDX-License-Identifier: Apache-2.0
/*
 * elf_dep_v0.c — fuzz target: cargo-auditable .dep-v0 sections (ELF, zlib, JSON) through the
 * "rust" analyzer, as an image would present the file at /usr/local/bin/tool.
 */
#include "analyzer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run_analyzer("rust", "/usr/local/bin/tool", 0755, data, size);
	return 0;
}
