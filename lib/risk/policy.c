// SPDX-License-Identifier: Apache-2.0
/*
 * policy.c — what the user tells the scan (docs/policy.md): the policy file (a condition to
 * fail on, ignore entries with a reason and an expiry date, VEX files, required labels,
 * image checks that fail), the scopes file (image/registry/label patterns → business
 * criticality), and VEX documents (OpenVEX, CycloneDX VEX) whose "not_affected" / "fixed"
 * statements suppress findings.
 *
 * An ignore entry past its expiry date stops ignoring (and says so in a warning): the point
 * of an expiry is that nobody has to remember to remove the entry.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <strings.h>
#include <time.h>

#include "report.h"
#include "sbom/inv.h"
#include "util/yaml.h"

static cJSON *read_doc(const char *path, struct kensa_err *err)
{
	char *data = NULL;
	size_t len;
	cJSON *doc = NULL;

	if (ks_file_read(path, (size_t)64 << 20, &data, &len, err) != 0)
		return NULL;
	/* JSON is YAML, but a JSON reader gives better messages for .json files */
	if (ks_str_endswith(path, ".json"))
		doc = ks_json_parse(data, len, path, err);
	else
		doc = ks_yaml_parse(data, len, path, err);
	free(data);
	return doc;
}

static const char **strings(struct ks_arena *a, const cJSON *arr, size_t *n)
{
	const char **out;

	*n = 0;
	if (!cJSON_IsArray(arr))
		return NULL;
	out = ks_arena_alloc(a, ((size_t)cJSON_GetArraySize(arr) + 1) * sizeof(*out));
	ks_json_each(v, arr)
		if (out && cJSON_IsString(v))
			out[(*n)++] = ks_arena_strdup(a, v->valuestring);
	return out;
}

/* YYYY-MM-DD → the first second after that day (UTC); -1 if malformed. */
static int64_t day_end(const char *s)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	if (!end || *end)
		return -1;
	return (int64_t)timegm(&tm) + 86400;
}

int ks_policy_read(struct kensa_report *r, const char *path, struct kensa_err *err)
{
	struct ks_arena *a = &r->arena;
	struct ks_policy *pol = &r->policy;
	cJSON *doc = read_doc(path, err);
	const cJSON *ign;
	int result = 0;

	if (!doc)
		return KENSA_EFORMAT;
	if (!cJSON_IsObject(doc)) {
		result = kensa_err_set(err, KENSA_EFORMAT, "policy '%s' must be a mapping", path);
		goto out;
	}
	pol->fail_on = ks_arena_strdup(a, ks_json_str(doc, "fail_on"));
	if (ks_json_get(doc, "epss_threshold")) {
		double t = ks_json_num(doc, "epss_threshold", -1);

		if (t < 0 || t > 1) {
			result = kensa_err_set(err, KENSA_EFORMAT, "policy '%s': epss_threshold must be 0..1", path);
			goto out;
		}
		pol->epss_threshold = t;
	}
	pol->required_labels = strings(a, ks_json_arr(doc, "required_labels"), &pol->nrequired_labels);
	pol->check_fail = strings(a, ks_json_arr(ks_json_obj(doc, "checks"), "fail_on"), &pol->ncheck_fail);
	pol->vex_files = strings(a, ks_json_arr(doc, "vex"), &pol->nvex_files);
	ign = ks_json_arr(doc, "ignore");
	if (ign) {
		pol->ignores = ks_arena_alloc(a, ((size_t)cJSON_GetArraySize(ign) + 1) * sizeof(*pol->ignores));
		ks_json_each(e, ign) {
			struct ks_ignore *g = &pol->ignores[pol->nignores];

			g->id = ks_arena_strdup(a, ks_json_str(e, "id"));
			g->package = ks_arena_strdup(a, ks_json_str(e, "package"));
			g->reason = ks_arena_strdup(a, ks_json_str(e, "reason"));
			g->expires = ks_arena_strdup(a, ks_json_str(e, "expires"));
			if (!g->id || !g->reason) {
				result = kensa_err_set(err, KENSA_EFORMAT,
						       "policy '%s': ignore entry %zu needs an id and a reason", path,
						       pol->nignores + 1);
				goto out;
			}
			if (g->expires) {
				int64_t end = day_end(g->expires);

				if (end < 0) {
					result = kensa_err_set(err, KENSA_EFORMAT,
							       "policy '%s': ignore %s: expires '%s' is not YYYY-MM-DD",
							       path, g->id, g->expires);
					goto out;
				}
				if (r->now >= end) {
					g->expired = true;
					ks_warn("policy '%s': the ignore entry for %s expired on %s; it no longer applies",
						path, g->id, g->expires);
				}
			}
			pol->nignores++;
		}
	}
	/* relative VEX paths are relative to the policy file */
	for (size_t i = 0; i < pol->nvex_files; i++) {
		const char *slash = strrchr(path, '/');

		if (pol->vex_files[i][0] != '/' && slash)
			pol->vex_files[i] = ks_arena_printf(a, "%.*s/%s", (int)(slash - path), path, pol->vex_files[i]);
	}
out:
	cJSON_Delete(doc);
	return result;
}

