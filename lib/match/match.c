// SPDX-License-Identifier: Apache-2.0
/*
 * match.c — the matcher (see match.h). For each package: pick the identity to match
 * (source package for distros, the owner for distro-owned language packages, "stdlib" for a
 * Go toolchain), query the database once for (ecosystem, name), and evaluate each affected
 * entry with the ecosystem's comparator exactly as the OSV specification describes.
 */
#include <stdlib.h>

#include "kensa/version.h"
#include "match.h"
#include "sbom/inv.h"

struct ctx {
	struct ks_arena *a;
	const struct kensa_inventory *inv;
	const struct kensa_package *pkg;
	const struct kensa_version_scheme *scheme;	/* ECOSYSTEM ranges */
	const struct kensa_version_scheme *semver;	/* SEMVER ranges */
	const char *eco, *name, *version, *via;
	struct ks_match *m;
	size_t n, cap;
	struct ks_match_stats *st;
	int result;
};

/* OSV spells Go versions without "v"; the Go comparator (golang.org/x/mod) wants it. */
static const char *scheme_version(const struct ctx *c, const struct kensa_version_scheme *s, const char *v,
				  char *buf, size_t size)
{
	if (s && strcmp(kensa_version_scheme_name(s), "go") == 0 && v[0] != 'v') {
		snprintf(buf, size, "v%s", v);
		return buf;
	}
	(void)c;
	return v;
}

static int compare(const struct ctx *c, const struct kensa_version_scheme *s, const char *a, const char *b,
		   int *cmp)
{
	char ba[KENSA_VERSION_MAX + 2], bb[KENSA_VERSION_MAX + 2];

	return kensa_version_compare(s, scheme_version(c, s, a, ba, sizeof(ba)),
				     scheme_version(c, s, b, bb, sizeof(bb)), cmp, NULL);
}

struct ev {
	enum kensa_event_kind kind;
	const char *version;
	bool zero;		/* introduced "0": before every version */
};

struct sort_arg {
	const struct ctx *c;
	const struct kensa_version_scheme *s;
	bool failed;
};

static int ev_cmp(const void *x, const void *y, void *arg)
{
	const struct ev *a = x, *b = y;
	struct sort_arg *sa = arg;
	int c = 0;

	if (a->zero || b->zero)
		return (int)b->zero - (int)a->zero;
	if (compare(sa->c, sa->s, a->version, b->version, &c) != 0)
		sa->failed = true;
	return c;
}

static int add_fixed(struct ctx *c, struct ks_match *m, const char *v)
{
	const char **f;

	for (size_t i = 0; i < m->nfixed; i++)
		if (strcmp(m->fixed[i], v) == 0)
			return 0;
	f = ks_arena_alloc(c->a, (m->nfixed + 1) * sizeof(*f));
	if (!f)
		return KENSA_ENOMEM;
	if (m->nfixed)
		memcpy(f, m->fixed, m->nfixed * sizeof(*f));
	f[m->nfixed++] = ks_arena_strdup(c->a, v);
	m->fixed = f;
	return 0;
}

/* Append one vers constraint: the comparator, then the version percent-encoded like a purl's. */
static void vers_constraint(struct ks_buf *b, const char *cmp, const char *v)
{
	static const char hex[] = "0123456789ABCDEF";

	if (b->data && b->data[b->len - 1] != '/')
		ks_buf_addc(b, '|');
	ks_buf_adds(b, cmp);
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
		    *p == '-' || *p == '_' || *p == '~' || *p == ':')
			ks_buf_addc(b, (char)*p);
		else
			ks_buf_printf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
}

/*
 * The interval that contains the installed version, as a vers range (purl-spec
 * VERSION-RANGE-SPEC), e.g. "vers:deb/>=1.0|<1.2.6"; `exact` alone gives "vers:npm/1.2.5".
 * The versioning scheme is the purl type of the ecosystem ("Debian:12" → deb). NULL when the
 * ecosystem has no purl type or memory runs out.
 */
static const char *vers_of(struct ctx *c, const char *introduced, const char *fixed, const char *last_affected,
			   const char *exact)
{
	struct ks_buf b = KS_BUF_INIT;
	size_t el = strcspn(c->eco, ":");
	char eco[64];
	const char *type, *out = NULL;

	if (el >= sizeof(eco))
		return NULL;
	memcpy(eco, c->eco, el);
	eco[el] = 0;
	type = ks_purl_type(eco);
	if (!type)
		return NULL;
	ks_buf_printf(&b, "vers:%s/", type);
	if (exact) {
		vers_constraint(&b, "", exact);
	} else {
		if (introduced)
			vers_constraint(&b, ">=", introduced);
		if (fixed)
			vers_constraint(&b, "<", fixed);
		else if (last_affected)
			vers_constraint(&b, "<=", last_affected);
		if (!introduced && !fixed && !last_affected)
			ks_buf_adds(&b, "*");
	}
	if (b.data)
		out = ks_arena_strdup(c->a, b.data);
	ks_buf_release(&b);
	return out;
}

