// SPDX-License-Identifier: Apache-2.0
/*
 * apk.c — Alpine (and Wolfi, Chainguard) packages: /lib/apk/db/installed.
 *
 * The installed database is a list of paragraphs separated by blank lines, one "X:value"
 * line per field (apk's package database format): P name, V version, A arch, o origin (the
 * source package), L license, and the owned files as F (a directory, relative to /)
 * followed by its R (file name) lines. Other fields (checksums, sizes, dependencies, file
 * modes) are not needed for an inventory and are skipped.
 *
 * Packages are OS packages (KENSA_PKG_OS), ecosystem "Alpine" ("Wolfi" on Wolfi); the os
 * analyzer names the release ("Alpine:v3.19") from /etc/alpine-release or os-release.
 */
#include "pkgdb.h"

#define APK_DB "/lib/apk/db/installed"

static bool apk_match(const struct ks_node *n)
{
	return strcmp(n->path, APK_DB) == 0;
}

struct apkrec {
	const char *name, *version, *arch, *origin, *license;
	size_t nl, vl, al, ol, ll;
	size_t lineno;
	struct ks_buf files; /* "/dir/file\0" … */
	bool any;
};

static int flush(struct ks_actx *x, const struct ks_node *n, struct apkrec *r)
{
	const struct kensa_os *os = &x->inv->os;
	struct kensa_package *p;
	char *name, *version;
	int result = 0;

	if (!r->any)
		return 0;
	if (!r->nl || !r->vl) {
		ks_awarn(x, n->path, "line %zu: skipping a package without %s", r->lineno,
			 !r->nl ? "P: (name)" : "V: (version)");
		return 0;
	}
	name = ks_astrn(x, r->name, r->nl);
	version = ks_astrn(x, r->version, r->vl);
	if (!name || !version)
		return KENSA_ENOMEM;
	p = ks_pkg_new(x, n, os->id && strcmp(os->id, "wolfi") == 0 ? "Wolfi" : "Alpine", name,
		       version);
	if (!p || !p->name || !p->version)
		return KENSA_ENOMEM;
	p->flags |= KENSA_PKG_OS;
	p->arch = r->al ? ks_astrn(x, r->arch, r->al) : NULL;
	p->license = r->ll ? ks_astrn(x, r->license, r->ll) : NULL;
	p->source_name = r->ol ? ks_astrn(x, r->origin, r->ol) : p->name;
	p->source_version = p->version;
	if (!p->source_name)
		return KENSA_ENOMEM;
	for (size_t o = 0; o < r->files.len && !result;) {
		size_t fl = strlen(r->files.data + o);

		result = ks_pkg_add_file(x, p, r->files.data + o, fl);
		o += fl + 1;
	}
	return result;
}

static int parse_installed(struct ks_actx *x, const struct ks_node *n)
{
	const unsigned char *data;
	size_t len, lineno = 0;
	const char *s, *end, *line, *dir = NULL;
	size_t ll, dl = 0;
	struct apkrec r;
	int result = 0;

	if (!ks_acontent(x, n, &data, &len))
		return 0;
	memset(&r, 0, sizeof(r));
	s = (const char *)data;
	end = s + len;
	for (;;) {
		bool more = ks_next_line(&s, end, &line, &ll);

		lineno++;
		if (!more || ll == 0) {
			result = flush(x, n, &r);
			ks_buf_release(&r.files);
			memset(&r, 0, sizeof(r));
			dir = NULL;
			dl = 0;
			if (result || !more)
				break;
			continue;
		}
		if (!r.any) {
			r.any = true;
			r.lineno = lineno;
		}
		if (ll < 2 || line[1] != ':')
			continue;
		switch (line[0]) {
		case 'P':
			r.name = line + 2;
			r.nl = ll - 2;
			break;
		case 'V':
			r.version = line + 2;
			r.vl = ll - 2;
			break;
		case 'A':
			r.arch = line + 2;
			r.al = ll - 2;
			break;
		case 'o':
			r.origin = line + 2;
			r.ol = ll - 2;
			break;
		case 'L':
			r.license = line + 2;
			r.ll = ll - 2;
			break;
		case 'F':
			dir = line + 2;
			dl = ll - 2;
			while (dl && dir[0] == '/') {
				dir++;
				dl--;
			}
			break;
		case 'R':
			if (ll - 2 + dl + 3 > KS_MAX_PATH || memchr(line + 2, '/', ll - 2) ||
			    ll == 2) {
				ks_awarn(x, n->path, "line %zu: ignoring a bad file name", lineno);
				break;
			}
			if (ks_buf_addc(&r.files, '/') || (dl && ks_buf_add(&r.files, dir, dl)) ||
			    (dl && ks_buf_addc(&r.files, '/')) ||
			    ks_buf_add(&r.files, line + 2, ll - 2) || ks_buf_addc(&r.files, '\0')) {
				result = KENSA_ENOMEM;
				goto out;
			}
			break;
		default:
			break;
		}
	}
out:
	ks_buf_release(&r.files);
	return result;
}

static int apk_scan(struct ks_actx *x)
{
	int result = 0;

	for (size_t i = 0; i < x->nnodes && !result; i++)
		result = parse_installed(x, x->nodes[i]);
	return result;
}

const struct ks_analyzer ks_analyzer_apk = {
	.name = "apk",
	.match = apk_match,
	.max_size = (uint64_t)64 << 20,
	.scan = apk_scan,
};