/* ---------------------------------------------------------------- scopes */

struct imgref {
	const char *registry, *repository, *tag;
};

/* "registry.example.com/team/app:1.2" → parts (docker's rules for the registry part). */
static void parse_ref(struct ks_arena *a, const char *name, struct imgref *ref)
{
	const char *slash = strchr(name, '/');
	const char *rest = name;
	const char *colon;

	ref->registry = "docker.io";
	if (slash) {
		size_t n = (size_t)(slash - name);

		if (memchr(name, '.', n) || memchr(name, ':', n) || (n == 9 && strncmp(name, "localhost", 9) == 0)) {
			ref->registry = ks_arena_strndup(a, name, n);
			rest = slash + 1;
		}
	}
	colon = strrchr(rest, ':');
	if (colon && !strchr(colon, '/')) {
		ref->repository = ks_arena_strndup(a, rest, (size_t)(colon - rest));
		ref->tag = ks_arena_strdup(a, colon + 1);
	} else {
		ref->repository = ks_arena_strdup(a, rest);
		ref->tag = "latest";
	}
}

static bool label_matches(const struct kensa_image *img, const char *pattern)
{
	const char *eq = strchr(pattern, '=');

	for (size_t i = 0; img && i < img->nlabels; i++) {
		char kv[2048];

		snprintf(kv, sizeof(kv), "%s=%s", img->labels[i].key, img->labels[i].value);
		if (eq ? fnmatch(pattern, kv, 0) == 0 : fnmatch(pattern, img->labels[i].key, 0) == 0)
			return true;
	}
	return false;
}

int ks_scopes_apply(struct kensa_report *r, const char *path, struct kensa_err *err)
{
	const struct kensa_image *img = kensa_inventory_image(r->inv);
	const char *name = img && img->name ? img->name : kensa_inventory_target(r->inv);
	struct imgref ref;
	cJSON *doc;
	int result = 0;

	if (!path)
		return 0;
	doc = read_doc(path, err);
	if (!doc)
		return KENSA_EFORMAT;
	parse_ref(&r->arena, name, &ref);
	ks_json_each(sc, ks_json_arr(doc, "scopes")) {
		const cJSON *m = ks_json_obj(sc, "match");
		const char *crit = ks_json_str(sc, "criticality");
		const char *v;
		bool ok = true;

		if (!crit || (strcasecmp(crit, "critical") && strcasecmp(crit, "high") && strcasecmp(crit, "medium") &&
			      strcasecmp(crit, "low"))) {
			result = kensa_err_set(err, KENSA_EFORMAT,
					       "scopes '%s': every scope needs a criticality (critical, high, medium, low)",
					       path);
			goto out;
		}
		if ((v = ks_json_str(m, "registry")))
			ok &= fnmatch(v, ref.registry, 0) == 0;
		if ((v = ks_json_str(m, "repository")))
			ok &= fnmatch(v, ref.repository, 0) == 0;
		if ((v = ks_json_str(m, "image")))
			ok &= fnmatch(v, name, 0) == 0;
		if ((v = ks_json_str(m, "tag")))
			ok &= fnmatch(v, ref.tag, 0) == 0;
		if ((v = ks_json_str(m, "label")))
			ok &= label_matches(img, v);
		if ((v = ks_json_str(m, "namespace"))) {
			char pat[1024];

			snprintf(pat, sizeof(pat), "io.kubernetes.pod.namespace=%s", v);
			ok &= label_matches(img, pat);
		}
		if (ok) {
			r->criticality = ks_arena_strlower(&r->arena, crit);
			r->scope = ks_arena_strdup(&r->arena, ks_json_str(sc, "name") ? ks_json_str(sc, "name") : name);
			break;
		}
	}
	if (!r->criticality && ks_json_str(doc, "default"))
		r->criticality = ks_arena_strlower(&r->arena, ks_json_str(doc, "default"));
out:
	cJSON_Delete(doc);
	return result;
}

/* ---------------------------------------------------------------- VEX */

static int add_vex(struct kensa_report *r, const char *vuln, const char *product, const char *status,
		   const char *justification, const char *document)
{
	struct ks_vex_stmt *s;
	void *grown;

	if (!vuln || !product || !status)
		return 0;
	grown = realloc(r->vex, (r->nvex + 1) * sizeof(*r->vex));
	if (!grown)
		return KENSA_ENOMEM;
	r->vex = grown;
	s = &r->vex[r->nvex++];
	s->vuln = ks_arena_strdup(&r->arena, vuln);
	s->product = ks_arena_strdup(&r->arena, product);
	s->status = ks_arena_strdup(&r->arena, status);
	s->justification = ks_arena_strdup(&r->arena, justification);
	s->document = ks_arena_strdup(&r->arena, document);
	return 0;
}

static const char *id_of(const cJSON *v)
{
	if (cJSON_IsString(v))
		return v->valuestring;
	return ks_json_str(v, "@id") ? ks_json_str(v, "@id") : ks_json_str(v, "name");
}

