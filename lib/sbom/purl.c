// SPDX-License-Identifier: Apache-2.0
/*
 * purl.c — package URLs (https://github.com/package-url/purl-spec) for every ecosystem kensa
 * inventories, and the reverse mapping used when an SBOM is read back.
 *
 * Encoding follows the spec's character rules: unreserved characters and ':' stay, '+' and
 * everything else is percent-encoded ("1:2.38.1-5%2Bdeb12u3"). Distro packages carry
 * arch and distro qualifiers ("?arch=amd64&distro=debian-12").
 */
#include "inv.h"

static const struct {
	const char *ecosystem;
	const char *type;
} types[] = {
	{ "Debian", "deb" }, { "Ubuntu", "deb" }, { "Alpine", "apk" }, { "Wolfi", "apk" },
	{ "Red Hat", "rpm" }, { "Rocky Linux", "rpm" }, { "AlmaLinux", "rpm" }, { "SUSE", "rpm" },
	{ "openSUSE", "rpm" }, { "Amazon Linux", "rpm" }, { "Fedora", "rpm" }, { "CentOS", "rpm" },
	{ "PyPI", "pypi" }, { "npm", "npm" }, { "Maven", "maven" }, { "Go", "golang" },
	{ "crates.io", "cargo" }, { "RubyGems", "gem" }, { "Packagist", "composer" }, { "NuGet", "nuget" },
};

const char *ks_purl_type(const char *ecosystem)
{
	for (size_t i = 0; ecosystem && i < KS_ARRAY_SIZE(types); i++)
		if (strcmp(types[i].ecosystem, ecosystem) == 0)
			return types[i].type;
	return NULL;
}

static int enc(struct ks_buf *b, const char *s, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	int result = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p && !result; p++) {
		unsigned c = *p;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		    c == '-' || c == '_' || c == '~' || c == ':' || (keep_slash && c == '/')) {
			result = ks_buf_addc(b, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };

			result = ks_buf_add(b, e, 3);
		}
	}
	return result;
}

char *ks_purl_build(struct ks_arena *a, const struct kensa_package *p, const struct kensa_os *os)
{
	const char *type = ks_purl_type(p->ecosystem);
	struct ks_buf b = KS_BUF_INIT;
	char *out = NULL;
	const char *name = p->name;
	bool q = false;

	if (!type || !p->name)
		return NULL;
	ks_buf_printf(&b, "pkg:%s/", type);
	if (strcmp(type, "deb") == 0 || strcmp(type, "apk") == 0 || strcmp(type, "rpm") == 0) {
		const char *ns = os && os->id ? os->id : (strcmp(type, "deb") == 0 ? "debian" : type);

		if (strcmp(type, "rpm") == 0 && os && os->id && strcmp(os->id, "rhel") == 0)
			ns = "redhat";
		enc(&b, ns, false);
		ks_buf_addc(&b, '/');
	} else if (strcmp(type, "maven") == 0) {
		const char *colon = strchr(name, ':');

		if (colon) {
			char *g = ks_arena_strndup(a, name, (size_t)(colon - name));

			enc(&b, g, false);
			ks_buf_addc(&b, '/');
			name = colon + 1;
		}
	} else if (strcmp(type, "npm") == 0 || strcmp(type, "composer") == 0 || strcmp(type, "golang") == 0) {
		/* scope / vendor / module path segments: encode each, keep the slashes */
		const char *slash = strrchr(name, '/');

		if (slash) {
			char *ns = ks_arena_strndup(a, name, (size_t)(slash - name));

			enc(&b, ns, true);
			ks_buf_addc(&b, '/');
			name = slash + 1;
		}
	}
	if (strcmp(type, "pypi") == 0) {
		/* purl: PyPI names are lower case with '_' → '-' */
		char *n = ks_arena_strlower(a, name);

		for (char *c = n; c && *c; c++)
			if (*c == '_')
				*c = '-';
		enc(&b, n ? n : name, false);
	} else {
		enc(&b, name, false);
	}
	const char *epoch_end = NULL;

	if (p->version && *p->version) {
		const char *v = p->version;

		/* purl-spec rpm: the epoch is a qualifier, not part of the version */
		if (strcmp(type, "rpm") == 0) {
			epoch_end = strchr(v, ':');
			if (epoch_end)
				v = epoch_end + 1;
		}
		ks_buf_addc(&b, '@');
		enc(&b, v, false);
	}
	if (p->arch && *p->arch) {
		ks_buf_adds(&b, q ? "&arch=" : "?arch=");
		enc(&b, p->arch, false);
		q = true;
	}
	if (epoch_end) {
		ks_buf_adds(&b, q ? "&epoch=" : "?epoch=");
		ks_buf_add(&b, p->version, (size_t)(epoch_end - p->version));
		q = true;
	}
	if ((p->flags & KENSA_PKG_OS) && os && os->id && os->version_id) {
		ks_buf_adds(&b, q ? "&distro=" : "?distro=");
		enc(&b, os->id, false);
		ks_buf_addc(&b, '-');
		enc(&b, os->version_id, false);
		q = true;
	}
	if (b.data)
		out = ks_arena_strndup(a, b.data, b.len);
	ks_buf_release(&b);
	return out;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 32);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static char *dec(struct ks_arena *a, const char *s, size_t n)
{
	char *out = ks_arena_alloc(a, n + 1);
	size_t o = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n) {
			int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);

			if (hi >= 0 && lo >= 0) {
				out[o++] = (char)(hi * 16 + lo);
				i += 2;
				continue;
			}
		}
		out[o++] = s[i];
	}
	out[o] = '\0';
	return out;
}

