// SPDX-License-Identifier: Apache-2.0
/*
 * native.c — kensa's own inventory JSON (format "json"): everything the inventory knows,
 * nothing lost, described by docs/schemas/sbom.schema.json. Written and read back here.
 */
#include "sbom.h"

#define NATIVE_SCHEMA "https://kensa.dev/schemas/sbom-1.json"

static void write_strs(struct ks_jw *w, const char *key, const char *const *v, size_t n)
{
	ks_jw_key(w, key);
	ks_jw_arr(w);
	for (size_t i = 0; i < n; i++)
		ks_jw_str(w, v[i]);
	ks_jw_arr_end(w);
}

static void write_image(struct ks_jw *w, const struct kensa_image *img)
{
	ks_jw_key(w, "image");
	ks_jw_obj(w);
	ks_jw_kstr(w, "name", img->name);
	ks_jw_kstr(w, "id", img->id);
	ks_jw_kstr(w, "os", img->os);
	ks_jw_kstr(w, "architecture", img->architecture);
	ks_jw_kstr(w, "user", img->user);
	ks_jw_kstr(w, "workdir", img->workdir);
	write_strs(w, "env", img->env, img->nenv);
	write_strs(w, "cmd", img->cmd, img->ncmd);
	write_strs(w, "entrypoint", img->entrypoint, img->nentrypoint);
	write_strs(w, "exposed_ports", img->exposed_ports, img->nexposed_ports);
	ks_jw_key(w, "labels");
	ks_jw_obj(w);
	for (size_t i = 0; i < img->nlabels; i++)
		ks_jw_kstr(w, img->labels[i].key, img->labels[i].value);
	ks_jw_obj_end(w);
	ks_jw_kbool(w, "healthcheck", img->has_healthcheck);
	ks_jw_key(w, "history");
	ks_jw_arr(w);
	for (size_t i = 0; i < img->nhistory; i++) {
		const struct kensa_history *h = &img->history[i];

		ks_jw_obj(w);
		ks_jw_kstr(w, "created_by", h->created_by);
		ks_jw_kstr(w, "created", h->created);
		ks_jw_kbool(w, "empty_layer", h->empty_layer);
		ks_jw_key(w, "layer");
		if (h->layer >= 0)
			ks_jw_int(w, h->layer);
		else
			ks_jw_null(w);
		ks_jw_obj_end(w);
	}
	ks_jw_arr_end(w);
	ks_jw_obj_end(w);
}

static const struct {
	uint32_t flag;
	const char *name;
} flag_names[] = {
	{ KENSA_PKG_OS, "os" }, { KENSA_PKG_DEV, "dev" }, { KENSA_PKG_LOCKFILE, "lockfile" },
	{ KENSA_PKG_STDLIB, "stdlib" }, { KENSA_PKG_MAIN, "main" },
};

