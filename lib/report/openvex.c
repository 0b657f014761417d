// SPDX-License-Identifier: Apache-2.0
/*
 * openvex.c — kensa's triage as an OpenVEX document (format "openvex", and --vex-out):
 * one "not_affected" statement with justification vulnerable_code_not_in_execute_path for
 * every finding whose package a runtime profile showed as never loaded, with the evidence
 * (engine, observation window) in the impact statement, so other tools can consume it.
 * Findings not covered by a profile get no statement: unknown is not "not affected".
 */
#include "risk/report.h"
#include "sbom/inv.h"
#include "sbom/sbom.h"

/* pkg:oci/<name>@<digest>?repository_url=<registry/repo> for the image, else the target. */
static const char *product_id(struct ks_arena *a, const struct kensa_inventory *inv)
{
	const struct kensa_image *img = kensa_inventory_image(inv);

	if (img && img->id && img->name) {
		const char *slash = strrchr(img->name, '/');
		const char *base = slash ? slash + 1 : img->name;
		size_t bl = strcspn(base, ":@");
		size_t rl = (size_t)(base - img->name) + bl;
		const char *colon = strchr(img->id, ':');

		return ks_arena_printf(a, "pkg:oci/%.*s@%.*s%%3A%s?repository_url=%.*s", (int)bl, base,
				       colon ? (int)(colon - img->id) : 0, img->id, colon ? colon + 1 : img->id, (int)rl,
				       img->name);
	}
	return kensa_inventory_target(inv);
}

static int openvex_write(const struct kensa_report *r, const struct kensa_report_view *view,
			 bool (*shown)(const struct kensa_report *, const struct kensa_finding *, const void *),
			 const void *filter, FILE *out, struct kensa_err *err)
{
	struct ks_arena a = KS_ARENA_INIT;
	struct ks_jw w;
	char uuid[37];
	const char *product = product_id(&a, r->inv);
	int result;

	(void)view;
	(void)shown;
	(void)filter;
	ks_sbom_uuid(uuid);
	ks_jw_init(&w, out, true);
	ks_jw_obj(&w);
	ks_jw_kstr(&w, "@context", "https://openvex.dev/ns/v0.2.0");
	ks_jw_kstr(&w, "@id", ks_arena_printf(&a, "https://kensa.dev/vex/%s", uuid));
	ks_jw_kstr(&w, "author", "kensa");
	ks_jw_kstr(&w, "role", "runtime analysis");
	ks_jw_kstr(&w, "timestamp", r->created);
	ks_jw_kint(&w, "version", 1);
	ks_jw_kstr(&w, "tooling", "kensa " KENSA_VERSION);
	ks_jw_key(&w, "statements");
	ks_jw_arr(&w);
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct kensa_finding *f = &r->findings[i];

		if (f->in_use != KENSA_IN_USE_NO || f->suppressed || !f->pkg->purl)
			continue;
		ks_jw_obj(&w);
		ks_jw_key(&w, "vulnerability");
		ks_jw_obj(&w);
		ks_jw_kstr(&w, "name", f->cve ? f->cve : f->id);
		ks_jw_key(&w, "aliases");
		ks_jw_arr(&w);
		if (f->cve && strcmp(f->cve, f->id) != 0)
			ks_jw_str(&w, f->id);
		for (size_t k = 0; k < f->naliases; k++)
			if (!f->cve || strcmp(f->aliases[k], f->cve) != 0)
				ks_jw_str(&w, f->aliases[k]);
		ks_jw_arr_end(&w);
		ks_jw_obj_end(&w);
		ks_jw_key(&w, "products");
		ks_jw_arr(&w);
		ks_jw_obj(&w);
		ks_jw_kstr(&w, "@id", product);
		ks_jw_key(&w, "subcomponents");
		ks_jw_arr(&w);
		ks_jw_obj(&w);
		ks_jw_kstr(&w, "@id", f->pkg->purl);
		ks_jw_obj_end(&w);
		ks_jw_arr_end(&w);
		ks_jw_obj_end(&w);
		ks_jw_arr_end(&w);
		ks_jw_kstr(&w, "status", "not_affected");
		ks_jw_kstr(&w, "justification", "vulnerable_code_not_in_execute_path");
		ks_jw_kstr(&w, "impact_statement",
			   ks_arena_printf(&a, "kensa runtime evidence: %s (profile started %s, %.0f s, %llu dropped events)",
					   f->in_use_evidence, r->profiles.started ? r->profiles.started : "?",
					   r->profiles.duration_s, (unsigned long long)r->profiles.dropped));
		ks_jw_kstr(&w, "timestamp", r->created);
		ks_jw_obj_end(&w);
	}
	ks_jw_arr_end(&w);
	ks_jw_obj_end(&w);
	result = ks_jw_finish(&w);
	ks_arena_release(&a);
	if (result)
		kensa_err_set(err, result, "cannot write the VEX document: %s", kensa_strerror(result));
	return result;
}

const struct ks_report_format ks_report_openvex = { "openvex", openvex_write };