/* The match for (advisory, package), created on first use. */
static struct ks_match *match_for(struct ctx *c, const char *advisory)
{
	struct ks_match *m;

	for (size_t i = c->n; i-- > 0;) {
		if (c->m[i].pkg != c->pkg->index)
			break;
		if (strcmp(c->m[i].advisory, advisory) == 0)
			return &c->m[i];
	}
	if (KS_GROW(c->m, c->cap, c->n + 1))
		return NULL;
	m = &c->m[c->n++];
	memset(m, 0, sizeof(*m));
	m->advisory = ks_arena_strdup(c->a, advisory);
	m->pkg = c->pkg->index;
	m->ecosystem = c->eco;
	m->name = c->name;
	m->version = c->version;
	m->via = c->via;
	return m->advisory ? m : NULL;
}

/*
 * One range, the OSV way: walk the events in version order; introduced (or "0") opens an
 * interval, fixed / limit at or below the version and last_affected below it close it.
 */
static int eval_range(struct ctx *c, const struct kensa_affected *af, const struct kensa_range *r)
{
	const struct kensa_version_scheme *s = r->type == KENSA_RANGE_SEMVER ? c->semver : c->scheme;
	struct ev *evs = NULL;
	bool vulnerable = false;
	const struct ev *opened = NULL;
	const char *closes = NULL, *last_aff = NULL;
	struct sort_arg sa = { c, s, false };
	int result = 0;

	if ((r->type != KENSA_RANGE_ECOSYSTEM && r->type != KENSA_RANGE_SEMVER) || !s || !r->nevents)
		return 0;
	evs = malloc(r->nevents * sizeof(*evs));
	if (!evs)
		return KENSA_ENOMEM;
	for (uint32_t i = 0; i < r->nevents; i++) {
		evs[i].kind = r->events[i].kind;
		evs[i].version = r->events[i].version ? r->events[i].version : "";
		evs[i].zero = evs[i].kind == KENSA_EVENT_INTRODUCED && strcmp(evs[i].version, "0") == 0;
		if (!evs[i].zero) {
			char vb[KENSA_VERSION_MAX + 2];

			if (!kensa_version_valid(s, scheme_version(c, s, evs[i].version, vb, sizeof(vb)))) {
				c->st->bad_events++;
				goto out;	/* a version the comparator refuses: no guess */
			}
		}
	}
	qsort_r(evs, r->nevents, sizeof(*evs), ev_cmp, &sa);
	if (sa.failed) {
		c->st->bad_events++;
		goto out;
	}
	for (uint32_t i = 0; i < r->nevents; i++) {
		const struct ev *e = &evs[i];
		int cmp = 0;

		if (!e->zero && compare(c, s, c->version, e->version, &cmp) != 0) {
			c->st->bad_events++;
			goto out;
		}
		switch (e->kind) {
		case KENSA_EVENT_INTRODUCED:
			if (e->zero || cmp >= 0) {
				vulnerable = true;
				opened = e;
				closes = last_aff = NULL;
			}
			break;
		case KENSA_EVENT_FIXED:
		case KENSA_EVENT_LIMIT:
			if (cmp >= 0)
				vulnerable = false;
			else if (vulnerable && !closes)
				closes = e->kind == KENSA_EVENT_FIXED ? e->version : NULL;
			break;
		case KENSA_EVENT_LAST_AFFECTED:
			if (cmp > 0)
				vulnerable = false;
			else if (vulnerable && !closes && !last_aff)
				last_aff = e->version;
			break;
		}
		if (vulnerable && (closes || last_aff))
			break;	/* the interval containing the version is known */
	}
	if (vulnerable) {
		struct ks_match *m = match_for(c, af->advisory);

		if (!m) {
			result = KENSA_ENOMEM;
			goto out;
		}
		if (!m->range) {
			m->range = ks_arena_printf(c->a, "%s %s%s%s%s%s (%s range)",
						   "introduced", opened && !opened->zero ? opened->version : "0",
						   closes ? ", fixed " : "", closes ? closes : "",
						   last_aff ? ", last affected " : "", last_aff ? last_aff : "",
						   r->type_name ? r->type_name : "ECOSYSTEM");
			m->fix_status = af->fix_status ? ks_arena_strdup(c->a, af->fix_status) : NULL;
			m->last_affected = last_aff ? ks_arena_strdup(c->a, last_aff) : NULL;
			m->vers = vers_of(c, opened && !opened->zero ? opened->version : NULL, closes, last_aff, NULL);
		}
		if (closes)
			result = add_fixed(c, m, closes);
	}
out:
	free(evs);
	return result;
}

