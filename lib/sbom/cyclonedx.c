// SPDX-License-Identifier: Apache-2.0
/*
 * cyclonedx.c — CycloneDX 1.6 JSON: write an inventory, read one back (ours or another
 * tool's: any component with a purl becomes a package).
 *
 * Layout: metadata.component is the target (type "container" for images, "file" for
 * directories); one "operating-system" component; one "library" component per package
 * with its purl, and kensa's facts as properties (names under "kensa:", documented in
 * docs/sbom.md): ecosystem, analyzer, location, layer index/digest/diff_id/created_by,
 * source package, arch, owner (the bom-ref of the distro package owning it), flags, and one
 * "kensa:file" property per owned file. dependencies: target → os + packages, os → distro
 * packages. Validated in tests against the official bom-1.6 schema.
 */
#include <stdlib.h>

#include "sbom.h"

#define CDX_MAX_DEPTH 16

/* bom-ref of package i: its purl when unique, else purl#index (refs must be unique) */
const char **ks_cdx_refs(const struct kensa_inventory *inv, struct ks_arena *a)
{
	const char **refs = ks_arena_alloc(a, (inv->npkgs + 1) * sizeof(*refs));
	struct ks_map seen = KS_MAP_INIT;

	if (!refs)
		return NULL;
	for (size_t i = 0; i < inv->npkgs; i++) {
		const struct kensa_package *p = inv->pkgs[i];
		const char *base = p->purl ? p->purl : p->name;
		uint64_t *v;
		bool inserted;

		if (ks_map_upsert(&seen, base, strlen(base), 0, &v, &inserted)) {
			refs = NULL;
			break;
		}
		refs[i] = inserted ? base : ks_arena_printf(a, "%s#%zu", base, i);
	}
	ks_map_release(&seen);
	return refs;
}

static void prop(struct ks_jw *w, const char *name, const char *value)
{
	if (!value)
		return;
	ks_jw_obj(w);
	ks_jw_kstr(w, "name", name);
	ks_jw_kstr(w, "value", value);
	ks_jw_obj_end(w);
}

static void propi(struct ks_jw *w, const char *name, int64_t v)
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	prop(w, name, tmp);
}

static void write_component(struct ks_jw *w, const struct kensa_inventory *inv, const struct kensa_package *p,
			    const char *const *refs, struct ks_arena *a)
{
	const char *name = p->name, *group = NULL;
	const char *colon = strchr(p->name, ':');

	if (strcmp(p->ecosystem, "Maven") == 0 && colon) {
		group = ks_arena_strndup(a, p->name, (size_t)(colon - p->name));
		name = colon + 1;
	} else if (strcmp(p->ecosystem, "npm") == 0 && p->name[0] == '@' && strchr(p->name, '/')) {
		const char *slash = strchr(p->name, '/');

		group = ks_arena_strndup(a, p->name, (size_t)(slash - p->name));
		name = slash + 1;
	}
	ks_jw_obj(w);
	ks_jw_kstr(w, "type", "library");
	ks_jw_kstr(w, "bom-ref", refs[p->index]);
	if (group)
		ks_jw_kstr(w, "group", group);
	ks_jw_kstr(w, "name", name);
	if (p->version)
		ks_jw_kstr(w, "version", p->version);
	if (p->license && *p->license) {
		ks_jw_key(w, "licenses");
		ks_jw_arr(w);
		ks_jw_obj(w);
		ks_jw_key(w, "license");
		ks_jw_obj(w);
		ks_jw_kstr(w, "name", p->license);
		ks_jw_obj_end(w);
		ks_jw_obj_end(w);
		ks_jw_arr_end(w);
	}
	if (p->purl)
		ks_jw_kstr(w, "purl", p->purl);
	ks_jw_key(w, "properties");
	ks_jw_arr(w);
	prop(w, "kensa:ecosystem", p->ecosystem);
	prop(w, "kensa:analyzer", p->analyzer);
	prop(w, "kensa:location", p->location);
	if (p->layer >= 0 && (size_t)p->layer < inv->nlayers) {
		const struct kensa_layer *l = &inv->layers[p->layer];

		propi(w, "kensa:layer:index", p->layer);
		prop(w, "kensa:layer:digest", l->digest);
		prop(w, "kensa:layer:diff_id", l->diff_id);
		prop(w, "kensa:layer:created_by", l->created_by);
	}
	prop(w, "kensa:source:name", p->source_name);
	prop(w, "kensa:source:version", p->source_version);
	prop(w, "kensa:arch", p->arch);
	if (p->owner >= 0 && (size_t)p->owner < inv->npkgs)
		prop(w, "kensa:owner", refs[p->owner]);
	if (p->flags & KENSA_PKG_OS)
		prop(w, "kensa:flag", "os");
	if (p->flags & KENSA_PKG_DEV)
		prop(w, "kensa:flag", "dev");
	if (p->flags & KENSA_PKG_LOCKFILE)
		prop(w, "kensa:flag", "lockfile");
	if (p->flags & KENSA_PKG_STDLIB)
		prop(w, "kensa:flag", "stdlib");
	if (p->flags & KENSA_PKG_MAIN)
		prop(w, "kensa:flag", "main");
	for (size_t k = 0; k < p->nprops; k++) {
		const char *pn = ks_arena_printf(a, "kensa:prop:%s", p->props[k].key);

		prop(w, pn, p->props[k].value);
	}
	for (size_t f = 0; f < p->nfiles; f++)
		prop(w, "kensa:file", p->files[f]);
	ks_jw_arr_end(w);
	if (p->location) {
		ks_jw_key(w, "evidence");
		ks_jw_obj(w);
		ks_jw_key(w, "occurrences");
		ks_jw_arr(w);
		ks_jw_obj(w);
		ks_jw_kstr(w, "location", p->location);
		ks_jw_obj_end(w);
		ks_jw_arr_end(w);
		ks_jw_obj_end(w);
	}
	ks_jw_obj_end(w);
}

