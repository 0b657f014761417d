// SPDX-License-Identifier: Apache-2.0
/*
 * pnpm.c — the pnpm-lock.yaml parser (used by npm.c), for the three key formats pnpm has
 * written under `packages:`:
 *
 *   lockfileVersion 5.x   /name/1.2.3, /@scope/name/1.2.3_peer@1.0.0+other@2.0.0
 *   lockfileVersion 6.x   /name@1.2.3, /@scope/name@1.2.3(peer@1.0.0)
 *   lockfileVersion 9.x   name@1.2.3 (peers only in the separate `snapshots:` keys)
 *
 * Entries that name themselves (tarball and git dependencies carry `name:` and `version:`)
 * are taken as they say. 5.x and 6.x mark development-only packages with `dev: true`; 9.x
 * dropped the flag, so it is recomputed: a package is dev when no importer's dependencies
 * or optionalDependencies reach it through the snapshots, but its devDependencies do.
 *
 * A pnpm-lock.yaml may hold several YAML documents (pnpm 10 puts its own tooling first);
 * every document with `packages:` is read.
 */
#include <stdlib.h>

#include "lang.h"

#define PNPM_MAX_NAME 256

struct pnpm {
	struct ks_yaml y;
	const struct ks_lang_sink *s;
	bool v5;			/* lockfileVersion 5.x key format */
	struct ks_arena tmp;
	struct ks_map prod, dev;	/* v9: "name@version" reached from prod / dev roots */
	bool have_reach;
};

/* Parse a key into name and version (peer suffixes dropped); false when it is not one. */
static bool parse_key(const char *key, bool v5, char *name, char *version)
{
	const char *k = key[0] == '/' ? key + 1 : key, *sep, *vend;
	size_t nl, vl;

	if (v5) {
		if (key[0] != '/')
			return false;	/* "github.com/u/r/sha", tarball URLs */
		sep = strchr(k, '/');
		if (k[0] == '@')
			sep = sep ? strchr(sep + 1, '/') : NULL;
		if (!sep)
			return false;
		vend = sep + 1 + strcspn(sep + 1, "_(");
	} else {
		sep = *k ? strchr(k + 1, '@') : NULL;
		if (!sep)
			return false;
		vend = sep + 1 + strcspn(sep + 1, "(");
	}
	nl = (size_t)(sep - k);
	vl = (size_t)(vend - sep - 1);
	if (!nl || !vl || nl >= PNPM_MAX_NAME || vl >= PNPM_MAX_NAME)
		return false;
	memcpy(name, k, nl);
	name[nl] = '\0';
	memcpy(version, sep + 1, vl);
	version[vl] = '\0';
	return !strchr(version, ':') && !strchr(version, '/');
}

/* ---------------------------------------------------------------- v9: who reaches what */

/*
 * The snapshot key a dependency `name: ver` points at: "name@ver" usually; an aliased
 * dependency names its target in full ("string-width-cjs: string-width@4.2.3").
 */
static const char *dep_key(struct pnpm *pn, const char *name, const char *ver)
{
	size_t lim = strcspn(ver, "(");

	if (lim > 1 && memchr(ver + 1, '@', lim - 1))
		return ver;
	return ks_arena_printf(&pn->tmp, "%s@%s", name, ver);
}

static int push(const char ***queue, size_t *nq, size_t *capq, const char *key)
{
	if (!key || KS_GROW(*queue, *capq, *nq + 1))
		return KENSA_ENOMEM;
	(*queue)[(*nq)++] = key;
	return 0;
}

/*
 * Walk the snapshots graph from the importers' `fields` (dependencies and
 * optionalDependencies, or devDependencies), marking every "name@version" reached in `seen`.
 * `index` maps snapshot keys to their nodes.
 */
