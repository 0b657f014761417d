// SPDX-License-Identifier: Apache-2.0
/*
 * java.c — Java archives (.jar, .war, .ear, Jenkins .jpi/.hpi) → Maven packages.
 *
 * An archive is a zip read from memory with libarchive. At read time (extract()) it is
 * distilled into a small text summary, so no jar stays in memory: every
 * META-INF/maven/<group>/<artifact>/pom.properties (groupId, artifactId, version), the
 * main section of META-INF/MANIFEST.MF, and the same for the archives nested in it
 * (WEB-INF/lib/x.jar, BOOT-INF/lib/x.jar, a war in an ear …), recursively down to
 * JAR_MAX_DEPTH, within a per-entry and a per-outer-archive inflate budget and a ratio
 * check against zip bombs.
 *
 * scan() turns the summary into packages, ecosystem "Maven", name "group:artifact":
 *   - one package per distinct pom.properties coordinate of each archive; when an archive
 *     holds several and one of them is the archive itself (its artifactId is the file
 *     name's), the others are embedded (shaded) and say so in the prop java:shaded-in;
 *   - when no pom.properties names the archive itself: the artifact is the file name's
 *     ("name-1.2.3.jar", or "name.jar" as Debian installs them), version and group come
 *     from MANIFEST.MF (Implementation-*, Bundle-SymbolicName/Bundle-Version), else the
 *     version from the file name — prop java:identified-by says which.
 * The location is the outer archive (the file in the image); a package found in a nested
 * archive carries java:path ("/app.war!/WEB-INF/lib/x.jar"). What it is not: it reads no
 * pom.xml dependency lists (those are build inputs, not what is in the archive) and does
 * not look jars up by digest in a Maven index.
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>

#include "bin.h"
#include "pkgdb.h"

#define JAR_MAX_DEPTH 4                     /* outer archive = depth 0 */
#define JAR_MAX_INFLATE ((uint64_t)1 << 30) /* per outer archive */
#define JAR_MAX_ENTRY ((uint64_t)256 << 20) /* one nested archive */
#define JAR_MAX_META ((size_t)1 << 20)      /* one pom.properties / MANIFEST.MF */
#define JAR_MAX_ENTRIES 200000              /* entries of one archive */
#define JAR_MAX_SUMMARY ((size_t)8 << 20)
#define JAR_RATIO 200                      /* inflated / archive bytes … */
#define JAR_RATIO_MIN ((uint64_t)64 << 20) /* … past this much inflated: a bomb */

static bool is_archive_name(const char *s, size_t n)
{
	static const char *const ext[] = {".jar", ".war", ".ear", ".jpi", ".hpi"};

	if (n < 5)
		return false;
	for (size_t i = 0; i < KS_ARRAY_SIZE(ext); i++)
		if (strncasecmp(s + n - 4, ext[i], 4) == 0)
			return true;
	return false;
}

static bool java_match(const struct ks_node *n)
{
	const char *base = ks_path_basename(n->path);

	return is_archive_name(base, strlen(base));
}

/* ---------------------------------------------------------------- summary (read time) */

struct jar_walk {
	struct ks_buf *out;
	uint64_t inflated; /* bytes inflated so far for this outer archive */
	size_t outer_len;
	bool stop; /* a limit was hit: stop everything */
	bool full; /* summary is full: stop adding */
};

/* Append a field with tabs, newlines and control bytes replaced by spaces. */
static void put_field(struct ks_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		ks_buf_addc(b, c < 0x20 || c == 0x7f ? ' ' : (char)c);
	}
}

/* One record: kind, then fields, tab-separated. Fields are (ptr, len) pairs. */
static void put_record(struct jar_walk *w, char kind, int nfields, ...)
{
	struct ks_buf rec = KS_BUF_INIT;
	va_list ap;

	if (w->full)
		return;
	ks_buf_addc(&rec, kind);
	va_start(ap, nfields);
	for (int i = 0; i < nfields; i++) {
		const char *s = va_arg(ap, const char *);
		size_t n = va_arg(ap, size_t);

		ks_buf_addc(&rec, '\t');
		put_field(&rec, s ? s : "", s ? n : 0);
	}
	va_end(ap);
	ks_buf_addc(&rec, '\n');
	if (w->out->len + rec.len > JAR_MAX_SUMMARY || ks_buf_add(w->out, rec.data, rec.len)) {
		static const char full[] =
			"W\t\tsummary limit reached: the rest of the archive is not listed\n";

		ks_buf_add(w->out, full, sizeof(full) - 1);
		w->full = true;
	}
	ks_buf_release(&rec);
}

