/* SPDX-License-Identifier: Apache-2.0 */
/*
 * profile.h (internal) — the in-use profile's inside, shared by profile.c (aggregation,
 * inventories), profile-json.c (the JSON document) and store.c (SQLite).
 *
 * Model: events name a (cgroup, mount namespace) pair; a CONTAINER event ties the pair to a
 * struct ctr (the host is one); each ctr uses one struct inv_slot, the inventory of its
 * image (shared by every container of that image) or of the host. Files are struct pfile
 * records keyed by (ctr, path), kept in an LRU list of at most max_files; when the slot's
 * inventory is ready a file is mapped to its owner packages, and the package's use (first,
 * last, how) is recorded in the slot's pkg_use array, which outlives file evictions.
 */
#ifndef KS_PROFILE_INT_H
#define KS_PROFILE_INT_H

#include <pthread.h>

#include "kensa/inventory.h"
#include "kensa/profile.h"
#include "util/json.h"
#include "util/util.h"

#define KS_PROFILE_FILES_DEFAULT 65536
#define KS_PROFILE_SMALL_MAX 4096	/* listening sockets, connections, root programs kept */
#define KS_PROFILE_UNOWNED_LISTED 1000	/* unowned files written out (all are counted) */

enum inv_state {
	INV_PENDING = 0,	/* waiting for the scanner thread */
	INV_SCANNING,
	INV_READY,
	INV_FAILED,
};

struct pkg_use {
	uint64_t first, last;	/* wall ns; 0 = not in use */
	uint32_t how;		/* KENSA_HOW_* bits */
	uint32_t files;		/* files seen (including evicted ones) */
};

struct inv_slot {
	struct inv_slot *next;
	char *key;		/* image id, "host", or a container id when the image is unknown */
	char *target;		/* what is scanned, or NULL when nothing can be */
	char *image_name;
	bool host;
	/* guarded by kensa_profile.lock while the scanner may run */
	enum inv_state state;
	struct kensa_inventory *inv;
	char *error;
	/* main thread only */
	bool mapped;		/* files waiting for it were mapped */
	struct pkg_use *use;	/* [kensa_inventory_count(inv)] once mapped */
	size_t npkgs;
};

struct ctr {
	struct ctr *next;
	char *id, *name, *runtime, *image_id, *image_name;
	bool host;
	uint64_t first, last;
	struct inv_slot *slot;	/* NULL when no inventory can be had */
	uint8_t *used;		/* bitmap over slot's packages, once mapped */
	uint64_t nfiles;	/* distinct files seen */
};

struct pfile {
	struct pfile *hnext;		/* by (ctr, path) */
	struct pfile *dnext;		/* by (ctr, dev, ino) */
	struct pfile *prev, *lnext;	/* LRU list, most recent first */
	struct ctr *ctr;
	uint64_t dev, ino;
	uint64_t first, last;
	uint32_t how;
	uint32_t flags;			/* KENSA_FILE_* */
	uint32_t pid, uid;
	char comm[16];
	const uint32_t *owners;		/* borrowed from ctr->slot->inv, or `merged` */
	/* owned: the file's and its source's owners, when both have some */
	uint32_t *merged;
	uint32_t nowners;
	bool mapped;
	bool derived;			/* owners include those of the file it was derived from */
	uint32_t path_len;
	char path[];
};

struct plisten {
	struct ctr *ctr;
	uint16_t op, family, protocol, port;
	uint8_t addr[16];
	uint32_t pid, uid;
	char comm[16];
	uint64_t first, last, accepted;
};

struct pconn {
	struct ctr *ctr;
	uint16_t family, protocol, port;
	uint8_t addr[16];
	uint32_t pid, uid;
	char comm[16];
	uint64_t first, last, count;
};

struct proot {
	struct ctr *ctr;
	char *exe;		/* as execve was asked */
	char *path;		/* the file that ran, canonical (from its FILE event), or NULL */
	uint32_t path_len;
	uint64_t dev, ino;
	char *args;		/* argv joined by spaces (bounded) */
	uint32_t pid, uid, euid;
	char comm[16];
	uint64_t first, last, count;
};

struct ks_ftab {		/* chained hash of pfiles (two link fields, two tables) */
	struct pfile **b;
	size_t nb, count;
};

struct kensa_profile {
	struct kensa_profile_opts opts;	/* strings in arena */
	struct ks_arena arena;
	struct ks_map pairs;		/* pair bytes → struct ctr * */
	struct ctr *ctrs;
	struct ctr *unattributed;	/* events of pairs no CONTAINER event named */
	struct inv_slot *slots;
	struct ks_ftab by_path, by_devino;
	struct pfile *lru_head, *lru_tail;
	size_t nfiles, max_files;
	uint64_t evicted, evicted_unmapped;
	struct plisten *listen;
	size_t nlisten, caplisten;
	struct pconn *conns;
	size_t nconns, capconns;
	struct proot *roots;
	size_t nroots, caproots;
	uint64_t small_dropped;		/* sockets/programs beyond KS_PROFILE_SMALL_MAX */
	uint64_t execs;
	uint64_t created_ns, first_ev, last_ev, ended;
	bool has_exit;
	int exit_status;
	/* from the sensor at the last update */
	char *engine;
	char **caveats;
	size_t ncaveats;
	struct kensa_sensor_stats stats;
	/* the scanner thread */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	bool thread_started, quit;
	char run_id[48];
};

/*
 * The file a loaded file was derived from when no package lists the loaded one (derived.c):
 * Python bytecode → its source. Writes a NUL-terminated path to out; false when no rule applies.
 */
bool ks_derived_source(const char *path, size_t len, char *out, size_t size, size_t *out_len);

/* A slot's package index → the package, NULL past the end. */
const struct kensa_package *ks_profile_slot_pkg(const struct inv_slot *s, size_t i);

/* RFC 3339 UTC with milliseconds from wall ns ("2026-11-22T02:42:19.116Z"). */
void ks_profile_time(uint64_t ns, char out[32]);

/* The document (profile-json.c); pretty or compact, to a FILE or to w's buffer. */
int ks_profile_json(const struct kensa_profile *p, struct ks_jw *w);

#endif
