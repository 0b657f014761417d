// SPDX-License-Identifier: Apache-2.0
/*
 * profile_in.c — runtime profiles (the JSON `kensa profile` writes, docs/profile.md) read as
 * evidence for the scan: which packages were in use (by purl, else ecosystem/name/version),
 * with one file, how it was used and by which process; listening sockets; root processes;
 * the engines and the observation window.
 *
 * Only the fields the profile contract guarantees are required (engine, started, duration_s,
 * dropped_events, packages_in_use[].{purl, ecosystem, name, version, files[].{path, how}});
 * anything else is read when present and ignored when not.
 *
 * A profile is evidence about the images it watched: when the scanned target is an image
 * and the profile names the images it saw, it counts only if this image is among them (and a
 * package entry only for this image). A profile that lost events cannot say "not in use":
 * what it does not list stays unknown (docs/profile.md).
 */
#include <stdlib.h>

#include "report.h"

static char *key_of(struct ks_arena *a, const char *eco, const char *name, const char *version)
{
	return ks_arena_printf(a, "%s\n%s\n%s", eco ? eco : "", name ? name : "", version ? version : "");
}

static const char *how_text(struct ks_arena *a, const cJSON *how)
{
	struct ks_buf b = KS_BUF_INIT;
	const char *out;

	if (cJSON_IsString(how))
		return ks_arena_strdup(a, how->valuestring);
	ks_json_each(h, how) {
		if (!cJSON_IsString(h))
			continue;
		if (b.len)
			ks_buf_addc(&b, '+');
		ks_buf_adds(&b, h->valuestring);
	}
	out = b.data ? ks_arena_strdup(a, b.data) : NULL;
	ks_buf_release(&b);
	return out;
}

static const char *process_text(struct ks_arena *a, const cJSON *proc)
{
	const char *comm;

	if (cJSON_IsString(proc))
		return ks_arena_strdup(a, proc->valuestring);
	comm = ks_json_str(proc, "comm");
	if (!comm)
		return NULL;
	if (ks_json_get(proc, "pid"))
		return ks_arena_printf(a, "%s[%.0f]", comm, ks_json_num(proc, "pid", 0));
	return ks_arena_strdup(a, comm);
}

/* "sha256:c9ab…" and "c9ab…" name the same image when one is a prefix (≥ 12 hex) of the other. */
static bool same_image(const char *a, const char *b)
{
	size_t la, lb, n;

	if (!a || !b)
		return false;
	if (strncmp(a, "sha256:", 7) == 0)
		a += 7;
	if (strncmp(b, "sha256:", 7) == 0)
		b += 7;
	la = strlen(a);
	lb = strlen(b);
	n = KS_MIN(la, lb);
	return n >= 12 && strncmp(a, b, n) == 0;
}

/* Does this list of image ids (strings or {"id": …}) name the scanned image? */
static bool names_image(const cJSON *ids, const char *image_id)
{
	ks_json_each(i, ids) {
		const char *id = cJSON_IsString(i) ? i->valuestring : ks_json_str(i, "id");

		if (same_image(id, image_id))
			return true;
	}
	return false;
}

