/* SPDX-License-Identifier: Apache-2.0 */
/*
 * log.h — where the library's warnings, notes and progress go.
 *
 * The library never writes to stdout/stderr. It calls the process-wide log callback set
 * here; the CLI prints to stderr, a server might forward to its own log. Without a
 * callback, messages are dropped (but counted, see kensa_log_count()).
 * The callback may be called from several threads at once (the sensor's reader thread and
 * the main thread); it must be thread-safe.
 */
#ifndef KENSA_LOG_H
#define KENSA_LOG_H

#include <stdarg.h>
#include <stdint.h>
#include "kensa/error.h"

#ifdef __cplusplus
extern "C" {
#endif

enum kensa_log_level {
	KENSA_LOG_ERROR = 0,
	KENSA_LOG_WARN = 1,
	KENSA_LOG_INFO = 2,
	KENSA_LOG_DEBUG = 3,
};

/* msg is borrowed until the callback returns; it has no trailing newline. */
typedef void (*kensa_log_fn)(void *userdata, enum kensa_log_level level, const char *msg);

/*
 * Progress of long work: `stage` names it ("reading layer 3/6"), done/total in the stage's
 * own unit (bytes, records); total is 0 when unknown. Called at most a few times a second.
 */
typedef void (*kensa_progress_fn)(void *userdata, const char *stage, uint64_t done,
				  uint64_t total);

/* Messages above max_level are not formatted at all. */
KENSA_API void kensa_log_set(kensa_log_fn fn, void *userdata, enum kensa_log_level max_level);
KENSA_API void kensa_progress_set(kensa_progress_fn fn, void *userdata);

/* Number of messages logged at `level` since start (whether or not a callback was set). */
KENSA_API uint64_t kensa_log_count(enum kensa_log_level level);

#ifdef __cplusplus
}
#endif
#endif
