// SPDX-License-Identifier: Apache-2.0
/*
 * profile-json.c — the profile as JSON (docs/profile.md, docs/schemas/profile.schema.json):
 * what `kensa scan --profile FILE` reads to tell which findings are in packages really in use.
 *
 * Packages in use are merged by package URL across every container and image of the run,
 * each with the images and containers it was used in and the files that put it there;
 * images and containers list their own packages by URL. Output is sorted (packages by URL,
 * files by path), so two runs of the same workload diff cleanly.
 *
 * What it is not: a reader. The document is the interface; consumers parse it.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "kensa/kensa.h"
#include "profile.h"

struct opkg {
	const struct kensa_package *pkg;
	const char *key;		/* purl, or ecosystem/name@version */
	uint64_t first, last;
	uint32_t how;
	uint64_t nfiles_seen;
	const struct pfile **files;
	size_t nfiles, capfiles;
	const char **images, **ctrs;
	size_t nimages, capimages, nctrs, capctrs;
};

struct out {
	struct opkg **pkgs;
	size_t n, cap;
	struct ks_map by_key;		/* key → index in pkgs */
	struct ks_arena arena;
	struct opkg ***by_slot;		/* per slot (in list order): package index → opkg */
	const struct pfile **unowned;
	size_t nunowned, capunowned;
	uint64_t unowned_total;
};

static bool is_image_slot(const struct inv_slot *s)
{
	return !s->host && strcmp(s->key, "given") != 0;
}

static int add_str(const char ***arr, size_t *n, size_t *cap, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*arr)[i], s) == 0)
			return 0;
	if (ks_grow((void **)arr, cap, *n + 1, sizeof(**arr)))
		return KENSA_ENOMEM;
	(*arr)[(*n)++] = s;
	return 0;
}

static struct opkg *opkg_get(struct out *o, const struct kensa_package *pkg)
{
	const char *key = pkg->purl;
	struct opkg *x;
	uint64_t v;

	if (!key)
		key = ks_arena_printf(&o->arena, "%s/%s@%s", pkg->ecosystem, pkg->name,
				      pkg->version ? pkg->version : "");
	if (!key)
		return NULL;
	if (ks_map_gets(&o->by_key, key, &v))
		return o->pkgs[v];
	x = ks_arena_alloc(&o->arena, sizeof(*x));
	if (!x || KS_GROW(o->pkgs, o->cap, o->n + 1) || ks_map_puts(&o->by_key, key, o->n))
		return NULL;
	x->pkg = pkg;
	x->key = key;
	o->pkgs[o->n++] = x;
	return x;
}

static int cmp_opkg(const void *a, const void *b)
{
	return strcmp((*(const struct opkg *const *)a)->key, (*(const struct opkg *const *)b)->key);
}

