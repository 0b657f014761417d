// SPDX-License-Identifier: Apache-2.0
/*
 * os.c — which operating system the target is: /etc/os-release (or /usr/lib/os-release, the
 * file it usually links to), /etc/debian_version, /etc/alpine-release.
 *
 * Sets the inventory's OS and the OSV ecosystem its packages are matched in ("Debian:12",
 * "Alpine:v3.19", "Ubuntu:22.04"). os-release is parsed per os-release(5): KEY=VALUE lines,
 * values optionally quoted with shell-style escapes.
 */
#include "pkgdb.h"
#include "sbom/inv.h"

static bool os_match(const struct ks_node *n)
{
	return strcmp(n->path, "/etc/os-release") == 0 || strcmp(n->path, "/usr/lib/os-release") == 0 ||
	       strcmp(n->path, "/etc/debian_version") == 0 || strcmp(n->path, "/etc/alpine-release") == 0;
}

/* Unquote an os-release value into the inventory. */
static char *os_value(struct ks_actx *x, const char *v, size_t n)
{
	char buf[512];
	size_t o = 0;
	char q = 0;

	ks_trim(&v, &n);
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		q = v[0];
		v++;
		n -= 2;
	}
	for (size_t i = 0; i < n && o < sizeof(buf) - 1; i++) {
		if (q == '"' && v[i] == '\\' && i + 1 < n)
			i++;
		buf[o++] = v[i];
	}
	return ks_astrn(x, buf, o);
}

const char *ks_os_ecosystem(struct ks_arena *a, const char *id, const char *version_id)
{
	if (!id)
		return NULL;
	if (strcmp(id, "rhel") == 0 || strcmp(id, "centos") == 0)
		return "Red Hat";
	if (strcmp(id, "rocky") == 0)
		return "Rocky Linux";
	if (strcmp(id, "almalinux") == 0)
		return "AlmaLinux";
	if (strcmp(id, "amzn") == 0)
		return "Amazon Linux";
	if (strncmp(id, "opensuse", 8) == 0)
		return "openSUSE";
	if (strcmp(id, "sles") == 0)
		return "SUSE";
	if (strcmp(id, "wolfi") == 0)
		return "Wolfi";
	if (!version_id)
		return NULL;
	if (strcmp(id, "debian") == 0)
		return ks_arena_printf(a, "Debian:%s", version_id);
	if (strcmp(id, "ubuntu") == 0)
		return ks_arena_printf(a, "Ubuntu:%s", version_id);
	if (strcmp(id, "alpine") == 0) {
		/* OSV names Alpine releases by major.minor: "Alpine:v3.19" */
		const char *dot = strchr(version_id, '.');
		const char *dot2 = dot ? strchr(dot + 1, '.') : NULL;
		int ml = dot2 ? (int)(dot2 - version_id) : (int)strlen(version_id);

		return ks_arena_printf(a, "Alpine:v%.*s", ml, version_id);
	}
	return NULL;
}

static const struct ks_node *content_node(struct ks_actx *x, const char *path)
{
	char canon[KS_MAX_PATH];
	const struct ks_node *n = ks_tree_resolve(x->tree, path, true, canon, NULL);
	const unsigned char *d;
	size_t l;

	return n && ks_acontent(x, n, &d, &l) ? n : NULL;
}

static int os_scan(struct ks_actx *x)
{
	struct kensa_os *os = ks_inv_os(x);
	const struct ks_node *n = content_node(x, "/etc/os-release");
	const unsigned char *data;
	size_t len;

	if (!n)
		n = content_node(x, "/usr/lib/os-release");
	if (n && ks_acontent(x, n, &data, &len)) {
		const char *p = (const char *)data, *end = p + len, *line;
		size_t ll;

		while (ks_next_line(&p, end, &line, &ll)) {
			const char *eq = memchr(line, '=', ll);
			size_t kl;
			char *val;

			if (!eq || line[0] == '#')
				continue;
			kl = (size_t)(eq - line);
			val = os_value(x, eq + 1, ll - kl - 1);
			if (kl == 2 && memcmp(line, "ID", 2) == 0)
				os->id = val;
			else if (kl == 10 && memcmp(line, "VERSION_ID", 10) == 0)
				os->version_id = val;
			else if (kl == 16 && memcmp(line, "VERSION_CODENAME", 16) == 0)
				os->codename = val;
			else if (kl == 11 && memcmp(line, "PRETTY_NAME", 11) == 0)
				os->pretty_name = val;
		}
	}
	n = content_node(x, "/etc/debian_version");
	if (n && ks_acontent(x, n, &data, &len)) {
		const char *v = (const char *)data;
		size_t vl = len;

		ks_trim(&v, &vl);
		os->debian_version = ks_astrn(x, v, vl);
		if (!os->id)
			os->id = "debian";
		if (!os->version_id && vl && v[0] >= '1' && v[0] <= '9') {
			size_t k = 0;

			while (k < vl && v[k] >= '0' && v[k] <= '9')
				k++;
			os->version_id = ks_astrn(x, v, k);
		}
	}
	n = content_node(x, "/etc/alpine-release");
	if (n && !os->id)
		os->id = "alpine";

	os->osv_ecosystem = ks_os_ecosystem(&x->inv->arena, os->id, os->version_id);
	return 0;
}

const struct ks_analyzer ks_analyzer_os = {
	.name = "os-release",
	.match = os_match,
	.max_size = 64 << 10,
	.scan = os_scan,
};