static void warnf(struct jar_walk *w, const char *inner, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void warnf(struct jar_walk *w, const char *inner, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	put_record(w, 'W', 2, inner, strlen(inner), msg, KS_MIN((size_t)n, sizeof(msg) - 1));
}

/* Read the current entry (at most `cap` bytes) into a malloc'd buffer. */
static int read_entry(struct jar_walk *w, struct archive *a, const char *inner, const char *ename,
		      uint64_t cap, unsigned char **data, size_t *len)
{
	struct ks_buf b = KS_BUF_INIT;
	char chunk[65536];
	int result = 0;

	b.limit = (size_t)cap + 1;
	for (;;) {
		la_ssize_t got = archive_read_data(a, chunk, sizeof(chunk));

		if (got < 0) {
			warnf(w, inner, "cannot read '%s': %s", ename,
			      archive_error_string(a) ? archive_error_string(a) : "read error");
			result = KENSA_EFORMAT;
			goto out;
		}
		if (got == 0)
			break;
		w->inflated += (uint64_t)got;
		if (w->inflated > JAR_MAX_INFLATE ||
		    (w->inflated > JAR_RATIO_MIN &&
		     w->inflated / KS_MAX(w->outer_len, 1) > JAR_RATIO)) {
			warnf(w, inner,
			      "'%s': %llu bytes inflated from a %zu-byte archive: refusing a "
			      "likely "
			      "zip bomb",
			      ename, (unsigned long long)w->inflated, w->outer_len);
			w->stop = true;
			result = KENSA_ELIMIT;
			goto out;
		}
		if (b.len + (size_t)got > cap || ks_buf_add(&b, chunk, (size_t)got)) {
			warnf(w, inner, "'%s' is over the %llu-byte limit: not read", ename,
			      (unsigned long long)cap);
			result = KENSA_ELIMIT;
			goto out;
		}
	}
	*len = b.len;
	*data = (unsigned char *)ks_buf_detach(&b);
	if (!*data)
		*data = (unsigned char *)calloc(1, 1);
	if (!*data)
		result = KENSA_ENOMEM;
out:
	ks_buf_release(&b);
	return result;
}

/* pom.properties: Java properties, we need groupId, artifactId and version. */
static void summarize_pom(struct jar_walk *w, const char *inner, const char *ename, const char *s,
			  size_t len)
{
	const char *end = s + len, *line;
	size_t ll;
	const char *g = NULL, *a = NULL, *v = NULL;
	size_t gl = 0, al = 0, vl = 0;

	while (ks_next_line(&s, end, &line, &ll)) {
		const char *k = line, *val;
		size_t kl, vlen;
		size_t i = 0;

		ks_trim(&k, &ll);
		if (!ll || k[0] == '#' || k[0] == '!')
			continue;
		while (i < ll && k[i] != '=' && k[i] != ':' && k[i] != ' ' && k[i] != '\t')
			i++;
		kl = i;
		while (i < ll && (k[i] == ' ' || k[i] == '\t'))
			i++;
		if (i < ll && (k[i] == '=' || k[i] == ':'))
			i++;
		val = k + i;
		vlen = ll - i;
		ks_trim(&val, &vlen);
		if (kl == 7 && memcmp(k, "groupId", 7) == 0) {
			g = val;
			gl = vlen;
		} else if (kl == 10 && memcmp(k, "artifactId", 10) == 0) {
			a = val;
			al = vlen;
		} else if (kl == 7 && memcmp(k, "version", 7) == 0) {
			v = val;
			vl = vlen;
		}
	}
	if (!gl || !al || !vl) {
		warnf(w, inner, "'%s' lacks %s: skipped", ename,
		      !gl   ? "groupId"
		      : !al ? "artifactId"
			    : "version");
		return;
	}
	put_record(w, 'P', 4, inner, strlen(inner), g, gl, a, al, v, vl);
}

/* MANIFEST.MF main section: "Name: value" lines, continuations start with one space. */
static void summarize_manifest(struct jar_walk *w, const char *inner, const char *s, size_t len)
{
	static const char *const keys[] = {
		"Implementation-Title", "Implementation-Version", "Implementation-Vendor-Id",
		"Bundle-SymbolicName",  "Bundle-Version",         "Bundle-Name",
		"Specification-Title",  "Specification-Version",
	};
	const char *end = s + len, *line;
	size_t ll;
	struct ks_buf val = KS_BUF_INIT;
	int cur = -1;

	val.limit = 4096;
	for (;;) {
		bool more = ks_next_line(&s, end, &line, &ll);

		if (more && ll && line[0] == ' ') {
			if (cur >= 0)
				ks_buf_add(&val, line + 1, ll - 1);
			continue;
		}
		if (cur >= 0 && val.len) {
			const char *v = val.data;
			size_t vl = val.len;

			ks_trim(&v, &vl);
			if (vl)
				put_record(w, 'M', 3, inner, strlen(inner), keys[cur],
					   strlen(keys[cur]), v, vl);
		}
		cur = -1;
		ks_buf_reset(&val);
		if (!more || ll == 0)
			break; /* the main section ends at the first blank line */
		for (size_t k = 0; k < KS_ARRAY_SIZE(keys); k++) {
			size_t kl = strlen(keys[k]);

			if (ll > kl && strncasecmp(line, keys[k], kl) == 0 && line[kl] == ':') {
				cur = (int)k;
				ks_buf_add(&val, line + kl + 1, ll - kl - 1);
				break;
			}
		}
	}
	ks_buf_release(&val);
}

static bool is_pom_properties(const char *n)
{
	/* META-INF/maven/<group>/<artifact>/pom.properties */
	const char *p;

	if (strncmp(n, "META-INF/maven/", 15) != 0 || !ks_str_endswith(n, "/pom.properties"))
		return false;
	p = strchr(n + 15, '/');
	return p && p > n + 15 && (p = strchr(p + 1, '/')) && strcmp(p, "/pom.properties") == 0;
}

static int walk(struct jar_walk *w, const char *inner, const unsigned char *data, size_t len,
		unsigned depth)
{
	struct archive *a = NULL;
	struct archive_entry *e;
	unsigned long nentries = 0;
	int result = 0;

	put_record(w, 'A', 1, inner, strlen(inner));
	a = archive_read_new();
	if (!a)
		return KENSA_ENOMEM;
	archive_read_support_format_zip(a);
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		warnf(w, inner, "not a zip archive: %s",
		      archive_error_string(a) ? archive_error_string(a) : "?");
		goto out;
	}
	while (!w->stop) {
		const char *ename;
		size_t nlen;
		int r = archive_read_next_header(a, &e);

		if (r == ARCHIVE_EOF)
			break;
		if (++nentries > JAR_MAX_ENTRIES) {
			warnf(w, inner, "more than %d entries: the rest is not read",
			      JAR_MAX_ENTRIES);
			break;
		}
		if (r == ARCHIVE_RETRY)
			continue;
		if (r < ARCHIVE_WARN) {
			warnf(w, inner, "bad zip entry: %s",
			      archive_error_string(a) ? archive_error_string(a) : "?");
			break;
		}
		ename = archive_entry_pathname(e);
		if (!ename || archive_entry_filetype(e) != AE_IFREG)
			continue;
		nlen = strlen(ename);
		if (is_pom_properties(ename) || strcmp(ename, "META-INF/MANIFEST.MF") == 0) {
			unsigned char *buf = NULL;
			size_t blen = 0;

			if (read_entry(w, a, inner, ename, JAR_MAX_META, &buf, &blen) == 0) {
				if (ename[9] == 'M' && ename[10] == 'A')
					summarize_manifest(w, inner, (const char *)buf, blen);
				else
					summarize_pom(w, inner, ename, (const char *)buf, blen);
			}
			free(buf);
		} else if (is_archive_name(ename, nlen)) {
			unsigned char *buf = NULL;
			size_t blen = 0;

			if (depth + 1 > JAR_MAX_DEPTH) {
				warnf(w, inner, "'%s' nested deeper than %d archives: not read",
				      ename, JAR_MAX_DEPTH);
				continue;
			}
			if (read_entry(w, a, inner, ename, JAR_MAX_ENTRY, &buf, &blen) == 0) {
				struct ks_buf path = KS_BUF_INIT;

				if (*inner)
					ks_buf_printf(&path, "%s!/%s", inner, ename);
				else
					ks_buf_adds(&path, ename);
				if (path.data)
					result = walk(w, path.data, buf, blen, depth + 1);
				ks_buf_release(&path);
			}
			free(buf);
			if (result)
				goto out;
		}
	}
out:
	archive_read_free(a);
	return result;
}

