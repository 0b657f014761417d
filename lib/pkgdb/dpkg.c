// SPDX-License-Identifier: Apache-2.0
/*
 * dpkg.c — Debian and Ubuntu packages: /var/lib/dpkg/status, the distroless
 * /var/lib/dpkg/status.d/ files, and each package's file list (info/<pkg>[:arch].list, or
 * status.d/<pkg>.md5sums where distroless keeps it).
 *
 * The status file is deb822: paragraphs of "Field: value" lines separated by blank lines,
 * continuation lines starting with a space. Packages whose state (the third word of
 * Status:) is "not-installed" or "config-files" have no software on disk and are left out.
 * Source: may carry its own version in parentheses ("Source: util-linux (2.38.1-5)"); without
 * one, the source version is the binary version.
 */
#include "pkgdb.h"

#define DPKG_DIR "/var/lib/dpkg/"

static bool dpkg_match(const struct ks_node *n)
{
	const char *p = n->path;

	if (strncmp(p, DPKG_DIR, sizeof(DPKG_DIR) - 1) != 0)
		return false;
	p += sizeof(DPKG_DIR) - 1;
	if (strcmp(p, "status") == 0)
		return true;
	if (strncmp(p, "status.d/", 9) == 0)
		return !strchr(p + 9, '/') && p[9];
	if (strncmp(p, "info/", 5) == 0)
		return !strchr(p + 5, '/') && ks_str_endswith(p, ".list");
	return false;
}

struct para {
	const char *package, *version, *arch, *source, *status, *multiarch;
	size_t package_len, version_len, arch_len, source_len, status_len, multiarch_len;
};

static void field(const char *line, size_t len, const char *name, const char **val, size_t *vlen)
{
	size_t nl = strlen(name);

	if (len > nl && strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
		const char *v = line + nl + 1;
		size_t n = len - nl - 1;

		ks_trim(&v, &n);
		*val = v;
		*vlen = n;
	}
}

/* Add the files listed in a .list (absolute paths) or .md5sums ("md5  relative/path") file. */
static int add_list(struct ks_actx *x, struct kensa_package *p, const char *list_path, bool md5sums)
{
	const struct ks_node *n = ks_tree_get(x->tree, list_path, strlen(list_path));
	const unsigned char *data;
	size_t len;
	const char *s, *end, *line;
	size_t ll;
	char buf[KS_MAX_PATH + 2];

	if (!n || !ks_acontent(x, n, &data, &len))
		return 0;
	/*
	 * The status file is rewritten by every later install; the package's own file list is
	 * written when the package itself is installed or upgraded, so its layer is the one
	 * that brought this version in.
	 */
	p->layer = n->layer;
	s = (const char *)data;
	end = s + len;
	while (ks_next_line(&s, end, &line, &ll)) {
		int result;

		if (md5sums) {
			const char *sp = memchr(line, ' ', ll);

			if (!sp)
				continue;
			while (sp < line + ll && *sp == ' ')
				sp++;
			ll -= (size_t)(sp - line);
			line = sp;
			if (ll + 1 >= sizeof(buf))
				continue;
			buf[0] = '/';
			memcpy(buf + 1, line, ll);
			line = buf;
			ll++;
		}
		if (ll == 0 || line[0] != '/' || (ll == 2 && line[1] == '.'))
			continue;
		result = ks_pkg_add_file(x, p, line, ll);
		if (result)
			return result;
	}
	return 0;
}

