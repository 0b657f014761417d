// SPDX-License-Identifier: Apache-2.0
/*
 * profile.c — the in-use profile: sensor events → containers, files, packages in use,
 * listening sockets, connections and processes that ran as root.
 *
 * Files are mapped to packages through the ownership index of the inventory of their own
 * container (kensa_inventory_owners(): one hash lookup, every ecosystem the inventory
 * knows). Inventories are made by a scanner thread from the root the sensor keeps open for
 * each container, once per image id, so the event loop never waits on a scan; files seen
 * before their inventory is ready wait in the LRU and are mapped when it is.
 *
 * Bounded memory: at most max_files file records (least recently used evicted first: their
 * packages stay in use, only the per-file detail goes), KS_PROFILE_SMALL_MAX sockets,
 * connections and root programs; what is cut is counted and reported.
 *
 * Container runtimes' own setup work (runc's init before it executes the workload) is not
 * the workload and is left out.
 */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "profile.h"

/* ---------------------------------------------------------------- small helpers */

void ks_profile_time(uint64_t ns, char out[32])
{
	time_t secs = (time_t)(ns / 1000000000ULL);
	struct tm tm;
	size_t n;

	gmtime_r(&secs, &tm);
	n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03uZ", (unsigned)(ns / 1000000ULL % 1000));
}

static uint64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static char *astr(struct kensa_profile *p, const char *s)
{
	return s ? ks_arena_strdup(&p->arena, s) : NULL;
}

const struct kensa_package *ks_profile_slot_pkg(const struct inv_slot *s, size_t i)
{
	return s->inv && i < s->npkgs ? kensa_inventory_package(s->inv, i) : NULL;
}

/* ---------------------------------------------------------------- the scanner thread */

