// SPDX-License-Identifier: Apache-2.0
/*
 * image_archive.c — container images stored as files: docker-archive (docker/podman save),
 * oci-archive (a tar of an OCI layout) and oci: (an OCI layout directory).
 *
 * Three ways to reach the blobs inside, one logic above them:
 *   - plain tar file: index the members (tarindex.c), read documents with pread and layers
 *     through pread windows, so data nobody wants is seeked over;
 *   - compressed tar file (.tar.gz, .tar.zst): one streaming pass; each member is sniffed:
 *     JSON documents are kept, everything else is read as a layer into a record named after
 *     the member, and the manifest, read last, puts the records in order;
 *   - OCI layout directory: documents and blobs are files.
 * Manifests: docker's manifest.json ([{Config, RepoTags, Layers}]) or OCI's index.json →
 * (nested index →) image manifest → config + layers. Digests are validated before they
 * become member names, so "sha256:../../x" never names a file.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source.h"
#include "tarindex.h"
#include "util/json.h"

#define WINDOW_BUF (256 * 1024)

enum { MODE_INDEX = 1, MODE_STREAM, MODE_DIR };

struct smember {
	const char *name;
	char *doc;		/* JSON document (malloc), or NULL */
	size_t doc_len;
	int layer;		/* record index in t->layers, or -1 */
	bool not_tar;
};

struct container {
	struct ks_tree *t;
	const char *path;
	int mode;
	int fd;
	uint64_t file_size;
	struct ks_tarindex ix;
	struct smember *sm;
	size_t nsm, capsm;
};

/* ---------------------------------------------------------------- libarchive plumbing */

struct window {
	int fd;
	uint64_t off, size, pos;
	char buf[WINDOW_BUF];
};

static la_ssize_t window_read(struct archive *a, void *ud, const void **out)
{
	struct window *w = ud;
	size_t n = (size_t)KS_MIN((uint64_t)WINDOW_BUF, w->size - w->pos);
	ssize_t r;

	if (n == 0)
		return 0;
	do {
		r = pread(w->fd, w->buf, n, (off_t)(w->off + w->pos));
	} while (r < 0 && errno == EINTR);
	if (r < 0) {
		archive_set_error(a, errno, "read failed");
		return -1;
	}
	w->pos += (uint64_t)r;
	*out = w->buf;
	return r;
}

static la_int64_t window_skip(struct archive *a, void *ud, la_int64_t request)
{
	struct window *w = ud;
	uint64_t n = KS_MIN((uint64_t)request, w->size - w->pos);

	KS_UNUSED(a);
	w->pos += n;
	return (la_int64_t)n;
}

struct archive *ks_layer_reader_new(void)
{
	struct archive *a = archive_read_new();

	if (!a)
		return NULL;
	/* only built-in decompressors: never an external program */
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_lz4(a);
	archive_read_support_format_tar(a);
	return a;
}

/* Read a layer blob from [off, off+size) of fd into a new layer record. */
static int read_layer_window(struct container *c, int fd, uint64_t off, uint64_t size, const char *member,
			     struct kensa_err *err)
{
	struct ks_tree *t = c->t;
	struct window *w = NULL;
	struct archive *a = NULL;
	struct ks_layer_rec *l;
	int result = 0;

	l = ks_tree_add_layer(t, member);
	w = malloc(sizeof(*w));
	a = ks_layer_reader_new();
	if (!l || !w || !a) {
		result = kensa_err_set(err, KENSA_ENOMEM, "out of memory reading '%s'", member);
		goto out;
	}
	w->fd = fd;
	w->off = off;
	w->size = size;
	w->pos = 0;
	archive_read_set_read_callback(a, window_read);
	archive_read_set_skip_callback(a, window_skip);
	archive_read_set_callback_data(a, w);
	if (archive_read_open1(a) != ARCHIVE_OK) {
		result = kensa_err_set(err, KENSA_EFORMAT, "%s: layer '%s' is not a readable tar archive: %s",
				       t->target, member, archive_error_string(a));
		goto out;
	}
	result = ks_layer_read_archive(t, l, a, member, err);
	t->progress_base += size;
	ks_progress("reading layers", t->progress_base, t->progress_total);
out:
	if (a)
		archive_read_free(a);
	free(w);
	return result;
}