int ks_purl_parse(struct ks_arena *a, const char *purl, const char **ecosystem, const char **name,
		  const char **version, const char **distro)
{
	const char *p, *slash, *end, *at, *q;
	const char *type_end;
	size_t tlen;

	*ecosystem = *name = *version = NULL;
	if (distro)
		*distro = NULL;
	if (!purl || strncmp(purl, "pkg:", 4) != 0)
		return KENSA_EFORMAT;
	p = purl + 4;
	type_end = strchr(p, '/');
	if (!type_end)
		return KENSA_EFORMAT;
	tlen = (size_t)(type_end - p);
	for (size_t i = 0; i < KS_ARRAY_SIZE(types); i++) {
		if (strlen(types[i].type) == tlen && strncmp(types[i].type, p, tlen) == 0) {
			*ecosystem = types[i].ecosystem;
			break;
		}
	}
	if (!*ecosystem)
		return KENSA_EUNSUPPORTED;
	q = strchr(type_end, '?');
	end = q ? q : type_end + strlen(type_end);
	{
		const char *hash = memchr(type_end, '#', (size_t)(end - type_end));

		if (hash)
			end = hash;
	}
	/* version: after the last '@' that follows the last '/' */
	slash = type_end;
	for (const char *c = type_end; c < end; c++)
		if (*c == '/')
			slash = c;
	at = memchr(slash, '@', (size_t)(end - slash));
	if (at)
		*version = dec(a, at + 1, (size_t)(end - at - 1));
	{
		const char *ns_start = type_end + 1;
		const char *name_end = at ? at : end;
		const char *last = slash + 1;
		char *nm = dec(a, last, (size_t)(name_end - last));
		char *ns = slash > ns_start ? dec(a, ns_start, (size_t)(slash - ns_start)) : NULL;

		if (strcmp(*ecosystem, "Maven") == 0 && ns)
			*name = ks_arena_printf(a, "%s:%s", ns, nm);
		else if ((strcmp(*ecosystem, "npm") == 0 || strcmp(*ecosystem, "Packagist") == 0 ||
			  strcmp(*ecosystem, "Go") == 0) && ns)
			*name = ks_arena_printf(a, "%s/%s", ns, nm);
		else
			*name = nm;
		if (strcmp(tlen == 3 && strncmp(p, "deb", 3) == 0 && ns ? ns : "", "ubuntu") == 0)
			*ecosystem = "Ubuntu";
	}
	if (q && *version && tlen == 3 && strncmp(p, "rpm", 3) == 0) {
		const char *e = strstr(q, "epoch=");

		if (e && (e == q + 1 || e[-1] == '&')) {
			size_t el = strcspn(e + 6, "&#");

			*version = ks_arena_printf(a, "%.*s:%s", (int)el, e + 6, *version);
		}
	}
	if (q && distro) {
		const char *d = strstr(q, "distro=");

		if (d) {
			const char *de = strchr(d, '&');

			*distro = dec(a, d + 7, de ? (size_t)(de - d - 7) : strlen(d + 7));
		}
	}
	return 0;
}

const char *ks_purl_display_name(struct ks_arena *a, const char *ecosystem, const char *purl_name,
				 const char *doc_name)
{
	char *norm;
	bool same;

	if (!doc_name || strcmp(ecosystem, "PyPI") != 0)
		return purl_name;
	norm = ks_arena_strlower(a, doc_name);
	for (char *c = norm; c && *c; c++)
		if (*c == '_' || *c == '.')
			*c = '-';
	same = norm && strcmp(norm, purl_name) == 0;
	return same ? ks_arena_strdup(a, doc_name) : purl_name;
}
