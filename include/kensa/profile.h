/* SPDX-License-Identifier: Apache-2.0 */
/*
 * profile.h — the in-use profile: which files a workload executed, opened and mapped, and
 * through the inventory's file ownership index, which packages (any ecosystem) are really
 * in use — per container, per image (merged across its containers) and overall — plus
 * listening sockets, outbound connections and processes that ran as root.
 *
 * A profile is fed sensor events (sensor.h) and needs nothing else: the inventory of each
 * container is made from its own root (kensa_inventory_scan() on the root the sensor keeps
 * open) when the container is first seen, in a background thread, once per image id; host
 * processes use the host's inventory. For a replay, where those roots are gone, give
 * opts.inventory (an image archive, a directory, an SBOM).
 *
 * Memory is bounded: at most opts.max_files distinct files are kept (least recently used
 * ones are evicted; their packages stay marked in use), and likewise for processes and
 * sockets. Output: kensa_profile_write_json() (docs/profile.md,
 * docs/schemas/profile.schema.json) and kensa_profile_store() (SQLite).
 *
 * Not thread-safe: feed, update and write from one thread (the scans run on their own).
 */
#ifndef KENSA_PROFILE_H
#define KENSA_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kensa/error.h"
#include "kensa/sensor.h"

#ifdef __cplusplus
extern "C" {
#endif

struct kensa_profile_opts {
	size_t max_files;		/* distinct files kept (LRU), 0 = 65536 */
	const char *inventory;		/* target used for every container and the host instead of
					   scanning their roots (replays), or NULL */
	bool ignore_host;		/* drop events of host processes (not in any container) */
	const char *scope; /* what was profiled, for the output: "command", "container",
			      "agent", "replay" (NULL = "command") */
	/* scope "command": the command line (NULL-terminated), or NULL */
	const char *const *argv;
	const char *container;		/* scope "container": as the user named it, or NULL */
};
#define KENSA_PROFILE_OPTS_INIT { 0, NULL, false, NULL, NULL, NULL }

struct kensa_profile;

KENSA_API int kensa_profile_new(const struct kensa_profile_opts *opts, struct kensa_profile **out,
				struct kensa_err *err);
KENSA_API void kensa_profile_free(struct kensa_profile *p);

/* Feed one event; a kensa_sensor_event_fn (ud is the profile). Returns 0, or KENSA_ENOMEM. */
KENSA_API int kensa_profile_on_event(void *profile, const struct kensa_sensor_event *ev);

/*
 * Take in finished inventory scans (mapping the files waiting for them) and the sensor's
 * engine, caveats and counters (s may be NULL). Cheap; the agent calls it before each store.
 */
KENSA_API void kensa_profile_update(struct kensa_profile *p, const struct kensa_sensor *s);
/* Like update, but first wait for every inventory scan under way. Call before the output. */
KENSA_API void kensa_profile_finish(struct kensa_profile *p, const struct kensa_sensor *s);

/* Set the exit status of the profiled command (scope "command"). */
KENSA_API void kensa_profile_set_exit(struct kensa_profile *p, int wait_status);

KENSA_API int kensa_profile_write_json(const struct kensa_profile *p, FILE *out,
				       struct kensa_err *err);

/*
 * Keep the profile in the SQLite store at db_path (created when missing; NULL: the default
 * $XDG_CACHE_HOME/kensa/profiles.db): one row per run with its JSON, and per-(image or
 * container, package) in-use rows whose first/last-seen times are merged with earlier runs.
 */
KENSA_API int kensa_profile_store(const struct kensa_profile *p, const char *db_path,
				  struct kensa_err *err);
/* The default store path; owned by the caller (free()), NULL when no home is known. */
KENSA_API char *kensa_profile_store_default(void);

struct kensa_profile_summary {
	size_t containers;		/* including the host when it was seen */
	size_t images;
	size_t files;			/* distinct files kept */
	size_t files_evicted;
	size_t packages_in_use;		/* distinct package URLs */
	size_t listening;
	size_t root_processes;
	uint64_t events;
	uint64_t dropped_events;
	double duration_s;
};
KENSA_API void kensa_profile_summary(const struct kensa_profile *p,
				     struct kensa_profile_summary *out);

#ifdef __cplusplus
}
#endif
#endif
