// SPDX-License-Identifier: Apache-2.0
/*
 * gobinary.c — Go executables → the modules compiled into them, from the build info the Go
 * linker embeds (what `go version -m` prints).
 *
 * Any regular file with an exec bit is offered; extract() keeps only the build-info strings
 * of an ELF file (never the binary): the Go version and the module-info text. The build
 * info is found through the `.go.buildinfo` section, or, when section headers are stripped,
 * by scanning for its magic "\xff Go buildinf:" at 16-byte-aligned offsets. Two layouts:
 *   - Go ≥ 1.18 (flag bit 2): the version and module info follow the 32-byte header as
 *     uvarint-length-prefixed strings;
 *   - older: two pointers (4 or 8 bytes, byte order from flag bit 1) to Go string headers
 *     (pointer, length) in the data segment, mapped through the PT_LOAD program headers.
 * The module info is framed by 16 sentinel bytes on each side, removed here.
 *
 * scan() reports, ecosystem "Go": "stdlib" at the toolchain version without "go"
 * (KENSA_PKG_STDLIB), the main module (KENSA_PKG_MAIN; "(devel)" kept as the toolchain
 * writes it), and every dep; a dep replaced with "=>" is reported as its replacement (that
 * is the code that runs) with a go:replaces prop naming the original. What it is not: no
 * symbol-table guessing for binaries without build info (Go < 1.13, or info stripped).
 */
#include "bin.h"
#include "pkgdb.h"

#define GO_MAGIC "\xff Go buildinf:"
#define GO_MAGIC_LEN 14
#define GO_HDR 32
#define GO_MAX_VERSION 256
#define GO_MAX_MODINFO ((uint64_t)4 << 20)

static bool go_match(const struct ks_node *n)
{
	return (n->mode & 0111) && n->size >= 64;
}

/* uvarint at p (at most end); returns bytes used, 0 on overflow or truncation. */
static size_t uvarint(const unsigned char *p, const unsigned char *end, uint64_t *v)
{
	uint64_t x = 0;

	for (size_t i = 0; i < 10 && p + i < end; i++) {
		x |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80)) {
			*v = x;
			return i + 1;
		}
	}
	return 0;
}

/* Read a Go string header (ptr, len) at vaddr and the string it points to. */
static bool old_string(const struct ks_elf *e, unsigned ptrsize, bool be, uint64_t vaddr,
		       uint64_t max, const unsigned char **s, uint64_t *n)
{
	struct ks_elf ee = *e;
	uint64_t off, avail, sptr, slen;

	ee.be = be;
	if (!ks_elf_vaddr(e, vaddr, &off, &avail) || avail < 2u * ptrsize)
		return false;
	sptr = ptrsize == 8 ? ks_elf_u64(&ee, e->data + off) : ks_elf_u32(&ee, e->data + off);
	slen = ptrsize == 8 ? ks_elf_u64(&ee, e->data + off + 8)
			    : ks_elf_u32(&ee, e->data + off + 4);
	if (slen > max)
		return false;
	if (slen == 0) {
		*s = e->data;
		*n = 0;
		return true;
	}
	if (!ks_elf_vaddr(e, sptr, &off, &avail) || avail < slen)
		return false;
	*s = e->data + off;
	*n = slen;
	return true;
}

/*
 * Find the 32-byte header: the section (Go ≥ 1.13 always writes it), else, when the section
 * headers are stripped, a 16-byte-aligned scan of the file. A file with section headers but
 * no .go.buildinfo is not a Go binary: no scan, so other executables cost one lookup.
 */
static const unsigned char *find_header(const struct ks_elf *e, size_t *avail)
{
	uint64_t off, size;
	const unsigned char *p = e->data, *end = e->data + e->len;

	if (ks_elf_section(e, ".go.buildinfo", &off, &size)) {
		if (size >= GO_HDR && memcmp(e->data + off, GO_MAGIC, GO_MAGIC_LEN) == 0) {
			*avail = e->len - off;
			return e->data + off;
		}
	}
	if (e->shnum)
		return NULL;
	while (p < end) {
		const unsigned char *m = memmem(p, (size_t)(end - p), GO_MAGIC, GO_MAGIC_LEN);

		if (!m)
			break;
		if ((size_t)(m - e->data) % 16 == 0 && (size_t)(end - m) >= GO_HDR) {
			*avail = (size_t)(end - m);
			return m;
		}
		p = m + 1;
	}
	return NULL;
}