static int emit(struct ks_actx *x, const struct ks_node *from, const struct para *pa, bool distroless)
{
	const char *eco = "Debian";
	const struct kensa_os *os = &x->inv->os;
	struct kensa_package *p;
	char *name, *version;
	char list[KS_MAX_PATH];
	int result = 0;

	if (!pa->package || !pa->version) {
		if (pa->package || pa->version)
			ks_awarn(x, from->path, "skipping a record without %s", pa->package ? "Version" : "Package");
		return 0;
	}
	if (pa->status) {
		/* "want flag state": the state is the last word */
		const char *st = pa->status + pa->status_len;
		size_t sl = 0;

		while (st > pa->status && st[-1] != ' ') {
			st--;
			sl++;
		}
		if ((sl == 13 && memcmp(st, "not-installed", 13) == 0) || (sl == 12 && memcmp(st, "config-files", 12) == 0))
			return 0;
	}
	if (os->id && strcmp(os->id, "ubuntu") == 0)
		eco = "Ubuntu";
	name = ks_astrn(x, pa->package, pa->package_len);
	version = ks_astrn(x, pa->version, pa->version_len);
	p = ks_pkg_new(x, from, eco, name, version);
	if (!p)
		return KENSA_ENOMEM;
	p->flags |= KENSA_PKG_OS;
	if (pa->arch)
		p->arch = ks_astrn(x, pa->arch, pa->arch_len);
	if (pa->source) {
		const char *paren = memchr(pa->source, '(', pa->source_len);

		if (paren) {
			const char *sn = pa->source;
			size_t snl = (size_t)(paren - pa->source);
			const char *sv = paren + 1;
			const char *close = memchr(sv, ')', (size_t)(pa->source + pa->source_len - sv));
			size_t svl = close ? (size_t)(close - sv) : (size_t)(pa->source + pa->source_len - sv);

			ks_trim(&sn, &snl);
			ks_trim(&sv, &svl);
			p->source_name = ks_astrn(x, sn, snl);
			p->source_version = ks_astrn(x, sv, svl);
		} else {
			p->source_name = ks_astrn(x, pa->source, pa->source_len);
		}
	}
	if (!p->source_name)
		p->source_name = p->name;
	if (!p->source_version)
		p->source_version = p->version;
	if (pa->status && !ks_mem_endswith(pa->status, pa->status_len, " installed"))
		ks_pkg_add_prop(x, p, "dpkg:status", ks_astrn(x, pa->status, pa->status_len));
	if (!p->name || !p->version || !p->source_name)
		return KENSA_ENOMEM;

	if (distroless) {
		snprintf(list, sizeof(list), "%s.md5sums", from->path);
		return add_list(x, p, list, true);
	}
	if (pa->arch) {
		snprintf(list, sizeof(list), DPKG_DIR "info/%s:%s.list", p->name, p->arch);
		if (ks_tree_get(x->tree, list, strlen(list)))
			return add_list(x, p, list, false);
	}
	snprintf(list, sizeof(list), DPKG_DIR "info/%s.list", p->name);
	result = add_list(x, p, list, false);
	return result;
}

static int parse_status(struct ks_actx *x, const struct ks_node *n, bool distroless)
{
	const unsigned char *data;
	size_t len;
	const char *s, *end, *line;
	size_t ll;
	struct para pa;
	int result = 0;

	if (!ks_acontent(x, n, &data, &len))
		return 0;
	memset(&pa, 0, sizeof(pa));
	s = (const char *)data;
	end = s + len;
	for (;;) {
		bool more = ks_next_line(&s, end, &line, &ll);

		if (!more || ll == 0) {
			result = emit(x, n, &pa, distroless);
			if (result || !more)
				break;
			memset(&pa, 0, sizeof(pa));
			continue;
		}
		if (line[0] == ' ' || line[0] == '\t' || line[0] == '#')
			continue;	/* continuation or comment */
		field(line, ll, "Package", &pa.package, &pa.package_len);
		field(line, ll, "Version", &pa.version, &pa.version_len);
		field(line, ll, "Architecture", &pa.arch, &pa.arch_len);
		field(line, ll, "Source", &pa.source, &pa.source_len);
		field(line, ll, "Status", &pa.status, &pa.status_len);
	}
	return result;
}

static int dpkg_scan(struct ks_actx *x)
{
	int result = 0;

	for (size_t i = 0; i < x->nnodes && !result; i++) {
		const struct ks_node *n = x->nodes[i];
		const char *p = n->path + sizeof(DPKG_DIR) - 1;

		if (strcmp(p, "status") == 0)
			result = parse_status(x, n, false);
		else if (strncmp(p, "status.d/", 9) == 0 && !ks_str_endswith(p, ".md5sums"))
			result = parse_status(x, n, true);
	}
	return result;
}

const struct ks_analyzer ks_analyzer_dpkg = {
	.name = "dpkg",
	.match = dpkg_match,
	.max_size = (uint64_t)64 << 20,
	.scan = dpkg_scan,
};