/* ---------------------------------------------------------------- stream mode */

struct nested {
	struct archive *outer;
	const void *first;
	size_t first_len;
	bool eof;
};

static la_ssize_t nested_read(struct archive *a, void *ud, const void **out)
{
	struct nested *ns = ud;
	size_t len;
	la_int64_t off;
	int r;

	if (ns->first) {
		*out = ns->first;
		ns->first = NULL;
		return (la_ssize_t)ns->first_len;
	}
	if (ns->eof)
		return 0;
	r = archive_read_data_block(ns->outer, out, &len, &off);
	if (r == ARCHIVE_EOF) {
		ns->eof = true;
		return 0;
	}
	if (r != ARCHIVE_OK) {
		archive_set_error(a, EIO, "%s", archive_error_string(ns->outer));
		return -1;
	}
	return (la_ssize_t)len;
}

/*
 * Read the rest of the current outer member ourselves, watching the inflate ratio: left to
 * archive_read_next_header(), libarchive would inflate a huge member without giving us
 * control (a decompression bomb hides exactly there).
 */
static int drain_member(struct ks_tree *t, struct archive *outer, const char *name, struct kensa_err *err)
{
	const void *blk;
	size_t blen;
	la_int64_t boff;
	int r;

	while ((r = archive_read_data_block(outer, &blk, &blen, &boff)) == ARCHIVE_OK) {
		int result = ks_ratio_check(t, outer, name, err);

		if (result)
			return result;
	}
	if (r != ARCHIVE_EOF)
		return kensa_err_set(err, KENSA_EFORMAT, "%s: cannot read '%s': %s", t->target, name,
				     archive_error_string(outer));
	return 0;
}

static bool looks_like_json(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t')
			continue;
		return p[i] == '{' || p[i] == '[';
	}
	return false;
}

static int stream_collect(struct container *c, struct kensa_err *err)
{
	struct ks_tree *t = c->t;
	struct archive *outer = archive_read_new();
	struct archive_entry *e;
	int result = 0;

	if (!outer)
		return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
	archive_read_support_filter_gzip(outer);
	archive_read_support_filter_zstd(outer);
	archive_read_support_filter_xz(outer);
	archive_read_support_filter_bzip2(outer);
	archive_read_support_format_tar(outer);
	if (archive_read_open_fd(outer, c->fd, 1 << 20) != ARCHIVE_OK) {
		result = kensa_err_set(err, KENSA_EFORMAT, "'%s' is not a readable image archive: %s", c->path,
				       archive_error_string(outer));
		goto out;
	}
	t->outer = outer;
	t->progress_base = 0;
	t->progress_total = c->file_size;
	for (;;) {
		int r = archive_read_next_header(outer, &e);
		const void *blk;
		size_t blen;
		la_int64_t boff;
		struct smember *m;
		char norm[KS_MAX_PATH + 2];
		size_t nl;
		const char *name;

		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN) {
			result = kensa_err_set(err, KENSA_EFORMAT, "cannot read '%s': %s", c->path,
					       archive_error_string(outer));
			goto out;
		}
		result = ks_ratio_check(t, outer, c->path, err);
		if (result)
			goto out;
		name = archive_entry_pathname(e);
		if (archive_entry_filetype(e) != AE_IFREG || !name || strlen(name) >= KS_MAX_PATH ||
		    ks_path_normalize(name, strlen(name), norm, &nl) != 0)
			continue;
		if (KS_GROW(c->sm, c->capsm, c->nsm + 1)) {
			result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
			goto out;
		}
		m = &c->sm[c->nsm++];
		memset(m, 0, sizeof(*m));
		m->layer = -1;
		m->name = ks_arena_strndup(&t->arena, norm + 1, nl - 1);
		r = archive_read_data_block(outer, &blk, &blen, &boff);
		if (r == ARCHIVE_EOF)
			continue;	/* empty member */
		if (r != ARCHIVE_OK) {
			result = kensa_err_set(err, KENSA_EFORMAT, "cannot read '%s' in '%s': %s", m->name, c->path,
					       archive_error_string(outer));
			goto out;
		}
		if (looks_like_json(blk, blen)) {
			struct ks_buf b = KS_BUF_INIT;

			b.limit = KS_MAX_JSON_META;
			result = ks_buf_add(&b, blk, blen);
			while (!result && (r = archive_read_data_block(outer, &blk, &blen, &boff)) == ARCHIVE_OK)
				result = ks_buf_add(&b, blk, blen);
			if (result == KENSA_ELIMIT) {
				/* not a document we need: leave it */
				ks_buf_release(&b);
				result = drain_member(t, outer, m->name, err);
				if (result)
					goto out;
				continue;
			}
			if (!result && r != ARCHIVE_EOF && r != ARCHIVE_OK)
				result = kensa_err_set(err, KENSA_EFORMAT, "cannot read '%s' in '%s': %s", m->name,
						       c->path, archive_error_string(outer));
			if (result) {
				ks_buf_release(&b);
				goto out;
			}
			m->doc_len = b.len;
			m->doc = ks_buf_detach(&b);
		} else {
			struct nested ns = { outer, blk, blen, false };
			struct archive *a = ks_layer_reader_new();
			struct ks_layer_rec *l = ks_tree_add_layer(t, m->name);

			if (!a || !l) {
				if (a)
					archive_read_free(a);
				result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
				goto out;
			}
			archive_read_set_read_callback(a, nested_read);
			archive_read_set_callback_data(a, &ns);
			if (archive_read_open1(a) != ARCHIVE_OK) {
				/* not a tar: fine unless the manifest names it as a layer */
				m->not_tar = true;
				t->nlayers--;
				archive_read_free(a);
				result = drain_member(t, outer, m->name, err);
				if (result)
					goto out;
				continue;
			}
			m->layer = (int)(t->nlayers - 1);
			result = ks_layer_read_archive(t, l, a, m->name, err);
			archive_read_free(a);
			if (!result)
				result = drain_member(t, outer, m->name, err);	/* tar padding after the end marker */
			if (result)
				goto out;
		}
	}
