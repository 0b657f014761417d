// SPDX-License-Identifier: Apache-2.0
/*
 * spdx.c — SPDX 2.3 JSON: write an inventory, read one back (ours or another tool's).
 *
 * One package per inventory package (SPDXRef-Package-<n>) with its purl as an external
 * reference, a package for the target (primaryPackagePurpose CONTAINER or FILE) and one for
 * the OS; relationships DESCRIBES and CONTAINS. SPDX file entries need checksums kensa does
 * not compute, so owned files, the layer and the other kensa facts travel in one annotation
 * per package whose comment is "kensa:" followed by a JSON object — read back losslessly.
 */
#include <stdlib.h>

#include "sbom.h"

static const char *purpose(const struct kensa_package *p)
{
	return (p->flags & KENSA_PKG_MAIN) ? "APPLICATION" : "LIBRARY";
}

static void nas(struct ks_jw *w, const char *key)
{
	ks_jw_kstr(w, key, "NOASSERTION");
}

/* kensa facts as a compact JSON string for the annotation comment */
static char *facts(const struct kensa_inventory *inv, const struct kensa_package *p)
{
	struct ks_jw w;
	struct ks_buf b = KS_BUF_INIT;

	ks_jw_init(&w, NULL, false);
	ks_jw_obj(&w);
	ks_jw_kstr(&w, "ecosystem", p->ecosystem);
	ks_jw_kstr_opt(&w, "analyzer", p->analyzer);
	ks_jw_kstr_opt(&w, "location", p->location);
	if (p->layer >= 0) {
		ks_jw_kint(&w, "layer", p->layer);
		if ((size_t)p->layer < inv->nlayers)
			ks_jw_kstr_opt(&w, "layer_digest", inv->layers[p->layer].digest);
	}
	ks_jw_kstr_opt(&w, "source_name", p->source_name);
	ks_jw_kstr_opt(&w, "source_version", p->source_version);
	ks_jw_kstr_opt(&w, "arch", p->arch);
	if (p->owner >= 0)
		ks_jw_kint(&w, "owner", p->owner);
	ks_jw_kint(&w, "flags", p->flags);
	ks_jw_key(&w, "files");
	ks_jw_arr(&w);
	for (size_t f = 0; f < p->nfiles; f++)
		ks_jw_str(&w, p->files[f]);
	ks_jw_arr_end(&w);
	ks_jw_obj_end(&w);
	ks_jw_finish(&w);
	if (w.error) {
		ks_buf_release(&w.buf);
		return NULL;
	}
	ks_buf_adds(&b, "kensa:");
	ks_buf_add(&b, w.buf.data, w.buf.len);
	ks_buf_release(&w.buf);
	return ks_buf_detach(&b);
}

