// SPDX-License-Identifier: Apache-2.0
/*
 * rpm.c — Red Hat family and SUSE packages from the rpm database, in its three formats:
 *
 *   - SQLite (rpm ≥ 4.16 default): var/lib/rpm/rpmdb.sqlite or usr/lib/sysimage/rpm/
 *     rpmdb.sqlite, table Packages(hnum, blob). The file (and its -wal journal, which may
 *     hold recent transactions) is copied to a private temporary directory and opened there,
 *     so SQLite can replay the journal without touching anything of the target.
 *   - Berkeley DB (older rpm): var/lib/rpm/Packages, a hash database of hnum → header,
 *     read with libdb from a private temporary copy after a sanity check of its meta page.
 *   - NDB (SUSE): Packages.db, read from memory here: a header page, slot pages naming
 *     where each header blob is, each blob behind a 16-byte blob header (all little-endian).
 *
 * Each record is an rpm header blob (index entries + data store) parsed here with every
 * offset and count checked: NAME, VERSION, RELEASE, EPOCH, ARCH, SOURCERPM, LICENSE and the
 * owned files (BASENAMES/DIRNAMES/DIRINDEXES, or OLDFILENAMES). A bad blob is a warning.
 * Version is "[epoch:]version-release"; the source name is SOURCERPM without
 * "-version-release.src.rpm"; ecosystem from os-release (rhel → "Red Hat", …). Only the
 * first database found is read (a distro keeps one; /var/lib/rpm is often a link to
 * /usr/lib/sysimage/rpm). gpg-pubkey pseudo-packages (imported keys) are not software and
 * are left out.
 */
#include <db.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include "bin.h"
#include "pkgdb.h"

#define RPM_MAX_IL 0x10000u
#define RPM_MAX_DL ((uint32_t)256 << 20)
#define RPM_MAX_PACKAGES 200000

enum {
	TAG_NAME = 1000,
	TAG_VERSION = 1001,
	TAG_RELEASE = 1002,
	TAG_EPOCH = 1003,
	TAG_LICENSE = 1014,
	TAG_ARCH = 1022,
	TAG_OLDFILENAMES = 1027,
	TAG_SOURCERPM = 1044,
	TAG_DIRINDEXES = 1116,
	TAG_BASENAMES = 1117,
	TAG_DIRNAMES = 1118,
};
enum { T_INT32 = 4, T_STRING = 6, T_STRING_ARRAY = 8, T_I18NSTRING = 9 };

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* ---------------------------------------------------------------- header blobs */

/* `count` NUL-terminated strings at data[off…dl)? Returns false if any runs past the end. */
static bool strings_fit(const unsigned char *data, uint32_t dl, uint32_t off, uint32_t count)
{
	if (count > dl)
		return false; /* each string takes at least one byte */
	for (uint32_t i = 0; i < count; i++) {
		const unsigned char *z;

		if (off >= dl)
			return false;
		z = memchr(data + off, 0, dl - off);
		if (!z)
			return false;
		off = (uint32_t)(z - data) + 1;
	}
	return true;
}

static bool get_string(const unsigned char *data, uint32_t dl, uint32_t type, uint32_t off,
		       uint32_t count, struct ks_rpm_str *out)
{
	if ((type != T_STRING && type != T_I18NSTRING && type != T_STRING_ARRAY) || count < 1 ||
	    !strings_fit(data, dl, off, 1))
		return false;
	out->s = (const char *)data + off;
	out->n = strlen(out->s);
	return true;
}

