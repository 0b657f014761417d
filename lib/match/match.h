/* SPDX-License-Identifier: Apache-2.0 */
/*
 * match.h — inventory × vulnerability database → matches (internal; kensa_scan_run uses it).
 *
 * Exact, per ecosystem, with OSV semantics: introduced / fixed / last_affected / limit events
 * (sorted by the ecosystem's comparator), several ranges, explicit `versions` lists, ECOSYSTEM
 * vs SEMVER ranges, GIT ranges ignored, withdrawn records ignored. Distro packages match by
 * source package and release ("Debian:12" + "openssl" + the source version); language
 * packages by ecosystem and name; a language package whose metadata a distro package owns
 * is matched through that distro package only (the distro patches without changing the
 * upstream version). One match per (advisory, installed package).
 */
#ifndef KS_MATCH_H
#define KS_MATCH_H

#include "kensa/inventory.h"
#include "kensa/vulndb.h"
#include "util/util.h"

struct ks_match {
	const char *advisory;		/* record id */
	uint32_t pkg;			/* inventory index of the installed package */
	const char *ecosystem;		/* ecosystem queried ("Debian:12") */
	const char *name;		/* name queried (source package for distros) */
	const char *version;		/* version compared */
	const char *via;		/* which identity matched, in words */
	const char *range;		/* the interval containing the version, in words */
	const char **fixed;		/* fixed versions above the installed one, ascending */
	size_t nfixed;
	const char *fix_status;		/* feed's distro status, or NULL */
	const char *last_affected;	/* when the interval ends with last_affected (no fix known) */
	const char *vers;		/* the same interval as a vers range ("vers:deb/>=1.0|<1.2.6"), or NULL */
};

struct ks_match_stats {
	size_t packages;		/* packages looked up */
	size_t covered_by_owner;	/* language packages matched through their distro package */
	size_t skipped_version;		/* installed versions the comparator refuses ("(devel)") */
	size_t entries;			/* affected entries evaluated */
	size_t bad_events;		/* feed versions the comparator refuses (range skipped) */
	size_t unknown_scheme;		/* packages of an ecosystem without a comparator */
};

/* All strings and arrays in *out live in arena a; *out itself is malloc'd (caller frees). */
int ks_match_inventory(struct kensa_db *db, const struct kensa_inventory *inv, struct ks_arena *a,
		       struct ks_match **out, size_t *n, struct ks_match_stats *stats, struct kensa_err *err);

#endif