static int native_write(const struct kensa_inventory *inv, FILE *out, struct kensa_err *err)
{
	struct ks_jw w;
	char ts[32];
	int result;

	ks_sbom_timestamp(ts);
	ks_jw_init(&w, out, true);
	ks_jw_obj(&w);
	ks_jw_kstr(&w, "$schema", NATIVE_SCHEMA);
	ks_jw_key(&w, "tool");
	ks_jw_obj(&w);
	ks_jw_kstr(&w, "name", "kensa");
	ks_jw_kstr(&w, "version", KENSA_VERSION);
	ks_jw_obj_end(&w);
	ks_jw_kstr(&w, "created", ts);
	ks_jw_key(&w, "target");
	ks_jw_obj(&w);
	ks_jw_kstr(&w, "name", inv->target);
	ks_jw_kstr(&w, "kind", inv->target_kind);
	ks_jw_obj_end(&w);
	ks_jw_key(&w, "os");
	ks_jw_obj(&w);
	ks_jw_kstr(&w, "id", inv->os.id);
	ks_jw_kstr(&w, "version_id", inv->os.version_id);
	ks_jw_kstr(&w, "codename", inv->os.codename);
	ks_jw_kstr(&w, "pretty_name", inv->os.pretty_name);
	ks_jw_kstr(&w, "debian_version", inv->os.debian_version);
	ks_jw_kstr(&w, "osv_ecosystem", inv->os.osv_ecosystem);
	ks_jw_obj_end(&w);
	if (inv->image)
		write_image(&w, inv->image);
	ks_jw_key(&w, "layers");
	ks_jw_arr(&w);
	for (size_t i = 0; i < inv->nlayers; i++) {
		const struct kensa_layer *l = &inv->layers[i];

		ks_jw_obj(&w);
		ks_jw_kint(&w, "index", (int64_t)i);
		ks_jw_kstr(&w, "digest", l->digest);
		ks_jw_kstr(&w, "diff_id", l->diff_id);
		ks_jw_kstr(&w, "created_by", l->created_by);
		ks_jw_kstr(&w, "created", l->created);
		ks_jw_kint(&w, "size", (int64_t)l->size);
		ks_jw_kint(&w, "entries", (int64_t)l->entries);
		ks_jw_obj_end(&w);
	}
	ks_jw_arr_end(&w);
	ks_jw_key(&w, "packages");
	ks_jw_arr(&w);
	for (size_t i = 0; i < inv->npkgs; i++) {
		const struct kensa_package *p = inv->pkgs[i];

		ks_jw_obj(&w);
		ks_jw_kint(&w, "index", p->index);
		ks_jw_kstr(&w, "ecosystem", p->ecosystem);
		ks_jw_kstr(&w, "name", p->name);
		ks_jw_kstr(&w, "version", p->version);
		ks_jw_kstr(&w, "purl", p->purl);
		if (p->source_name || p->source_version) {
			ks_jw_key(&w, "source");
			ks_jw_obj(&w);
			ks_jw_kstr(&w, "name", p->source_name);
			ks_jw_kstr(&w, "version", p->source_version);
			ks_jw_obj_end(&w);
		}
		ks_jw_kstr_opt(&w, "arch", p->arch);
		ks_jw_kstr_opt(&w, "license", p->license);
		ks_jw_kstr(&w, "location", p->location);
		ks_jw_kstr(&w, "analyzer", p->analyzer);
		ks_jw_key(&w, "layer");
		if (p->layer >= 0)
			ks_jw_int(&w, p->layer);
		else
			ks_jw_null(&w);
		ks_jw_key(&w, "owner");
		if (p->owner >= 0)
			ks_jw_int(&w, p->owner);
		else
			ks_jw_null(&w);
		ks_jw_key(&w, "flags");
		ks_jw_arr(&w);
		for (size_t f = 0; f < KS_ARRAY_SIZE(flag_names); f++)
			if (p->flags & flag_names[f].flag)
				ks_jw_str(&w, flag_names[f].name);
		ks_jw_arr_end(&w);
		ks_jw_key(&w, "properties");
		ks_jw_obj(&w);
		for (size_t k = 0; k < p->nprops; k++)
			ks_jw_kstr(&w, p->props[k].key, p->props[k].value);
		ks_jw_obj_end(&w);
		write_strs(&w, "files", p->files, p->nfiles);
		ks_jw_obj_end(&w);
	}
	ks_jw_arr_end(&w);
	ks_jw_kint(&w, "warnings", (int64_t)inv->warnings);
	ks_jw_obj_end(&w);
	result = ks_jw_finish(&w);
	if (result)
		kensa_err_set(err, result, "cannot write the SBOM: %s", kensa_strerror(result));
	return result;
}

static bool native_sniff(const cJSON *root)
{
	const char *schema = ks_json_str(root, "$schema");

	return schema && strcmp(schema, NATIVE_SCHEMA) == 0;
}

static const char *dup(struct kensa_inventory *inv, const cJSON *obj, const char *key)
{
	return ks_arena_strdup(&inv->arena, ks_json_str(obj, key));
}