void ks_cdx_write_bom(struct ks_jw *w, const struct kensa_inventory *inv, const char *const *refs,
		      const struct kensa_kv *meta_props, size_t nmeta, struct ks_arena *a)
{
	char ts[32], uuid[37];
	const char *tname = inv->image && inv->image->name ? inv->image->name : inv->target;
	bool has_os = inv->os.id != NULL;

	ks_sbom_timestamp(ts);
	ks_sbom_uuid(uuid);
	ks_jw_kstr(w, "$schema", "http://cyclonedx.org/schema/bom-1.6.schema.json");
	ks_jw_kstr(w, "bomFormat", "CycloneDX");
	ks_jw_kstr(w, "specVersion", "1.6");
	ks_jw_kstr(w, "serialNumber", ks_arena_printf(a, "urn:uuid:%s", uuid));
	ks_jw_kint(w, "version", 1);

	ks_jw_key(w, "metadata");
	ks_jw_obj(w);
	ks_jw_kstr(w, "timestamp", ts);
	ks_jw_key(w, "tools");
	ks_jw_obj(w);
	ks_jw_key(w, "components");
	ks_jw_arr(w);
	ks_jw_obj(w);
	ks_jw_kstr(w, "type", "application");
	ks_jw_kstr(w, "name", "kensa");
	ks_jw_kstr(w, "version", KENSA_VERSION);
	ks_jw_obj_end(w);
	ks_jw_arr_end(w);
	ks_jw_obj_end(w);
	ks_jw_key(w, "component");
	ks_jw_obj(w);
	ks_jw_kstr(w, "type", inv->image ? "container" : "file");
	ks_jw_kstr(w, "bom-ref", "kensa:target");
	ks_jw_kstr(w, "name", tname ? tname : "target");
	if (inv->image && inv->image->id)
		ks_jw_kstr(w, "version", inv->image->id);
	ks_jw_key(w, "properties");
	ks_jw_arr(w);
	prop(w, "kensa:target", inv->target);
	prop(w, "kensa:target:kind", inv->target_kind);
	if (inv->image) {
		prop(w, "kensa:image:id", inv->image->id);
		prop(w, "kensa:image:user", inv->image->user);
	}
	for (size_t i = 0; i < inv->nlayers; i++) {
		prop(w, "kensa:layer", ks_arena_printf(a, "%zu %s %s", i, inv->layers[i].digest ? inv->layers[i].digest : "-",
						       inv->layers[i].created_by ? inv->layers[i].created_by : ""));
	}
	ks_jw_arr_end(w);
	ks_jw_obj_end(w);
	if (nmeta) {
		ks_jw_key(w, "properties");
		ks_jw_arr(w);
		for (size_t i = 0; i < nmeta; i++)
			prop(w, meta_props[i].key, meta_props[i].value);
		ks_jw_arr_end(w);
	}
	ks_jw_obj_end(w);

	ks_jw_key(w, "components");
	ks_jw_arr(w);
	if (has_os) {
		ks_jw_obj(w);
		ks_jw_kstr(w, "type", "operating-system");
		ks_jw_kstr(w, "bom-ref", "kensa:os");
		ks_jw_kstr(w, "name", inv->os.id);
		if (inv->os.debian_version || inv->os.version_id)
			ks_jw_kstr(w, "version", inv->os.debian_version ? inv->os.debian_version : inv->os.version_id);
		ks_jw_key(w, "properties");
		ks_jw_arr(w);
		prop(w, "kensa:os:version_id", inv->os.version_id);
		prop(w, "kensa:os:codename", inv->os.codename);
		prop(w, "kensa:os:pretty_name", inv->os.pretty_name);
		prop(w, "kensa:os:osv_ecosystem", inv->os.osv_ecosystem);
		ks_jw_arr_end(w);
		ks_jw_obj_end(w);
	}
	for (size_t i = 0; i < inv->npkgs; i++)
		write_component(w, inv, inv->pkgs[i], refs, a);
	ks_jw_arr_end(w);

	ks_jw_key(w, "dependencies");
	ks_jw_arr(w);
	ks_jw_obj(w);
	ks_jw_kstr(w, "ref", "kensa:target");
	ks_jw_key(w, "dependsOn");
	ks_jw_arr(w);
	if (has_os)
		ks_jw_str(w, "kensa:os");
	for (size_t i = 0; i < inv->npkgs; i++)
		if (!(inv->pkgs[i]->flags & KENSA_PKG_OS) || !has_os)
			ks_jw_str(w, refs[i]);
	ks_jw_arr_end(w);
	ks_jw_obj_end(w);
	if (has_os) {
		ks_jw_obj(w);
		ks_jw_kstr(w, "ref", "kensa:os");
		ks_jw_key(w, "dependsOn");
		ks_jw_arr(w);
		for (size_t i = 0; i < inv->npkgs; i++)
			if (inv->pkgs[i]->flags & KENSA_PKG_OS)
				ks_jw_str(w, refs[i]);
		ks_jw_arr_end(w);
		ks_jw_obj_end(w);
	}
	ks_jw_arr_end(w);
}