static void *scanner(void *arg)
{
	struct kensa_profile *p = arg;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		struct inv_slot *s = NULL;

		while (!p->quit) {
			for (s = p->slots; s && s->state != INV_PENDING; s = s->next)
				;
			if (s)
				break;
			pthread_cond_wait(&p->cond, &p->lock);
		}
		if (p->quit)
			break;
		s->state = INV_SCANNING;
		{
			char *target = strdup(s->target);
			struct kensa_inventory_opts so = KENSA_INVENTORY_OPTS_INIT;
			struct kensa_inventory *inv = NULL;
			struct kensa_err err = KENSA_ERR_INIT;
			int rc;

			pthread_mutex_unlock(&p->lock);
			rc = target ? kensa_inventory_scan(target, &so, &inv, &err) : KENSA_ENOMEM;
			free(target);
			pthread_mutex_lock(&p->lock);
			if (rc == 0) {
				s->inv = inv;
				s->state = INV_READY;
			} else {
				free(s->error);
				s->error = strdup(err.code ? err.msg : kensa_strerror(rc));
				s->state = INV_FAILED;
			}
			pthread_cond_broadcast(&p->cond);
		}
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Queue a scan (called with the lock held). */
static void request_scan(struct kensa_profile *p, struct inv_slot *s)
{
	s->state = INV_PENDING;
	if (!p->thread_started) {
		if (pthread_create(&p->thread, NULL, scanner, p) != 0) {
			s->state = INV_FAILED;
			s->error = strdup("cannot start the inventory thread");
			return;
		}
		p->thread_started = true;
	}
	pthread_cond_broadcast(&p->cond);
}

/* ---------------------------------------------------------------- lifecycle */

int kensa_profile_new(const struct kensa_profile_opts *opts, struct kensa_profile **out,
		      struct kensa_err *err)
{
	struct kensa_profile_opts defaults = KENSA_PROFILE_OPTS_INIT;
	struct kensa_profile *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (!p)
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	p->opts = *opts;
	p->opts.inventory = astr(p, opts->inventory);
	p->opts.scope = astr(p, opts->scope ? opts->scope : "command");
	p->opts.container = astr(p, opts->container);
	p->opts.argv = NULL;
	if (opts->argv) {
		size_t n = 0;
		const char **v;

		while (opts->argv[n])
			n++;
		v = ks_arena_alloc(&p->arena, (n + 1) * sizeof(*v));
		for (size_t i = 0; v && i < n; i++)
			v[i] = astr(p, opts->argv[i]);
		p->opts.argv = v;
	}
	p->max_files = opts->max_files ? opts->max_files : KS_PROFILE_FILES_DEFAULT;
	p->created_ns = wall_ns();
	snprintf(p->run_id, sizeof(p->run_id), "%llu-%u", (unsigned long long)p->created_ns,
		 (unsigned)getpid());
	*out = p;
	return 0;
}

void kensa_profile_free(struct kensa_profile *p)
{
	if (!p)
		return;
	if (p->thread_started) {
		pthread_mutex_lock(&p->lock);
		p->quit = true;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
		pthread_join(p->thread, NULL);	/* a scan under way finishes first */
	}
	for (struct pfile *f = p->lru_head, *n; f; f = n) {
		n = f->lnext;
		free(f->merged);
		free(f);
	}
	for (struct inv_slot *s = p->slots; s; s = s->next) {
		kensa_inventory_free(s->inv);
		free(s->error);
		free(s->use);
	}
	for (struct ctr *c = p->ctrs; c; c = c->next)
		free(c->used);
	free(p->by_path.b);
	free(p->by_devino.b);
	free(p->listen);
	free(p->conns);
	free(p->roots);
	for (size_t i = 0; i < p->ncaveats; i++)
		free(p->caveats[i]);
	free(p->caveats);
	free(p->engine);
	ks_map_release(&p->pairs);
	ks_arena_release(&p->arena);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

/* ---------------------------------------------------------------- containers and inventories */

struct pair_key {
	uint64_t cgroup_id;
	uint32_t mntns;
	uint32_t pad;
};

static struct inv_slot *slot_for(struct kensa_profile *p, const char *key, const char *target,
				 const char *image_name, bool host)
{
	struct inv_slot *s;

	pthread_mutex_lock(&p->lock);
	for (s = p->slots; s; s = s->next)
		if (strcmp(s->key, key) == 0)
			break;
	if (s) {
		/* an earlier container of this image could not be read: try this one's root */
		if (s->state == INV_FAILED && !s->inv && target &&
		    (!s->target || strcmp(s->target, target) != 0)) {
			s->target = astr(p, target);
			free(s->error);
			s->error = NULL;
			request_scan(p, s);
		}
		pthread_mutex_unlock(&p->lock);
		return s;
	}
	s = ks_arena_alloc(&p->arena, sizeof(*s));
	if (!s) {
		pthread_mutex_unlock(&p->lock);
		return NULL;
	}
	s->key = astr(p, key);
	s->target = astr(p, target);
	s->image_name = astr(p, image_name);
	s->host = host;
	s->next = p->slots;
	p->slots = s;
	if (s->target) {
		request_scan(p, s);
	} else {
		s->state = INV_FAILED;
		s->error = strdup(
			"its processes ended before its root could be read (give an inventory)");
	}
	pthread_mutex_unlock(&p->lock);
	return s;
}

static struct ctr *ctr_new(struct kensa_profile *p, const struct kensa_container *c)
{
	struct ctr *x = ks_arena_alloc(&p->arena, sizeof(*x));

	if (!x)
		return NULL;
	x->id = astr(p, c->id);
	x->name = astr(p, c->name);
	x->runtime = astr(p, c->runtime);
	x->image_id = astr(p, c->image_id);
	x->image_name = astr(p, c->image_name);
	x->host = c->host;
	x->next = p->ctrs;
	p->ctrs = x;
	return x;
}

static void on_container(struct kensa_profile *p, const struct kensa_sensor_event *ev)
{
	const struct kensa_container *c = &ev->container;
	struct pair_key *key = ks_arena_alloc(&p->arena, sizeof(*key));
	struct ctr *x;
	const char *slot_key, *target;

	if (!key || !c->id)
		return;
	key->cgroup_id = ev->task.cgroup_id;
	key->mntns = ev->task.mntns;
	for (x = p->ctrs; x; x = x->next)	/* several pairs can be one container */
		if (strcmp(x->id, c->id) == 0)
			break;
	if (!x) {
		x = ctr_new(p, c);
		if (!x)
			return;
		if (!(c->host && p->opts.ignore_host)) {
			slot_key = c->image_id ? c->image_id : c->host ? "host" : c->id;
			target = p->opts.inventory ? p->opts.inventory : c->root;
			x->slot = slot_for(p, slot_key, target, c->image_name, c->host);
		}
	} else if (x->slot && !p->opts.inventory && c->root) {
		/* a readable root at last */
		slot_for(p, x->slot->key, c->root, c->image_name, c->host);
	}
	ks_map_put(&p->pairs, (const char *)key, sizeof(*key), (uint64_t)(uintptr_t)x);
}

static struct ctr *ctr_of(struct kensa_profile *p, const struct kensa_task *t)
{
	struct pair_key key = { t->cgroup_id, t->mntns, 0 };
	uint64_t v;

	if (ks_map_get(&p->pairs, (const char *)&key, sizeof(key), &v))
		return (struct ctr *)(uintptr_t)v;
	if (!p->unattributed) {
		/* a recording without attribution, or attribution failed: one bucket */
		struct kensa_container c = { .id = "unattributed", .runtime = "unknown" };

		p->unattributed = ctr_new(p, &c);
		if (p->unattributed && p->opts.inventory)
			p->unattributed->slot =
				slot_for(p, "given", p->opts.inventory, NULL, false);
	}
	return p->unattributed;
}

/* ---------------------------------------------------------------- file table */

static uint64_t path_hash(const struct ctr *c, const char *path, size_t n)
{
	return ks_hash(path, n) ^ ((uint64_t)(uintptr_t)c * 0x9E3779B97F4A7C15ULL);
}

static uint64_t devino_hash(const struct ctr *c, uint64_t dev, uint64_t ino)
{
	uint64_t k[3] = { (uint64_t)(uintptr_t)c, dev, ino };

	return ks_hash(k, sizeof(k));
}

static int ftab_grow(struct ks_ftab *t, bool by_path)
{
	size_t nb = t->nb ? t->nb * 2 : 1024;
	struct pfile **b = calloc(nb, sizeof(*b));

	if (!b)
		return KENSA_ENOMEM;
	for (size_t i = 0; i < t->nb; i++) {
		struct pfile *f = t->b[i], *next;

		for (; f; f = next) {
			uint64_t h = by_path ? path_hash(f->ctr, f->path, f->path_len)
					     : devino_hash(f->ctr, f->dev, f->ino);

			if (by_path) {
				next = f->hnext;
				f->hnext = b[h & (nb - 1)];
			} else {
				next = f->dnext;
				f->dnext = b[h & (nb - 1)];
			}
			b[h & (nb - 1)] = f;
		}
	}
	free(t->b);
	t->b = b;
	t->nb = nb;
	return 0;
}

static struct pfile *find_path(const struct kensa_profile *p, const struct ctr *c, const char *path,
			       size_t n)
{
	if (!p->by_path.nb)
		return NULL;
	for (struct pfile *f = p->by_path.b[path_hash(c, path, n) & (p->by_path.nb - 1)]; f;
	     f = f->hnext)
		if (f->ctr == c && f->path_len == n && memcmp(f->path, path, n) == 0)
			return f;
	return NULL;
}

static struct pfile *find_devino(const struct kensa_profile *p, const struct ctr *c, uint64_t dev,
				 uint64_t ino)
{
	if (!p->by_devino.nb)
		return NULL;
	for (struct pfile *f = p->by_devino.b[devino_hash(c, dev, ino) & (p->by_devino.nb - 1)]; f;
	     f = f->dnext)
		if (f->ctr == c && f->dev == dev && f->ino == ino)
			return f;
	return NULL;
}

static void lru_unlink(struct kensa_profile *p, struct pfile *f)
{
	if (f->prev)
		f->prev->lnext = f->lnext;
	else
		p->lru_head = f->lnext;
	if (f->lnext)
		f->lnext->prev = f->prev;
	else
		p->lru_tail = f->prev;
	f->prev = f->lnext = NULL;
}

static void lru_push(struct kensa_profile *p, struct pfile *f)
{
	f->prev = NULL;
	f->lnext = p->lru_head;
	if (p->lru_head)
		p->lru_head->prev = f;
	p->lru_head = f;
	if (!p->lru_tail)
		p->lru_tail = f;
}

static void touch(struct kensa_profile *p, struct pfile *f)
{
	if (p->lru_head != f) {
		lru_unlink(p, f);
		lru_push(p, f);
	}
}

static void unhash(struct ks_ftab *t, struct pfile *f, bool by_path, uint64_t h)
{
	struct pfile **pp = &t->b[h & (t->nb - 1)];

	while (*pp && *pp != f)
		pp = by_path ? &(*pp)->hnext : &(*pp)->dnext;
	if (*pp) {
		*pp = by_path ? f->hnext : f->dnext;
		t->count--;
	}
}

static void absorb_scans(struct kensa_profile *p);

/* Wait for the scan of slot s to end (called when a file waiting for it must be evicted:
 * losing it would lose its packages; the kernel's ring buffer absorbs the pause). */
static void wait_scan(struct kensa_profile *p, struct inv_slot *s)
{
	pthread_mutex_lock(&p->lock);
	while (s->state == INV_PENDING || s->state == INV_SCANNING)
		pthread_cond_wait(&p->cond, &p->lock);
	pthread_mutex_unlock(&p->lock);
	absorb_scans(p);
}

static void evict_one(struct kensa_profile *p)
{
	struct pfile *f = p->lru_tail;

	if (!f)
		return;
	if (!f->mapped && f->ctr->slot && !f->ctr->slot->mapped) {
		wait_scan(p, f->ctr->slot);
		f = p->lru_tail;
	}
	lru_unlink(p, f);
	unhash(&p->by_path, f, true, path_hash(f->ctr, f->path, f->path_len));
	unhash(&p->by_devino, f, false, devino_hash(f->ctr, f->dev, f->ino));
	p->nfiles--;
	p->evicted++;
	if (!f->mapped && f->ctr->slot)
		p->evicted_unmapped++;	/* its packages were never known */
	free(f->merged);
	free(f);
}

/* ---------------------------------------------------------------- mapping to packages */

static void use_pkg(struct inv_slot *s, struct ctr *c, uint32_t idx, uint64_t first, uint64_t last,
		    uint32_t how, bool new_file)
{
	struct pkg_use *u;

	if (idx >= s->npkgs)
		return;
	u = &s->use[idx];
	if (!u->first || first < u->first)
		u->first = first;
	if (last > u->last)
		u->last = last;
	u->how |= how;
	if (new_file)
		u->files++;
	if (c->used)
		c->used[idx / 8] |= (uint8_t)(1u << (idx % 8));
}

/* The slot's inventory may be ready: look the file up once. */
static void map_file(struct kensa_profile *p, struct pfile *f)
{
	struct inv_slot *s = f->ctr->slot;
	const uint32_t *owners;
	size_t n;

	KS_UNUSED(p);
	if (f->mapped || !s || !s->mapped)
		return;
	f->mapped = true;
	if (f->flags & (KENSA_FILE_TRUNCATED | KENSA_FILE_UNREACHABLE))
		return;	/* not a path inside the container's root */
	n = kensa_inventory_owners(s->inv, f->path, f->path_len, &owners);
	{
		/* a derived file stands for its source: the source's owners are in use too (a
		 * language analyzer may list a bytecode cache that the distro package does not) */
		char src[4096];
		size_t slen, ns;
		const uint32_t *sown;

		if (ks_derived_source(f->path, f->path_len, src, sizeof(src), &slen) &&
		    (ns = kensa_inventory_owners(s->inv, src, slen, &sown)) > 0) {
			f->derived = true;
			if (!n) {
				owners = sown;
				n = ns;
			} else if ((f->merged = malloc((n + ns) * sizeof(*f->merged)))) {
				size_t m = n;

				memcpy(f->merged, owners, n * sizeof(*owners));
				for (size_t i = 0; i < ns; i++) {
					size_t k = 0;

					while (k < n && f->merged[k] != sown[i])
						k++;
					if (k == n)
						f->merged[m++] = sown[i];
				}
				owners = f->merged;
				n = m;
			}
		}
	}
	f->owners = owners;
	f->nowners = (uint32_t)n;
	for (size_t i = 0; i < n; i++)
		use_pkg(s, f->ctr, owners[i], f->first, f->last, f->how, true);
}

/* Refresh a mapped file's packages after a new use. */
static void use_again(struct pfile *f, uint32_t how)
{
	struct inv_slot *s = f->ctr->slot;

	if (!f->mapped || !s || !s->use)
		return;
	for (uint32_t i = 0; i < f->nowners; i++)
		use_pkg(s, f->ctr, f->owners[i], f->first, f->last, how, false);
}

/* Take in scans that finished: give their containers a bitmap and map waiting files. */
static void absorb_scans(struct kensa_profile *p)
{
	bool any = false;

	pthread_mutex_lock(&p->lock);
	for (struct inv_slot *s = p->slots; s; s = s->next) {
		if (s->state != INV_READY || s->mapped)
			continue;
		s->npkgs = kensa_inventory_count(s->inv);
		s->use = calloc(s->npkgs + 1, sizeof(*s->use));
		if (!s->use)
			continue;
		s->mapped = true;
		any = true;
	}
	pthread_mutex_unlock(&p->lock);
	if (!any)
		return;
	for (struct ctr *c = p->ctrs; c; c = c->next)
		if (c->slot && c->slot->mapped && !c->used)
			c->used = calloc(c->slot->npkgs / 8 + 1, 1);
	for (struct pfile *f = p->lru_head; f; f = f->lnext)
		map_file(p, f);
}

/* ---------------------------------------------------------------- events */

static void root_path(struct kensa_profile *p, struct proot *r, const struct pfile *f);

static bool runtime_setup(const struct kensa_task *t)
{
	/* runc's init stages ("runc:[2:INIT]") prepare the container before the workload runs */
	return strncmp(t->comm, "runc:[", 6) == 0;
}

static int on_file(struct kensa_profile *p, const struct kensa_sensor_event *ev, struct ctr *c)
{
	const struct kensa_sensor_file *fe = &ev->file;
	struct pfile *f;

	if (!fe->path_len || runtime_setup(&ev->task))
		return 0;
	f = find_path(p, c, fe->path, fe->path_len);
	if (f) {
		if (ev->time_ns < f->first)
			f->first = ev->time_ns;
		if (ev->time_ns > f->last)
			f->last = ev->time_ns;
		f->how |= fe->how;
		touch(p, f);
		use_again(f, fe->how);
		return 0;
	}
	if (fe->path_len > 65535)
		return 0;
	while (p->nfiles >= p->max_files)
		evict_one(p);
	if ((p->by_path.count + 1) * 2 > p->by_path.nb * 3 &&
	    (ftab_grow(&p->by_path, true) || ftab_grow(&p->by_devino, false)))
		return KENSA_ENOMEM;
	f = calloc(1, sizeof(*f) + fe->path_len + 1);
	if (!f)
		return KENSA_ENOMEM;
	f->ctr = c;
	f->dev = fe->dev;
	f->ino = fe->ino;
	f->first = f->last = ev->time_ns;
	f->how = fe->how;
	f->flags = fe->flags;
	f->pid = ev->task.pid;
	f->uid = ev->task.uid;
	memcpy(f->comm, ev->task.comm, sizeof(f->comm));
	f->path_len = (uint32_t)fe->path_len;
	memcpy(f->path, fe->path, fe->path_len);
	{
		uint64_t h = path_hash(c, f->path, f->path_len), d = devino_hash(c, f->dev, f->ino);

		f->hnext = p->by_path.b[h & (p->by_path.nb - 1)];
		p->by_path.b[h & (p->by_path.nb - 1)] = f;
		p->by_path.count++;
		f->dnext = p->by_devino.b[d & (p->by_devino.nb - 1)];
		p->by_devino.b[d & (p->by_devino.nb - 1)] = f;
		p->by_devino.count++;
	}
	lru_push(p, f);
	p->nfiles++;
	c->nfiles++;
	map_file(p, f);
	if (fe->how == KENSA_HOW_EXEC)
		for (size_t i = 0; i < p->nroots; i++)
			if (!p->roots[i].path && p->roots[i].ctr == c &&
			    p->roots[i].dev == f->dev && p->roots[i].ino == f->ino)
				root_path(p, &p->roots[i], f);
	return 0;
}

static void on_seen(struct kensa_profile *p, const struct kensa_sensor_event *ev, struct ctr *c)
{
	struct pfile *f = find_devino(p, c, ev->seen.dev, ev->seen.ino);

	if (!f)
		return;
	if (ev->seen.last_ns > f->last)
		f->last = ev->seen.last_ns;
	touch(p, f);
	use_again(f, 0);
}

static void copy_comm(char dst[16], const char *src)
{
	memcpy(dst, src, 16);
	dst[15] = '\0';
}

static int on_net(struct kensa_profile *p, const struct kensa_sensor_event *ev, struct ctr *c)
{
	const struct kensa_sensor_net *n = &ev->net;

	if (n->op == KENSA_NET_CONNECT) {
		for (size_t i = 0; i < p->nconns; i++) {
			struct pconn *x = &p->conns[i];

			if (x->ctr == c && x->port == n->rport && x->protocol == n->protocol &&
			    memcmp(x->addr, n->raddr, 16) == 0) {
				x->count++;
				x->last = ev->time_ns;
				return 0;
			}
		}
		if (p->nconns >= KS_PROFILE_SMALL_MAX) {
			p->small_dropped++;
			return 0;
		}
		if (KS_GROW(p->conns, p->capconns, p->nconns + 1))
			return KENSA_ENOMEM;
		p->conns[p->nconns++] = (struct pconn){ .ctr = c,
							.family = n->family,
							.protocol = n->protocol,
							.port = n->rport,
							.pid = ev->task.pid,
							.uid = ev->task.uid,
							.first = ev->time_ns,
							.last = ev->time_ns,
							.count = 1 };
		memcpy(p->conns[p->nconns - 1].addr, n->raddr, 16);
		copy_comm(p->conns[p->nconns - 1].comm, ev->task.comm);
		return 0;
	}
	if (n->op == KENSA_NET_ACCEPT) {
		for (size_t i = 0; i < p->nlisten; i++)
			if (p->listen[i].ctr == c && p->listen[i].port == n->lport &&
			    p->listen[i].op == KENSA_NET_LISTEN) {
				p->listen[i].accepted++;
				p->listen[i].last = ev->time_ns;
			}
		return 0;
	}
	/* bind, listen: a listening TCP socket, or a bound UDP one, is exposure */
	if (n->op == KENSA_NET_BIND && n->protocol == 6)
		return 0;	/* TCP bind alone (before listen, or for an outgoing source port) */
	for (size_t i = 0; i < p->nlisten; i++) {
		struct plisten *x = &p->listen[i];

		if (x->ctr == c && x->port == n->lport && x->protocol == n->protocol &&
		    x->family == n->family && memcmp(x->addr, n->laddr, 16) == 0) {
			x->last = ev->time_ns;
			return 0;
		}
	}
	if (p->nlisten >= KS_PROFILE_SMALL_MAX) {
		p->small_dropped++;
		return 0;
	}
	if (KS_GROW(p->listen, p->caplisten, p->nlisten + 1))
		return KENSA_ENOMEM;
	p->listen[p->nlisten++] = (struct plisten){ .ctr = c,
						    .op = n->op,
						    .family = n->family,
						    .protocol = n->protocol,
						    .port = n->lport,
						    .pid = ev->task.pid,
						    .uid = ev->task.uid,
						    .first = ev->time_ns,
						    .last = ev->time_ns };
	memcpy(p->listen[p->nlisten - 1].addr, n->laddr, 16);
	copy_comm(p->listen[p->nlisten - 1].comm, ev->task.comm);
	return 0;
}

/* The canonical path of a root program, from the FILE event of its executable. */
static void root_path(struct kensa_profile *p, struct proot *r, const struct pfile *f)
{
	r->path = ks_arena_strndup(&p->arena, f->path, f->path_len);
	r->path_len = r->path ? f->path_len : 0;
}

/* argv (NUL-separated) joined by spaces, bounded. */
static char *join_args(struct kensa_profile *p, const char *a, size_t n)
{
	char *s = ks_arena_alloc(&p->arena, n + 1);

	if (!s)
		return NULL;
	memcpy(s, a, n);
	while (n && s[n - 1] == '\0')
		n--;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\0')
			s[i] = ' ';
	s[n] = '\0';
	return s;
}

static int on_exec(struct kensa_profile *p, const struct kensa_sensor_event *ev, struct ctr *c)
{
	const struct kensa_sensor_exec *e = &ev->exec;
	char exe[512];
	size_t n = KS_MIN(e->filename_len, sizeof(exe) - 1);

	p->execs++;
	if (ev->task.euid != 0 && ev->task.uid != 0)
		return 0;
	memcpy(exe, e->filename, n);
	exe[n] = '\0';
	for (size_t i = 0; i < p->nroots; i++) {
		struct proot *r = &p->roots[i];

		if (r->ctr == c && strcmp(r->exe, exe) == 0) {
			r->count++;
			r->last = ev->time_ns;
			return 0;
		}
	}
	if (p->nroots >= KS_PROFILE_SMALL_MAX) {
		p->small_dropped++;
		return 0;
	}
	if (KS_GROW(p->roots, p->caproots, p->nroots + 1))
		return KENSA_ENOMEM;
	p->roots[p->nroots] =
		(struct proot){ .ctr = c,
				.exe = astr(p, exe),
				.dev = e->dev,
				.ino = e->ino,
				.args = join_args(p, e->args, KS_MIN(e->args_len, (size_t)256)),
				.pid = ev->task.pid,
				.uid = ev->task.uid,
				.euid = ev->task.euid,
				.first = ev->time_ns,
				.last = ev->time_ns,
				.count = 1 };
	copy_comm(p->roots[p->nroots].comm, ev->task.comm);
	{
		const struct pfile *f = find_devino(p, c, e->dev, e->ino);

		if (f)
			root_path(p, &p->roots[p->nroots], f);
	}
	p->nroots++;
	return 0;
}

int kensa_profile_on_event(void *profile, const struct kensa_sensor_event *ev)
{
	struct kensa_profile *p = profile;
	struct ctr *c;

	if (ev->kind == KENSA_SENSOR_CONTAINER) {
		on_container(p, ev);
		return 0;
	}
	c = ctr_of(p, &ev->task);
	if (!c || (c->host && p->opts.ignore_host))
		return 0;
	if (ev->kind != KENSA_SENSOR_SEEN) {
		if (!p->first_ev || ev->time_ns < p->first_ev)
			p->first_ev = ev->time_ns;
		if (ev->time_ns > p->last_ev)
			p->last_ev = ev->time_ns;
		if (!c->first || ev->time_ns < c->first)
			c->first = ev->time_ns;
		if (ev->time_ns > c->last)
			c->last = ev->time_ns;
	}
	switch (ev->kind) {
	case KENSA_SENSOR_FILE:
		return on_file(p, ev, c);
	case KENSA_SENSOR_SEEN:
		on_seen(p, ev, c);
		return 0;
	case KENSA_SENSOR_NET:
		return on_net(p, ev, c);
	case KENSA_SENSOR_EXEC:
		return on_exec(p, ev, c);
	default:
		return 0;
	}
}

/* ---------------------------------------------------------------- update, finish */

static void take_sensor(struct kensa_profile *p, const struct kensa_sensor *s)
{
	const char *const *cav;
	size_t n;

	if (!s)
		return;
	kensa_sensor_stats(s, &p->stats);
	free(p->engine);
	p->engine = strdup(kensa_sensor_engine(s));
	cav = kensa_sensor_caveats(s, &n);
	for (size_t i = 0; i < p->ncaveats; i++)
		free(p->caveats[i]);
	free(p->caveats);
	p->caveats = calloc(n + 1, sizeof(*p->caveats));
	p->ncaveats = 0;
	for (size_t i = 0; p->caveats && i < n; i++)
		if ((p->caveats[p->ncaveats] = strdup(cav[i])))
			p->ncaveats++;
}

void kensa_profile_update(struct kensa_profile *p, const struct kensa_sensor *s)
{
	absorb_scans(p);
	take_sensor(p, s);
	p->ended = strcmp(p->opts.scope, "replay") == 0 ? p->last_ev : wall_ns();
}

void kensa_profile_finish(struct kensa_profile *p, const struct kensa_sensor *s)
{
	pthread_mutex_lock(&p->lock);
	for (;;) {
		bool busy = false;

		for (struct inv_slot *x = p->slots; x; x = x->next)
			busy |= x->state == INV_PENDING || x->state == INV_SCANNING;
		if (!busy)
			break;
		pthread_cond_wait(&p->cond, &p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	kensa_profile_update(p, s);
}

void kensa_profile_set_exit(struct kensa_profile *p, int wait_status)
{
	p->has_exit = true;
	p->exit_status = wait_status;
}

void kensa_profile_summary(const struct kensa_profile *p, struct kensa_profile_summary *out)
{
	struct ks_map purls = KS_MAP_INIT;

	memset(out, 0, sizeof(*out));
	for (const struct ctr *c = p->ctrs; c; c = c->next)
		if (!(c->host && p->opts.ignore_host))
			out->containers++;
	for (const struct inv_slot *s = p->slots; s; s = s->next) {
		if (!s->host && strcmp(s->key, "given") != 0)
			out->images++;
		for (size_t i = 0; s->use && i < s->npkgs; i++) {
			const struct kensa_package *pkg;

			if (!s->use[i].first || !(pkg = ks_profile_slot_pkg(s, i)) || !pkg->purl)
				continue;
			ks_map_puts(&purls, pkg->purl, 1);
		}
	}
	out->packages_in_use = purls.count;
	ks_map_release(&purls);
	out->files = p->nfiles;
	out->files_evicted = p->evicted;
	out->listening = p->nlisten;
	out->root_processes = p->nroots;
	out->events = p->stats.events;
	out->dropped_events = p->stats.dropped;
	{
		uint64_t start =
			p->first_ev && p->first_ev < p->created_ns ? p->first_ev : p->created_ns;
		uint64_t end = p->ended > start ? p->ended : start;

		out->duration_s = (double)(end - start) / 1e9;
	}
}