static int spdx_write(const struct kensa_inventory *inv, FILE *out, struct kensa_err *err)
{
	struct ks_jw w;
	char ts[32], uuid[37];
	const char *tname = inv->image && inv->image->name ? inv->image->name : inv->target;
	int result;

	ks_sbom_timestamp(ts);
	ks_sbom_uuid(uuid);
	ks_jw_init(&w, out, true);
	ks_jw_obj(&w);
	ks_jw_kstr(&w, "spdxVersion", "SPDX-2.3");
	ks_jw_kstr(&w, "dataLicense", "CC0-1.0");
	ks_jw_kstr(&w, "SPDXID", "SPDXRef-DOCUMENT");
	ks_jw_kstr(&w, "name", tname ? tname : "target");
	{
		char ns[128];

		snprintf(ns, sizeof(ns), "https://kensa.dev/spdxdocs/%s", uuid);
		ks_jw_kstr(&w, "documentNamespace", ns);
	}
	ks_jw_key(&w, "creationInfo");
	ks_jw_obj(&w);
	ks_jw_kstr(&w, "created", ts);
	ks_jw_key(&w, "creators");
	ks_jw_arr(&w);
	ks_jw_str(&w, "Tool: kensa-" KENSA_VERSION);
	ks_jw_arr_end(&w);
	ks_jw_obj_end(&w);
	ks_jw_key(&w, "documentDescribes");
	ks_jw_arr(&w);
	ks_jw_str(&w, "SPDXRef-Target");
	ks_jw_arr_end(&w);

	ks_jw_key(&w, "packages");
	ks_jw_arr(&w);
	/* the target */
	ks_jw_obj(&w);
	ks_jw_kstr(&w, "name", tname ? tname : "target");
	ks_jw_kstr(&w, "SPDXID", "SPDXRef-Target");
	if (inv->image && inv->image->id)
		ks_jw_kstr(&w, "versionInfo", inv->image->id);
	nas(&w, "downloadLocation");
	ks_jw_kbool(&w, "filesAnalyzed", false);
	ks_jw_kstr(&w, "primaryPackagePurpose", inv->image ? "CONTAINER" : "FILE");
	ks_jw_kstr(&w, "comment", inv->target);
	ks_jw_obj_end(&w);
	if (inv->os.id) {
		ks_jw_obj(&w);
		ks_jw_kstr(&w, "name", inv->os.id);
		ks_jw_kstr(&w, "SPDXID", "SPDXRef-OperatingSystem");
		if (inv->os.version_id)
			ks_jw_kstr(&w, "versionInfo", inv->os.version_id);
		nas(&w, "downloadLocation");
		ks_jw_kbool(&w, "filesAnalyzed", false);
		ks_jw_kstr(&w, "primaryPackagePurpose", "OPERATING-SYSTEM");
		ks_jw_obj_end(&w);
	}
	for (size_t i = 0; i < inv->npkgs; i++) {
		const struct kensa_package *p = inv->pkgs[i];
		char id[48];
		char *note = facts(inv, p);

		snprintf(id, sizeof(id), "SPDXRef-Package-%zu", i);
		ks_jw_obj(&w);
		ks_jw_kstr(&w, "name", p->name);
		ks_jw_kstr(&w, "SPDXID", id);
		if (p->version)
			ks_jw_kstr(&w, "versionInfo", p->version);
		nas(&w, "downloadLocation");
		ks_jw_kbool(&w, "filesAnalyzed", false);
		nas(&w, "licenseConcluded");
		nas(&w, "licenseDeclared");
		nas(&w, "copyrightText");
		if (p->license && *p->license)
			ks_jw_kstr(&w, "licenseComments", p->license);
		if (p->source_name && (p->flags & KENSA_PKG_OS)) {
			char src[512];

			snprintf(src, sizeof(src), "built package from: %s %s", p->source_name,
				 p->source_version ? p->source_version : "");
			ks_jw_kstr(&w, "sourceInfo", src);
		}
		ks_jw_kstr(&w, "primaryPackagePurpose", purpose(p));
		if (p->purl) {
			ks_jw_key(&w, "externalRefs");
			ks_jw_arr(&w);
			ks_jw_obj(&w);
			ks_jw_kstr(&w, "referenceCategory", "PACKAGE-MANAGER");
			ks_jw_kstr(&w, "referenceType", "purl");
			ks_jw_kstr(&w, "referenceLocator", p->purl);
			ks_jw_obj_end(&w);
			ks_jw_arr_end(&w);
		}
		if (note) {
			ks_jw_key(&w, "annotations");
			ks_jw_arr(&w);
			ks_jw_obj(&w);
			ks_jw_kstr(&w, "annotationType", "OTHER");
			ks_jw_kstr(&w, "annotator", "Tool: kensa-" KENSA_VERSION);
			ks_jw_kstr(&w, "annotationDate", ts);
			ks_jw_kstr(&w, "comment", note);
			ks_jw_obj_end(&w);
			ks_jw_arr_end(&w);
			free(note);
		}
		ks_jw_obj_end(&w);
	}
	ks_jw_arr_end(&w);

	ks_jw_key(&w, "relationships");
	ks_jw_arr(&w);
	ks_jw_obj(&w);
	ks_jw_kstr(&w, "spdxElementId", "SPDXRef-DOCUMENT");
	ks_jw_kstr(&w, "relationshipType", "DESCRIBES");
	ks_jw_kstr(&w, "relatedSpdxElement", "SPDXRef-Target");
	ks_jw_obj_end(&w);
	if (inv->os.id) {
		ks_jw_obj(&w);
		ks_jw_kstr(&w, "spdxElementId", "SPDXRef-Target");
		ks_jw_kstr(&w, "relationshipType", "CONTAINS");
		ks_jw_kstr(&w, "relatedSpdxElement", "SPDXRef-OperatingSystem");
		ks_jw_obj_end(&w);
	}
	for (size_t i = 0; i < inv->npkgs; i++) {
		char id[48];

		snprintf(id, sizeof(id), "SPDXRef-Package-%zu", i);
		ks_jw_obj(&w);
		ks_jw_kstr(&w, "spdxElementId", (inv->pkgs[i]->flags & KENSA_PKG_OS) && inv->os.id
			   ? "SPDXRef-OperatingSystem" : "SPDXRef-Target");
		ks_jw_kstr(&w, "relationshipType", "CONTAINS");
		ks_jw_kstr(&w, "relatedSpdxElement", id);
		ks_jw_obj_end(&w);
	}
	ks_jw_arr_end(&w);
	ks_jw_obj_end(&w);
	result = ks_jw_finish(&w);
	if (result)
		kensa_err_set(err, result, "cannot write the SBOM: %s", kensa_strerror(result));
	return result;
}

