// SPDX-License-Identifier: Apache-2.0
/*
 * inventory.c — build an inventory: target → tree (lib/source) → analyzers (lib/pkgdb) →
 * packages, owned files, and the path → package ownership index.
 *
 * Finalizing does, in order: drop lock-file entries that an installed package already
 * states; canonicalize every owned path inside the tree (directory symlinks resolved the
 * way the container's kernel would, so a runtime path matches); give each package its
 * sorted file array; build the ownership index (canonical and as-listed paths → packages,
 * one hash lookup); link language packages to the distro package owning their metadata
 * (python3-requests owns requests' egg-info, so the finding can go through Debian's fix);
 * compute package URLs.
 */
#include <stdlib.h>
#include <time.h>

#include "inv.h"
#include "pkgdb/pkgdb.h"

/* ---------------------------------------------------------------- lifecycle and accessors */

struct kensa_inventory *ks_inv_new(const char *target)
{
	struct kensa_inventory *inv = calloc(1, sizeof(*inv));

	if (!inv)
		return NULL;
	inv->target = ks_arena_strdup(&inv->arena, target);
	inv->created = (int64_t)time(NULL);
	return inv;
}

void kensa_inventory_free(struct kensa_inventory *inv)
{
	if (!inv)
		return;
	if (inv->tree) {
		ks_tree_release(inv->tree);
		free(inv->tree);
	}
	free(inv->pkgs);
	free(inv->pf);
	free(inv->secrets);
	free(inv->owner_idx);
	ks_map_release(&inv->owners);
	ks_arena_release(&inv->arena);
	free(inv);
}

const char *kensa_inventory_target(const struct kensa_inventory *inv) { return inv->target; }
const struct kensa_os *kensa_inventory_os(const struct kensa_inventory *inv) { return &inv->os; }
const struct kensa_image *kensa_inventory_image(const struct kensa_inventory *inv) { return inv->image; }
size_t kensa_inventory_count(const struct kensa_inventory *inv) { return inv->npkgs; }
uint64_t kensa_inventory_warnings(const struct kensa_inventory *inv) { return inv->warnings; }

const struct kensa_layer *kensa_inventory_layers(const struct kensa_inventory *inv, size_t *n)
{
	*n = inv->nlayers;
	return inv->layers;
}

const struct kensa_package *kensa_inventory_package(const struct kensa_inventory *inv, size_t i)
{
	return i < inv->npkgs ? inv->pkgs[i] : NULL;
}

const struct kensa_secret *kensa_inventory_secrets(const struct kensa_inventory *inv, size_t *n)
{
	*n = inv->nsecrets;
	return inv->secrets;
}

size_t kensa_inventory_owners(const struct kensa_inventory *inv, const char *path, size_t len,
			      const uint32_t **pkgs)
{
	uint64_t v;

	if (!ks_map_get(&inv->owners, path, len, &v)) {
		*pkgs = NULL;
		return 0;
	}
	*pkgs = inv->owner_idx + (uint32_t)v;
	return (size_t)(v >> 32);
}

const struct kensa_package *kensa_inventory_find(const struct kensa_inventory *inv, const char *ecosystem,
						  const char *name)
{
	for (size_t i = 0; i < inv->npkgs; i++)
		if (strcmp(inv->pkgs[i]->ecosystem, ecosystem) == 0 && strcmp(inv->pkgs[i]->name, name) == 0)
			return inv->pkgs[i];
	return NULL;
}

/* ---------------------------------------------------------------- building */

struct kensa_package *ks_inv_add(struct kensa_inventory *inv)
{
	struct kensa_package *p;

	if (inv->npkgs >= UINT32_MAX - 1 || KS_GROW(inv->pkgs, inv->cap, inv->npkgs + 1))
		return NULL;
	p = ks_arena_alloc(&inv->arena, sizeof(*p));
	if (!p)
		return NULL;
	p->index = (uint32_t)inv->npkgs;
	p->layer = -1;
	p->owner = -1;
	inv->pkgs[inv->npkgs++] = p;
	return p;
}