int ks_rpm_header_parse(const unsigned char *blob, size_t len, struct ks_rpm_header *h,
			const char **why)
{
	uint32_t il, dl;
	const unsigned char *data;
	uint32_t ndirindexes = 0, nbase = 0, noldfiles = 0;

	memset(h, 0, sizeof(*h));
	if (len < 8) {
		*why = "shorter than a header";
		return KENSA_EFORMAT;
	}
	il = be32(blob);
	dl = be32(blob + 4);
	if (il == 0 || il > RPM_MAX_IL || dl > RPM_MAX_DL) {
		*why = "index count or data size out of range";
		return KENSA_EFORMAT;
	}
	if ((uint64_t)8 + (uint64_t)il * 16 + dl > len) {
		*why = "index or data store runs past the end of the record";
		return KENSA_EFORMAT;
	}
	data = blob + 8 + (size_t)il * 16;
	for (uint32_t i = 0; i < il; i++) {
		const unsigned char *e = blob + 8 + (size_t)i * 16;
		uint32_t tag = be32(e), type = be32(e + 4), off = be32(e + 8), count = be32(e + 12);

		switch (tag) {
		case TAG_NAME:
			get_string(data, dl, type, off, count, &h->name);
			break;
		case TAG_VERSION:
			get_string(data, dl, type, off, count, &h->version);
			break;
		case TAG_RELEASE:
			get_string(data, dl, type, off, count, &h->release);
			break;
		case TAG_ARCH:
			get_string(data, dl, type, off, count, &h->arch);
			break;
		case TAG_SOURCERPM:
			get_string(data, dl, type, off, count, &h->sourcerpm);
			break;
		case TAG_LICENSE:
			get_string(data, dl, type, off, count, &h->license);
			break;
		case TAG_EPOCH:
			if (type == T_INT32 && count >= 1 && off <= dl && dl - off >= 4) {
				h->has_epoch = true;
				h->epoch = be32(data + off);
			}
			break;
		case TAG_BASENAMES:
			if (type == T_STRING_ARRAY && strings_fit(data, dl, off, count)) {
				h->basenames = data + off;
				nbase = count;
			}
			break;
		case TAG_DIRNAMES:
			if (type == T_STRING_ARRAY && strings_fit(data, dl, off, count)) {
				h->dirnames = data + off;
				h->ndirs = count;
			}
			break;
		case TAG_DIRINDEXES:
			if (type == T_INT32 && off <= dl && count <= (dl - off) / 4) {
				h->dirindexes = data + off;
				ndirindexes = count;
			}
			break;
		case TAG_OLDFILENAMES:
			if (type == T_STRING_ARRAY && strings_fit(data, dl, off, count)) {
				h->oldfilenames = data + off;
				noldfiles = count;
			}
			break;
		default:
			break;
		}
	}
	if (!h->name.n || !h->version.n) {
		*why = !h->name.n ? "no NAME" : "no VERSION";
		return KENSA_EFORMAT;
	}
	if (h->basenames && h->dirnames && h->dirindexes && nbase == ndirindexes) {
		h->nfiles = nbase;
		h->oldfilenames = NULL;
	} else if (h->oldfilenames) {
		h->nfiles = noldfiles;
		h->basenames = h->dirnames = h->dirindexes = NULL;
	} else {
		h->nfiles = 0;
	}
	return 0;
}

int ks_rpm_header_files(const struct ks_rpm_header *h,
			int (*fn)(void *ud, const char *dir, size_t dl, const char *base,
				  size_t bl),
			void *ud)
{
	const char **dirs = NULL;
	const char *p;
	int result = 0;

	if (h->oldfilenames) {
		p = (const char *)h->oldfilenames;
		for (uint32_t i = 0; i < h->nfiles && !result; i++) {
			size_t n = strlen(p);

			result = fn(ud, "", 0, p, n);
			p += n + 1;
		}
		return result;
	}
	if (!h->nfiles || !h->ndirs)
		return 0;
	dirs = malloc((size_t)h->ndirs * sizeof(*dirs));
	if (!dirs)
		return KENSA_ENOMEM;
	p = (const char *)h->dirnames;
	for (uint32_t i = 0; i < h->ndirs; i++) {
		dirs[i] = p;
		p += strlen(p) + 1;
	}
	p = (const char *)h->basenames;
	for (uint32_t i = 0; i < h->nfiles && !result; i++) {
		uint32_t di = be32(h->dirindexes + (size_t)i * 4);
		size_t bl = strlen(p);

		if (di < h->ndirs)
			result = fn(ud, dirs[di], strlen(dirs[di]), p, bl);
		p += bl + 1;
	}
	free(dirs);
	return result;
}