out:
	t->outer = NULL;
	archive_read_free(outer);
	return result;
}

/* ---------------------------------------------------------------- members */

static struct smember *stream_find(struct container *c, const char *name)
{
	for (size_t i = 0; i < c->nsm; i++)
		if (strcmp(c->sm[i].name, name) == 0)
			return &c->sm[i];
	return NULL;
}

/* Get a small JSON document. *data is malloc'd (caller frees). */
static int get_doc(struct container *c, const char *name, char **data, size_t *len, struct kensa_err *err)
{
	if (c->mode == MODE_STREAM) {
		struct smember *m = stream_find(c, name);

		if (!m || !m->doc)
			return kensa_err_set(err, KENSA_ENOTFOUND, "'%s': no document '%s' in the archive", c->path,
					     name);
		*data = malloc(m->doc_len + 1);
		if (!*data)
			return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		memcpy(*data, m->doc, m->doc_len + 1);
		*len = m->doc_len;
		return 0;
	}
	if (c->mode == MODE_INDEX) {
		const struct ks_tarmember *m = ks_tarindex_find(&c->ix, name);
		char *buf;
		size_t done = 0;

		if (!m)
			return kensa_err_set(err, KENSA_ENOTFOUND, "'%s': no member '%s' in the archive", c->path,
					     name);
		if (m->size > KS_MAX_JSON_META)
			return kensa_err_set(err, KENSA_ELIMIT, "'%s': '%s' is too large (%llu bytes) for a manifest",
					     c->path, name, (unsigned long long)m->size);
		buf = malloc((size_t)m->size + 1);
		if (!buf)
			return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		while (done < m->size) {
			ssize_t r = pread(c->fd, buf + done, (size_t)m->size - done, (off_t)(m->offset + done));

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				free(buf);
				return kensa_err_set(err, KENSA_EIO, "cannot read '%s' in '%s'", name, c->path);
			}
			done += (size_t)r;
		}
		buf[done] = '\0';
		*data = buf;
		*len = done;
		return 0;
	}
	{
		char p[KS_MAX_PATH * 2];

		snprintf(p, sizeof(p), "%s/%s", c->path, name);
		return ks_file_read(p, KS_MAX_JSON_META, data, len, err);
	}
}

