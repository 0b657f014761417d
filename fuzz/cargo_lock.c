// SPDX-License-Identifier: Apache-2.0
/*
 * cargo_lock.c — fuzz target: Cargo.lock files through the "rust" analyzer, as an image would
 * present the file at /src/app/Cargo.lock.
 */
#include "analyzer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run_analyzer("rust", "/src/app/Cargo.lock", 0644, data, size);
	return 0;
}
