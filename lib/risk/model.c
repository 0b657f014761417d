// SPDX-License-Identifier: Apache-2.0
/*
 * model.c — the risk model (docs/risk.md): evidence → score, tier, "needs action", reasons in
 * words, the action to take; then the funnel and the per-package upgrades.
 *
 *   points   = 4 × CVSS base (0–40; 16 when no vector is known)
 *            + exploitation: max(30 if in KEV, 25 if SSVC "active", 12 if SSVC "poc",
 *                                25 × EPSS percentile)
 *            + exposure: 10 if the attack vector is network, +5 if the workload listens,
 *                        +5 if it runs as root
 *            + 10 if a fix is available (something can be done now)
 *   risk     = min(100, points × in-use factor × criticality factor)
 *              in use: yes 1.0, unknown 0.75, no 0.25;  criticality: critical 1.25,
 *              high 1.1, medium 1.0, low 0.8
 *   tier     = critical ≥ 70, high ≥ 50, medium ≥ 30, else low
 *   exploitable  = KEV ∨ EPSS ≥ threshold ∨ SSVC exploitation poc/active
 *                  ∨ (CVSS ≥ 9 ∧ attack vector network), the last one switchable
 *   needs action = fixable ∧ exploitable ∧ in use ≠ "no" ∧ not suppressed
 * so the funnel total → fixable → exploitable → in use → needs action only narrows.
 * "Unknown" in-use is never read as "not in use": it only lowers the score.
 */
#include <math.h>
#include <stdlib.h>
#include <strings.h>

#include "kensa/version.h"
#include "report.h"
#include "sbom/inv.h"

bool ks_report_layer_is_base(const struct kensa_report *r, int32_t layer)
{
	return layer >= 0 && layer < r->base_layers;
}

const char *ks_report_layer_words(const struct kensa_report *r, int32_t layer)
{
	size_t nl;
	const struct kensa_layer *l = kensa_inventory_layers(r->inv, &nl);
	const char *cb;
	char shortcmd[100];

	if (layer < 0 || (size_t)layer >= nl)
		return NULL;
	cb = l[layer].created_by ? l[layer].created_by : "";
	if (strncmp(cb, "/bin/sh -c ", 11) == 0)
		cb += 11;
	if (strncmp(cb, "#(nop) ", 7) == 0)
		cb += 7;
	snprintf(shortcmd, sizeof(shortcmd), "%s", cb);
	if (strlen(cb) >= sizeof(shortcmd))
		memcpy(shortcmd + sizeof(shortcmd) - 4, "...", 4);
	/* people count layers from 1, as `podman history` lists them bottom-up */
	return ks_arena_printf((struct ks_arena *)&r->arena, "layer %d/%zu%s (%s)", layer + 1, nl,
			       ks_report_layer_is_base(r, layer) ? ", base image" : "", shortcmd);
}

static bool runs_as_root(const struct kensa_report *r)
{
	const struct kensa_image *img = kensa_inventory_image(r->inv);
	const char *u;

	if (r->profiles.root)
		return true;
	if (!img)
		return false;
	u = img->user;
	return !u || !*u || strcmp(u, "root") == 0 || strcmp(u, "0") == 0 || strncmp(u, "0:", 2) == 0 ||
	       strncmp(u, "root:", 5) == 0;
}

static double criticality_factor(const char *c)
{
	if (!c)
		return 1.0;
	if (strcasecmp(c, "critical") == 0)
		return 1.25;
	if (strcasecmp(c, "high") == 0)
		return 1.1;
	if (strcasecmp(c, "low") == 0)
		return 0.8;
	return 1.0;
}