static int cmp_file(const void *a, const void *b)
{
	const struct pfile *x = *(const struct pfile *const *)a,
			   *y = *(const struct pfile *const *)b;
	size_t n = KS_MIN(x->path_len, y->path_len);
	int c = memcmp(x->path, y->path, n);

	if (c)
		return c;
	if (x->path_len != y->path_len)
		return x->path_len < y->path_len ? -1 : 1;
	return strcmp(x->ctr->id, y->ctr->id);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static size_t slot_index(const struct kensa_profile *p, const struct inv_slot *s)
{
	size_t i = 0;

	for (const struct inv_slot *x = p->slots; x && x != s; x = x->next)
		i++;
	return i;
}

static int collect(const struct kensa_profile *p, struct out *o)
{
	size_t nslots = 0, si = 0;

	for (const struct inv_slot *s = p->slots; s; s = s->next)
		nslots++;
	o->by_slot = ks_arena_alloc(&o->arena, (nslots + 1) * sizeof(*o->by_slot));
	if (!o->by_slot)
		return KENSA_ENOMEM;
	for (const struct inv_slot *s = p->slots; s; s = s->next, si++) {
		if (!s->use)
			continue;
		o->by_slot[si] = ks_arena_alloc(&o->arena, (s->npkgs + 1) * sizeof(**o->by_slot));
		if (!o->by_slot[si])
			return KENSA_ENOMEM;
		for (size_t i = 0; i < s->npkgs; i++) {
			const struct pkg_use *u = &s->use[i];
			struct opkg *x;

			if (!u->first)
				continue;
			x = opkg_get(o, ks_profile_slot_pkg(s, i));
			if (!x)
				return KENSA_ENOMEM;
			o->by_slot[si][i] = x;
			if (!x->first || u->first < x->first)
				x->first = u->first;
			if (u->last > x->last)
				x->last = u->last;
			x->how |= u->how;
			x->nfiles_seen += u->files;
			if (is_image_slot(s) &&
			    add_str(&x->images, &x->nimages, &x->capimages, s->key))
				return KENSA_ENOMEM;
		}
	}
	for (const struct ctr *c = p->ctrs; c; c = c->next) {
		struct opkg **by;

		if (!c->used || !c->slot || !(by = o->by_slot[slot_index(p, c->slot)]))
			continue;
		for (size_t i = 0; i < c->slot->npkgs; i++)
			if ((c->used[i / 8] >> (i % 8) & 1) && by[i] &&
			    add_str(&by[i]->ctrs, &by[i]->nctrs, &by[i]->capctrs, c->id))
				return KENSA_ENOMEM;
	}
	for (const struct pfile *f = p->lru_head; f; f = f->lnext) {
		struct opkg **by =
			f->ctr->slot && f->mapped ? o->by_slot[slot_index(p, f->ctr->slot)] : NULL;

		if (!by || !f->nowners) {
			o->unowned_total++;
			if (o->nunowned < KS_PROFILE_UNOWNED_LISTED) {
				if (KS_GROW(o->unowned, o->capunowned, o->nunowned + 1))
					return KENSA_ENOMEM;
				o->unowned[o->nunowned++] = f;
			}
			continue;
		}
		for (uint32_t k = 0; k < f->nowners; k++) {
			struct opkg *x =
				f->owners[k] < f->ctr->slot->npkgs ? by[f->owners[k]] : NULL;

			if (!x)
				continue;
			if (ks_grow((void **)&x->files, &x->capfiles, x->nfiles + 1,
				    sizeof(*x->files)))
				return KENSA_ENOMEM;
			x->files[x->nfiles++] = f;
		}
	}
	if (o->n)
		qsort(o->pkgs, o->n, sizeof(*o->pkgs), cmp_opkg);
	for (size_t i = 0; i < o->n; i++) {
		struct opkg *x = o->pkgs[i];

		if (x->nfiles)
			qsort(x->files, x->nfiles, sizeof(*x->files), cmp_file);
		if (x->nimages)
			qsort(x->images, x->nimages, sizeof(*x->images), cmp_str);
		if (x->nctrs)
			qsort(x->ctrs, x->nctrs, sizeof(*x->ctrs), cmp_str);
	}
	if (o->nunowned)
		qsort(o->unowned, o->nunowned, sizeof(*o->unowned), cmp_file);
	return 0;
}

static void out_release(struct out *o)
{
	for (size_t i = 0; i < o->n; i++) {
		free(o->pkgs[i]->files);
		free(o->pkgs[i]->images);
		free(o->pkgs[i]->ctrs);
	}
	free(o->pkgs);
	free(o->unowned);
	ks_map_release(&o->by_key);
	ks_arena_release(&o->arena);
}

/* ---------------------------------------------------------------- writing helpers */

static void kw_time(struct ks_jw *w, const char *key, uint64_t ns)
{
	char ts[32];

	if (!ns) {
		ks_jw_key(w, key);
		ks_jw_null(w);
		return;
	}
	ks_profile_time(ns, ts);
	ks_jw_kstr(w, key, ts);
}

static void kw_how(struct ks_jw *w, uint32_t how)
{
	ks_jw_key(w, "how");
	ks_jw_arr(w);
	if (how & KENSA_HOW_EXEC)
		ks_jw_str(w, "exec");
	if (how & KENSA_HOW_OPEN)
		ks_jw_str(w, "open");
	if (how & KENSA_HOW_MMAP)
		ks_jw_str(w, "mmap");
	ks_jw_arr_end(w);
}

static void kw_process(struct ks_jw *w, const char *comm, uint32_t pid, uint32_t uid)
{
	ks_jw_key(w, "process");
	ks_jw_obj(w);
	ks_jw_kstr(w, "comm", comm);
	ks_jw_kint(w, "pid", pid);
	ks_jw_kint(w, "uid", uid);
	ks_jw_obj_end(w);
}

static void kw_strs(struct ks_jw *w, const char *key, const char *const *v, size_t n)
{
	ks_jw_key(w, key);
	ks_jw_arr(w);
	for (size_t i = 0; i < n; i++)
		ks_jw_str(w, v[i]);
	ks_jw_arr_end(w);
}

static void kw_file(struct ks_jw *w, const struct pfile *f)
{
	ks_jw_obj(w);
	ks_jw_key(w, "path");
	ks_jw_strn(w, f->path, f->path_len);
	kw_how(w, f->how);
	kw_time(w, "first_seen", f->first);
	kw_time(w, "last_seen", f->last);
	ks_jw_kstr(w, "container", f->ctr->id);
	kw_process(w, f->comm, f->pid, f->uid);
	if (f->derived) {
		char src[4096];
		size_t n;

		if (ks_derived_source(f->path, f->path_len, src, sizeof(src), &n)) {
			ks_jw_key(w, "derived_from");
			ks_jw_strn(w, src, n);
		}
	}
	if (f->flags & KENSA_FILE_DELETED)
		ks_jw_kbool(w, "deleted", true);
	if (f->flags & KENSA_FILE_TRUNCATED)
		ks_jw_kbool(w, "truncated", true);
	ks_jw_obj_end(w);
}

static void kw_addr(struct ks_jw *w, uint16_t family, const uint8_t *addr)
{
	char buf[INET6_ADDRSTRLEN];

	if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, buf, sizeof(buf)))
		snprintf(buf, sizeof(buf), "?");
	ks_jw_kstr(w, "family", family == AF_INET6 ? "ipv6" : "ipv4");
	ks_jw_kstr(w, "address", buf);
}