static int on_affected(void *ud, const struct kensa_affected *af)
{
	struct ctx *c = ud;
	int result = 0;

	c->st->entries++;
	if (af->withdrawn)
		return 0;
	for (uint32_t i = 0; i < af->nversions; i++) {
		int cmp = 1;

		if (strcmp(af->versions[i], c->version) == 0 ||
		    (c->scheme && compare(c, c->scheme, af->versions[i], c->version, &cmp) == 0 && cmp == 0)) {
			struct ks_match *m = match_for(c, af->advisory);

			if (!m)
				return c->result = KENSA_ENOMEM;
			if (!m->range) {
				m->range = ks_arena_printf(c->a, "version %s listed as affected", af->versions[i]);
				m->fix_status = af->fix_status ? ks_arena_strdup(c->a, af->fix_status) : NULL;
				m->vers = vers_of(c, NULL, NULL, NULL, af->versions[i]);
			}
			break;
		}
	}
	for (uint32_t i = 0; i < af->nranges && !result; i++)
		result = eval_range(c, af, &af->ranges[i]);
	if (result)
		c->result = result;
	return result;
}

/* Fixed versions ascending, so the first is the smallest upgrade. */
static int fixed_cmp(const void *x, const void *y, void *arg)
{
	const struct ctx *c = arg;
	int r = 0;

	compare(c, c->scheme, *(const char *const *)x, *(const char *const *)y, &r);
	return r;
}

static const char *semver_family(const char *eco)
{
	if (strcmp(eco, "Go") == 0)
		return "go";
	if (strcmp(eco, "npm") == 0)
		return "semver";
	return "cargo";	/* SemVer 2.0 precedence, which the OSV SEMVER type names */
}

/* A crate built from a local path has a crates.io name by coincidence only. */
static bool local_crate(const struct kensa_package *p)
{
	if (strcmp(p->ecosystem, "crates.io") != 0)
		return false;
	for (uint32_t i = 0; i < p->nprops; i++)
		if (strcmp(p->props[i].key, "rust:source") == 0 && strcmp(p->props[i].value, "local") == 0)
			return true;
	return false;
}

int ks_match_inventory(struct kensa_db *db, const struct kensa_inventory *inv, struct ks_arena *a,
		       struct ks_match **out, size_t *n, struct ks_match_stats *stats, struct kensa_err *err)
{
	struct ctx c;
	const struct kensa_os *os = kensa_inventory_os(inv);
	int result = 0;

	memset(&c, 0, sizeof(c));
	memset(stats, 0, sizeof(*stats));
	c.a = a;
	c.inv = inv;
	c.st = stats;
	for (size_t i = 0; i < kensa_inventory_count(inv); i++) {
		const struct kensa_package *p = kensa_inventory_package(inv, i);
		size_t first = c.n;

		if (!p->version || !p->name)
			continue;
		c.pkg = p;
		if (p->flags & KENSA_PKG_OS) {
			if (!os->osv_ecosystem)
				continue;	/* an unknown release cannot be matched exactly */
			c.eco = os->osv_ecosystem;
			c.name = p->source_name ? p->source_name : p->name;
			c.version = p->source_version ? p->source_version : p->version;
			c.via = strcmp(c.name, p->name) == 0
				? ks_arena_printf(a, "%s package %s", c.eco, c.name)
				: ks_arena_printf(a, "%s source package %s (binary %s)", c.eco, c.name, p->name);
		} else if (p->owner >= 0 &&
			   (kensa_inventory_package(inv, (size_t)p->owner)->flags & KENSA_PKG_OS)) {
			/* the distro's records cover it, through the owner */
			stats->covered_by_owner++;
			continue;
		} else if ((p->flags & KENSA_PKG_MAIN) && strcmp(p->ecosystem, "Go") != 0) {
			/* the project itself (an npm app, a root crate): not a registry package */
			continue;
		} else if (local_crate(p)) {
			continue;
		} else {
			c.eco = p->ecosystem;
			c.name = p->name;
			c.version = p->version;
			c.via = ks_arena_printf(a, "%s package %s", c.eco, c.name);
		}
		c.scheme = kensa_version_scheme(c.eco);
		c.semver = kensa_version_scheme(semver_family(p->ecosystem));
		if (!c.scheme) {
			stats->unknown_scheme++;
			continue;
		}
		{
			char vb[KENSA_VERSION_MAX + 2];

			if (!kensa_version_valid(c.scheme, scheme_version(&c, c.scheme, c.version, vb, sizeof(vb)))) {
				stats->skipped_version++;
				continue;
			}
		}
		stats->packages++;
		result = kensa_db_query_package(db, c.eco, c.name, 0, on_affected, &c, err);
		if (c.result)
			result = kensa_err_set(err, c.result, "out of memory matching '%s'", p->name);
		if (result)
			goto out;
		for (size_t k = first; k < c.n; k++)
			if (c.m[k].nfixed > 1)
				qsort_r(c.m[k].fixed, c.m[k].nfixed, sizeof(*c.m[k].fixed), fixed_cmp, &c);
	}
	*out = c.m;
	*n = c.n;
	c.m = NULL;
out:
	free(c.m);
	return result;
}