int ks_jar_summarize(const unsigned char *data, size_t len, struct ks_buf *out)
{
	struct jar_walk w = {.out = out, .outer_len = len};
	int result = walk(&w, "", data, len, 0);

	return result == KENSA_ELIMIT || result == KENSA_EFORMAT ? 0 : result;
}

static int java_extract(const struct ks_node *n, const unsigned char *data, size_t len,
			struct ks_buf *out)
{
	KS_UNUSED(n);
	return ks_jar_summarize(data, len, out);
}

/* ---------------------------------------------------------------- packages (scan time) */

struct jstr {
	const char *s;
	size_t n;
};

struct jarch {
	struct jstr inner;
	struct jstr mf[8];       /* manifest values, in the order of summarize_manifest's keys */
	size_t first_pom, npoms; /* range in the pom array */
};

struct jpom {
	struct jstr inner, group, artifact, version;
};

static bool jeq(struct jstr a, const char *s, size_t n)
{
	return a.n == n && memcmp(a.s, s, n) == 0;
}

/* Split a line into up to `max` tab-separated fields after the kind letter. */
static int fields(const char *line, size_t ll, struct jstr *f, int max)
{
	int nf = 0;
	const char *p = line + 1, *end = line + ll;

	while (p < end && *p == '\t' && nf < max) {
		const char *s = p + 1;
		const char *t = memchr(s, '\t', (size_t)(end - s));

		f[nf].s = s;
		f[nf].n = (size_t)((t ? t : end) - s);
		nf++;
		p = t ? t : end;
	}
	return nf;
}