static const char *proto_name(uint16_t p)
{
	return p == 6 ? "tcp" : p == 17 ? "udp" : p == 132 ? "sctp" : "other";
}

/* The package URLs a container used, sorted. */
static void kw_ctr_pkgs(struct ks_jw *w, const struct ctr *c)
{
	const char **v = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; c->used && c->slot && i < c->slot->npkgs; i++) {
		const struct kensa_package *pkg;

		if ((c->used[i / 8] >> (i % 8) & 1) && (pkg = ks_profile_slot_pkg(c->slot, i)) &&
		    pkg->purl && !KS_GROW(v, cap, n + 1))
			v[n++] = pkg->purl;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	kw_strs(w, "packages_in_use", v, n);
	free(v);
}

static void kw_slot_pkgs(struct ks_jw *w, const struct inv_slot *s)
{
	const char **v = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; s->use && i < s->npkgs; i++) {
		const struct kensa_package *pkg;

		if (s->use[i].first && (pkg = ks_profile_slot_pkg(s, i)) && pkg->purl &&
		    !KS_GROW(v, cap, n + 1))
			v[n++] = pkg->purl;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	kw_strs(w, "packages_in_use", v, n);
	free(v);
}

/* ---------------------------------------------------------------- the document */

int ks_profile_json(const struct kensa_profile *p, struct ks_jw *w)
{
	struct out o;
	uint64_t start = p->first_ev && p->first_ev < p->created_ns ? p->first_ev : p->created_ns;
	uint64_t end = p->ended > start ? p->ended : start;
	int result;

	memset(&o, 0, sizeof(o));
	result = collect(p, &o);
	if (result)
		goto out;
	ks_jw_obj(w);
	ks_jw_kstr(w, "$schema", "https://kensa.dev/schemas/profile-1.json");
	ks_jw_key(w, "tool");
	ks_jw_obj(w);
	ks_jw_kstr(w, "name", "kensa");
	ks_jw_kstr(w, "version", KENSA_VERSION);
	ks_jw_obj_end(w);
	ks_jw_kstr(w, "engine", p->engine ? p->engine : "unknown");
	kw_strs(w, "caveats", (const char *const *)p->caveats, p->ncaveats);

	ks_jw_key(w, "scope");
	ks_jw_obj(w);
	ks_jw_kstr(w, "kind", p->opts.scope);
	if (p->opts.argv) {
		size_t n = 0;

		while (p->opts.argv[n])
			n++;
		kw_strs(w, "argv", p->opts.argv, n);
	}
	ks_jw_kstr_opt(w, "container", p->opts.container);
	if (p->has_exit) {
		if (WIFEXITED(p->exit_status))
			ks_jw_kint(w, "exit_code", WEXITSTATUS(p->exit_status));
		else if (WIFSIGNALED(p->exit_status))
			ks_jw_kint(w, "signal", WTERMSIG(p->exit_status));
	}
	ks_jw_obj_end(w);

	kw_time(w, "started", start);
	ks_jw_key(w, "duration_s");
	ks_jw_numf(w, (double)(end - start) / 1e9, 3);
	ks_jw_kint(w, "events", (int64_t)p->stats.events);
	ks_jw_kint(w, "dropped_events", (int64_t)p->stats.dropped);
	ks_jw_key(w, "drops");
	ks_jw_obj(w);
	ks_jw_kint(w, "ring_buffer_full", (int64_t)p->stats.drop_ringbuf);
	ks_jw_kint(w, "fd_gone", (int64_t)p->stats.drop_nofile);
	ks_jw_kint(w, "children_not_followed", (int64_t)p->stats.drop_track);
	ks_jw_kint(w, "malformed", (int64_t)p->stats.drop_decode);
	ks_jw_kint(w, "dedup_map_full", (int64_t)p->stats.dedup_full);
	ks_jw_kint(w, "paths_truncated", (int64_t)p->stats.path_truncated);
	ks_jw_obj_end(w);
	ks_jw_kint(w, "files_evicted", (int64_t)p->evicted);
	ks_jw_kint(w, "files_evicted_unmapped", (int64_t)p->evicted_unmapped);
	ks_jw_kint(w, "records_cut", (int64_t)p->small_dropped);

	ks_jw_key(w, "packages_in_use");
	ks_jw_arr(w);
	for (size_t i = 0; i < o.n; i++) {
		const struct opkg *x = o.pkgs[i];

		ks_jw_obj(w);
		ks_jw_kstr(w, "purl", x->pkg->purl);
		ks_jw_kstr(w, "ecosystem", x->pkg->ecosystem);
		ks_jw_kstr(w, "name", x->pkg->name);
		ks_jw_kstr(w, "version", x->pkg->version);
		kw_how(w, x->how);
		kw_time(w, "first_seen", x->first);
		kw_time(w, "last_seen", x->last);
		kw_strs(w, "images", x->images, x->nimages);
		kw_strs(w, "containers", x->ctrs, x->nctrs);
		ks_jw_kint(w, "files_seen", (int64_t)x->nfiles_seen);
		ks_jw_key(w, "files");
		ks_jw_arr(w);
		for (size_t k = 0; k < x->nfiles; k++)
			kw_file(w, x->files[k]);
		ks_jw_arr_end(w);
		ks_jw_obj_end(w);
	}
	ks_jw_arr_end(w);

	ks_jw_key(w, "unowned_files");
	ks_jw_obj(w);
	ks_jw_kint(w, "count", (int64_t)o.unowned_total);
	ks_jw_key(w, "files");
	ks_jw_arr(w);
	for (size_t k = 0; k < o.nunowned; k++)
		kw_file(w, o.unowned[k]);
	ks_jw_arr_end(w);
	ks_jw_obj_end(w);

	ks_jw_key(w, "images");
	ks_jw_arr(w);
	for (const struct inv_slot *s = p->slots; s; s = s->next) {
		const char **ids = NULL;
		size_t nids = 0, capids = 0;

		if (!is_image_slot(s))
			continue;
		for (const struct ctr *c = p->ctrs; c; c = c->next)
			if (c->slot == s && !KS_GROW(ids, capids, nids + 1))
				ids[nids++] = c->id;
		if (nids)
			qsort(ids, nids, sizeof(*ids), cmp_str);
		ks_jw_obj(w);
		ks_jw_kstr(w, "id", s->key);
		ks_jw_kstr_opt(w, "name", s->image_name);
		kw_strs(w, "containers", ids, nids);
		free(ids);
		ks_jw_key(w, "inventory");
		ks_jw_obj(w);
		ks_jw_kint(w, "packages", (int64_t)s->npkgs);
		ks_jw_kstr_opt(w, "error", s->error);
		ks_jw_obj_end(w);
		kw_slot_pkgs(w, s);
		ks_jw_obj_end(w);
	}
	ks_jw_arr_end(w);

	ks_jw_key(w, "containers");
	ks_jw_arr(w);
	for (const struct ctr *c = p->ctrs; c; c = c->next) {
		if (c->host && p->opts.ignore_host)
			continue;
		ks_jw_obj(w);
		ks_jw_kstr(w, "id", c->id);
		ks_jw_kstr_opt(w, "name", c->name);
		ks_jw_kstr(w, "runtime", c->runtime);
		ks_jw_kbool(w, "host", c->host);
		ks_jw_kstr_opt(w, "image_id", c->image_id);
		ks_jw_kstr_opt(w, "image_name", c->image_name);
		kw_time(w, "first_seen", c->first);
		kw_time(w, "last_seen", c->last);
		ks_jw_kint(w, "files", (int64_t)c->nfiles);
		if (!c->slot)
			ks_jw_kstr(w, "inventory_error", "no inventory for it");
		else if (c->slot->error)
			ks_jw_kstr(w, "inventory_error", c->slot->error);
		kw_ctr_pkgs(w, c);
		ks_jw_obj_end(w);
	}
	ks_jw_arr_end(w);

	ks_jw_key(w, "listening");
	ks_jw_arr(w);
	for (size_t i = 0; i < p->nlisten; i++) {
		const struct plisten *l = &p->listen[i];

		ks_jw_obj(w);
		ks_jw_kstr(w, "protocol", proto_name(l->protocol));
		kw_addr(w, l->family, l->addr);
		ks_jw_kint(w, "port", l->port);
		ks_jw_kstr(w, "container", l->ctr->id);
		kw_process(w, l->comm, l->pid, l->uid);
		kw_time(w, "first_seen", l->first);
		kw_time(w, "last_seen", l->last);
		ks_jw_kint(w, "accepted", (int64_t)l->accepted);
		ks_jw_obj_end(w);
	}
	ks_jw_arr_end(w);

	ks_jw_key(w, "connections");
	ks_jw_arr(w);
	for (size_t i = 0; i < p->nconns; i++) {
		const struct pconn *c = &p->conns[i];

		ks_jw_obj(w);
		ks_jw_kstr(w, "protocol", proto_name(c->protocol));
		kw_addr(w, c->family, c->addr);
		ks_jw_kint(w, "port", c->port);
		ks_jw_kstr(w, "container", c->ctr->id);
		kw_process(w, c->comm, c->pid, c->uid);
		kw_time(w, "first_seen", c->first);
		kw_time(w, "last_seen", c->last);
		ks_jw_kint(w, "count", (int64_t)c->count);
		ks_jw_obj_end(w);
	}
	ks_jw_arr_end(w);

	ks_jw_key(w, "root_processes");
	ks_jw_arr(w);
	for (size_t i = 0; i < p->nroots; i++) {
		const struct proot *r = &p->roots[i];

		ks_jw_obj(w);
		ks_jw_kstr(w, "container", r->ctr->id);
		ks_jw_kstr(w, "executable", r->exe);
		if (r->path) {
			ks_jw_key(w, "path");
			ks_jw_strn(w, r->path, r->path_len);
		}
		ks_jw_kstr_opt(w, "args", r->args);
		kw_process(w, r->comm, r->pid, r->uid);
		ks_jw_kint(w, "euid", r->euid);
		kw_time(w, "first_seen", r->first);
		kw_time(w, "last_seen", r->last);
		ks_jw_kint(w, "count", (int64_t)r->count);
		ks_jw_obj_end(w);
	}
	ks_jw_arr_end(w);
	ks_jw_obj_end(w);
out:
	out_release(&o);
	return result;
}

int kensa_profile_write_json(const struct kensa_profile *p, FILE *out, struct kensa_err *err)
{
	struct ks_jw w;
	int result;

	ks_jw_init(&w, out, true);
	result = ks_profile_json(p, &w);
	if (result) {
		ks_jw_finish(&w);
		return kensa_err_set(err, result, "cannot write the profile: %s",
				     kensa_strerror(result));
	}
	result = ks_jw_finish(&w);
	if (!result && out && fputc('\n', out) == EOF)
		result = KENSA_EIO;
	if (result)
		return kensa_err_set(err, result, "cannot write the profile: %s",
				     kensa_strerror(result));
	return 0;
}