static bool spdx_sniff(const cJSON *root)
{
	const char *v = ks_json_str(root, "spdxVersion");

	return v && strncmp(v, "SPDX-2.", 7) == 0;
}

static void read_facts(struct kensa_inventory *inv, struct kensa_package *p, const char *comment, const char *name)
{
	cJSON *f;

	if (!comment || strncmp(comment, "kensa:", 6) != 0)
		return;
	f = cJSON_Parse(comment + 6);
	if (!f) {
		ks_warn("%s: ignoring a malformed kensa annotation on package '%s'", name, p->name);
		inv->warnings++;
		return;
	}
	p->analyzer = ks_arena_strdup(&inv->arena, ks_json_str(f, "analyzer"));
	p->location = ks_arena_strdup(&inv->arena, ks_json_str(f, "location"));
	p->source_name = ks_arena_strdup(&inv->arena, ks_json_str(f, "source_name"));
	p->source_version = ks_arena_strdup(&inv->arena, ks_json_str(f, "source_version"));
	p->arch = ks_arena_strdup(&inv->arena, ks_json_str(f, "arch"));
	{
		double l = ks_json_num(f, "layer", -1), o = ks_json_num(f, "owner", -1), fl = ks_json_num(f, "flags", 0);

		p->layer = l >= 0 && l < 1e6 ? (int32_t)l : -1;
		p->owner = o >= 0 && o < 1e9 ? (int32_t)o : -1;
		p->flags |= fl >= 0 && fl < 1e9 ? (uint32_t)fl : 0;
	}
	ks_json_each(file, ks_json_arr(f, "files"))
		if (cJSON_IsString(file))
			ks_inv_add_file(inv, p, file->valuestring, strlen(file->valuestring));
	cJSON_Delete(f);
}

static int spdx_read(const cJSON *root, const char *name, struct kensa_inventory *inv, struct kensa_err *err)
{
	ks_json_each(pj, ks_json_arr(root, "packages")) {
		const char *purl = NULL, *eco, *pname, *version, *distro;
		const char *pp = ks_json_str(pj, "primaryPackagePurpose");
		struct kensa_package *p;

		if (pp && strcmp(pp, "OPERATING-SYSTEM") == 0 && !inv->os.id) {
			inv->os.id = ks_arena_strlower(&inv->arena, ks_json_str(pj, "name"));
			inv->os.version_id = ks_arena_strdup(&inv->arena, ks_json_str(pj, "versionInfo"));
			inv->os.osv_ecosystem = ks_os_ecosystem(&inv->arena, inv->os.id, inv->os.version_id);
			continue;
		}
		ks_json_each(ref, ks_json_arr(pj, "externalRefs")) {
			const char *t = ks_json_str(ref, "referenceType");

			if (t && strcmp(t, "purl") == 0)
				purl = ks_json_str(ref, "referenceLocator");
		}
		if (!purl)
			continue;
		if (ks_purl_parse(&inv->arena, purl, &eco, &pname, &version, &distro) != 0) {
			ks_warn("%s: skipping package with unsupported purl '%s'", name, purl);
			inv->warnings++;
			continue;
		}
		p = ks_inv_add(inv);
		if (!p)
			return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		p->ecosystem = eco;
		p->name = ks_purl_display_name(&inv->arena, eco, pname, ks_json_str(pj, "name"));
		p->version = version ? version : ks_arena_strdup(&inv->arena, ks_json_str(pj, "versionInfo"));
		p->purl = ks_arena_strdup(&inv->arena, purl);
		p->license = ks_arena_strdup(&inv->arena, ks_json_str(pj, "licenseComments"));
		ks_sbom_os_from_distro(inv, distro);
		ks_json_each(an, ks_json_arr(pj, "annotations"))
			read_facts(inv, p, ks_json_str(an, "comment"), name);
		if (!strcmp(ks_purl_type(eco), "deb") || !strcmp(ks_purl_type(eco), "apk") || !strcmp(ks_purl_type(eco), "rpm"))
			p->flags |= KENSA_PKG_OS;
		if ((p->flags & KENSA_PKG_OS) && !p->source_name)
			p->source_name = p->name;
		if ((p->flags & KENSA_PKG_OS) && !p->source_version)
			p->source_version = p->version;
		if (!p->analyzer)
			p->analyzer = "sbom";
	}
	for (size_t i = 0; i < inv->npkgs; i++)
		if (inv->pkgs[i]->owner >= (int32_t)inv->npkgs)
			inv->pkgs[i]->owner = -1;
	return 0;
}

const struct ks_sbom_format ks_sbom_spdx = {
	.name = "spdx",
	.write = spdx_write,
	.sniff = spdx_sniff,
	.read = spdx_read,
};