int ks_inv_add_file(struct kensa_inventory *inv, struct kensa_package *p, const char *path, size_t len)
{
	const char *copy = ks_arena_strndup(&inv->arena, path, len);

	if (!copy || KS_GROW(inv->pf, inv->cappf, inv->npf + 1))
		return KENSA_ENOMEM;
	inv->pf[inv->npf].pkg = p->index;
	inv->pf[inv->npf].path = copy;
	inv->npf++;
	return 0;
}

struct kensa_package *ks_pkg_new(struct ks_actx *x, const struct ks_node *from, const char *ecosystem,
				 const char *name, const char *version)
{
	struct kensa_package *p = ks_inv_add(x->inv);

	if (!p)
		return NULL;
	p->ecosystem = ecosystem;	/* static strings from the analyzer */
	p->name = ks_astr(x, name);
	p->version = ks_astr(x, version);
	p->analyzer = x->an->name;
	if (from) {
		p->location = ks_astrn(x, from->path, from->plen);
		p->layer = from->layer;
	}
	return p;
}

int ks_pkg_add_file(struct ks_actx *x, struct kensa_package *p, const char *path, size_t len)
{
	return ks_inv_add_file(x->inv, p, path, len);
}

int ks_pkg_add_prop(struct ks_actx *x, struct kensa_package *p, const char *key, const char *value)
{
	struct kensa_kv *kv = ks_arena_alloc(&x->inv->arena, (p->nprops + 1) * sizeof(*kv));

	if (!kv)
		return KENSA_ENOMEM;
	if (p->nprops)
		memcpy(kv, p->props, p->nprops * sizeof(*kv));
	kv[p->nprops].key = ks_astr(x, key);
	kv[p->nprops].value = ks_astr(x, value);
	p->props = kv;
	p->nprops++;
	return 0;
}

char *ks_astr(struct ks_actx *x, const char *s)
{
	return ks_arena_strdup(&x->inv->arena, s);
}

char *ks_astrn(struct ks_actx *x, const char *s, size_t n)
{
	return ks_arena_strndup(&x->inv->arena, s, n);
}

void ks_awarn(struct ks_actx *x, const char *path, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ks_tree_warn(x->tree, path, "%s: %s", x->an->name, msg);
}

bool ks_acontent(const struct ks_actx *x, const struct ks_node *n, const unsigned char **data, size_t *len)
{
	return ks_node_blob(n, x->an->extract ? x->id : -1, data, len);
}

struct kensa_os *ks_inv_os(struct ks_actx *x)
{
	return &x->inv->os;
}