/* ---------------------------------------------------------------- NDB */

#define NDB_HEADER_MAGIC 0x506d7052u /* "RpmP" little-endian */
#define NDB_SLOT_MAGIC 0x746f6c53u   /* "Slot" */
#define NDB_BLOB_MAGIC 0x53626c42u   /* "BlbS" */
#define NDB_PAGE 4096u
#define NDB_MAX_SLOT_PAGES 2048u

int ks_rpm_ndb_each(const unsigned char *data, size_t len,
		    int (*fn)(void *ud, const unsigned char *blob, size_t n), void *ud, size_t *bad,
		    const char **why)
{
	uint32_t npages;
	uint64_t nslots;
	int result = 0;

	*bad = 0;
	if (len < 32 || le32(data) != NDB_HEADER_MAGIC || le32(data + 4) != 0) {
		*why = "not an NDB rpm database (bad magic or version)";
		return KENSA_EFORMAT;
	}
	npages = le32(data + 12);
	if (npages == 0 || npages > NDB_MAX_SLOT_PAGES) {
		*why = "slot page count out of range";
		return KENSA_EFORMAT;
	}
	/* slots follow the 32-byte header; the header takes the room of two slots */
	nslots = (uint64_t)npages * (NDB_PAGE / 16) - 2;
	if (32 + nslots * 16 > len) {
		*why = "slot pages run past the end of the file";
		return KENSA_EFORMAT;
	}
	for (uint64_t i = 0; i < nslots && !result; i++) {
		const unsigned char *s = data + 32 + i * 16;
		uint64_t off;
		uint32_t blen;

		if (le32(s) != NDB_SLOT_MAGIC) {
			(*bad)++;
			continue;
		}
		if (le32(s + 4) == 0)
			continue; /* empty slot */
		off = (uint64_t)le32(s + 8) * 16;
		if (off > len || len - off < 16 || le32(data + off) != NDB_BLOB_MAGIC) {
			(*bad)++;
			continue;
		}
		blen = le32(data + off + 12);
		if (blen > len - off - 16 || blen > RPM_MAX_DL) {
			(*bad)++;
			continue;
		}
		result = fn(ud, data + off + 16, blen);
	}
	return result;
}

/* ---------------------------------------------------------------- packages */

struct rpmscan {
	struct ks_actx *x;
	const struct ks_node *from;
	const char *eco;
	struct kensa_package *p;
	size_t npkgs, nbad;
	struct ks_buf path;
};

static int add_file(void *ud, const char *dir, size_t dl, const char *base, size_t bl)
{
	struct rpmscan *rs = ud;

	ks_buf_reset(&rs->path);
	if (dl + bl + 2 > KS_MAX_PATH)
		return 0;
	if ((dl == 0 || dir[0] != '/') && ks_buf_addc(&rs->path, '/'))
		return KENSA_ENOMEM;
	if (ks_buf_add(&rs->path, dir, dl) || ks_buf_add(&rs->path, base, bl))
		return KENSA_ENOMEM;
	return ks_pkg_add_file(rs->x, rs->p, rs->path.data, rs->path.len);
}