/*
 * "commons-logging-1.2.jar" → artifact "commons-logging", version "1.2": split at the last
 * "-<digit>".
 */
static void file_name_coords(const char *base, struct jstr *artifact, struct jstr *version)
{
	size_t n = strlen(base);

	if (n > 4)
		n -= 4; /* extension */
	artifact->s = base;
	artifact->n = n;
	version->s = NULL;
	version->n = 0;
	for (size_t i = n; i-- > 1;) {
		if (base[i - 1] == '-' && base[i] >= '0' && base[i] <= '9') {
			artifact->n = i - 1;
			version->s = base + i;
			version->n = n - i;
			return;
		}
	}
}

struct jemit {
	struct ks_actx *x;
	const struct ks_node *from;
	struct ks_map seen; /* "inner\ngroup:artifact\nversion" */
	struct ks_arena tmp;
};

static int emit(struct jemit *je, struct jstr inner, const char *group, size_t gl,
		const char *artifact, size_t al, const char *version, size_t vl,
		const char *shaded_in, const char *how)
{
	struct ks_actx *x = je->x;
	struct kensa_package *p;
	char *name, *ver, *key;
	int result = 0;

	name = gl ? ks_arena_printf(&je->tmp, "%.*s:%.*s", (int)gl, group, (int)al, artifact)
		  : ks_arena_strndup(&je->tmp, artifact, al);
	ver = ks_arena_strndup(&je->tmp, version, vl);
	key = ks_arena_printf(&je->tmp, "%.*s\n%s\n%s", (int)inner.n, inner.s, name ? name : "",
			      ver ? ver : "");
	if (!name || !ver || !key)
		return KENSA_ENOMEM;
	if (ks_map_gets(&je->seen, key, NULL))
		return 0;
	if (ks_map_puts(&je->seen, key, 1))
		return KENSA_ENOMEM;
	p = ks_pkg_new(x, je->from, "Maven", name, ver);
	if (!p || !p->name || !p->version)
		return KENSA_ENOMEM;
	if (inner.n) {
		char *path = ks_arena_printf(&je->tmp, "%s!/%.*s", je->from->path, (int)inner.n,
					     inner.s);

		result = path ? ks_pkg_add_prop(x, p, "java:path", path) : KENSA_ENOMEM;
	}
	if (!result && shaded_in)
		result = ks_pkg_add_prop(x, p, "java:shaded-in", shaded_in);
	if (!result && how)
		result = ks_pkg_add_prop(x, p, "java:identified-by", how);
	if (!result)
		result = ks_pkg_add_file(x, p, je->from->path, je->from->plen);
	return result;
}

