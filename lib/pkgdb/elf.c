// SPDX-License-Identifier: Apache-2.0
/*
 * elf.c — a small, bounded ELF reader over a file held in memory: section lookup by name
 * and virtual-address → file-offset mapping through PT_LOAD segments. Used by the Go and
 * Rust binary analyzers.
 *
 * Every offset, size and count read from the file is checked against the file's length
 * before it is used (the file is hostile). What it is not: a loader or a symbol reader;
 * libelf would do more, but needs a file descriptor or a copy and we only need two lookups.
 */
#include "bin.h"

#define ELF_MAX_SECTIONS 65536u
#define ELF_MAX_SEGMENTS 65536u
#define SHT_NOBITS 8u
#define PT_LOAD 1u

static uint16_t u16(const struct ks_elf *e, const unsigned char *p)
{
	return e->be ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

uint32_t ks_elf_u32(const struct ks_elf *e, const unsigned char *p)
{
	if (e->be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

uint64_t ks_elf_u64(const struct ks_elf *e, const unsigned char *p)
{
	uint64_t hi = ks_elf_u32(e, e->be ? p : p + 4), lo = ks_elf_u32(e, e->be ? p + 4 : p);

	return hi << 32 | lo;
}

/* A word of the file's class (4 or 8 bytes). */
static uint64_t word(const struct ks_elf *e, const unsigned char *p)
{
	return e->is64 ? ks_elf_u64(e, p) : ks_elf_u32(e, p);
}

/* Is [off, off + n) inside the file? */
static bool inside(const struct ks_elf *e, uint64_t off, uint64_t n)
{
	return off <= e->len && n <= e->len - off;
}

bool ks_elf_parse(struct ks_elf *e, const unsigned char *data, size_t len)
{
	const unsigned char *h = data;

	memset(e, 0, sizeof(*e));
	if (len < 52 || memcmp(h, "\177ELF", 4) != 0 || (h[4] != 1 && h[4] != 2) ||
	    (h[5] != 1 && h[5] != 2))
		return false;
	e->data = data;
	e->len = len;
	e->is64 = h[4] == 2;
	e->be = h[5] == 2;
	if (e->is64) {
		if (len < 64)
			return false;
		e->phoff = ks_elf_u64(e, h + 0x20);
		e->shoff = ks_elf_u64(e, h + 0x28);
		e->phentsize = u16(e, h + 0x36);
		e->phnum = u16(e, h + 0x38);
		e->shentsize = u16(e, h + 0x3a);
		e->shnum = u16(e, h + 0x3c);
		e->shstrndx = u16(e, h + 0x3e);
	} else {
		e->phoff = ks_elf_u32(e, h + 0x1c);
		e->shoff = ks_elf_u32(e, h + 0x20);
		e->phentsize = u16(e, h + 0x2a);
		e->phnum = u16(e, h + 0x2c);
		e->shentsize = u16(e, h + 0x2e);
		e->shnum = u16(e, h + 0x30);
		e->shstrndx = u16(e, h + 0x32);
	}
	if (e->shentsize < (e->is64 ? 64u : 40u) || !inside(e, e->shoff, e->shentsize))
		e->shnum = 0; /* no usable section table: callers fall back to scanning */
	else if (e->shnum == 0) {
		/* extended numbering: count in section 0's sh_size, index in its sh_link */
		const unsigned char *s0 = data + e->shoff;
		uint64_t n = word(e, s0 + (e->is64 ? 32 : 20));

		e->shnum = n > ELF_MAX_SECTIONS ? 0 : (uint32_t)n;
		if (e->shstrndx == 0xffff)
			e->shstrndx = ks_elf_u32(e, s0 + (e->is64 ? 40 : 24));
	}
	if (e->shnum && !inside(e, e->shoff, (uint64_t)e->shnum * e->shentsize))
		e->shnum = 0;
	if (e->phentsize < (e->is64 ? 56u : 32u) || e->phnum > ELF_MAX_SEGMENTS ||
	    !inside(e, e->phoff, (uint64_t)e->phnum * e->phentsize))
		e->phnum = 0;
	return true;
}

bool ks_elf_section(const struct ks_elf *e, const char *name, uint64_t *off, uint64_t *size)
{
	const unsigned char *strtab;
	uint64_t str_off, str_size;
	size_t nl = strlen(name);

	if (!e->shnum || e->shstrndx >= e->shnum)
		return false;
	strtab = e->data + e->shoff + (uint64_t)e->shstrndx * e->shentsize;
	str_off = word(e, strtab + (e->is64 ? 24 : 16));
	str_size = word(e, strtab + (e->is64 ? 32 : 20));
	if (!inside(e, str_off, str_size))
		return false;
	for (uint32_t i = 0; i < e->shnum; i++) {
		const unsigned char *sh = e->data + e->shoff + (uint64_t)i * e->shentsize;
		uint32_t nameoff = ks_elf_u32(e, sh);
		uint32_t type = ks_elf_u32(e, sh + 4);
		uint64_t o = word(e, sh + (e->is64 ? 24 : 16));
		uint64_t s = word(e, sh + (e->is64 ? 32 : 20));

		if (nameoff >= str_size || str_size - nameoff < nl + 1 ||
		    memcmp(e->data + str_off + nameoff, name, nl + 1) != 0)
			continue;
		if (type == SHT_NOBITS || !inside(e, o, s))
			return false;
		*off = o;
		*size = s;
		return true;
	}
	return false;
}

bool ks_elf_vaddr(const struct ks_elf *e, uint64_t vaddr, uint64_t *off, uint64_t *avail)
{
	for (uint32_t i = 0; i < e->phnum; i++) {
		const unsigned char *ph = e->data + e->phoff + (uint64_t)i * e->phentsize;
		uint64_t p_off, p_vaddr, p_filesz;

		if (ks_elf_u32(e, ph) != PT_LOAD)
			continue;
		if (e->is64) {
			p_off = ks_elf_u64(e, ph + 8);
			p_vaddr = ks_elf_u64(e, ph + 16);
			p_filesz = ks_elf_u64(e, ph + 32);
		} else {
			p_off = ks_elf_u32(e, ph + 4);
			p_vaddr = ks_elf_u32(e, ph + 8);
			p_filesz = ks_elf_u32(e, ph + 16);
		}
		if (vaddr < p_vaddr || vaddr - p_vaddr >= p_filesz || !inside(e, p_off, p_filesz))
			continue;
		*off = p_off + (vaddr - p_vaddr);
		*avail = p_filesz - (vaddr - p_vaddr);
		return true;
	}
	return false;
}