/* Make sure member `name` has been read as a layer; returns its record index. */
static int get_layer(struct container *c, const char *name, int *index, struct kensa_err *err)
{
	struct ks_tree *t = c->t;
	int result = 0;

	if (c->mode == MODE_STREAM) {
		struct smember *m = stream_find(c, name);

		if (!m)
			return kensa_err_set(err, KENSA_ENOTFOUND, "%s: the manifest names layer '%s', which the "
					     "archive does not contain", t->target, name);
		if (m->layer < 0)
			return kensa_err_set(err, KENSA_EFORMAT, "%s: layer '%s' is not a tar archive", t->target,
					     name);
		*index = m->layer;
		return 0;
	}
	/* read once even if listed twice */
	for (size_t i = 0; i < t->nlayers; i++) {
		if (strcmp(t->layers[i].member, name) == 0) {
			*index = (int)i;
			return 0;
		}
	}
	if (c->mode == MODE_INDEX) {
		const struct ks_tarmember *m = ks_tarindex_find(&c->ix, name);

		if (!m)
			return kensa_err_set(err, KENSA_ENOTFOUND, "%s: the manifest names layer '%s', which the "
					     "archive does not contain", t->target, name);
		result = read_layer_window(c, c->fd, m->offset, m->size, name, err);
	} else {
		char p[KS_MAX_PATH * 2];
		struct stat st;
		int fd;

		snprintf(p, sizeof(p), "%s/%s", c->path, name);
		fd = open(p, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return kensa_err_set(err, errno == ENOENT ? KENSA_ENOTFOUND : KENSA_EIO,
					     "%s: cannot open layer '%s': %s", t->target, p, strerror(errno));
		if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
			close(fd);
			return kensa_err_set(err, KENSA_EFORMAT, "%s: layer '%s' is not a regular file", t->target, p);
		}
		result = read_layer_window(c, fd, 0, (uint64_t)st.st_size, name, err);
		close(fd);
	}
	if (!result)
		*index = (int)t->nlayers - 1;
	return result;
}

/* "sha256:abc…" → "blobs/sha256/abc…", refusing anything but [a-z0-9+._-]:[a-zA-Z0-9=_-]. */
static const char *digest_member(struct ks_arena *a, const char *digest)
{
	const char *colon = digest ? strchr(digest, ':') : NULL;

	if (!colon || colon == digest || !colon[1])
		return NULL;
	for (const char *p = digest; p < colon; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '+' || *p == '.' ||
		      *p == '_' || *p == '-'))
			return NULL;
	for (const char *p = colon + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '=' || *p == '_' || *p == '-'))
			return NULL;
	return ks_arena_printf(a, "blobs/%.*s/%s", (int)(colon - digest), digest, colon + 1);
}

/* ---------------------------------------------------------------- manifests */

/* Put the layer records named by `members` in order, dropping the others. */
static int order_layers(struct container *c, const char *const *members, const char *const *digests,
			size_t n, struct kensa_err *err)
{
	struct ks_tree *t = c->t;
	struct ks_layer_rec *ordered = NULL;
	int *index = NULL;
	bool *used = NULL;
	int result = 0;

	index = calloc(n ? n : 1, sizeof(*index));
	ordered = calloc(n ? n : 1, sizeof(*ordered));
	if (!index || !ordered) {
		result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		goto out;
	}
	/* read (or find) every layer first: reading adds records */
	if (c->mode == MODE_INDEX) {
		t->progress_total = 0;
		for (size_t i = 0; i < n; i++) {
			const struct ks_tarmember *m = ks_tarindex_find(&c->ix, members[i]);

			t->progress_total += m ? m->size : 0;
		}
	}
	for (size_t i = 0; i < n; i++) {
		result = get_layer(c, members[i], &index[i], err);
		if (result)
			goto out;
	}
	used = calloc(t->nlayers + 1, sizeof(*used));
	if (!used) {
		result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		int idx = index[i];

		ordered[i] = t->layers[idx];
		if (used[idx]) {
			/* the same blob twice: give the second position its own copy of the entries */
			struct ks_node *copy = malloc(ordered[i].nentries * sizeof(*copy) + 1);

			if (!copy) {
				/* positions filled so far own nothing new but the copies made before */
				for (size_t k = 0; k < i; k++)
					if (ordered[k].entries != t->layers[index[k]].entries)
						free(ordered[k].entries);
				result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
				goto out;
			}
			memcpy(copy, ordered[i].entries, ordered[i].nentries * sizeof(*copy));
			ordered[i].entries = copy;
			ordered[i].cap = ordered[i].nentries;
		}
		used[idx] = true;
		if (digests && digests[i])
			ordered[i].info.digest = digests[i];
		for (size_t k = 0; k < ordered[i].nentries; k++)
			ordered[i].entries[k].layer = (int32_t)i;
	}
	for (size_t i = 0; i < t->nlayers; i++)
		if (!used[i])
			free(t->layers[i].entries);
	free(t->layers);
	t->layers = ordered;
	t->nlayers = n;
	ordered = NULL;
out:
	free(ordered);
	free(index);
	free(used);
	return result;
}

