// SPDX-License-Identifier: Apache-2.0
/*
 * log.c — the error value helpers and the process-wide log/progress callbacks.
 */
#include <stdatomic.h>
#include <time.h>

#include "util.h"

static kensa_log_fn log_fn;
static void *log_ud;
static enum kensa_log_level log_max = KENSA_LOG_WARN;
static kensa_progress_fn progress_fn;
static void *progress_ud;
static _Atomic uint64_t log_counts[4];

int kensa_err_set(struct kensa_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->code)
		return code;
	err->code = code ? code : KENSA_EINVAL;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void kensa_err_clear(struct kensa_err *err)
{
	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
	}
}

const char *kensa_strerror(int code)
{
	switch (code) {
	case KENSA_OK: return "success";
	case KENSA_ENOMEM: return "out of memory";
	case KENSA_EINVAL: return "invalid argument";
	case KENSA_EIO: return "input/output error";
	case KENSA_EFORMAT: return "malformed input";
	case KENSA_ENOTFOUND: return "not found";
	case KENSA_ELIMIT: return "safety limit exceeded";
	case KENSA_EUNSUPPORTED: return "unsupported";
	case KENSA_EDB: return "database error";
	case KENSA_ENET: return "network error";
	case KENSA_EPERM: return "permission denied";
	case KENSA_ECANCELED: return "canceled";
	default: return "unknown error";
	}
}

void kensa_log_set(kensa_log_fn fn, void *userdata, enum kensa_log_level max_level)
{
	log_fn = fn;
	log_ud = userdata;
	log_max = max_level;
}

void kensa_progress_set(kensa_progress_fn fn, void *userdata)
{
	progress_fn = fn;
	progress_ud = userdata;
}

uint64_t kensa_log_count(enum kensa_log_level level)
{
	return (unsigned)level < 4 ? atomic_load(&log_counts[level]) : 0;
}

bool ks_log_enabled(enum kensa_log_level level)
{
	return log_fn && level <= log_max;
}

void ks_vlog(enum kensa_log_level level, const char *fmt, va_list ap)
{
	char msg[2048];

	if ((unsigned)level < 4)
		atomic_fetch_add(&log_counts[level], 1);
	if (!ks_log_enabled(level))
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	log_fn(log_ud, level, msg);
}

void ks_log(enum kensa_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ks_vlog(level, fmt, ap);
	va_end(ap);
}

uint64_t ks_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void ks_progress(const char *stage, uint64_t done, uint64_t total)
{
	static uint64_t last;
	uint64_t now;

	if (!progress_fn)
		return;
	now = ks_now_ns();
	/* at most ~5 calls a second, but always report completion */
	if (done != total && now - last < 200000000ULL)
		return;
	last = now;
	progress_fn(progress_ud, stage, done, total);
}