char *ks_pep503(struct ks_actx *x, const char *name, size_t n)
{
	char *out = ks_arena_alloc(&x->inv->arena, n + 1);
	size_t o = 0;
	bool sep = false;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (c == '-' || c == '_' || c == '.') {
			sep = true;
			continue;
		}
		if (sep && o)
			out[o++] = '-';
		sep = false;
		out[o++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	out[o] = '\0';
	return out;
}

/* ---------------------------------------------------------------- read hooks */

/*
 * The analyzers own bits 0..62 of node->want; bit 63 asks for the secret scanner, which sees
 * the files of every layer (a secret deleted by a later layer is still in the image).
 */
#define WANT_SECRETS (1ULL << 63)
#define SECRETS_MAX_FILE ((uint64_t)2 << 20)

/* Files worth a secret scan: configuration and application files, not distro payload. */
static bool secret_candidate(const struct ks_node *n)
{
	static const char *const skip_dirs[] = {
		"/usr/share/", "/usr/lib/", "/usr/lib64/", "/usr/libexec/", "/usr/include/", "/usr/src/",
		"/lib/", "/lib64/", "/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/", "/boot/", "/proc/", "/sys/",
		"/dev/", "/var/lib/dpkg/", "/var/lib/apt/", "/var/lib/rpm/", "/var/cache/", "/var/log/",
		"/usr/local/lib/", "/usr/local/share/", "/etc/ssl/certs/", "/usr/local/go/",
	};
	static const char *const skip_ext[] = {
		".so", ".a", ".o", ".png", ".jpg", ".jpeg", ".gif", ".ico", ".woff", ".woff2", ".ttf",
		".gz", ".xz", ".zst", ".bz2", ".zip", ".jar", ".war", ".pyc", ".mo", ".svg", ".map",
		".wasm", ".node", ".class", ".whl", ".deb", ".rpm",
	};

	if (n->size == 0 || n->size > SECRETS_MAX_FILE)
		return false;
	for (size_t i = 0; i < KS_ARRAY_SIZE(skip_dirs); i++)
		if (strncmp(n->path, skip_dirs[i], strlen(skip_dirs[i])) == 0)
			return false;
	if (strstr(n->path, "/node_modules/") || strstr(n->path, "/site-packages/") ||
	    strstr(n->path, "/dist-packages/"))
		return false;
	for (size_t i = 0; i < KS_ARRAY_SIZE(skip_ext); i++)
		if (ks_str_endswith(n->path, skip_ext[i]))
			return false;
	return true;
}

static uint64_t hook_match(void *ud, const struct ks_node *n, uint64_t *max_size)
{
	const struct kensa_inventory *inv = ud;
	uint64_t mask = 0, max = 0;

	for (size_t i = 0; i < ks_nanalyzers; i++) {
		const struct ks_analyzer *an = ks_analyzers[i];

		if (an->match && an->match(n)) {
			mask |= 1ULL << i;
			max = KS_MAX(max, an->max_size);
		}
	}
	if (inv && inv->scan_secrets && secret_candidate(n)) {
		mask |= WANT_SECRETS;
		max = KS_MAX(max, SECRETS_MAX_FILE);
	}
	*max_size = max;
	return mask;
}

static struct kensa_secret *secret_add(struct kensa_inventory *inv)
{
	struct kensa_secret *s;

	if (KS_GROW(inv->secrets, inv->capsecrets, inv->nsecrets + 1))
		return NULL;
	s = &inv->secrets[inv->nsecrets++];
	memset(s, 0, sizeof(*s));
	s->layer = -1;
	return s;
}

struct secret_ctx {
	struct kensa_inventory *inv;
	const char *where;
	const char *path;
	int32_t layer;
};

static int on_secret(void *ud, const char *rule, const char *title, const char *severity, uint32_t line,
		     const char *redacted)
{
	struct secret_ctx *c = ud;
	struct kensa_secret *s = secret_add(c->inv);

	if (!s)
		return KENSA_ENOMEM;
	s->rule = rule;
	s->title = title;
	s->severity = severity;
	s->where = c->where;
	s->path = ks_arena_strdup(&c->inv->arena, c->path);
	s->layer = c->layer;
	s->line = c->layer >= 0 ? line : 0;
	s->redacted = ks_arena_strdup(&c->inv->arena, redacted);
	return s->path && s->redacted ? 0 : KENSA_ENOMEM;
}

static int scan_secrets(struct kensa_inventory *inv, const char *where, const char *path, int32_t layer,
			const void *data, size_t len)
{
	struct secret_ctx c = { inv, where, path, layer };

	/* binary content (a NUL in the first 8 KiB) is not searched */
	if (memchr(data, 0, KS_MIN(len, (size_t)8192)))
		return 0;
	return kensa_secrets_scan(data, len, on_secret, &c);
}

/* The image config's ENV, labels and history commands. */
static int scan_config_secrets(struct kensa_inventory *inv, const struct kensa_image *img)
{
	int result = 0;

	for (size_t i = 0; i < img->nenv && !result; i++) {
		const char *eq = strchr(img->env[i], '=');
		char *name = ks_arena_strndup(&inv->arena, img->env[i], eq ? (size_t)(eq - img->env[i]) : strlen(img->env[i]));

		result = scan_secrets(inv, "env", name, -1, img->env[i], strlen(img->env[i]));
	}
	for (size_t i = 0; i < img->nlabels && !result; i++) {
		char *kv = ks_arena_printf(&inv->arena, "%s=%s", img->labels[i].key, img->labels[i].value);

		result = kv ? scan_secrets(inv, "label", img->labels[i].key, -1, kv, strlen(kv)) : KENSA_ENOMEM;
	}
	for (size_t i = 0; i < img->nhistory && !result; i++) {
		char *where = ks_arena_printf(&inv->arena, "history[%zu]", i);

		if (img->history[i].created_by)
			result = scan_secrets(inv, "history", where, -1, img->history[i].created_by,
					      strlen(img->history[i].created_by));
	}
	return result;
}

static int add_blob(struct ks_tree *t, struct ks_node *n, int analyzer, const void *data, size_t len)
{
	struct ks_blob *b = ks_arena_alloc(&t->arena, sizeof(*b));

	if (!b)
		return KENSA_ENOMEM;
	b->analyzer = analyzer;
	b->data = ks_arena_memdup(&t->arena, data, len + 1);	/* keep a NUL after the data */
	if (!b->data)
		return KENSA_ENOMEM;
	((unsigned char *)b->data)[len] = 0;
	b->len = len;
	b->next = n->blobs;
	n->blobs = b;
	return 0;
}

static int hook_consume(void *ud, struct ks_tree *t, struct ks_node *n, const unsigned char *data, size_t len)
{
	struct kensa_inventory *inv = ud;
	bool raw_kept = false;
	struct ks_buf out = KS_BUF_INIT;
	int result = 0;

	if ((n->want & WANT_SECRETS) && inv)
		result = scan_secrets(inv, "file", n->path, n->layer, data, len);
	for (size_t i = 0; i < ks_nanalyzers && !result; i++) {
		const struct ks_analyzer *an = ks_analyzers[i];

		if (!(n->want & (1ULL << i)) || len > an->max_size)
			continue;
		if (!an->extract) {
			if (!raw_kept)
				result = add_blob(t, n, -1, data, len);
			raw_kept = true;
			continue;
		}
		ks_buf_reset(&out);
		result = an->extract(n, data, len, &out);
		if (!result && out.len)
			result = add_blob(t, n, (int)i, out.data, out.len);
	}
	ks_buf_release(&out);
	return result;
}



/* ---------------------------------------------------------------- finalize */

static int pf_by_pkg(const void *a, const void *b)
{
	const struct ks_pkgfile *x = a, *y = b;

	if (x->pkg != y->pkg)
		return x->pkg < y->pkg ? -1 : 1;
	return strcmp(x->path, y->path);
}

static int pf_by_path(const void *a, const void *b)
{
	const struct ks_pkgfile *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c)
		return c;
	return x->pkg < y->pkg ? -1 : x->pkg > y->pkg;
}