int ks_gobuildinfo_extract(const unsigned char *data, size_t len, struct ks_buf *out)
{
	struct ks_elf e;
	const unsigned char *h, *vers = NULL, *mod = NULL;
	uint64_t vl = 0, ml = 0;
	size_t avail = 0;
	unsigned ptrsize;
	uint8_t flags;

	if (!ks_elf_parse(&e, data, len))
		return KENSA_ENOTFOUND;
	h = find_header(&e, &avail);
	if (!h)
		return KENSA_ENOTFOUND;
	ptrsize = h[14];
	flags = h[15];
	if (flags & 2) {
		const unsigned char *p = h + GO_HDR, *end = h + avail;
		size_t k = uvarint(p, end, &vl);

		if (!k || vl > GO_MAX_VERSION || vl > (uint64_t)((size_t)(end - p) - k))
			return KENSA_EFORMAT;
		vers = p + k;
		p = vers + vl;
		k = uvarint(p, end, &ml);
		if (!k || ml > GO_MAX_MODINFO || ml > (uint64_t)((size_t)(end - p) - k))
			return KENSA_EFORMAT;
		mod = p + k;
	} else {
		bool be = flags & 1;
		struct ks_elf ee = e;
		uint64_t va, ma;

		if (ptrsize != 4 && ptrsize != 8)
			return KENSA_EFORMAT;
		ee.be = be;
		va = ptrsize == 8 ? ks_elf_u64(&ee, h + 16) : ks_elf_u32(&ee, h + 16);
		ma = ptrsize == 8 ? ks_elf_u64(&ee, h + 16 + 8) : ks_elf_u32(&ee, h + 16 + 4);
		if (!old_string(&e, ptrsize, be, va, GO_MAX_VERSION, &vers, &vl) ||
		    !old_string(&e, ptrsize, be, ma, GO_MAX_MODINFO, &mod, &ml))
			return KENSA_EFORMAT;
	}
	if (vl < 3 || (memcmp(vers, "go", 2) != 0 && memcmp(vers, "dev", 3) != 0))
		return KENSA_EFORMAT;
	/* the module info is framed by 16 sentinel bytes each side; without them there is none */
	if (ml >= 33 && mod[ml - 17] == '\n') {
		mod += 16;
		ml -= 32;
	} else {
		ml = 0;
	}
	if (ks_buf_add(out, vers, (size_t)vl) || ks_buf_addc(out, '\n') ||
	    ks_buf_add(out, mod, (size_t)ml))
		return KENSA_ENOMEM;
	return 0;
}

static int go_extract(const struct ks_node *n, const unsigned char *data, size_t len,
		      struct ks_buf *out)
{
	int result = ks_gobuildinfo_extract(data, len, out);

	KS_UNUSED(n);
	if (result == KENSA_EFORMAT) {
		/* keep a marker so scan() can warn with the file's name */
		ks_buf_reset(out);
		return ks_buf_adds(out, "!bad build info\n");
	}
	if (result == KENSA_ENOTFOUND) {
		ks_buf_reset(out);
		return 0;
	}
	return result;
}

/* ---------------------------------------------------------------- scan */

/* Split "word\tfield\tfield…" into at most `max` fields (the first is the keyword). */
static int tabs(const char *line, size_t ll, const char **f, size_t *fl, int max)
{
	int nf = 0;
	const char *p = line, *end = line + ll;

	while (nf < max) {
		const char *t = memchr(p, '\t', (size_t)(end - p));

		f[nf] = p;
		fl[nf] = (size_t)((t ? t : end) - p);
		nf++;
		if (!t)
			break;
		p = t + 1;
	}
	return nf;
}