static int read_one(struct kensa_report *r, const char *path, struct kensa_err *err)
{
	struct ks_arena *a = &r->arena;
	struct ks_profiles *pr = &r->profiles;
	char *data = NULL;
	size_t len;
	cJSON *root = NULL;
	const char *engine;
	const char *image_id;
	const cJSON *pkgs;
	int result;

	result = ks_file_read(path, (size_t)1 << 30, &data, &len, err);
	if (result)
		goto out;
	root = ks_json_parse(data, len, path, err);
	if (!root) {
		result = KENSA_EFORMAT;
		goto out;
	}
	engine = ks_json_str(root, "engine");
	pkgs = ks_json_arr(root, "packages_in_use");
	if (!engine || !pkgs || !ks_json_get(root, "duration_s")) {
		result = kensa_err_set(err, KENSA_EFORMAT,
				       "'%s' is not a kensa runtime profile (needs engine, duration_s, packages_in_use)",
				       path);
		goto out;
	}
	{
		const struct kensa_image *img = kensa_inventory_image(r->inv);
		const cJSON *images = ks_json_arr(root, "images");

		image_id = img ? img->id : NULL;
		if (image_id && images && images->child && !names_image(images, image_id)) {
			ks_warn("profile '%s' did not watch image %.19s: it is not used as evidence for this scan",
				path, image_id);
			goto out;
		}
	}
	pr->n++;
	if (!pr->engines)
		pr->engines = ks_arena_strdup(a, engine);
	else if (!strstr(pr->engines, engine))
		pr->engines = ks_arena_printf(a, "%s+%s", pr->engines, engine);
	if (strcmp(engine, "proc") == 0)
		pr->proc_engine = true;
	if (!pr->started)
		pr->started = ks_arena_strdup(a, ks_json_str(root, "started"));
	pr->duration_s += ks_json_num(root, "duration_s", 0);
	pr->dropped += (uint64_t)ks_json_int_in(root, "dropped_events", 0, KS_JSON_INT_MAX, 0);
	ks_json_each(pkg, pkgs) {
		struct ks_inuse *u;
		const cJSON *pimages = ks_json_arr(pkg, "images");

		/* used in another image of the same profile: not evidence about this one */
		if (image_id && pimages && pimages->child && !names_image(pimages, image_id))
			continue;
		u = ks_arena_alloc(a, sizeof(*u));
		const cJSON *files = ks_json_arr(pkg, "files");
		const char *purl = ks_json_str(pkg, "purl");
		const char *key = key_of(a, ks_json_str(pkg, "ecosystem"), ks_json_str(pkg, "name"),
					 ks_json_str(pkg, "version"));

		if (!u || !key) {
			result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
			goto out;
		}
		if (files && files->child) {
			const cJSON *f0 = files->child;

			u->file = ks_arena_strdup(a, cJSON_IsString(f0) ? f0->valuestring : ks_json_str(f0, "path"));
			u->how = how_text(a, ks_json_get(f0, "how"));
			u->process = process_text(a, ks_json_get(f0, "process"));
		}
		if (!u->file)
			u->file = "a file of the package";
		if (purl) {
			const char *k = ks_arena_strdup(a, purl);

			if (!k || ks_map_puts(&pr->by_purl, k, (uint64_t)(uintptr_t)u)) {
				result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
				goto out;
			}
		}
		if (ks_map_puts(&pr->by_key, key, (uint64_t)(uintptr_t)u)) {
			result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
			goto out;
		}
	}
	{
		const cJSON *l = ks_json_get(root, "listening");

		if (cJSON_IsArray(l) && l->child) {
			const cJSON *s = l->child;
			const char *addr = ks_json_str(s, "address");
			const char *proto = ks_json_str(s, "protocol");
			const char *comm = ks_json_str(ks_json_obj(s, "process"), "comm");

			pr->listening = true;
			if (!pr->listening_what)
				pr->listening_what = ks_arena_printf(a, "%s %s:%.0f%s%s%s", proto ? proto : "tcp",
								     addr ? addr : "*", ks_json_num(s, "port", 0),
								     comm ? " (" : "", comm ? comm : "", comm ? ")" : "");
		}
	}
	{
		const cJSON *rp = ks_json_get(root, "root_processes");

		if ((cJSON_IsArray(rp) && rp->child) || (cJSON_IsNumber(rp) && rp->valuedouble > 0) || cJSON_IsTrue(rp))
			pr->root = true;
	}
out:
	cJSON_Delete(root);
	free(data);
	return result;
}

int ks_profiles_read(struct kensa_report *r, const char *const *files, size_t n, struct kensa_err *err)
{
	for (size_t i = 0; i < n; i++) {
		int result = read_one(r, files[i], err);

		if (result)
			return result;
	}
	return 0;
}

const struct ks_inuse *ks_profiles_lookup(const struct kensa_report *r, const struct kensa_package *p)
{
	uint64_t v;
	char key[1024];

	if (!r->profiles.n)
		return NULL;
	if (p->purl && ks_map_gets(&r->profiles.by_purl, p->purl, &v))
		return (const struct ks_inuse *)(uintptr_t)v;
	snprintf(key, sizeof(key), "%s\n%s\n%s", p->ecosystem ? p->ecosystem : "", p->name ? p->name : "",
		 p->version ? p->version : "");
	if (ks_map_gets(&r->profiles.by_key, key, &v))
		return (const struct ks_inuse *)(uintptr_t)v;
	return NULL;
}