/* Drop lock-file packages an installed package already reports (same ecosystem/name/version). */
static int drop_lockfile_dupes(struct kensa_inventory *inv)
{
	struct ks_map seen = KS_MAP_INIT;
	uint32_t *remap = NULL;
	size_t o = 0;
	int result = 0;
	struct ks_arena tmp = KS_ARENA_INIT;

	remap = malloc((inv->npkgs + 1) * sizeof(*remap));
	if (!remap)
		return KENSA_ENOMEM;
	for (size_t i = 0; i < inv->npkgs; i++) {
		const struct kensa_package *p = inv->pkgs[i];
		char *key;

		if (p->flags & KENSA_PKG_LOCKFILE)
			continue;
		key = ks_arena_printf(&tmp, "%s\n%s\n%s", p->ecosystem, p->name, p->version ? p->version : "");
		if (!key || ks_map_puts(&seen, key, 1)) {
			result = KENSA_ENOMEM;
			goto out;
		}
	}
	for (size_t i = 0; i < inv->npkgs; i++) {
		struct kensa_package *p = inv->pkgs[i];

		if (p->flags & KENSA_PKG_LOCKFILE) {
			char *key = ks_arena_printf(&tmp, "%s\n%s\n%s", p->ecosystem, p->name,
						    p->version ? p->version : "");

			if (!key) {
				result = KENSA_ENOMEM;
				goto out;
			}
			if (ks_map_gets(&seen, key, NULL)) {
				remap[i] = UINT32_MAX;
				continue;
			}
			/* two lock files stating the same package: keep one */
			if (ks_map_puts(&seen, key, 1)) {
				result = KENSA_ENOMEM;
				goto out;
			}
		}
		remap[i] = (uint32_t)o;
		p->index = (uint32_t)o;
		inv->pkgs[o++] = p;
	}
	inv->npkgs = o;
	{
		size_t k = 0;

		for (size_t i = 0; i < inv->npf; i++) {
			uint32_t np = remap[inv->pf[i].pkg];

			if (np == UINT32_MAX)
				continue;
			inv->pf[k] = inv->pf[i];
			inv->pf[k++].pkg = np;
		}
		inv->npf = k;
	}
out:
	ks_map_release(&seen);
	ks_arena_release(&tmp);
	free(remap);
	return result;
}