static int add(struct ks_actx *x, const struct ks_node *n, const char *name, size_t nl,
	       const char *ver, size_t vl, uint32_t flags, struct kensa_package **out)
{
	char *nm = ks_astrn(x, name, nl), *v = ks_astrn(x, ver, vl);
	struct kensa_package *p;

	if (!nm || !v)
		return KENSA_ENOMEM;
	p = ks_pkg_new(x, n, "Go", nm, v);
	if (!p || !p->name || !p->version)
		return KENSA_ENOMEM;
	p->flags |= flags;
	*out = p;
	return ks_pkg_add_file(x, p, n->path, n->plen);
}

static int scan_binary(struct ks_actx *x, const struct ks_node *n)
{
	const unsigned char *data;
	size_t len;
	const char *s, *end, *line;
	size_t ll;
	struct kensa_package *last = NULL, *p = NULL;
	const char *last_name = NULL, *last_ver = NULL;
	size_t last_nl = 0, last_vl = 0;
	int result = 0;

	if (!ks_acontent(x, n, &data, &len) || !len)
		return 0;
	s = (const char *)data;
	end = s + len;
	if (!ks_next_line(&s, end, &line, &ll))
		return 0;
	if (ll && line[0] == '!') {
		ks_awarn(x, n->path, "Go build info is malformed: no modules reported");
		return 0;
	}
	{
		/* "go1.19.8" or "go1.21.0 X:boringcrypto" → "1.19.8" */
		const char *v = line;
		size_t vl = ll;
		const char *sp = memchr(v, ' ', vl);

		if (vl > 2 && memcmp(v, "go", 2) == 0) {
			v += 2;
			vl -= 2;
			if (sp)
				vl = (size_t)(sp - v);
		}
		result = add(x, n, "stdlib", 6, v, vl, KENSA_PKG_STDLIB, &p);
		if (result)
			return result;
	}
	while (ks_next_line(&s, end, &line, &ll) && !result) {
		const char *f[4];
		size_t fl[4];
		int nf = tabs(line, ll, f, fl, 4);

		if (nf < 2)
			continue;
		if ((fl[0] == 3 && memcmp(f[0], "mod", 3) == 0) ||
		    (fl[0] == 3 && memcmp(f[0], "dep", 3) == 0)) {
			bool main = f[0][0] == 'm';

			if (nf < 3 || !fl[1]) {
				ks_awarn(x, n->path,
					 "skipping a Go build-info line without a version: '%.*s'",
					 (int)KS_MIN(ll, 200), line);
				last = NULL;
				continue;
			}
			result = add(x, n, f[1], fl[1], f[2], fl[2], main ? KENSA_PKG_MAIN : 0,
				     &last);
			last_name = f[1];
			last_nl = fl[1];
			last_ver = f[2];
			last_vl = fl[2];
		} else if (fl[0] == 2 && memcmp(f[0], "=>", 2) == 0) {
			char *orig;

			if (!last || !fl[1]) {
				ks_awarn(x, n->path,
					 "skipping a Go replacement without a module before it");
				continue;
			}
			/* the replacement is what was compiled in: report it, name the original */
			last->name = ks_astrn(x, f[1], fl[1]);
			last->version = ks_astrn(x, nf >= 3 ? f[2] : "", nf >= 3 ? fl[2] : 0);
			orig = ks_arena_printf(&x->inv->arena, "%.*s@%.*s", (int)last_nl, last_name,
					       (int)last_vl, last_ver);
			if (!last->name || !last->version || !orig)
				return KENSA_ENOMEM;
			result = ks_pkg_add_prop(x, last, "go:replaces", orig);
			last = NULL;
		}
	}
	return result;
}

static int go_scan(struct ks_actx *x)
{
	int result = 0;

	for (size_t i = 0; i < x->nnodes && !result; i++)
		result = scan_binary(x, x->nodes[i]);
	return result;
}

const struct ks_analyzer ks_analyzer_gobinary = {
	.name = "gobinary",
	.match = go_match,
	.max_size = (uint64_t)512 << 20,
	.extract = go_extract,
	.scan = go_scan,
};