static int load_config(struct container *c, const char *member, struct kensa_err *err)
{
	char *doc = NULL;
	size_t len;
	int result = get_doc(c, member, &doc, &len, err);

	if (!result)
		result = ks_image_config_parse(c->t, doc, len, member, err);
	free(doc);
	return result;
}

static int docker_manifest(struct container *c, const char *ref, struct kensa_err *err)
{
	struct ks_tree *t = c->t;
	char *doc = NULL;
	size_t len;
	cJSON *root = NULL;
	const cJSON *pick = NULL;
	const char **members = NULL;
	size_t n = 0;
	int result;

	result = get_doc(c, "manifest.json", &doc, &len, err);
	if (result)
		goto out;
	root = ks_json_parse(doc, len, "manifest.json", err);
	if (!root || !cJSON_IsArray(root) || cJSON_GetArraySize(root) == 0) {
		result = kensa_err_set(err, KENSA_EFORMAT, "%s: manifest.json is not a non-empty array", t->target);
		goto out;
	}
	ks_json_each(img, root) {
		if (!ref) {
			pick = img;
			break;
		}
		ks_json_each(tag, ks_json_arr(img, "RepoTags"))
			if (cJSON_IsString(tag) && strcmp(tag->valuestring, ref) == 0)
				pick = img;
		if (pick)
			break;
	}
	if (!pick) {
		result = kensa_err_set(err, KENSA_ENOTFOUND, "%s: no image tagged '%s' in the archive", t->target, ref);
		goto out;
	}
	if (!ref && cJSON_GetArraySize(root) > 1)
		ks_tree_warn(t, NULL, "the archive holds %d images; reading the first (name one with :REF)",
			     cJSON_GetArraySize(root));
	{
		const cJSON *layers = ks_json_arr(pick, "Layers");
		const char *config = ks_json_str(pick, "Config");
		const cJSON *tags = ks_json_arr(pick, "RepoTags");

		if (!layers || !config) {
			result = kensa_err_set(err, KENSA_EFORMAT, "%s: manifest.json lacks Config or Layers", t->target);
			goto out;
		}
		n = (size_t)cJSON_GetArraySize(layers);
		members = calloc(n + 1, sizeof(*members));
		if (!members) {
			result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < n; i++) {
			const cJSON *l = cJSON_GetArrayItem(layers, (int)i);
			char norm[KS_MAX_PATH + 2];
			size_t nl;

			if (!cJSON_IsString(l) || strlen(l->valuestring) >= KS_MAX_PATH ||
			    ks_path_normalize(l->valuestring, strlen(l->valuestring), norm, &nl) != 0) {
				result = kensa_err_set(err, KENSA_EFORMAT, "%s: manifest.json names an invalid layer",
						       t->target);
				goto out;
			}
			members[i] = ks_arena_strndup(&t->arena, norm + 1, nl - 1);
		}
		result = load_config(c, config, err);
		if (result)
			goto out;
		result = order_layers(c, members, NULL, n, err);
		if (result)
			goto out;
		ks_image_apply_layers(t);
		if (t->image && !t->image->name) {
			if (ref)
				t->image->name = ks_arena_strdup(&t->arena, ref);
			else if (tags && cJSON_IsString(tags->child))
				t->image->name = ks_arena_strdup(&t->arena, tags->child->valuestring);
		}
	}
out:
	free(members);
	cJSON_Delete(root);
	free(doc);
	return result;
}