/* One header blob → one package. Bad blobs are counted and warned about once per database. */
static int add_blob(void *ud, const unsigned char *blob, size_t n)
{
	struct rpmscan *rs = ud;
	struct ks_actx *x = rs->x;
	struct ks_rpm_header h;
	const char *why = NULL;
	struct kensa_package *p;
	char *name, *version;

	if (rs->npkgs >= RPM_MAX_PACKAGES)
		return KENSA_ELIMIT;
	if (ks_rpm_header_parse(blob, n, &h, &why)) {
		if (rs->nbad++ < 5)
			ks_awarn(x, rs->from->path, "skipping a bad package header: %s", why);
		return 0;
	}
	if (h.name.n == 10 && memcmp(h.name.s, "gpg-pubkey", 10) == 0)
		return 0;
	name = ks_astrn(x, h.name.s, h.name.n);
	if (h.has_epoch)
		version = ks_arena_printf(&x->inv->arena, "%u:%.*s%s%.*s", h.epoch,
					  (int)h.version.n, h.version.s, h.release.n ? "-" : "",
					  (int)h.release.n, h.release.s);
	else
		version =
			ks_arena_printf(&x->inv->arena, "%.*s%s%.*s", (int)h.version.n, h.version.s,
					h.release.n ? "-" : "", (int)h.release.n, h.release.s);
	if (!name || !version)
		return KENSA_ENOMEM;
	p = ks_pkg_new(x, rs->from, rs->eco, name, version);
	if (!p || !p->name || !p->version)
		return KENSA_ENOMEM;
	p->flags |= KENSA_PKG_OS;
	rs->npkgs++;
	if (h.arch.n)
		p->arch = ks_astrn(x, h.arch.s, h.arch.n);
	if (h.license.n)
		p->license = ks_astrn(x, h.license.s, h.license.n);
	p->source_name = p->name;
	p->source_version = p->version;
	if (h.sourcerpm.n) {
		/* "openssl-3.0.7-24.el9.src.rpm" → name before the last two '-' */
		const char *s = h.sourcerpm.s;
		size_t sn = h.sourcerpm.n;
		const char *d1 = memrchr(s, '-', sn);
		const char *d2 = d1 ? memrchr(s, '-', (size_t)(d1 - s)) : NULL;

		if (d2 && d2 > s) {
			const char *sv = d2 + 1;
			size_t svl = sn - (size_t)(sv - s);

			if (svl > 8 && memcmp(s + sn - 8, ".src.rpm", 8) == 0)
				svl -= 8;
			else if (svl > 9 && memcmp(s + sn - 9, ".nosrc.rpm", 9) == 0)
				svl -= 9;
			p->source_name = ks_astrn(x, s, (size_t)(d2 - s));
			p->source_version = h.has_epoch ? ks_arena_printf(&x->inv->arena, "%u:%.*s",
									  h.epoch, (int)svl, sv)
							: ks_astrn(x, sv, svl);
			if (!p->source_name || !p->source_version)
				return KENSA_ENOMEM;
		}
	}
	rs->p = p;
	return ks_rpm_header_files(&h, add_file, rs);
}

/* A private directory for temporary copies (libdb and SQLite want files). */
static char *private_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = NULL;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	dir = malloc(strlen(tmp) + 32);
	if (!dir)
		return NULL;
	snprintf(dir, strlen(tmp) + 32, "%s/kensa-rpmdb.XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		free(dir);
		return NULL;
	}
	return dir;
}