static int reach(struct pnpm *pn, yaml_node_t *importers, const struct ks_map *index,
		 const char *const *fields, size_t nfields, struct ks_map *seen)
{
	const char **queue = NULL;
	size_t nq = 0, capq = 0, head = 0;
	int result = 0;

	/* roots: importers.<dir>.<field>.<name>.version ("1.2.3(peer@1)", or "link:../x") */
	for (yaml_node_pair_t *ip = importers->data.mapping.pairs.start;
	     ip < importers->data.mapping.pairs.top && !result; ip++) {
		yaml_node_t *imp = ks_yaml_node(&pn->y, ip->value);

		for (size_t f = 0; f < nfields && !result; f++) {
			yaml_node_t *deps = ks_yaml_get(&pn->y, imp, fields[f]);

			if (!KS_YAML_IS_MAP(deps))
				continue;
			for (yaml_node_pair_t *dp = deps->data.mapping.pairs.start;
			     dp < deps->data.mapping.pairs.top && !result; dp++) {
				const char *name = ks_yaml_str(ks_yaml_node(&pn->y, dp->key));
				yaml_node_t *d = ks_yaml_node(&pn->y, dp->value);
				const char *ver = ks_yaml_str(ks_yaml_get(&pn->y, d, "version"));

				if (!ver)
					ver = ks_yaml_str(d);
				if (name && ver && *ver && strncmp(ver, "link:", 5) != 0)
					result = push(&queue, &nq, &capq, dep_key(pn, name, ver));
			}
		}
	}
	/* breadth-first over snapshots.<name@version(peers)>.(optional)dependencies */
	while (!result && head < nq) {
		const char *key = queue[head++];
		size_t plain_len = strcspn(key, "(");
		char *plain = ks_arena_strndup(&pn->tmp, key, plain_len);
		uint64_t *slot, id;
		bool inserted;
		yaml_node_t *snap;

		if (!plain) {
			result = KENSA_ENOMEM;
			break;
		}
		result = ks_map_upsert(seen, plain, plain_len, 0, &slot, &inserted);
		if (result || !inserted || !ks_map_gets(index, key, &id))
			continue;
		snap = ks_yaml_node(&pn->y, (int)id);
		for (int f = 0; f < 2 && !result; f++) {
			yaml_node_t *deps = ks_yaml_get(
				&pn->y, snap, f ? "optionalDependencies" : "dependencies");

			if (!KS_YAML_IS_MAP(deps))
				continue;
			for (yaml_node_pair_t *dp = deps->data.mapping.pairs.start;
			     dp < deps->data.mapping.pairs.top && !result; dp++) {
				const char *name = ks_yaml_str(ks_yaml_node(&pn->y, dp->key));
				const char *ver = ks_yaml_str(ks_yaml_node(&pn->y, dp->value));

				if (name && ver && *ver && strncmp(ver, "link:", 5) != 0)
					result = push(&queue, &nq, &capq, dep_key(pn, name, ver));
			}
		}
	}
	free(queue);
	return result;
}

/* v9 has no dev flag: compute who the production and the development roots reach. */
static int compute_dev(struct pnpm *pn, yaml_node_t *doc)
{
	static const char *const prod_fields[] = { "dependencies", "optionalDependencies" };
	static const char *const dev_fields[] = { "devDependencies" };
	yaml_node_t *importers = ks_yaml_get(&pn->y, doc, "importers");
	yaml_node_t *snapshots = ks_yaml_get(&pn->y, doc, "snapshots");
	struct ks_map index = KS_MAP_INIT;
	int result = 0;

	if (!KS_YAML_IS_MAP(importers))
		return 0;
	if (KS_YAML_IS_MAP(snapshots)) {
		for (yaml_node_pair_t *pr = snapshots->data.mapping.pairs.start;
		     pr < snapshots->data.mapping.pairs.top && !result; pr++) {
			const char *key = ks_yaml_str(ks_yaml_node(&pn->y, pr->key));

			if (key)
				result = ks_map_puts(&index, key, (uint64_t)pr->value);
		}
	}
	if (!result)
		result = reach(pn, importers, &index, prod_fields, 2, &pn->prod);
	if (!result)
		result = reach(pn, importers, &index, dev_fields, 1, &pn->dev);
	pn->have_reach = !result;
	ks_map_release(&index);
	return result;
}

