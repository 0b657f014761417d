/* SPDX-License-Identifier: Apache-2.0 */
/*
 * secrets.h — secrets found in a target: in layer files, and in an image's ENV, labels and
 * history. Found while the layers stream by (kensa_inventory_opts.secrets), so a secret deleted
 * by a later layer is still reported: the layer that holds it is still in the image.
 *
 * No secret value is ever stored in full: `redacted` keeps the first 4 characters of the
 * match and masks the rest.
 */
#ifndef KENSA_SECRETS_H
#define KENSA_SECRETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kensa/error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct kensa_inventory;

struct kensa_secret {
	const char *rule;	/* "aws-access-key-id", "private-key", … */
	const char *title;	/* "AWS access key ID" */
	const char *severity;	/* "CRITICAL", "HIGH", "MEDIUM", "LOW" */
	const char *where;	/* "file", "env", "label", "history" */
	const char *path;	/* file path; env variable name; label key; "history[N]" */
	int32_t layer;		/* layer holding the file; -1 for image config */
	bool deleted;		/* the file is gone from the final file system (still in its layer) */
	uint32_t line;		/* 1-based line of the match (files), 0 otherwise */
	const char *redacted;	/* the match, all but its first 4 characters masked */
};

/* Secrets found (kensa_inventory_opts.secrets); borrowed until kensa_inventory_free(). */
KENSA_API const struct kensa_secret *kensa_inventory_secrets(const struct kensa_inventory *inv,
							      size_t *n);

/*
 * Scan a buffer (text) and call found() for each secret, with a redacted match and the
 * line. Returns 0, or the first non-zero value found() returned. Thread-safe.
 */
KENSA_API int kensa_secrets_scan(const void *data, size_t len,
				 int (*found)(void *ud, const char *rule, const char *title,
					      const char *severity, uint32_t line, const char *redacted),
				 void *ud);

#ifdef __cplusplus
}
#endif
#endif
