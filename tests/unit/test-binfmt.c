// SPDX-License-Identifier: Apache-2.0
/*
 * test-binfmt.c — edge cases of the binary parsers in lib/pkgdb/bin.h that real files rarely
 * show: rpm header blobs whose counts and offsets lie, NDB files with bad slots, ELF headers
 * pointing outside the file, Go build info with a runaway length. The happy paths are covered
 * by the real inputs in tests/pkgdb/ and the reference comparisons in tests/cli/.
 */
#include "unit.h"

#include "pkgdb/bin.h"

/* ---------------------------------------------------------------- rpm header builder */

struct hb {
	unsigned char idx[16 * 16], data[512];
	uint32_t il, dl;
};

static void be32put(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void hb_entry(struct hb *h, uint32_t tag, uint32_t type, uint32_t off, uint32_t count)
{
	unsigned char *e = h->idx + 16 * h->il++;

	be32put(e, tag);
	be32put(e + 4, type);
	be32put(e + 8, off);
	be32put(e + 12, count);
}

/* Add NUL-separated strings (given with embedded "\0"), return their offset. */
static uint32_t hb_data(struct hb *h, const void *p, size_t n)
{
	uint32_t off = h->dl;

	memcpy(h->data + h->dl, p, n);
	h->dl += (uint32_t)n;
	return off;
}

static size_t hb_blob(const struct hb *h, unsigned char *out)
{
	be32put(out, h->il);
	be32put(out + 4, h->dl);
	memcpy(out + 8, h->idx, 16 * h->il);
	memcpy(out + 8 + 16 * h->il, h->data, h->dl);
	return 8 + 16 * h->il + h->dl;
}

static void sample(struct hb *h)
{
	unsigned char di[8];

	memset(h, 0, sizeof(*h));
	hb_entry(h, 1000, 6, hb_data(h, "bash", 5), 1);
	hb_entry(h, 1001, 6, hb_data(h, "5.1.8", 6), 1);
	hb_entry(h, 1002, 6, hb_data(h, "6.el9", 6), 1);
	hb_entry(h, 1118, 8, hb_data(h, "/usr/bin/\0/etc/", 16), 2);
	hb_entry(h, 1117, 8, hb_data(h, "bash\0bashrc", 12), 2);
	be32put(di, 0);
	be32put(di + 4, 1);
	hb_entry(h, 1116, 4, hb_data(h, di, 8), 2);
}

static int collect(void *ud, const char *dir, size_t dl, const char *base, size_t bl)
{
	char *acc = ud;
	size_t n = strlen(acc);

	snprintf(acc + n, 256 - n, "%.*s%.*s;", (int)dl, dir, (int)bl, base);
	return 0;
}

static void rpm_header_ok(void **state)
{
	struct hb h;
	unsigned char blob[1024];
	struct ks_rpm_header r;
	const char *why = NULL;
	char files[256] = "";
	size_t n;

	(void)state;
	sample(&h);
	n = hb_blob(&h, blob);
	assert_int_equal(ks_rpm_header_parse(blob, n, &r, &why), 0);
	assert_int_equal(r.name.n, 4);
	assert_memory_equal(r.name.s, "bash", 4);
	assert_int_equal(r.nfiles, 2);
	assert_int_equal(ks_rpm_header_files(&r, collect, files), 0);
	assert_string_equal(files, "/usr/bin/bash;/etc/bashrc;");
	/* one byte short: the data store no longer fits */
	assert_int_equal(ks_rpm_header_parse(blob, n - 1, &r, &why), KENSA_EFORMAT);
	assert_non_null(why);
}

static void rpm_header_lies(void **state)
{
	struct hb h;
	unsigned char blob[1024];
	struct ks_rpm_header r;
	const char *why = NULL;
	char files[256] = "";
	size_t n;

	(void)state;
	/* NAME's offset points past the data store: no NAME, rejected */
	memset(&h, 0, sizeof(h));
	hb_entry(&h, 1000, 6, 400, 1);
	hb_entry(&h, 1001, 6, hb_data(&h, "1", 2), 1);
	n = hb_blob(&h, blob);
	assert_int_equal(ks_rpm_header_parse(blob, n, &r, &why), KENSA_EFORMAT);
	assert_string_equal(why, "no NAME");

	/* a name that is not NUL-terminated inside the store */
	memset(&h, 0, sizeof(h));
	hb_entry(&h, 1001, 6, hb_data(&h, "1", 2), 1);
	hb_entry(&h, 1000, 6, hb_data(&h, "abc", 3), 1);
	n = hb_blob(&h, blob);
	assert_int_equal(ks_rpm_header_parse(blob, n, &r, &why), KENSA_EFORMAT);

	/* BASENAMES claims a million strings: the file list is dropped, the package kept */
	sample(&h);
	be32put(h.idx + 16 * 4 + 12, 1000000);
	n = hb_blob(&h, blob);
	assert_int_equal(ks_rpm_header_parse(blob, n, &r, &why), 0);
	assert_int_equal(r.nfiles, 0);

	/* a DIRINDEXES entry naming a directory that does not exist: that file is skipped */
	sample(&h);
	be32put(h.data + h.dl - 4, 7);
	n = hb_blob(&h, blob);
	assert_int_equal(ks_rpm_header_parse(blob, n, &r, &why), 0);
	assert_int_equal(ks_rpm_header_files(&r, collect, files), 0);
	assert_string_equal(files, "/usr/bin/bash;");

	/* index count far beyond the record */
	be32put(blob, 0x7fffffff);
	assert_int_equal(ks_rpm_header_parse(blob, n, &r, &why), KENSA_EFORMAT);
}

static int count_blob(void *ud, const unsigned char *blob, size_t n)
{
	(void)blob;
	(void)n;
	(*(int *)ud)++;
	return 0;
}

static void rpm_ndb_bounds(void **state)
{
	static unsigned char db[4096 + 64];
	size_t bad = 0;
	const char *why = NULL;
	int seen = 0;

	(void)state;
	memset(db, 0, sizeof(db));
	memcpy(db, "RpmP", 4);
	db[12] = 1;	/* one slot page */
	for (size_t i = 32; i < 4096; i += 16)
		memcpy(db + i, "Slot", 4);	/* empty slots, as rpm initializes a slot page */
	/* slot 0: points at block 256 (offset 4096) */
	memcpy(db + 32, "Slot", 4);
	db[36] = 1;
	db[41] = 1;	/* block offset 256 */
	memcpy(db + 4096, "BlbS", 4);
	db[4096 + 12] = 200;	/* blob length runs past the file */
	/* slot 1: wrong magic */
	memcpy(db + 48, "Slox", 4);
	assert_int_equal(ks_rpm_ndb_each(db, sizeof(db), count_blob, &seen, &bad, &why), 0);
	assert_int_equal(seen, 0);
	assert_int_equal(bad, 2);
	db[4096 + 12] = 16;	/* now it fits */
	bad = 0;
	assert_int_equal(ks_rpm_ndb_each(db, sizeof(db), count_blob, &seen, &bad, &why), 0);
	assert_int_equal(seen, 1);
	/* more slot pages than the file holds */
	db[12] = 9;
	assert_int_equal(ks_rpm_ndb_each(db, sizeof(db), count_blob, &seen, &bad, &why), KENSA_EFORMAT);
	assert_non_null(why);
}

/* ---------------------------------------------------------------- ELF and Go */

static void elf_header(unsigned char *e, size_t len)
{
	memset(e, 0, len);
	memcpy(e, "\177ELF", 4);
	e[4] = 2;	/* 64-bit */
	e[5] = 1;	/* little-endian */
	e[0x3a] = 64;	/* shentsize */
	e[0x36] = 56;	/* phentsize */
}

static void elf_outside(void **state)
{
	unsigned char e[256];
	struct ks_elf elf;
	uint64_t off, size;

	(void)state;
	elf_header(e, sizeof(e));
	assert_false(ks_elf_parse(&elf, e, 10));
	e[0x28 + 7] = 0x7f;	/* shoff far past the end */
	e[0x3c] = 3;		/* three sections */
	assert_true(ks_elf_parse(&elf, e, sizeof(e)));
	assert_int_equal(elf.shnum, 0);	/* the table is ignored, not followed */
	assert_false(ks_elf_section(&elf, ".go.buildinfo", &off, &size));
	elf_header(e, sizeof(e));
	e[0x20] = 200;	/* phoff near the end: 2 headers of 56 bytes do not fit */
	e[0x38] = 2;
	assert_true(ks_elf_parse(&elf, e, sizeof(e)));
	assert_int_equal(elf.phnum, 0);
}

static void go_runaway_length(void **state)
{
	unsigned char e[256];
	struct ks_buf out = KS_BUF_INIT;

	(void)state;
	elf_header(e, sizeof(e));	/* no section table: the magic is found by scanning */
	memcpy(e + 128, "\xff Go buildinf:", 14);
	e[128 + 14] = 8;
	e[128 + 15] = 2;	/* inline strings */
	memset(e + 160, 0xff, 9);	/* a varint that never ends within 10 bytes… */
	e[169] = 0x01;		/* …or ends with a length far past the file */
	assert_int_equal(ks_gobuildinfo_extract(e, sizeof(e), &out), KENSA_EFORMAT);
	e[160] = 3;		/* "go1" then a modinfo length of 0 */
	memcpy(e + 161, "go1", 3);
	e[164] = 0;
	assert_int_equal(ks_gobuildinfo_extract(e, sizeof(e), &out), 0);
	assert_int_equal(out.len, 4);	/* "go1\n", no module info */
	ks_buf_release(&out);
	memset(e + 128, 0, 14);
	assert_int_equal(ks_gobuildinfo_extract(e, sizeof(e), &out), KENSA_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rpm_header_ok),
		cmocka_unit_test(rpm_header_lies),
		cmocka_unit_test(rpm_ndb_bounds),
		cmocka_unit_test(elf_outside),
		cmocka_unit_test(go_runaway_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