int ks_inv_finalize(struct kensa_inventory *inv, const struct ks_tree *tree, struct kensa_err *err)
{
	struct ks_pkgfile *alias = NULL;
	size_t nalias = 0, capalias = 0;
	const char **files = NULL;
	int result;

	result = drop_lockfile_dupes(inv);
	if (result)
		goto out;

	/* canonical paths; drop directories and paths that do not exist in the tree */
	if (tree) {
		size_t k = 0;
		char canon[KS_MAX_PATH];

		for (size_t i = 0; i < inv->npf; i++) {
			struct ks_pkgfile f = inv->pf[i];
			size_t clen;
			const struct ks_node *n = ks_tree_resolve(tree, f.path, false, canon, &clen);

			if (!n || n->kind == KS_DIR)
				continue;
			if (strcmp(canon, f.path) != 0) {
				if (KS_GROW(alias, capalias, nalias + 1)) {
					result = KENSA_ENOMEM;
					goto out;
				}
				alias[nalias++] = f;
				f.path = ks_arena_strndup(&inv->arena, canon, clen);
				if (!f.path) {
					result = KENSA_ENOMEM;
					goto out;
				}
			}
			inv->pf[k++] = f;
		}
		inv->npf = k;
	}

	/* per-package file arrays */
	if (inv->npf)
		qsort(inv->pf, inv->npf, sizeof(*inv->pf), pf_by_pkg);
	files = ks_arena_alloc(&inv->arena, (inv->npf + 1) * sizeof(*files));
	if (!files) {
		result = KENSA_ENOMEM;
		goto out;
	}
	{
		size_t nf = 0;

		for (size_t i = 0; i < inv->npf; i++) {
			struct kensa_package *p = inv->pkgs[inv->pf[i].pkg];

			if (i > 0 && inv->pf[i - 1].pkg == inv->pf[i].pkg && strcmp(inv->pf[i - 1].path, inv->pf[i].path) == 0)
				continue;	/* duplicate */
			if (!p->nfiles)
				p->files = files + nf;
			files[nf++] = inv->pf[i].path;
			p->nfiles++;
		}
	}

	/* ownership index over canonical + as-listed paths */
	if (nalias) {
		if (KS_GROW(inv->pf, inv->cappf, inv->npf + nalias)) {
			result = KENSA_ENOMEM;
			goto out;
		}
		memcpy(inv->pf + inv->npf, alias, nalias * sizeof(*alias));
		inv->npf += nalias;
	}
	if (inv->npf)
		qsort(inv->pf, inv->npf, sizeof(*inv->pf), pf_by_path);
	inv->owner_idx = malloc((inv->npf + 1) * sizeof(*inv->owner_idx));
	if (!inv->owner_idx) {
		result = KENSA_ENOMEM;
		goto out;
	}
	{
		size_t no = 0;

		for (size_t i = 0; i < inv->npf;) {
			size_t j = i, start = no;

			while (j < inv->npf && strcmp(inv->pf[j].path, inv->pf[i].path) == 0) {
				if (no == start || inv->owner_idx[no - 1] != inv->pf[j].pkg)
					inv->owner_idx[no++] = inv->pf[j].pkg;
				j++;
			}
			result = ks_map_put(&inv->owners, inv->pf[i].path, strlen(inv->pf[i].path),
					    ((uint64_t)(no - start) << 32) | start);
			if (result)
				goto out;
			i = j;
		}
	}
	free(inv->pf);
	inv->pf = NULL;
	inv->npf = inv->cappf = 0;

	/* language packages whose metadata a distro package owns */
	for (size_t i = 0; i < inv->npkgs; i++) {
		struct kensa_package *p = inv->pkgs[i];
		const uint32_t *owners;
		size_t n;
		char canon[KS_MAX_PATH];
		const char *loc = p->location;

		if ((p->flags & KENSA_PKG_OS) || !loc)
			continue;
		if (tree && ks_tree_resolve(tree, loc, true, canon, NULL))
			loc = canon;
		n = kensa_inventory_owners(inv, loc, strlen(loc), &owners);
		for (size_t k = 0; k < n; k++) {
			if (inv->pkgs[owners[k]]->flags & KENSA_PKG_OS) {
				p->owner = (int32_t)owners[k];
				break;
			}
		}
	}
	for (size_t i = 0; i < inv->npkgs; i++) {
		struct kensa_package *p = inv->pkgs[i];

		if (!p->purl)
			p->purl = ks_purl_build(&inv->arena, p, &inv->os);
	}
out:
	free(alias);
	if (result)
		kensa_err_set(err, result, "%s: cannot finish the inventory: %s", inv->target, kensa_strerror(result));
	return result;
}