static const char *const *read_strs(struct kensa_inventory *inv, const cJSON *arr, size_t *n)
{
	const char **out;
	size_t k = 0;

	*n = 0;
	if (!cJSON_IsArray(arr))
		return NULL;
	out = ks_arena_alloc(&inv->arena, ((size_t)cJSON_GetArraySize(arr) + 1) * sizeof(*out));
	if (!out)
		return NULL;
	ks_json_each(v, arr)
		if (cJSON_IsString(v))
			out[k++] = ks_arena_strdup(&inv->arena, v->valuestring);
	*n = k;
	return out;
}

static const char *static_ecosystem(const char *eco)
{
	static const char *const known[] = { "Debian", "Ubuntu", "Alpine", "Wolfi", "Red Hat", "Rocky Linux",
		"AlmaLinux", "SUSE", "openSUSE", "Amazon Linux", "PyPI", "npm", "Maven", "Go", "crates.io",
		"RubyGems", "Packagist", "NuGet" };

	for (size_t i = 0; eco && i < KS_ARRAY_SIZE(known); i++)
		if (strcmp(known[i], eco) == 0)
			return known[i];
	return NULL;
}

static int native_read(const cJSON *root, const char *name, struct kensa_inventory *inv, struct kensa_err *err)
{
	const cJSON *os = ks_json_obj(root, "os");
	const cJSON *img = ks_json_obj(root, "image");
	const cJSON *layers = ks_json_arr(root, "layers");
	const cJSON *target = ks_json_obj(root, "target");

	if (ks_json_str(target, "name"))
		inv->target = dup(inv, target, "name");
	inv->os.id = dup(inv, os, "id");
	inv->os.version_id = dup(inv, os, "version_id");
	inv->os.codename = dup(inv, os, "codename");
	inv->os.pretty_name = dup(inv, os, "pretty_name");
	inv->os.debian_version = dup(inv, os, "debian_version");
	inv->os.osv_ecosystem = dup(inv, os, "osv_ecosystem");
	if (img) {
		struct kensa_image *im = ks_arena_alloc(&inv->arena, sizeof(*im));
		const cJSON *labels = ks_json_obj(img, "labels");
		const cJSON *hist = ks_json_arr(img, "history");

		if (!im)
			return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		im->name = dup(inv, img, "name");
		im->id = dup(inv, img, "id");
		im->os = dup(inv, img, "os");
		im->architecture = dup(inv, img, "architecture");
		im->user = dup(inv, img, "user");
		im->workdir = dup(inv, img, "workdir");
		im->env = read_strs(inv, ks_json_arr(img, "env"), &im->nenv);
		im->cmd = read_strs(inv, ks_json_arr(img, "cmd"), &im->ncmd);
		im->entrypoint = read_strs(inv, ks_json_arr(img, "entrypoint"), &im->nentrypoint);
		im->exposed_ports = read_strs(inv, ks_json_arr(img, "exposed_ports"), &im->nexposed_ports);
		im->has_healthcheck = ks_json_bool(img, "healthcheck", false);
		if (labels) {
			struct kensa_kv *kv = ks_arena_alloc(&inv->arena, ((size_t)cJSON_GetArraySize(labels) + 1) * sizeof(*kv));

			ks_json_each(l, labels)
				if (kv && l->string && cJSON_IsString(l)) {
					kv[im->nlabels].key = ks_arena_strdup(&inv->arena, l->string);
					kv[im->nlabels++].value = ks_arena_strdup(&inv->arena, l->valuestring);
				}
			im->labels = kv;
		}
		if (hist) {
			struct kensa_history *h = ks_arena_alloc(&inv->arena, ((size_t)cJSON_GetArraySize(hist) + 1) * sizeof(*h));

			ks_json_each(e, hist) {
				if (!h)
					break;
				h[im->nhistory].created_by = dup(inv, e, "created_by");
				h[im->nhistory].created = dup(inv, e, "created");
				h[im->nhistory].empty_layer = ks_json_bool(e, "empty_layer", false);
				h[im->nhistory].layer =
					(int32_t)ks_json_int_in(e, "layer", -1, INT32_MAX, -1);
				im->nhistory++;
			}
			im->history = h;
		}
		inv->image = im;
	}
	if (layers) {
		inv->layers = ks_arena_alloc(&inv->arena, ((size_t)cJSON_GetArraySize(layers) + 1) * sizeof(*inv->layers));
		if (!inv->layers)
			return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		ks_json_each(l, layers) {
			struct kensa_layer *li = &inv->layers[inv->nlayers++];

			li->digest = dup(inv, l, "digest");
			li->diff_id = dup(inv, l, "diff_id");
			li->created_by = dup(inv, l, "created_by");
			li->created = dup(inv, l, "created");
			li->size = (uint64_t)ks_json_int_in(l, "size", 0, KS_JSON_INT_MAX, 0);
			li->entries = (uint64_t)ks_json_int_in(l, "entries", 0, KS_JSON_INT_MAX, 0);
		}
	}
	ks_json_each(pj, ks_json_arr(root, "packages")) {
		const char *eco = static_ecosystem(ks_json_str(pj, "ecosystem"));
		struct kensa_package *p;
		const cJSON *src = ks_json_obj(pj, "source");
		const cJSON *props = ks_json_obj(pj, "properties");
		double layer = ks_json_num(pj, "layer", -1), owner = ks_json_num(pj, "owner", -1);

		if (!eco || !ks_json_str(pj, "name")) {
			ks_warn("%s: skipping a package without a known ecosystem or a name", name);
			inv->warnings++;
			continue;
		}
		p = ks_inv_add(inv);
		if (!p)
			return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		p->ecosystem = eco;
		p->name = dup(inv, pj, "name");
		p->version = dup(inv, pj, "version");
		p->purl = dup(inv, pj, "purl");
		p->source_name = dup(inv, src, "name");
		p->source_version = dup(inv, src, "version");
		p->arch = dup(inv, pj, "arch");
		p->license = dup(inv, pj, "license");
		p->location = dup(inv, pj, "location");
		p->analyzer = dup(inv, pj, "analyzer");
		p->layer = layer >= 0 && layer < (double)inv->nlayers ? (int32_t)layer : -1;
		p->owner = owner >= 0 && owner < 1e9 ? (int32_t)owner : -1;
		ks_json_each(f, ks_json_arr(pj, "flags"))
			for (size_t k = 0; k < KS_ARRAY_SIZE(flag_names); k++)
				if (cJSON_IsString(f) && strcmp(f->valuestring, flag_names[k].name) == 0)
					p->flags |= flag_names[k].flag;
		if (props) {
			struct kensa_kv *kv = ks_arena_alloc(&inv->arena, ((size_t)cJSON_GetArraySize(props) + 1) * sizeof(*kv));

			ks_json_each(pr, props)
				if (kv && pr->string && cJSON_IsString(pr)) {
					kv[p->nprops].key = ks_arena_strdup(&inv->arena, pr->string);
					kv[p->nprops++].value = ks_arena_strdup(&inv->arena, pr->valuestring);
				}
			p->props = kv;
		}
		ks_json_each(f, ks_json_arr(pj, "files"))
			if (cJSON_IsString(f) && ks_inv_add_file(inv, p, f->valuestring, strlen(f->valuestring)))
				return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	}
	/* owners refer to indices of this document: validate */
	for (size_t i = 0; i < inv->npkgs; i++)
		if (inv->pkgs[i]->owner >= (int32_t)inv->npkgs)
			inv->pkgs[i]->owner = -1;
	return 0;
}

const struct ks_sbom_format ks_sbom_native = {
	.name = "json",
	.write = native_write,
	.sniff = native_sniff,
	.read = native_read,
};