static void reason(struct kensa_report *r, struct kensa_finding *f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void reason(struct kensa_report *r, struct kensa_finding *f, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	const char **arr = ks_arena_alloc(&r->arena, (f->nreasons + 1) * sizeof(*arr));

	if (!arr)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (f->nreasons)
		memcpy(arr, f->reasons, f->nreasons * sizeof(*arr));
	arr[f->nreasons] = ks_arena_strdup(&r->arena, buf);
	f->reasons = arr;
	f->nreasons++;
}

/* The project file a language package is declared in, from where it was found. */
static const char *project_of(struct kensa_report *r, const struct kensa_package *p, const char *manifest)
{
	const char *loc = p->location ? p->location : "";
	const char *nm = strstr(loc, "/node_modules/");

	if (nm)
		return ks_arena_printf(&r->arena, "%.*s/%s", (int)(nm - loc), loc, manifest);
	if (strrchr(loc, '/'))
		return ks_arena_printf(&r->arena, "%.*s/%s", (int)(strrchr(loc, '/') - loc), loc, manifest);
	return manifest;
}

static const char *action_for(struct kensa_report *r, const struct kensa_finding *f)
{
	const struct kensa_package *p = f->pkg;
	const char *to = f->nfixed ? f->fixed_versions[0] : NULL;
	const char *where = ks_report_layer_words(r, p->layer);
	struct ks_arena *a = &r->arena;

	if (!to) {
		return ks_arena_printf(a, "no fix available yet (%s); mitigate or accept the risk",
				       f->fix_status ? f->fix_status : "no fixed version in the feed");
	}
	if (p->flags & KENSA_PKG_OS) {
		if (ks_report_layer_is_base(r, p->layer))
			return ks_arena_printf(a, "rebuild on an updated base image: %s must come from %s %s or "
						  "later (installed in %s)", p->name, f->match_name, to, where ? where : "the base");
		return ks_arena_printf(a, "`apt-get install --only-upgrade %s` in %s: needs %s %s or later",
				       p->name, where ? where : "the image", f->match_name, to);
	}
	if (strcmp(p->ecosystem, "npm") == 0)
		return ks_arena_printf(a, "bump %s to %s in %s", p->name, to, project_of(r, p, "package.json"));
	if (strcmp(p->ecosystem, "PyPI") == 0)
		return ks_arena_printf(a, "`pip install '%s>=%s'` (found at %s)", p->name, to, p->location);
	if (strcmp(p->ecosystem, "Go") == 0) {
		if (p->flags & KENSA_PKG_STDLIB)
			return ks_arena_printf(a, "rebuild %s with Go %s or later", p->location, to);
		return ks_arena_printf(a, "`go get %s@v%s` and rebuild %s", p->name, to[0] == 'v' ? to + 1 : to,
				       p->location);
	}
	if (strcmp(p->ecosystem, "Maven") == 0)
		return ks_arena_printf(a, "upgrade %s to %s (in %s)", p->name, to, p->location);
	if (strcmp(p->ecosystem, "RubyGems") == 0)
		return ks_arena_printf(a, "`bundle update %s` to %s or later (%s)", p->name, to, p->location);
	if (strcmp(p->ecosystem, "Packagist") == 0)
		return ks_arena_printf(a, "`composer require %s:^%s` (%s)", p->name, to, project_of(r, p, "composer.json"));
	if (strcmp(p->ecosystem, "NuGet") == 0)
		return ks_arena_printf(a, "`dotnet add package %s --version %s`", p->name, to);
	if (strcmp(p->ecosystem, "crates.io") == 0)
		return ks_arena_printf(a, "`cargo update -p %s --precise %s` and rebuild", p->name, to);
	return ks_arena_printf(a, "upgrade %s to %s", p->name, to);
}

/* In-use state of package index i, through its own identity or a package it owns. */
static const struct ks_inuse *inuse_of(const struct kensa_report *r, const struct kensa_package *p,
				       const struct ks_inuse *const *owned)
{
	const struct ks_inuse *u = ks_profiles_lookup(r, p);

	return u ? u : owned[p->index];
}

static int cmp_findings(const void *x, const void *y)
{
	const struct kensa_finding *a = x, *b = y;

	if (a->suppressed != b->suppressed)
		return a->suppressed ? 1 : -1;
	if (a->needs_action != b->needs_action)
		return a->needs_action ? -1 : 1;
	if (a->risk != b->risk)
		return a->risk > b->risk ? -1 : 1;
	if (a->pkg->index != b->pkg->index)
		return a->pkg->index < b->pkg->index ? -1 : 1;
	return strcmp(a->id, b->id);
}

static int upgrades(struct kensa_report *r)
{
	size_t npk = kensa_inventory_count(r->inv);
	struct ks_upgrade *u = calloc(npk + 1, sizeof(*u));
	size_t n = 0;

	if (!u)
		return KENSA_ENOMEM;
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct kensa_finding *f = &r->findings[i];
		struct ks_upgrade *up = NULL;
		const struct kensa_version_scheme *s = kensa_version_scheme(f->match_ecosystem);

		if (!f->fixable || f->suppressed)
			continue;
		for (size_t k = 0; k < n; k++)
			if (u[k].pkg == f->pkg)
				up = &u[k];
		if (!up) {
			up = &u[n++];
			up->pkg = f->pkg;
			up->to = f->fixed_versions[0];
			up->action = f->action;
		} else {
			int c = 0;
			char ba[KENSA_VERSION_MAX + 2], bb[KENSA_VERSION_MAX + 2];
			const bool go = s && strcmp(kensa_version_scheme_name(s), "go") == 0;

			snprintf(ba, sizeof(ba), "%s%s", go && f->fixed_versions[0][0] != 'v' ? "v" : "", f->fixed_versions[0]);
			snprintf(bb, sizeof(bb), "%s%s", go && up->to[0] != 'v' ? "v" : "", up->to);
			if (s && kensa_version_compare(s, ba, bb, &c, NULL) == 0 && c > 0) {
				up->to = f->fixed_versions[0];
				up->action = f->action;	/* the action naming the highest fix */
			}
		}
		up->fixes++;
		up->needs_action += f->needs_action;
	}
	r->upgrades = u;
	r->nupgrades = n;
	return 0;
}

