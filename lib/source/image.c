// SPDX-License-Identifier: Apache-2.0
/*
 * image.c — the image configuration document (docker / OCI config JSON) → struct kensa_image,
 * and the mapping of history entries onto layers.
 *
 * History entries with "empty_layer": true (ENV, LABEL, CMD …) produce no layer; the others
 * map, in order, onto the layers of the manifest. That is how each file keeps the command
 * that wrote it ("created_by"), which the scan report uses to say *where* to fix a package.
 */
#include "source.h"
#include "util/json.h"

static const char *const *str_array(struct ks_arena *a, const cJSON *arr, size_t *n)
{
	const char **out;
	size_t k = 0;

	*n = 0;
	if (!cJSON_IsArray(arr))
		return NULL;
	out = ks_arena_alloc(a, ((size_t)cJSON_GetArraySize(arr) + 1) * sizeof(*out));
	if (!out)
		return NULL;
	ks_json_each(v, arr)
		if (cJSON_IsString(v))
			out[k++] = ks_arena_strdup(a, v->valuestring);
	*n = k;
	return out;
}

int ks_image_config_parse(struct ks_tree *t, const char *data, size_t len, const char *name,
			  struct kensa_err *err)
{
	struct ks_arena *a = &t->arena;
	cJSON *root = ks_json_parse(data, len, name, err);
	const cJSON *cfg, *hist;
	struct kensa_image *img;
	int result = 0;

	if (!root)
		return KENSA_EFORMAT;
	if (!cJSON_IsObject(root)) {
		result = kensa_err_set(err, KENSA_EFORMAT, "%s: image config '%s' is not an object", t->target, name);
		goto out;
	}
	img = t->image ? t->image : ks_arena_alloc(a, sizeof(*img));
	if (!img) {
		result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		goto out;
	}
	t->image = img;
	img->os = ks_arena_strdup(a, ks_json_str(root, "os"));
	img->architecture = ks_arena_strdup(a, ks_json_str(root, "architecture"));
	if (!img->id && strncmp(name, "blobs/", 6) != 0) {
		/* docker-archive: the config member is "<hex>.json" */
		const char *base = ks_path_basename(name);
		size_t bl = strlen(base);

		if (bl > 5 && ks_str_endswith(base, ".json"))
			img->id = ks_arena_printf(a, "sha256:%.*s", (int)(bl - 5), base);
	}
	cfg = ks_json_obj(root, "config");
	if (cfg) {
		const cJSON *labels = ks_json_obj(cfg, "Labels");
		const cJSON *ports = ks_json_obj(cfg, "ExposedPorts");
		const cJSON *hc = ks_json_obj(cfg, "Healthcheck");

		img->user = ks_arena_strdup(a, ks_json_str(cfg, "User"));
		img->workdir = ks_arena_strdup(a, ks_json_str(cfg, "WorkingDir"));
		img->env = str_array(a, ks_json_arr(cfg, "Env"), &img->nenv);
		img->cmd = str_array(a, ks_json_arr(cfg, "Cmd"), &img->ncmd);
		img->entrypoint = str_array(a, ks_json_arr(cfg, "Entrypoint"), &img->nentrypoint);
		if (labels) {
			struct kensa_kv *kv = ks_arena_alloc(a, ((size_t)cJSON_GetArraySize(labels) + 1) * sizeof(*kv));
			size_t k = 0;

			ks_json_each(l, labels) {
				if (kv && l->string && cJSON_IsString(l)) {
					kv[k].key = ks_arena_strdup(a, l->string);
					kv[k].value = ks_arena_strdup(a, l->valuestring);
					k++;
				}
			}
			img->labels = kv;
			img->nlabels = k;
		}
		if (ports) {
			const char **p = ks_arena_alloc(a, ((size_t)cJSON_GetArraySize(ports) + 1) * sizeof(*p));
			size_t k = 0;

			ks_json_each(port, ports)
				if (p && port->string)
					p[k++] = ks_arena_strdup(a, port->string);
			img->exposed_ports = p;
			img->nexposed_ports = k;
		}
		if (hc) {
			const cJSON *test = ks_json_arr(hc, "Test");

			img->has_healthcheck = !(test && cJSON_IsString(test->child) &&
						 strcmp(test->child->valuestring, "NONE") == 0);
		}
	}
	hist = ks_json_arr(root, "history");
	if (hist) {
		struct kensa_history *h = ks_arena_alloc(a, ((size_t)cJSON_GetArraySize(hist) + 1) * sizeof(*h));
		size_t k = 0;
		int32_t layer = 0;

		ks_json_each(e, hist) {
			if (!h || !cJSON_IsObject(e))
				continue;
			h[k].created_by = ks_arena_strdup(a, ks_json_str(e, "created_by"));
			h[k].created = ks_arena_strdup(a, ks_json_str(e, "created"));
			h[k].comment = ks_arena_strdup(a, ks_json_str(e, "comment"));
			h[k].empty_layer = ks_json_bool(e, "empty_layer", false);
			h[k].layer = h[k].empty_layer ? -1 : layer++;
			k++;
		}
		img->history = h;
		img->nhistory = k;
	}
	t->diff_ids = (const char **)str_array(a, ks_json_arr(ks_json_obj(root, "rootfs"), "diff_ids"), &t->ndiff_ids);
out:
	cJSON_Delete(root);
	return result;
}

void ks_image_apply_layers(struct ks_tree *t)
{
	const struct kensa_image *img = t->image;

	for (size_t i = 0; i < t->nlayers; i++) {
		struct kensa_layer *info = &t->layers[i].info;

		if (i < t->ndiff_ids) {
			info->diff_id = t->diff_ids[i];
			if (!info->digest)
				info->digest = t->diff_ids[i];	/* docker-archive layers are uncompressed */
		}
	}
	if (!img)
		return;
	for (size_t h = 0; h < img->nhistory; h++) {
		int32_t li = img->history[h].layer;

		if (li >= 0 && (size_t)li < t->nlayers) {
			t->layers[li].info.created_by = img->history[h].created_by;
			t->layers[li].info.created = img->history[h].created;
		}
	}
}
