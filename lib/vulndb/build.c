// SPDX-License-Identifier: Apache-2.0
/*
 * build.c — `kensa db build` and `kensa db import` as library calls: a writer (store.c)
 * plus one import context (import.c) over the given paths, committed atomically.
 */
#include "vulndb.h"

static int build(const char *path, const char *const *inputs, size_t ninputs,
		 enum ks_store_mode mode, struct kensa_err *err)
{
	struct ks_store *st = NULL;
	struct ks_import *im = NULL;
	int result;

	if (!path || !*path)
		return kensa_err_set(err, KENSA_EINVAL, "no database path given");
	if (!ninputs)
		return kensa_err_set(err, KENSA_EINVAL, "nothing to import");
	result = ks_store_begin(path, mode, &st, err);
	if (result)
		return result;
	im = ks_import_new(st);
	if (!im) {
		result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < ninputs && !result; i++)
		result = ks_import_path(im, inputs[i], NULL, err);
	if (result)
		goto out;
	result = ks_import_finish(im, err);
	im = NULL;
	if (result)
		goto out;
	result = ks_store_commit(st, true, err);
	st = NULL;
out:
	ks_import_free(im);
	ks_store_abort(st);
	return result;
}

int kensa_db_build(const char *path, const char *const *inputs, size_t ninputs,
		   struct kensa_err *err)
{
	return build(path, inputs, ninputs, KS_STORE_FRESH, err);
}

int kensa_db_import(const char *path, const char *const *inputs, size_t ninputs,
		    struct kensa_err *err)
{
	return build(path, inputs, ninputs, KS_STORE_COPY, err);
}