static int cdx_write(const struct kensa_inventory *inv, FILE *out, struct kensa_err *err)
{
	struct ks_arena a = KS_ARENA_INIT;
	const char **refs = ks_cdx_refs(inv, &a);
	struct ks_jw w;
	int result;

	if (!refs) {
		ks_arena_release(&a);
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	}
	ks_jw_init(&w, out, true);
	ks_jw_obj(&w);
	ks_cdx_write_bom(&w, inv, refs, NULL, 0, &a);
	ks_jw_obj_end(&w);
	result = ks_jw_finish(&w);
	ks_arena_release(&a);
	if (result)
		kensa_err_set(err, result, "cannot write the SBOM: %s", kensa_strerror(result));
	return result;
}

/* ---------------------------------------------------------------- reading */

static bool cdx_sniff(const cJSON *root)
{
	const char *f = ks_json_str(root, "bomFormat");

	return f && strcmp(f, "CycloneDX") == 0;
}

struct cdx_read {
	struct kensa_inventory *inv;
	const char *name;
	struct ks_map refs;		/* bom-ref → package index */
	const char **owner_refs;	/* per package: owner bom-ref to resolve */
	size_t cap;
};

static int read_component(struct cdx_read *r, const cJSON *c, int depth, struct kensa_err *err)
{
	struct kensa_inventory *inv = r->inv;
	struct ks_arena *a = &inv->arena;
	const char *type = ks_json_str(c, "type");
	const char *purl = ks_json_str(c, "purl");
	const char *eco = NULL, *name = NULL, *version = NULL, *distro = NULL, *owner = NULL;
	struct kensa_package *p;
	const cJSON *props = ks_json_arr(c, "properties");

	if (depth > CDX_MAX_DEPTH)
		return 0;
	ks_json_each(sub, ks_json_arr(c, "components")) {
		int result = read_component(r, sub, depth + 1, err);

		if (result)
			return result;
	}
	if (type && strcmp(type, "operating-system") == 0) {
		inv->os.id = ks_arena_strlower(a, ks_json_str(c, "name"));
		ks_json_each(pr, props) {
			const char *pn = ks_json_str(pr, "name"), *pv = ks_json_str(pr, "value");

			if (!pn || !pv)
				continue;
			if (strcmp(pn, "kensa:os:version_id") == 0)
				inv->os.version_id = ks_arena_strdup(a, pv);
			else if (strcmp(pn, "kensa:os:codename") == 0)
				inv->os.codename = ks_arena_strdup(a, pv);
			else if (strcmp(pn, "kensa:os:pretty_name") == 0)
				inv->os.pretty_name = ks_arena_strdup(a, pv);
		}
		if (!inv->os.version_id && ks_json_str(c, "version")) {
			/* "12.12" → "12" for Debian-like versions */
			const char *v = ks_json_str(c, "version");
			const char *dot = strchr(v, '.');

			inv->os.version_id = dot && inv->os.id && strcmp(inv->os.id, "debian") == 0
				? ks_arena_strndup(a, v, (size_t)(dot - v)) : ks_arena_strdup(a, v);
		}
		if (inv->os.id && strcmp(inv->os.id, "debian") == 0)
			inv->os.debian_version = ks_arena_strdup(a, ks_json_str(c, "version"));
		inv->os.osv_ecosystem = ks_os_ecosystem(a, inv->os.id, inv->os.version_id);
		return 0;
	}
	if (!purl)
		return 0;
	if (ks_purl_parse(a, purl, &eco, &name, &version, &distro) != 0) {
		ks_warn("%s: skipping component with unsupported purl '%s'", r->name, purl);
		inv->warnings++;
		return 0;
	}
	p = ks_inv_add(inv);
	if (!p || KS_GROW(r->owner_refs, r->cap, inv->npkgs))
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	r->owner_refs[p->index] = NULL;
	p->ecosystem = eco;
	p->name = ks_purl_display_name(a, eco, name, ks_json_str(c, "name"));
	p->version = version ? version : ks_arena_strdup(a, ks_json_str(c, "version"));
	p->purl = ks_arena_strdup(a, purl);
	ks_sbom_os_from_distro(inv, distro);
	if (strcmp(eco, "Debian") == 0 || strcmp(eco, "Ubuntu") == 0 || strcmp(ks_purl_type(eco), "apk") == 0 ||
	    strcmp(ks_purl_type(eco), "rpm") == 0)
		p->flags |= KENSA_PKG_OS;
	{
		const cJSON *lic = ks_json_arr(c, "licenses");
		const cJSON *l0 = lic ? lic->child : NULL;
		const cJSON *lo = ks_json_obj(l0, "license");
		const char *ln = ks_json_str(lo, "id") ? ks_json_str(lo, "id") : ks_json_str(lo, "name");

		if (!ln)
			ln = ks_json_str(l0, "expression");
		p->license = ks_arena_strdup(a, ln);
	}
	ks_json_each(pr, props) {
		const char *pn = ks_json_str(pr, "name"), *pv = ks_json_str(pr, "value");

		if (!pn || !pv || strncmp(pn, "kensa:", 6) != 0)
			continue;
		pn += 6;
		if (strcmp(pn, "file") == 0) {
			if (ks_inv_add_file(inv, p, pv, strlen(pv)))
				return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		} else if (strcmp(pn, "ecosystem") == 0) {
			/* keep the static ecosystem from the purl unless it refines it (Ubuntu) */
		} else if (strcmp(pn, "analyzer") == 0) {
			p->analyzer = ks_arena_strdup(a, pv);
		} else if (strcmp(pn, "location") == 0) {
			p->location = ks_arena_strdup(a, pv);
		} else if (strcmp(pn, "layer:index") == 0) {
			uint64_t v;

			if (ks_parse_u64(pv, strlen(pv), &v) && v < 1u << 20)
				p->layer = (int32_t)v;
		} else if (strcmp(pn, "source:name") == 0) {
			p->source_name = ks_arena_strdup(a, pv);
		} else if (strcmp(pn, "source:version") == 0) {
			p->source_version = ks_arena_strdup(a, pv);
		} else if (strcmp(pn, "arch") == 0) {
			p->arch = ks_arena_strdup(a, pv);
		} else if (strcmp(pn, "owner") == 0) {
			owner = pv;
		} else if (strcmp(pn, "flag") == 0) {
			if (strcmp(pv, "os") == 0)
				p->flags |= KENSA_PKG_OS;
			else if (strcmp(pv, "dev") == 0)
				p->flags |= KENSA_PKG_DEV;
			else if (strcmp(pv, "lockfile") == 0)
				p->flags |= KENSA_PKG_LOCKFILE;
			else if (strcmp(pv, "stdlib") == 0)
				p->flags |= KENSA_PKG_STDLIB;
			else if (strcmp(pv, "main") == 0)
				p->flags |= KENSA_PKG_MAIN;
		} else if (strncmp(pn, "prop:", 5) == 0) {
			struct kensa_kv *kv = ks_arena_alloc(a, (p->nprops + 1) * sizeof(*kv));

			if (!kv)
				return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
			if (p->nprops)
				memcpy(kv, p->props, p->nprops * sizeof(*kv));
			kv[p->nprops].key = ks_arena_strdup(a, pn + 5);
			kv[p->nprops].value = ks_arena_strdup(a, pv);
			p->props = kv;
			p->nprops++;
		}
	}
	if (!p->location) {
		const cJSON *occ = ks_json_arr(ks_json_obj(c, "evidence"), "occurrences");

		if (occ && occ->child)
			p->location = ks_arena_strdup(a, ks_json_str(occ->child, "location"));
	}
	if ((p->flags & KENSA_PKG_OS) && !p->source_name)
		p->source_name = p->name;
	if ((p->flags & KENSA_PKG_OS) && !p->source_version)
		p->source_version = p->version;
	if (!p->analyzer)
		p->analyzer = "sbom";
	if (owner)
		r->owner_refs[p->index] = ks_arena_strdup(a, owner);
	{
		const char *ref = ks_json_str(c, "bom-ref");

		if (ref) {
			const char *k = ks_arena_strdup(a, ref);

			if (!k || ks_map_puts(&r->refs, k, p->index))
				return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		}
	}
	return 0;
}

