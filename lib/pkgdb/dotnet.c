// SPDX-License-Identifier: Apache-2.0
/*
 * dotnet.c — .NET dependencies (ecosystem "NuGet") from the <app>.deps.json that `dotnet
 * build`/`publish` writes next to an application.
 *
 * "libraries" maps "Name/Version" to {"type": "package" | "project" | "reference" |
 * "runtimepack", …}; only type "package" comes from NuGet (the rest is the application's
 * own projects and the runtime). A package owns the runtime and native assets its "targets"
 * entry lists, as a published application lays them out next to the deps.json: runtime and
 * native files flattened into the application directory ("lib/net6.0/Newtonsoft.Json.dll" →
 * "Newtonsoft.Json.dll"), RID-specific ones ("runtimeTargets") under their listed path.
 *
 * What it is not: a reader of packages.lock.json or *.csproj, nor of the NuGet cache.
 */
#include <stdlib.h>

#include "lang.h"

#define DOTNET_MAX_FILES 4096

/* Asset paths of library `key` in every target framework (first one that lists it). */
static size_t assets(const cJSON *targets, const char *key, const char **files, size_t max)
{
	size_t n = 0;

	ks_json_each(tfm, targets) {
		const cJSON *lib = ks_json_obj(tfm, key);

		if (!lib)
			continue;
		ks_json_each(a, ks_json_obj(lib, "runtime"))
			if (n < max && a->string)
				files[n++] = ks_path_basename(a->string);
		ks_json_each(a, ks_json_obj(lib, "native"))
			if (n < max && a->string)
				files[n++] = ks_path_basename(a->string);
		ks_json_each(a, ks_json_obj(lib, "runtimeTargets"))
			if (n < max && a->string)
				files[n++] = a->string;
		break;
	}
	return n;
}

int ks_deps_json_parse(const char *data, size_t len, const struct ks_lang_sink *s)
{
	cJSON *j = ks_lang_json_parse(data, len, s);
	const cJSON *libs, *targets;
	const char **files = NULL;
	char name[512];
	int result = 0;

	if (!j)
		return 0;
	libs = ks_json_obj(j, "libraries");
	targets = ks_json_obj(j, "targets");
	if (!libs) {
		ks_lang_warn(s, "no \"libraries\" object: not a deps.json");
		goto out;
	}
	files = malloc(DOTNET_MAX_FILES * sizeof(*files));
	if (!files) {
		result = KENSA_ENOMEM;
		goto out;
	}
	ks_json_each(e, libs) {
		const char *key = e->string, *slash, *type = ks_json_str(e, "type");
		struct ks_lang_pkg p = { 0 };

		if (!key || !type || strcmp(type, "package") != 0)
			continue;
		slash = strrchr(key, '/');
		if (!slash || slash == key || !slash[1] || (size_t)(slash - key) >= sizeof(name)) {
			ks_lang_warn(s, "library '%.80s' is not \"Name/Version\"; skipped", key);
			continue;
		}
		memcpy(name, key, (size_t)(slash - key));
		name[slash - key] = '\0';
		p.name = name;
		p.version = slash + 1;
		p.files = files;
		p.nfiles = assets(targets, key, files, DOTNET_MAX_FILES);
		result = s->pkg(s->ud, &p);
		if (result)
			break;
	}
out:
	free(files);
	cJSON_Delete(j);
	return result;
}

/* ---------------------------------------------------------------- analyzer */

static bool dotnet_match(const struct ks_node *n)
{
	const char *base = ks_path_basename(n->path);

	return ks_str_endswith(base, ".deps.json") && strlen(base) > strlen(".deps.json");
}

static int own_assets(struct ks_lang_emit *e, struct kensa_package *p, const struct ks_lang_pkg *lp)
{
	char dir[KS_MAX_PATH], path[KS_MAX_PATH];
	size_t dl = ks_path_dirlen(e->from->path, e->from->plen);

	snprintf(dir, sizeof(dir), "%.*s", (int)dl, e->from->path);
	for (size_t i = 0; i < lp->nfiles; i++) {
		size_t pl = ks_lang_path_join(dir, lp->files[i], strlen(lp->files[i]), path);
		int result;

		/* the application directory and below, never out of it */
		if (!pl || strncmp(path, dir, dl) != 0 || path[dl] != '/' ||
		    !ks_tree_get(e->x->tree, path, pl))
			continue;
		result = ks_pkg_add_file(e->x, p, path, pl);
		if (result)
			return result;
	}
	return 0;
}

static int dotnet_scan(struct ks_actx *x)
{
	int result = 0;

	for (size_t i = 0; i < x->nnodes && !result; i++) {
		const struct ks_node *n = x->nodes[i];
		struct ks_lang_emit e = { x, n, "NuGet", 0, own_assets, 0 };
		struct ks_lang_sink sink = KS_LANG_SINK(&e);
		const unsigned char *data;
		size_t len;

		if (ks_acontent(x, n, &data, &len))
			result = ks_deps_json_parse((const char *)data, len, &sink);
	}
	return result;
}

const struct ks_analyzer ks_analyzer_dotnet = {
	.name = "dotnet",
	.match = dotnet_match,
	.max_size = (uint64_t)16 << 20,
	.scan = dotnet_scan,
};