static int write_private(const char *dir, const char *name, const unsigned char *data, size_t len,
			 char *path, size_t psz)
{
	int fd;
	size_t done = 0;

	snprintf(path, psz, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return KENSA_EIO;
	while (done < len) {
		ssize_t w = write(fd, data + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return KENSA_EIO;
		}
		done += (size_t)w;
	}
	return close(fd) ? KENSA_EIO : 0;
}

static int read_sqlite(struct rpmscan *rs, const struct ks_node *n)
{
	struct ks_actx *x = rs->x;
	const unsigned char *data, *wal = NULL;
	size_t len, wlen = 0;
	char *dir = NULL, *walpath = NULL;
	char path[KS_MAX_PATH], wpath[KS_MAX_PATH], tpath[KS_MAX_PATH];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	const struct ks_node *wn;
	int rc, result = 0;

	if (!ks_acontent(x, n, &data, &len))
		return 0;
	walpath = ks_arena_printf(&x->inv->arena, "%s-wal", n->path);
	wn = walpath ? ks_tree_get(x->tree, walpath, strlen(walpath)) : NULL;
	if (wn && !ks_acontent(x, wn, &wal, &wlen))
		wal = NULL;
	dir = private_dir();
	if (!dir) {
		ks_awarn(x, n->path, "cannot make a temporary directory to read it: %s",
			 strerror(errno));
		return 0;
	}
	path[0] = wpath[0] = '\0';
	if (write_private(dir, "rpmdb.sqlite", data, len, path, sizeof(path)) ||
	    (wal && wlen &&
	     write_private(dir, "rpmdb.sqlite-wal", wal, wlen, wpath, sizeof(wpath)))) {
		ks_awarn(x, n->path, "cannot copy it to %s: %s", dir, strerror(errno));
		goto out;
	}
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_PRIVATECACHE, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
		sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
		rc = sqlite3_prepare_v2(db, "SELECT blob FROM Packages", -1, &st, NULL);
	}
	if (rc != SQLITE_OK) {
		ks_awarn(x, n->path, "cannot read it as an rpm SQLite database: %s",
			 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && !result) {
		const void *b = sqlite3_column_blob(st, 0);
		int bl = sqlite3_column_bytes(st, 0);

		if (b && bl > 0)
			result = add_blob(rs, b, (size_t)bl);
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		ks_awarn(x, n->path, "stopped reading: %s", sqlite3_errmsg(db));
out:
	sqlite3_finalize(st);
	sqlite3_close_v2(db);
	if (path[0])
		unlink(path);
	if (wpath[0])
		unlink(wpath);
	/* SQLite's own side files, if it made any */
	snprintf(tpath, sizeof(tpath), "%s/rpmdb.sqlite-shm", dir);
	unlink(tpath);
	snprintf(tpath, sizeof(tpath), "%s/rpmdb.sqlite-wal", dir);
	unlink(tpath);
	snprintf(tpath, sizeof(tpath), "%s/rpmdb.sqlite-journal", dir);
	unlink(tpath);
	rmdir(dir);
	free(dir);
	return result == KENSA_ELIMIT ? 0 : result;
}

/* Berkeley DB hash meta page: magic 0x061561 at offset 12, a power-of-two page size at 20. */
static bool bdb_plausible(const unsigned char *d, size_t len)
{
	uint32_t magic, psize;

	if (len < 512)
		return false;
	magic = le32(d + 12);
	psize = le32(d + 20);
	if (magic != 0x061561u) {
		magic = be32(d + 12);
		psize = be32(d + 20);
	}
	return magic == 0x061561u && psize >= 512 && psize <= 65536 && (psize & (psize - 1)) == 0 &&
	       len % psize == 0;
}

static int read_bdb(struct rpmscan *rs, const struct ks_node *n)
{
	struct ks_actx *x = rs->x;
	const unsigned char *data;
	size_t len;
	char *dir = NULL;
	char path[KS_MAX_PATH];
	DB *db = NULL;
	DBC *cur = NULL;
	DBT key, val;
	int rc, result = 0;

	if (!ks_acontent(x, n, &data, &len))
		return 0;
	if (!bdb_plausible(data, len)) {
		ks_awarn(x, n->path, "not a Berkeley DB hash database: not read");
		return 0;
	}
	path[0] = '\0';
	dir = private_dir();
	if (!dir || write_private(dir, "Packages", data, len, path, sizeof(path))) {
		ks_awarn(x, n->path, "cannot copy it to a temporary directory: %s",
			 strerror(errno));
		goto out;
	}
	rc = db_create(&db, NULL, 0);
	if (!rc)
		rc = db->open(db, NULL, path, NULL, DB_HASH, DB_RDONLY, 0);
	if (!rc)
		rc = db->cursor(db, NULL, &cur, 0);
	if (rc) {
		ks_awarn(x, n->path, "cannot read it as a Berkeley DB: %s", db_strerror(rc));
		goto out;
	}
	memset(&key, 0, sizeof(key));
	memset(&val, 0, sizeof(val));
	while (!result && (rc = cur->get(cur, &key, &val, DB_NEXT)) == 0) {
		/* record 0 holds rpm's next-instance counter, not a header */
		if (key.size == 4 && val.size > 8)
			result = add_blob(rs, val.data, val.size);
	}
	if (rc && rc != DB_NOTFOUND)
		ks_awarn(x, n->path, "stopped reading: %s", db_strerror(rc));
out:
	if (cur)
		cur->close(cur);
	if (db)
		db->close(db, 0);
	if (path[0])
		unlink(path);
	if (dir)
		rmdir(dir);
	free(dir);
	return result == KENSA_ELIMIT ? 0 : result;
}

static int read_ndb(struct rpmscan *rs, const struct ks_node *n)
{
	const unsigned char *data;
	size_t len, bad = 0;
	const char *why = NULL;
	int result;

	if (!ks_acontent(rs->x, n, &data, &len))
		return 0;
	result = ks_rpm_ndb_each(data, len, add_blob, rs, &bad, &why);
	if (result == KENSA_EFORMAT)
		ks_awarn(rs->x, n->path, "%s", why);
	if (bad)
		ks_awarn(rs->x, n->path, "%zu bad slots or blobs skipped", bad);
	return result == KENSA_EFORMAT || result == KENSA_ELIMIT ? 0 : result;
}

/* ---------------------------------------------------------------- analyzer */

static const struct {
	const char *path;
	int (*read)(struct rpmscan *rs, const struct ks_node *n);
} dbs[] = {
	{"/usr/lib/sysimage/rpm/rpmdb.sqlite", read_sqlite},
	{"/var/lib/rpm/rpmdb.sqlite", read_sqlite},
	{"/usr/lib/sysimage/rpm/Packages.db", read_ndb},
	{"/var/lib/rpm/Packages.db", read_ndb},
	{"/usr/lib/sysimage/rpm/Packages", read_bdb},
	{"/var/lib/rpm/Packages", read_bdb},
};

static bool rpm_match(const struct ks_node *n)
{
	for (size_t i = 0; i < KS_ARRAY_SIZE(dbs); i++) {
		size_t l = strlen(dbs[i].path);

		if (strncmp(n->path, dbs[i].path, l) == 0 &&
		    (n->path[l] == '\0' ||
		     (dbs[i].read == read_sqlite && strcmp(n->path + l, "-wal") == 0)))
			return true;
	}
	return false;
}

static const char *rpm_ecosystem(struct ks_actx *x)
{
	const struct kensa_os *os = &x->inv->os;
	const char *eco = ks_os_ecosystem(&x->inv->arena, os->id, NULL);

	if (eco)
		return eco;
	if (os->id && strcmp(os->id, "fedora") == 0)
		return "Fedora";
	return "Red Hat";
}

static int rpm_scan(struct ks_actx *x)
{
	struct rpmscan rs = {.x = x};
	int result = 0;

	rs.eco = rpm_ecosystem(x);
	for (size_t i = 0; i < KS_ARRAY_SIZE(dbs) && !result; i++) {
		const struct ks_node *n = ks_tree_get(x->tree, dbs[i].path, strlen(dbs[i].path));

		if (!n || n->kind != KS_REG || !(n->want & (1ULL << x->id)))
			continue;
		rs.from = n;
		result = dbs[i].read(&rs, n);
		if (rs.npkgs)
			break; /* one database per system */
	}
	ks_buf_release(&rs.path);
	return result;
}

const struct ks_analyzer ks_analyzer_rpm = {
	.name = "rpm",
	.match = rpm_match,
	.max_size = (uint64_t)1 << 30,
	.scan = rpm_scan,
};