int ks_model_apply(struct kensa_report *r, struct kensa_err *err)
{
	size_t npk = kensa_inventory_count(r->inv);
	const struct ks_inuse **owned = calloc(npk + 1, sizeof(*owned));
	bool root = runs_as_root(r);
	double crit = criticality_factor(r->criticality);
	int result = 0;

	if (!owned)
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	/* a distro package is in use when a language package it owns is */
	for (size_t i = 0; i < npk && r->profiles.n; i++) {
		const struct kensa_package *p = kensa_inventory_package(r->inv, i);
		const struct ks_inuse *u;

		if (p->owner >= 0 && (size_t)p->owner < npk && (u = ks_profiles_lookup(r, p)) && !owned[p->owner])
			owned[p->owner] = u;
	}
	for (size_t i = 0; i < r->nfindings; i++) {
		struct kensa_finding *f = &r->findings[i];
		double points, factor;
		bool critical_network;

		/* in use */
		if (r->profiles.n) {
			const struct ks_inuse *u = inuse_of(r, f->pkg, owned);

			f->in_use = u ? KENSA_IN_USE_YES : r->profiles.dropped ? KENSA_IN_USE_UNKNOWN : KENSA_IN_USE_NO;
			if (u) {
				f->in_use_file = u->file;
				f->in_use_how = u->how;
				f->in_use_process = u->process;
				f->in_use_evidence = ks_arena_printf(&r->arena, "%s %s%s%s during %s profiling", u->file,
								     u->how ? u->how : "used",
								     u->process ? " by " : "", u->process ? u->process : "",
								     r->profiles.engines);
			} else if (r->profiles.dropped) {
				f->in_use_evidence = ks_arena_printf(&r->arena,
					"not seen, but the profile lost %llu events: it cannot rule the package out",
					(unsigned long long)r->profiles.dropped);
			} else {
				f->in_use_evidence = ks_arena_printf(&r->arena,
					"no file of %s was executed, opened or mapped during %.0f s of %s profiling%s",
					f->pkg->name, r->profiles.duration_s, r->profiles.engines,
					r->profiles.proc_engine ? " (the proc engine can miss short-lived opens)" : "");
			}
		}
		f->listening = r->profiles.listening;
		f->root = root;
		f->criticality = r->criticality;
		critical_network = r->critical_network && f->has_cvss && f->cvss.score >= 9.0 && f->network;
		f->exploitable = f->kev || (!isnan(f->epss) && f->epss >= r->epss_threshold) ||
				 (f->ssvc_exploitation && strcmp(f->ssvc_exploitation, "none") != 0) ||
				 critical_network;

		/* score */
		points = f->has_cvss ? 4.0 * f->cvss.score : 16.0;
		{
			double e = 0;

			if (f->kev)
				e = 30;
			if (f->ssvc_exploitation && strcmp(f->ssvc_exploitation, "active") == 0)
				e = KS_MAX(e, 25);
			if (f->ssvc_exploitation && strcmp(f->ssvc_exploitation, "poc") == 0)
				e = KS_MAX(e, 12);
			if (!isnan(f->epss_percentile))
				e = KS_MAX(e, 25.0 * f->epss_percentile);
			points += e;
		}
		points += (f->network ? 10 : 0) + (f->listening ? 5 : 0) + (f->root ? 5 : 0);
		points += f->fixable ? 10 : 0;
		factor = f->in_use == KENSA_IN_USE_YES ? 1.0 : f->in_use == KENSA_IN_USE_NO ? 0.25 : 0.75;
		f->risk = round(KS_MIN(100.0, points * factor * crit) * 10) / 10;
		f->tier = f->risk >= 70 ? "critical" : f->risk >= 50 ? "high" : f->risk >= 30 ? "medium" : "low";
		f->needs_action = f->fixable && f->exploitable && f->in_use != KENSA_IN_USE_NO && !f->suppressed;
		f->action = action_for(r, f);

		/* reasons, in the order a reader weighs them */
		if (f->kev)
			reason(r, f, "in CISA KEV since %s%s", f->kev_date_added ? f->kev_date_added : "?",
			       f->kev_ransomware ? " (known ransomware use)" : "");
		if (!isnan(f->epss))
			reason(r, f, "EPSS %.3f (%.0fth percentile)%s", f->epss, f->epss_percentile * 100,
			       f->epss >= r->epss_threshold ? ", at or above the threshold" : "");
		if (f->ssvc_exploitation)
			reason(r, f, "CISA SSVC exploitation: %s", f->ssvc_exploitation);
		if (f->has_cvss)
			reason(r, f, "CVSS %.1f %s (%s %s: %s)", f->cvss.score, f->cvss.severity, f->cvss.version,
			       f->cvss.vector, f->cvss.why);
		else
			reason(r, f, "no CVSS vector known; severity %s", f->severity);
		if (critical_network)
			reason(r, f, "critical (CVSS %.1f) and reachable over the network", f->cvss.score);
		else if (f->network)
			reason(r, f, "attack vector: network");
		if (f->fixable)
			reason(r, f, "fix available: %s", f->fixed_versions[0]);
		else
			reason(r, f, "no fix: %s", f->fix_status ? f->fix_status : "none known");
		if (f->in_use == KENSA_IN_USE_YES)
			reason(r, f, "in use: %s", f->in_use_evidence);
		else if (f->in_use == KENSA_IN_USE_NO)
			reason(r, f, "not in use: %s", f->in_use_evidence);
		else
			reason(r, f, "in use: unknown (%s)", f->in_use_evidence ? f->in_use_evidence : "no runtime profile");
		if (f->listening)
			reason(r, f, "the workload listens: %s", r->profiles.listening_what ? r->profiles.listening_what : "yes");
		if (f->root)
			reason(r, f, "runs as root");
		if (f->criticality)
			reason(r, f, "business criticality: %s%s%s", f->criticality, r->scope ? ", scope " : "",
			       r->scope ? r->scope : "");
		if (f->suppressed)
			reason(r, f, "suppressed: %s", f->suppressed_by);
	}
	qsort(r->findings, r->nfindings, sizeof(*r->findings), cmp_findings);
	memset(&r->funnel, 0, sizeof(r->funnel));
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct kensa_finding *f = &r->findings[i];

		if (f->suppressed) {
			r->suppressed++;
			continue;
		}
		r->funnel.total++;
		if (!f->fixable)
			continue;
		r->funnel.fixable++;
		if (!f->exploitable)
			continue;
		r->funnel.exploitable++;
		if (f->in_use == KENSA_IN_USE_NO)
			continue;
		r->funnel.in_use++;
	}
	for (size_t i = 0; i < r->nfindings; i++)
		r->funnel.needs_action += r->findings[i].needs_action;
	result = upgrades(r);
	if (result)
		kensa_err_set(err, result, "out of memory");
	free(owned);
	return result;
}