static bool is_index_type(const char *mt)
{
	return mt && (strcmp(mt, "application/vnd.oci.image.index.v1+json") == 0 ||
		      strcmp(mt, "application/vnd.docker.distribution.manifest.list.v2+json") == 0);
}

/* Choose a manifest descriptor from an index: by ref name, else linux/amd64, else first. */
static const cJSON *pick_descriptor(const cJSON *manifests, const char *ref)
{
	const cJSON *first = NULL, *amd64 = NULL;

	ks_json_each(d, manifests) {
		const cJSON *ann = ks_json_obj(d, "annotations");
		const cJSON *plat = ks_json_obj(d, "platform");
		const char *rn = ks_json_str(ann, "org.opencontainers.image.ref.name");
		const char *arch = ks_json_str(plat, "architecture");

		if (!first)
			first = d;
		if (ref && rn && (strcmp(rn, ref) == 0 || (strrchr(ref, ':') && strcmp(rn, strrchr(ref, ':') + 1) == 0)))
			return d;
		if (!amd64 && arch && strcmp(arch, "amd64") == 0)
			amd64 = d;
	}
	if (ref)
		return NULL;
	return amd64 ? amd64 : first;
}

static int oci_manifest(struct container *c, const char *ref, struct kensa_err *err)
{
	struct ks_tree *t = c->t;
	char *doc = NULL;
	size_t len;
	cJSON *root = NULL;
	const cJSON *desc;
	const char *member = "index.json";
	const char **members = NULL, **digests = NULL;
	int result;
	int hops = 0;
	const char *chosen_ref = NULL;

	/* follow index → (nested index →) manifest */
	for (;;) {
		const char *mt;

		free(doc);
		doc = NULL;
		cJSON_Delete(root);
		root = NULL;
		result = get_doc(c, member, &doc, &len, err);
		if (result)
			goto out;
		root = ks_json_parse(doc, len, member, err);
		if (!root) {
			result = KENSA_EFORMAT;
			goto out;
		}
		mt = ks_json_str(root, "mediaType");
		if (!ks_json_arr(root, "manifests") || (mt && !is_index_type(mt) && hops > 0))
			break;	/* an image manifest */
		if (++hops > 4) {
			result = kensa_err_set(err, KENSA_ELIMIT, "%s: image indexes nested too deeply", t->target);
			goto out;
		}
		desc = pick_descriptor(ks_json_arr(root, "manifests"), hops == 1 ? ref : NULL);
		if (!desc) {
			result = kensa_err_set(err, KENSA_ENOTFOUND, "%s: no manifest %s%s%s in the index", t->target,
					       ref ? "named '" : "", ref ? ref : "", ref ? "'" : "");
			goto out;
		}
		if (hops == 1) {
			const char *rn = ks_json_str(ks_json_obj(desc, "annotations"),
						     "org.opencontainers.image.ref.name");

			chosen_ref = rn ? ks_arena_strdup(&t->arena, rn) : NULL;
		}
		member = digest_member(&t->arena, ks_json_str(desc, "digest"));
		if (!member) {
			result = kensa_err_set(err, KENSA_EFORMAT, "%s: invalid digest in the image index", t->target);
			goto out;
		}
	}
	{
		const cJSON *cfg = ks_json_obj(root, "config");
		const cJSON *layers = ks_json_arr(root, "layers");
		const char *cfg_member = digest_member(&t->arena, ks_json_str(cfg, "digest"));
		size_t n;

		if (!cfg_member || !layers) {
			result = kensa_err_set(err, KENSA_EFORMAT, "%s: image manifest '%s' lacks config or layers",
					       t->target, member);
			goto out;
		}
		n = (size_t)cJSON_GetArraySize(layers);
		members = calloc(n + 1, sizeof(*members));
		digests = calloc(n + 1, sizeof(*digests));
		if (!members || !digests) {
			result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < n; i++) {
			const cJSON *l = cJSON_GetArrayItem(layers, (int)i);
			const char *d = ks_json_str(l, "digest");

			members[i] = digest_member(&t->arena, d);
			digests[i] = ks_arena_strdup(&t->arena, d);
			if (!members[i]) {
				result = kensa_err_set(err, KENSA_EFORMAT, "%s: invalid layer digest in '%s'", t->target,
						       member);
				goto out;
			}
		}
		result = load_config(c, cfg_member, err);
		if (result)
			goto out;
		result = order_layers(c, members, digests, n, err);
		if (result)
			goto out;
		ks_image_apply_layers(t);
		if (t->image) {
			t->image->id = ks_arena_strdup(&t->arena, ks_json_str(cfg, "digest"));
			if (!t->image->name)
				t->image->name = ref ? ks_arena_strdup(&t->arena, ref) : chosen_ref;
		}
	}
out:
	free(members);
	free(digests);
	cJSON_Delete(root);
	free(doc);
	return result;
}