/* ---------------------------------------------------------------- packages */

static int read_document(struct pnpm *pn)
{
	yaml_node_t *doc = ks_yaml_root(&pn->y), *packages;
	const char *lv;
	int result = 0;

	if (!KS_YAML_IS_MAP(doc))
		return 0;
	packages = ks_yaml_get(&pn->y, doc, "packages");
	if (!KS_YAML_IS_MAP(packages))
		return 0;
	lv = ks_yaml_str(ks_yaml_get(&pn->y, doc, "lockfileVersion"));
	if (!lv) {
		ks_lang_warn(pn->s, "no lockfileVersion; reading it as version 9");
		lv = "9.0";
	}
	pn->v5 = strtod(lv, NULL) < 6.0;
	if (strtod(lv, NULL) >= 9.0) {
		result = compute_dev(pn, doc);
		if (result)
			return result;
	}
	for (yaml_node_pair_t *pr = packages->data.mapping.pairs.start;
	     pr < packages->data.mapping.pairs.top && !result; pr++) {
		const char *key = ks_yaml_str(ks_yaml_node(&pn->y, pr->key));
		yaml_node_t *e = ks_yaml_node(&pn->y, pr->value);
		const char *own_name = ks_yaml_str(ks_yaml_get(&pn->y, e, "name"));
		const char *own_version = ks_yaml_str(ks_yaml_get(&pn->y, e, "version"));
		const char *dev = ks_yaml_str(ks_yaml_get(&pn->y, e, "dev"));
		char name[PNPM_MAX_NAME], version[PNPM_MAX_NAME];
		struct ks_lang_pkg p = { 0 };

		if (!key)
			continue;
		if (own_name && own_version && *own_name && *own_version) {
			p.name = own_name;
			p.version = own_version;
		} else if (parse_key(key, pn->v5, name, version)) {
			p.name = name;
			p.version = version;
		} else {
			ks_lang_warn(pn->s, "cannot read the package key '%.80s'; skipped", key);
			continue;
		}
		if (dev) {
			p.dev = strcmp(dev, "true") == 0;
		} else if (pn->have_reach) {
			char *plain = ks_arena_printf(&pn->tmp, "%s@%s", p.name, p.version);

			if (!plain) {
				result = KENSA_ENOMEM;
				break;
			}
			p.dev = !ks_map_gets(&pn->prod, plain, NULL) &&
				ks_map_gets(&pn->dev, plain, NULL);
		}
		p.path = key;
		result = pn->s->pkg(pn->s->ud, &p);
	}
	return result;
}

int ks_pnpm_lock_parse(const char *data, size_t len, const struct ks_lang_sink *s)
{
	struct pnpm pn;
	char err[256];
	int result;

	memset(&pn, 0, sizeof(pn));
	pn.s = s;
	if (len > KS_LANG_MAX_DOC) {
		ks_lang_warn(s, "too large (%zu bytes)", len);
		return 0;
	}
	for (result = ks_yaml_open(&pn.y, data, len, err, sizeof(err)); result == 1;
	     result = ks_yaml_next(&pn.y, err, sizeof(err))) {
		result = read_document(&pn);
		if (result)
			break;
		ks_map_release(&pn.prod);
		ks_map_release(&pn.dev);
		pn.have_reach = false;
	}
	if (result == KENSA_EFORMAT) {
		ks_lang_warn(s, "%s", err);
		result = 0;
	}
	ks_map_release(&pn.prod);
	ks_map_release(&pn.dev);
	ks_arena_release(&pn.tmp);
	ks_yaml_release(&pn.y);
	return result;
}
