/* SPDX-License-Identifier: Apache-2.0 */
/*
 * error.h — how every fallible kensa call reports failure.
 *
 * A fallible call returns int: 0 on success or a negative KENSA_E* code. It takes an
 * optional `struct kensa_err *err` (may be NULL) that is filled once, at the place where the
 * failure happens, and left untouched on success. Callers higher up never overwrite a
 * message that is already set, so the text a user sees names the innermost cause
 * ("cannot open 'x/y.tar': No such file or directory"), not the outermost wrapper.
 *
 * The library never prints and never exits; diagnostics that are not errors (warnings about
 * one bad record, progress) go through the log callback in log.h.
 */
#ifndef KENSA_ERROR_H
#define KENSA_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(KENSA_BUILDING_LIBRARY)
#define KENSA_API __attribute__((visibility("default")))
#else
#define KENSA_API
#endif

enum kensa_result {
	KENSA_OK = 0,
	KENSA_ENOMEM = -1,	/* out of memory */
	KENSA_EINVAL = -2,	/* bad argument or usage */
	KENSA_EIO = -3,		/* read/write/open failure (errno text in the message) */
	KENSA_EFORMAT = -4,	/* malformed or unsupported input data */
	KENSA_ENOTFOUND = -5,	/* the thing asked for does not exist */
	KENSA_ELIMIT = -6,	/* a safety limit was hit (size, depth, ratio, count) */
	KENSA_EUNSUPPORTED = -7, /* valid input we cannot handle (yet) */
	KENSA_EDB = -8,		/* database error */
	KENSA_ENET = -9,	/* network failure */
	KENSA_EPERM = -10,	/* permission or privilege missing */
	KENSA_ECANCELED = -11,	/* stopped by a signal or a callback */
};

#define KENSA_ERR_MSG_MAX 1024

struct kensa_err {
	int code;		/* 0 while unset */
	char msg[KENSA_ERR_MSG_MAX];
};

#define KENSA_ERR_INIT { 0, { 0 } }

/*
 * Fill `err` with code and a printf-style message unless it is NULL or already filled.
 * Returns `code`, so a failure site reads `return kensa_err_set(err, KENSA_EIO, ...)`.
 */
KENSA_API int kensa_err_set(struct kensa_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Reset `err` to the unset state (e.g. to reuse it after a handled failure). */
KENSA_API void kensa_err_clear(struct kensa_err *err);

/* Short text for a code ("out of memory", "malformed input", ...); never NULL. */
KENSA_API const char *kensa_strerror(int code);

#ifdef __cplusplus
}
#endif
#endif