static bool has_member(struct container *c, const char *name)
{
	if (c->mode == MODE_STREAM)
		return stream_find(c, name) != NULL;
	if (c->mode == MODE_INDEX)
		return ks_tarindex_find(&c->ix, name) != NULL;
	{
		char p[KS_MAX_PATH * 2];

		snprintf(p, sizeof(p), "%s/%s", c->path, name);
		return access(p, F_OK) == 0;
	}
}

static int read_manifests(struct container *c, const char *ref, struct kensa_err *err)
{
	if (has_member(c, "index.json"))
		return oci_manifest(c, ref, err);
	if (has_member(c, "manifest.json"))
		return docker_manifest(c, ref, err);
	return kensa_err_set(err, KENSA_EFORMAT,
			     "'%s' is not an image archive: no manifest.json (docker) or index.json (OCI)", c->path);
}

static void container_release(struct container *c)
{
	for (size_t i = 0; i < c->nsm; i++)
		free(c->sm[i].doc);
	free(c->sm);
	ks_tarindex_release(&c->ix);
	if (c->fd >= 0)
		close(c->fd);
}

int ks_source_docker_archive(struct ks_tree *t, const char *file, const char *ref, struct kensa_err *err)
{
	struct container c;
	unsigned char magic[6] = { 0 };
	struct stat st;
	int result;

	memset(&c, 0, sizeof(c));
	c.t = t;
	c.path = file;
	c.fd = open(file, O_RDONLY | O_CLOEXEC);
	if (c.fd < 0)
		return kensa_err_set(err, errno == ENOENT ? KENSA_ENOTFOUND : KENSA_EIO, "cannot open '%s': %s",
				     file, strerror(errno));
	if (fstat(c.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		result = kensa_err_set(err, KENSA_EFORMAT, "'%s' is not a regular file", file);
		goto out;
	}
	c.file_size = (uint64_t)st.st_size;
	if (pread(c.fd, magic, sizeof(magic), 0) < 0) {
		result = kensa_err_set(err, KENSA_EIO, "cannot read '%s': %s", file, strerror(errno));
		goto out;
	}
	if ((magic[0] == 0x1f && magic[1] == 0x8b) || (magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f) ||
	    (magic[0] == 0xfd && magic[1] == '7' && magic[2] == 'z') || (magic[0] == 'B' && magic[1] == 'Z')) {
		c.mode = MODE_STREAM;
		result = stream_collect(&c, err);
	} else {
		c.mode = MODE_INDEX;
		result = ks_tarindex_build(&c.ix, c.fd, c.file_size, file, err);
	}
	if (!result)
		result = read_manifests(&c, ref, err);
out:
	container_release(&c);
	return result;
}

int ks_source_oci_dir(struct ks_tree *t, const char *dir, const char *ref, struct kensa_err *err)
{
	struct container c;
	int result;

	memset(&c, 0, sizeof(c));
	c.t = t;
	c.path = dir;
	c.fd = -1;
	c.mode = MODE_DIR;
	if (!has_member(&c, "oci-layout") && !has_member(&c, "index.json"))
		return kensa_err_set(err, KENSA_EFORMAT, "'%s' is not an OCI image layout (no oci-layout file)", dir);
	result = oci_manifest(&c, ref, err);
	container_release(&c);
	return result;
}