/* ---------------------------------------------------------------- scan */

int ks_sbom_read_file(const char *path, struct kensa_inventory **out, struct kensa_err *err);

static int run_analyzers(struct kensa_inventory *inv, struct ks_tree *t, struct kensa_err *err)
{
	int result = 0;

	for (size_t i = 0; i < ks_nanalyzers && !result; i++) {
		struct ks_actx x;
		size_t cap = 0;

		memset(&x, 0, sizeof(x));
		x.tree = t;
		x.inv = inv;
		x.id = (int)i;
		x.an = ks_analyzers[i];
		for (size_t k = 0; k < t->nnodes; k++) {
			if (!(t->nodes[k]->want & (1ULL << i)))
				continue;
			if (KS_GROW(x.nodes, cap, x.nnodes + 1)) {
				result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
				break;
			}
			x.nodes[x.nnodes++] = t->nodes[k];
		}
		if (!result && x.an->scan && (x.nnodes || !x.an->match))
			result = x.an->scan(&x);
		if (result)
			kensa_err_set(err, result, "%s: analyzer %s failed: %s", t->target, x.an->name,
				      kensa_strerror(result));
		free(x.nodes);
	}
	return result;
}

static const struct ks_read_hooks memory_hooks = { NULL, hook_match, hook_consume };

int ks_inventory_scan_memory(const struct ks_memfile *files, size_t n, struct kensa_inventory **out,
			     struct kensa_err *err)
{
	struct kensa_inventory *inv = NULL;
	struct ks_tree *t = NULL;
	struct ks_layer_rec *l;
	int result = 0;

	*out = NULL;
	inv = ks_inv_new("memory");
	t = calloc(1, sizeof(*t));
	if (!inv || !t) {
		result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		goto out;
	}
	ks_tree_init(t, "memory");
	t->hooks = &memory_hooks;
	l = ks_tree_add_layer(t, "memory");
	if (!l) {
		result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct ks_node *nd = ks_layer_add_entry(t, l);
		uint64_t max = 0;

		if (!nd) {
			result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
			goto out;
		}
		if (!ks_node_set_path(t, nd, files[i].path, "memory")) {
			l->nentries--;
			continue;
		}
		if (nd->kind == KS_WHITEOUT || nd->kind == KS_OPAQUE)
			continue;
		nd->mode = files[i].mode ? files[i].mode : 0644;
		if (files[i].symlink) {
			nd->kind = KS_SYMLINK;
			nd->link = ks_arena_strdup(&t->arena, files[i].symlink);
			continue;
		}
		nd->kind = KS_REG;
		nd->size = files[i].len;
		nd->want = hook_match(NULL, nd, &max);
		if (nd->want && files[i].len <= max) {
			result = ks_tree_offer(t, nd, files[i].data, files[i].len);
			if (result) {
				kensa_err_set(err, result, "out of memory");
				goto out;
			}
		}
	}
	result = ks_tree_merge(t, err);
	if (!result)
		result = run_analyzers(inv, t, err);
	if (!result)
		result = ks_inv_finalize(inv, t, err);
	if (result)
		goto out;
	inv->target_kind = "memory";
	inv->tree = t;
	t = NULL;
	*out = inv;
	inv = NULL;
out:
	if (t) {
		ks_tree_release(t);
		free(t);
	}
	kensa_inventory_free(inv);
	return result;
}