/* Packages of one archive (outer or nested) from its pom.properties, manifest, file name. */
static int archive_packages(struct jemit *je, const struct jarch *ar, const struct jpom *poms)
{
	const char *base;
	char *where;
	struct jstr fa, fv;
	bool self = false;
	int result = 0;

	if (ar->inner.n) {
		const char *s = ar->inner.s + ar->inner.n;

		while (s > ar->inner.s && s[-1] != '/')
			s--;
		base = ks_arena_strndup(&je->tmp, s, (size_t)(ar->inner.s + ar->inner.n - s));
		where = ks_arena_printf(&je->tmp, "%s!/%.*s", je->from->path, (int)ar->inner.n,
					ar->inner.s);
	} else {
		base = ks_path_basename(je->from->path);
		where = ks_arena_strdup(&je->tmp, je->from->path);
	}
	if (!base || !where)
		return KENSA_ENOMEM;
	file_name_coords(base, &fa, &fv);

	/* Is one of the pom.properties the archive itself? A lone one is. */
	for (size_t i = 0; i < ar->npoms; i++)
		if (ar->npoms == 1 || jeq(poms[ar->first_pom + i].artifact, fa.s, fa.n))
			self = true;
	for (size_t i = 0; i < ar->npoms && !result; i++) {
		const struct jpom *pm = &poms[ar->first_pom + i];
		bool embedded = self && ar->npoms > 1 && !jeq(pm->artifact, fa.s, fa.n);

		result = emit(je, ar->inner, pm->group.s, pm->group.n, pm->artifact.s,
			      pm->artifact.n, pm->version.s, pm->version.n,
			      embedded || !self ? where : NULL, NULL);
	}
	if (result || self)
		return result;

	/*
	 * MANIFEST.MF: 0 Impl-Title 1 Impl-Version 2 Impl-Vendor-Id 3 BSN 4 Bundle-Version
	 * 5 Bundle-Name 6 Spec-Title 7 Spec-Version
	 */
	{
		struct jstr bsn = ar->mf[3], g = {NULL, 0}, a = fa, v = {NULL, 0};
		const char *semi = bsn.n ? memchr(bsn.s, ';', bsn.n) : NULL;
		const char *how = "manifest";

		if (semi)
			bsn.n = (size_t)(semi - bsn.s);
		ks_trim(&bsn.s, &bsn.n);
		if (ar->mf[1].n)
			v = ar->mf[1];
		else if (ar->mf[4].n)
			v = ar->mf[4];
		else if (ar->mf[7].n)
			v = ar->mf[7];
		if (bsn.n > a.n + 1 && memcmp(bsn.s + bsn.n - a.n, a.s, a.n) == 0 &&
		    bsn.s[bsn.n - a.n - 1] == '.') {
			g.s = bsn.s; /* "org.mongodb.mongo-java-driver" names group org.mongodb */
			g.n = bsn.n - a.n - 1;
		} else if (ar->mf[2].n) {
			g = ar->mf[2];
		} else if (bsn.n && memrchr(bsn.s, '.', bsn.n)) {
			g.s = bsn.s;
			g.n = (size_t)((const char *)memrchr(bsn.s, '.', bsn.n) - bsn.s);
		}
		if (!v.n) {
			v = fv;
			how = "file-name";
		} else if (!g.n && !ar->mf[0].n && !bsn.n) {
			how = "file-name";
		}
		if (!a.n || !v.n)
			return 0;
		return emit(je, ar->inner, g.s, g.n, a.s, a.n, v.s, v.n, NULL, how);
	}
}

