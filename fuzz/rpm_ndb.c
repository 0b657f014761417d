// SPDX-License-Identifier: Apache-2.0
/*
 * rpm_ndb.c — fuzz target: NDB rpm databases (Packages.db) and the headers in them through the
 * "rpm" analyzer, as an image would present the file at /usr/lib/sysimage/rpm/Packages.db.
 */
#include "analyzer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_run_analyzer("rpm", "/usr/lib/sysimage/rpm/Packages.db", 0644, data, size);
	return 0;
}