int kensa_inventory_scan(const char *target, const struct kensa_inventory_opts *opts, struct kensa_inventory **out,
			 struct kensa_err *err)
{
	struct kensa_inventory_opts defaults = KENSA_INVENTORY_OPTS_INIT;
	struct kensa_inventory *inv = NULL;
	struct ks_tree *t = NULL;
	struct ks_target tg;
	struct ks_arena a = KS_ARENA_INIT;
	struct ks_read_hooks hooks = { NULL, hook_match, hook_consume };
	int result;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	result = ks_target_parse(&a, target, &tg, err);
	if (result)
		goto out;
	if (tg.kind == KS_TARGET_SBOM) {
		result = ks_sbom_read_file(tg.path, out, err);
		goto out;
	}
	inv = ks_inv_new(target);
	t = calloc(1, sizeof(*t));
	if (!inv || !t) {
		result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		goto out;
	}
	ks_tree_init(t, target);
	if (opts->max_image_bytes)
		t->max_bytes = opts->max_image_bytes;
	inv->scan_secrets = opts->secrets;
	hooks.ud = inv;
	t->hooks = &hooks;
	result = ks_source_read(t, &tg, err);
	if (result)
		goto out;
	inv->target_kind = ks_target_kind_name(tg.kind);
	result = run_analyzers(inv, t, err);
	if (result)
		goto out;
	if (!opts->files) {
		inv->npf = 0;
	}
	result = ks_inv_finalize(inv, t, err);
	if (result)
		goto out;
	/* image metadata and layers move to the inventory (they live in the tree arena) */
	inv->image = t->image;
	inv->nlayers = t->nlayers;
	inv->layers = ks_arena_alloc(&inv->arena, (t->nlayers + 1) * sizeof(*inv->layers));
	if (!inv->layers) {
		result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < t->nlayers; i++)
		inv->layers[i] = t->layers[i].info;
	inv->warnings = t->warnings;
	if (inv->scan_secrets) {
		if (inv->image)
			result = scan_config_secrets(inv, inv->image);
		/* a secret in a file no longer visible is still in its layer */
		for (size_t i = 0; i < inv->nsecrets && !result; i++) {
			const struct kensa_secret *sc = &inv->secrets[i];
			const struct ks_node *n;

			if (strcmp(sc->where, "file") != 0)
				continue;
			n = ks_tree_get(t, sc->path, strlen(sc->path));
			inv->secrets[i].deleted = !n || n->layer != sc->layer;
		}
		if (result) {
			kensa_err_set(err, result, "out of memory");
			goto out;
		}
	}
	if (t->image) {
		/*
		 * An image keeps its tree: the image checks read every layer's entries (setuid
		 * files, caches), and the image and layer strings live in the tree's arena.
		 */
		inv->tree = t;
		t = NULL;
	} else {
		/* a directory or the host: the tree can be large (the host's is ~400 MB); keep
		 * the layer strings and let it go */
		for (size_t i = 0; i < inv->nlayers; i++) {
			inv->layers[i].digest = ks_arena_strdup(&inv->arena, inv->layers[i].digest);
			inv->layers[i].diff_id = ks_arena_strdup(&inv->arena, inv->layers[i].diff_id);
			inv->layers[i].created_by = ks_arena_strdup(&inv->arena, inv->layers[i].created_by);
			inv->layers[i].created = ks_arena_strdup(&inv->arena, inv->layers[i].created);
		}
	}
	*out = inv;
	inv = NULL;
out:
	if (t) {
		ks_tree_release(t);
		free(t);
	}
	kensa_inventory_free(inv);
	ks_arena_release(&a);
	return result;
}
