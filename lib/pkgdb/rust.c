// SPDX-License-Identifier: Apache-2.0
/*
 * rust.c — Rust crates: executables built with cargo-auditable, and Cargo.lock files.
 *
 * cargo-auditable stores the dependency tree in the ELF section `.dep-v0`: zlib-compressed
 * JSON {"packages":[{"name","version","source","kind","dependencies","root"}]}. extract()
 * inflates it (capped at RUST_MAX_JSON) and keeps only the JSON, never the binary. Crates
 * of kind "build" (build scripts, proc macros) do not end up in the executable and are left
 * out; the root crate is flagged KENSA_PKG_MAIN.
 *
 * Cargo.lock is TOML; we read only its `[[package]]` tables (name, version, source), line
 * by line, which is all Cargo writes there. Its packages are KENSA_PKG_LOCKFILE (declared,
 * not seen built). Ecosystem "crates.io" for both. What it is not: a TOML parser, and no
 * guessing of crates from symbol names in binaries built without cargo-auditable.
 */
#include <zlib.h>

#include "bin.h"
#include "pkgdb.h"
#include "util/json.h"

#define RUST_MAX_JSON ((size_t)16 << 20)
#define RUST_MAX_SECTION ((uint64_t)4 << 20)

static bool is_cargo_lock(const struct ks_node *n)
{
	return strcmp(ks_path_basename(n->path), "Cargo.lock") == 0;
}

static bool rust_match(const struct ks_node *n)
{
	return is_cargo_lock(n) || ((n->mode & 0111) && n->size >= 64);
}

int ks_elf_dep_v0_extract(const unsigned char *data, size_t len, struct ks_buf *out)
{
	struct ks_elf e;
	uint64_t off, size;
	z_stream z;
	unsigned char chunk[16384];
	int zr, result = 0;

	if (!ks_elf_parse(&e, data, len) || !ks_elf_section(&e, ".dep-v0", &off, &size))
		return KENSA_ENOTFOUND;
	if (size > RUST_MAX_SECTION)
		return KENSA_ELIMIT;
	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return KENSA_ENOMEM;
	z.next_in = (unsigned char *)(uintptr_t)(data + off);
	z.avail_in = (uInt)size;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END) {
			result = KENSA_EFORMAT;
			break;
		}
		if (out->len + (sizeof(chunk) - z.avail_out) > RUST_MAX_JSON) {
			result = KENSA_ELIMIT;
			break;
		}
		if (ks_buf_add(out, chunk, sizeof(chunk) - z.avail_out)) {
			result = KENSA_ENOMEM;
			break;
		}
		if (zr != Z_STREAM_END && z.avail_in == 0 && z.avail_out != 0) {
			result = KENSA_EFORMAT; /* truncated stream */
			break;
		}
	} while (zr != Z_STREAM_END);
	inflateEnd(&z);
	return result;
}

static int rust_extract(const struct ks_node *n, const unsigned char *data, size_t len,
			struct ks_buf *out)
{
	int result;

	if (is_cargo_lock(n))
		return ks_buf_add(out, data, len);
	result = ks_elf_dep_v0_extract(data, len, out);
	if (result == KENSA_ENOTFOUND) {
		ks_buf_reset(out);
		return 0;
	}
	if (result == KENSA_EFORMAT || result == KENSA_ELIMIT) {
		/* a marker, so scan() can warn naming the file */
		ks_buf_reset(out);
		return ks_buf_adds(out, result == KENSA_ELIMIT ? "!over the size limit"
							       : "!not valid zlib data");
	}
	return result;
}

/* ---------------------------------------------------------------- scan */

static int add(struct ks_actx *x, const struct ks_node *n, const char *name, const char *version,
	       const char *source, uint32_t flags)
{
	struct kensa_package *p = ks_pkg_new(x, n, "crates.io", name, version);
	int result;

	if (!p || !p->name || !p->version)
		return KENSA_ENOMEM;
	p->flags |= flags;
	result = source && *source && !ks_str_startswith(source, "registry+") &&
				 strcmp(source, "crates.io") != 0
			 ? ks_pkg_add_prop(x, p, "rust:source", source)
			 : 0;
	if (!result && !(flags & KENSA_PKG_LOCKFILE))
		result = ks_pkg_add_file(x, p, n->path, n->plen);
	return result;
}