static int scan_archive_summary(struct ks_actx *x, const struct ks_node *n)
{
	const unsigned char *data;
	size_t len;
	const char *s, *end, *line;
	size_t ll;
	struct jarch *ars = NULL;
	struct jpom *poms = NULL;
	size_t nars = 0, capars = 0, npoms = 0, cappoms = 0;
	struct jemit je = {.x = x, .from = n, .seen = KS_MAP_INIT, .tmp = KS_ARENA_INIT};
	int result = 0;

	if (!ks_acontent(x, n, &data, &len))
		return 0;
	s = (const char *)data;
	end = s + len;
	/* records of one archive may interleave with its nested archives': group by inner path */
	while (ks_next_line(&s, end, &line, &ll) && !result) {
		struct jstr f[5];
		int nf = fields(line, ll, f, 5);
		struct jarch *ar = NULL;

		if (!ll)
			continue;
		if (line[0] == 'W' && nf == 2) {
			ks_awarn(x, n->path, "%s%.*s%s%.*s", f[0].n ? "in " : "", (int)f[0].n,
				 f[0].s, f[0].n ? ": " : "", (int)f[1].n, f[1].s);
			continue;
		}
		if (line[0] == 'A' && nf == 1) {
			if (KS_GROW(ars, capars, nars + 1)) {
				result = KENSA_ENOMEM;
				break;
			}
			memset(&ars[nars], 0, sizeof(ars[nars]));
			ars[nars++].inner = f[0];
			continue;
		}
		if (nf < 1)
			continue;
		for (size_t i = nars; i-- > 0;) {
			if (ars[i].inner.n == f[0].n &&
			    memcmp(ars[i].inner.s, f[0].s, f[0].n) == 0) {
				ar = &ars[i];
				break;
			}
		}
		if (!ar)
			continue;
		if (line[0] == 'P' && nf == 4) {
			if (KS_GROW(poms, cappoms, npoms + 1)) {
				result = KENSA_ENOMEM;
				break;
			}
			poms[npoms++] = (struct jpom){f[0], f[1], f[2], f[3]};
		} else if (line[0] == 'M' && nf == 3) {
			static const char *const keys[] = {
				"Implementation-Title",     "Implementation-Version",
				"Implementation-Vendor-Id", "Bundle-SymbolicName",
				"Bundle-Version",           "Bundle-Name",
				"Specification-Title",      "Specification-Version",
			};

			for (size_t k = 0; k < KS_ARRAY_SIZE(keys); k++)
				if (jeq(f[1], keys[k], strlen(keys[k])))
					ar->mf[k] = f[2];
		}
	}
	for (size_t i = 0; i < nars && !result; i++) {
		struct jpom *mine = NULL;
		size_t nmine = 0, capmine = 0;

		for (size_t k = 0; k < npoms; k++) {
			if (!jeq(poms[k].inner, ars[i].inner.s, ars[i].inner.n))
				continue;
			if (KS_GROW(mine, capmine, nmine + 1)) {
				result = KENSA_ENOMEM;
				break;
			}
			mine[nmine++] = poms[k];
		}
		ars[i].first_pom = 0;
		ars[i].npoms = nmine;
		if (!result)
			result = archive_packages(&je, &ars[i], mine);
		free(mine);
	}
	free(ars);
	free(poms);
	ks_map_release(&je.seen);
	ks_arena_release(&je.tmp);
	return result;
}

static int java_scan(struct ks_actx *x)
{
	int result = 0;

	for (size_t i = 0; i < x->nnodes && !result; i++)
		result = scan_archive_summary(x, x->nodes[i]);
	return result;
}

const struct ks_analyzer ks_analyzer_java = {
	.name = "jar",
	.match = java_match,
	.max_size = (uint64_t)512 << 20,
	.extract = java_extract,
	.scan = java_scan,
};