static int cdx_read(const cJSON *root, const char *name, struct kensa_inventory *inv, struct kensa_err *err)
{
	struct cdx_read r;
	const cJSON *meta = ks_json_obj(root, "metadata");
	const cJSON *mc = ks_json_obj(meta, "component");
	int result = 0;

	memset(&r, 0, sizeof(r));
	r.inv = inv;
	r.name = name;
	if (mc) {
		const char *type = ks_json_str(mc, "type");

		ks_json_each(pr, ks_json_arr(mc, "properties")) {
			const char *pn = ks_json_str(pr, "name"), *pv = ks_json_str(pr, "value");

			if (pn && pv && strcmp(pn, "kensa:target") == 0)
				inv->target = ks_arena_strdup(&inv->arena, pv);
		}
		if (type && strcmp(type, "container") == 0) {
			struct kensa_image *img = ks_arena_alloc(&inv->arena, sizeof(*img));

			if (img) {
				img->name = ks_arena_strdup(&inv->arena, ks_json_str(mc, "name"));
				img->id = ks_arena_strdup(&inv->arena, ks_json_str(mc, "version"));
				inv->image = img;
			}
		}
	}
	ks_json_each(c, ks_json_arr(root, "components")) {
		result = read_component(&r, c, 0, err);
		if (result)
			goto out;
	}
	for (size_t i = 0; i < inv->npkgs; i++) {
		uint64_t v;

		if (r.owner_refs[i] && ks_map_gets(&r.refs, r.owner_refs[i], &v))
			inv->pkgs[i]->owner = (int32_t)v;
	}
out:
	free(r.owner_refs);
	ks_map_release(&r.refs);
	return result;
}

const struct ks_sbom_format ks_sbom_cyclonedx = {
	.name = "cyclonedx",
	.write = cdx_write,
	.sniff = cdx_sniff,
	.read = cdx_read,
};