static int scan_auditable(struct ks_actx *x, const struct ks_node *n, const char *json, size_t len)
{
	struct kensa_err err = KENSA_ERR_INIT;
	cJSON *doc = NULL;
	const cJSON *pkgs;
	int result = 0;

	if (len && json[0] == '!') {
		ks_awarn(x, n->path, "cargo-auditable section .dep-v0: %.*s",
			 (int)KS_MIN(len - 1, 100), json + 1);
		return 0;
	}
	doc = ks_json_parse(json, len, n->path, &err);
	if (!doc) {
		ks_awarn(x, n->path, "cargo-auditable section .dep-v0 is not valid JSON: %s",
			 err.msg);
		return 0;
	}
	pkgs = ks_json_arr(doc, "packages");
	if (!pkgs)
		ks_awarn(x, n->path, "cargo-auditable section .dep-v0 has no \"packages\" array");
	ks_json_each(el, pkgs)
	{
		const char *name = ks_json_str(el, "name"), *version = ks_json_str(el, "version");
		const char *kind = ks_json_str(el, "kind"), *source = ks_json_str(el, "source");

		if (!name || !version || !*name || !*version) {
			ks_awarn(x, n->path, "skipping a .dep-v0 package without %s",
				 !name || !*name ? "name" : "version");
			continue;
		}
		if (kind && strcmp(kind, "build") == 0)
			continue; /* build-time only: not in the executable */
		result = add(x, n, name, version, source,
			     ks_json_bool(el, "root", false) ? KENSA_PKG_MAIN : 0);
		if (result)
			break;
	}
	cJSON_Delete(doc);
	return result;
}

/* `key = "value"` → value (without quotes); false for anything else. */
static bool toml_str(const char *line, size_t ll, const char *key, const char **v, size_t *vl)
{
	size_t kl = strlen(key), i;

	if (ll <= kl || memcmp(line, key, kl) != 0)
		return false;
	i = kl;
	while (i < ll && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i >= ll || line[i] != '=')
		return false;
	i++;
	while (i < ll && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i >= ll || line[i] != '"')
		return false;
	*v = line + i + 1;
	*vl = 0;
	while (i + 1 + *vl < ll && line[i + 1 + *vl] != '"')
		(*vl)++;
	return i + 1 + *vl < ll; /* closing quote present */
}

struct lockpkg {
	const char *name, *version, *source;
	size_t nl, vl, sl;
	size_t lineno;
	bool open;
};

static int lock_flush(struct ks_actx *x, const struct ks_node *n, struct lockpkg *lp)
{
	char *name, *version, *source;
	int result;

	if (!lp->open)
		return 0;
	lp->open = false;
	if (!lp->nl || !lp->vl) {
		ks_awarn(x, n->path, "line %zu: skipping a [[package]] without %s", lp->lineno,
			 !lp->nl ? "name" : "version");
		return 0;
	}
	name = ks_astrn(x, lp->name, lp->nl);
	version = ks_astrn(x, lp->version, lp->vl);
	source = lp->sl ? ks_astrn(x, lp->source, lp->sl) : "local";
	if (!name || !version || !source)
		return KENSA_ENOMEM;
	result = add(x, n, name, version, source, KENSA_PKG_LOCKFILE);
	return result;
}

static int scan_cargo_lock(struct ks_actx *x, const struct ks_node *n, const char *s, size_t len)
{
	const char *end = s + len, *line;
	size_t ll, lineno = 0;
	struct lockpkg lp;
	int result = 0;

	memset(&lp, 0, sizeof(lp));
	while (ks_next_line(&s, end, &line, &ll) && !result) {
		lineno++;
		ks_trim(&line, &ll);
		if (!ll || line[0] == '#')
			continue;
		if (line[0] == '[') {
			result = lock_flush(x, n, &lp);
			if (ll == 11 && memcmp(line, "[[package]]", 11) == 0) {
				memset(&lp, 0, sizeof(lp));
				lp.open = true;
				lp.lineno = lineno;
			}
			continue;
		}
		if (!lp.open)
			continue;
		if (!toml_str(line, ll, "name", &lp.name, &lp.nl) &&
		    !toml_str(line, ll, "version", &lp.version, &lp.vl))
			toml_str(line, ll, "source", &lp.source, &lp.sl);
	}
	if (!result)
		result = lock_flush(x, n, &lp);
	return result;
}

static int rust_scan(struct ks_actx *x)
{
	int result = 0;

	for (size_t i = 0; i < x->nnodes && !result; i++) {
		const struct ks_node *n = x->nodes[i];
		const unsigned char *data;
		size_t len;

		if (!ks_acontent(x, n, &data, &len) || !len)
			continue;
		if (is_cargo_lock(n))
			result = scan_cargo_lock(x, n, (const char *)data, len);
		else
			result = scan_auditable(x, n, (const char *)data, len);
	}
	return result;
}

const struct ks_analyzer ks_analyzer_rust = {
	.name = "rust",
	.match = rust_match,
	.max_size = (uint64_t)512 << 20,
	.extract = rust_extract,
	.scan = rust_scan,
};
