// SPDX-License-Identifier: Apache-2.0
/*
 * norm.c — how names are compared: ecosystem spellings, package names per ecosystem (the
 * key of the affected index) and advisory ids (the key of alias groups).
 *
 * The same functions run at import and at query time, so a name matches whichever way the
 * feed or the inventory spelled it. The original spelling is always stored beside the key.
 */
#include <ctype.h>

#include "vulndb.h"

/* OSV ecosystem names kensa knows, in their canonical spelling. */
static const char *const ecosystems[] = {
	"AlmaLinux", "Alpine", "Amazon Linux", "Android", "Bitnami", "CRAN", "Chainguard", "Debian",
	"GIT", "GitHub Actions", "Go", "Hackage", "Hex", "Linux", "Mageia", "Maven", "MinimOS",
	"NuGet", "OSS-Fuzz", "Packagist", "Photon OS", "Pub", "PyPI", "Red Hat", "Rocky Linux",
	"RubyGems", "SUSE", "SwiftURL", "Ubuntu", "Wolfi", "crates.io", "npm", "openSUSE",
	"openEuler",
};

const char *ks_vdb_eco_canon(const char *eco, size_t n)
{
	for (size_t i = 0; i < KS_ARRAY_SIZE(ecosystems); i++)
		if (strlen(ecosystems[i]) == n && strncasecmp(ecosystems[i], eco, n) == 0)
			return ecosystems[i];
	return NULL;
}

size_t ks_vdb_eco_baselen(const char *eco)
{
	const char *colon = strchr(eco, ':');

	return colon ? (size_t)(colon - eco) : strlen(eco);
}

static bool eco_is(const char *eco, const char *name)
{
	return strcmp(eco, name) == 0;
}

int ks_vdb_norm_name(const char *eco_base, const char *name, struct ks_buf *out)
{
	int result = 0;

	if (eco_is(eco_base, "PyPI")) {
		/* PEP 503: re.sub(r"[-_.]+", "-", name).lower() */
		bool sep = false;

		for (const char *p = name; *p && !result; p++) {
			if (*p == '-' || *p == '_' || *p == '.') {
				if (!sep)
					result = ks_buf_addc(out, '-');
				sep = true;
				continue;
			}
			sep = false;
			result = ks_buf_addc(out, (char)tolower((unsigned char)*p));
		}
		return result;
	}
	if (eco_is(eco_base, "npm") || eco_is(eco_base, "NuGet") || eco_is(eco_base, "Packagist") ||
	    eco_is(eco_base, "crates.io") || eco_is(eco_base, "Hex") || eco_is(eco_base, "Pub")) {
		for (const char *p = name; *p && !result; p++)
			result = ks_buf_addc(out, (char)tolower((unsigned char)*p));
		return result;
	}
	/* Maven group:artifact, Go module paths, distro source names, RubyGems: as they are */
	return ks_buf_adds(out, name);
}

bool ks_vdb_text_ok(const char *s, size_t max)
{
	size_t n;

	if (!s || !*s)
		return false;
	for (n = 0; s[n]; n++) {
		if ((unsigned char)s[n] < 0x20 || s[n] == 0x7f || n >= max)
			return false;
	}
	return true;
}

bool ks_vdb_id_valid(const char *s)
{
	size_t n;

	if (!s || !*s)
		return false;
	for (n = 0; s[n]; n++) {
		unsigned char c = (unsigned char)s[n];

		if (c <= 0x20 || c >= 0x7f || n >= KS_VDB_MAX_ID)
			return false;
	}
	return true;
}

int ks_vdb_id_canon(const char *id, struct ks_buf *out)
{
	size_t start = out->len;
	int result = ks_buf_adds(out, id);

	if (result)
		return result;
	if (strncasecmp(id, "CVE-", 4) == 0 || strncasecmp(id, "CAN-", 4) == 0) {
		for (size_t i = start; i < out->len; i++)
			out->data[i] = (char)toupper((unsigned char)out->data[i]);
	} else if (strncasecmp(id, "GHSA-", 5) == 0) {
		/* GitHub spells the prefix upper-case and the rest lower-case */
		for (size_t i = start; i < start + 4; i++)
			out->data[i] = (char)toupper((unsigned char)out->data[i]);
		for (size_t i = start + 5; i < out->len; i++)
			out->data[i] = (char)tolower((unsigned char)out->data[i]);
	}
	return 0;
}

static const char *const event_names[] = {
	[KENSA_EVENT_INTRODUCED] = "introduced",
	[KENSA_EVENT_FIXED] = "fixed",
	[KENSA_EVENT_LAST_AFFECTED] = "last_affected",
	[KENSA_EVENT_LIMIT] = "limit",
};

const char *ks_vdb_event_name(enum kensa_event_kind k)
{
	return (unsigned)k < KS_ARRAY_SIZE(event_names) && event_names[k] ? event_names[k] : "?";
}

int ks_vdb_event_kind(const char *name)
{
	for (size_t i = 1; i < KS_ARRAY_SIZE(event_names); i++)
		if (strcmp(event_names[i], name) == 0)
			return (int)i;
	return 0;
}