int ks_vex_read(struct kensa_report *r, const char *path, struct kensa_err *err)
{
	cJSON *doc = read_doc(path, err);
	int result = 0;

	if (!doc)
		return KENSA_EFORMAT;
	if (ks_json_arr(doc, "statements")) {	/* OpenVEX */
		ks_json_each(st, ks_json_arr(doc, "statements")) {
			const char *vuln = id_of(ks_json_get(st, "vulnerability"));
			const char *status = ks_json_str(st, "status");
			const char *just = ks_json_str(st, "justification");

			ks_json_each(prod, ks_json_arr(st, "products")) {
				const cJSON *subs = ks_json_arr(prod, "subcomponents");

				if (subs && subs->child) {
					ks_json_each(sub, subs)
						if (!result)
							result = add_vex(r, vuln, id_of(sub), status, just, path);
				} else if (!result) {
					result = add_vex(r, vuln, id_of(prod), status, just, path);
				}
			}
		}
	} else if (ks_json_arr(doc, "vulnerabilities")) {	/* CycloneDX VEX */
		struct ks_map refs = KS_MAP_INIT;

		ks_json_each(c, ks_json_arr(doc, "components"))
			if (ks_json_str(c, "bom-ref") && ks_json_str(c, "purl"))
				ks_map_puts(&refs, ks_json_str(c, "bom-ref"), (uint64_t)(uintptr_t)ks_json_str(c, "purl"));
		ks_json_each(v, ks_json_arr(doc, "vulnerabilities")) {
			const cJSON *an = ks_json_obj(v, "analysis");
			const char *state = ks_json_str(an, "state");
			const char *status = !state ? NULL
				: strcmp(state, "not_affected") == 0 || strcmp(state, "false_positive") == 0 ? "not_affected"
				: strcmp(state, "resolved") == 0 ? "fixed"
				: strcmp(state, "exploitable") == 0 ? "affected" : "under_investigation";

			ks_json_each(af, ks_json_arr(v, "affects")) {
				const char *ref = ks_json_str(af, "ref");
				uint64_t p;
				const char *product = ref && ks_map_gets(&refs, ref, &p) ? (const char *)(uintptr_t)p : ref;

				if (!result)
					result = add_vex(r, ks_json_str(v, "id"), product, status, ks_json_str(an, "justification"),
							 path);
			}
		}
		ks_map_release(&refs);
	} else {
		result = kensa_err_set(err, KENSA_EFORMAT, "'%s' is neither an OpenVEX nor a CycloneDX VEX document", path);
	}
	if (result == KENSA_ENOMEM)
		kensa_err_set(err, result, "out of memory");
	cJSON_Delete(doc);
	return result;
}

/* purl without qualifiers/subpath; a statement without a version covers every version */
static bool purl_covers(const char *stmt, const char *pkg)
{
	size_t sl = strcspn(stmt, "?#"), pl = strcspn(pkg, "?#");
	const char *at;

	if (sl == pl && strncmp(stmt, pkg, sl) == 0)
		return true;
	at = memchr(stmt, '@', sl);
	if (at)
		return false;
	at = memchr(pkg, '@', pl);
	return at && (size_t)(at - pkg) == sl && strncmp(stmt, pkg, sl) == 0;
}

static bool names_finding(const struct kensa_finding *f, const char *id)
{
	if (strcasecmp(f->id, id) == 0 || (f->cve && strcasecmp(f->cve, id) == 0))
		return true;
	for (size_t i = 0; i < f->naliases; i++)
		if (strcasecmp(f->aliases[i], id) == 0)
			return true;
	return false;
}

void ks_policy_suppress(struct kensa_report *r)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		struct kensa_finding *f = &r->findings[i];

		for (size_t k = 0; k < r->policy.nignores && !f->suppressed; k++) {
			const struct ks_ignore *g = &r->policy.ignores[k];

			if (g->expired || !names_finding(f, g->id))
				continue;
			if (g->package && strcmp(g->package, f->pkg->name) != 0 &&
			    !(f->pkg->purl && purl_covers(g->package, f->pkg->purl)))
				continue;
			f->suppressed = true;
			f->suppressed_by = ks_arena_printf(&r->arena, "policy: %s%s%s%s", g->reason,
							   g->expires ? " (until " : "", g->expires ? g->expires : "",
							   g->expires ? ")" : "");
		}
		for (size_t k = 0; k < r->nvex && !f->suppressed; k++) {
			const struct ks_vex_stmt *s = &r->vex[k];

			if (!f->pkg->purl || !names_finding(f, s->vuln) || !purl_covers(s->product, f->pkg->purl))
				continue;
			if (strcmp(s->status, "not_affected") != 0 && strcmp(s->status, "fixed") != 0)
				continue;
			f->suppressed = true;
			f->suppressed_by = ks_arena_printf(&r->arena, "vex: %s%s%s (%s)", s->status,
							   s->justification ? ", " : "",
							   s->justification ? s->justification : "", s->document);
		}
	}
}
