// SPDX-License-Identifier: Apache-2.0
/*
 * dir.c — an unpacked root file system (dir:PATH) or this machine (host) as a one-layer tree.
 *
 * The walk never follows a symlink: directories are opened relative to the root with
 * openat2(RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS) (plain O_NOFOLLOW where openat2 is missing),
 * symlinks are recorded with their target text and resolved later inside the tree. The walk
 * is iterative (an explicit stack of relative paths, one directory open at a time), so a
 * 10,000-deep directory costs neither stack nor file descriptors; paths beyond KS_MAX_PATH
 * or KS_MAX_DEPTH are reported once and skipped.
 * For the host, virtual and runtime file systems (/proc, /sys, /dev, /run) and container
 * storage (other images' layers, not software of this machine) are skipped.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "source.h"

static const char *const host_skip[] = {
	"/proc", "/sys", "/dev", "/run", "/var/run", "/var/lib/containers/storage", "/var/lib/docker",
	"/var/cache/apt/archives/partial",
};

static int open_in_root(int rootfd, const char *rel, int flags)
{
	struct open_how how;
	int fd;

	if (!*rel)
		return openat(rootfd, ".", flags | O_CLOEXEC);
	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)(flags | O_CLOEXEC | O_NOFOLLOW);
	how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	fd = (int)syscall(SYS_openat2, rootfd, rel, &how, sizeof(how));
	if (fd < 0 && (errno == ENOSYS || errno == EPERM))
		fd = openat(rootfd, rel, flags | O_CLOEXEC | O_NOFOLLOW);
	return fd;
}

static int read_content(struct ks_tree *t, int dfd, const char *name, struct ks_node *n, uint64_t max,
			struct kensa_err *err)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	int result = 0;
	ssize_t r;

	if (fd < 0) {
		n->skipped = 1;
		ks_tree_warn(t, n->path, "cannot open: %s", strerror(errno));
		return 0;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
		n->skipped = 1;
		if (S_ISREG(st.st_mode))
			ks_tree_warn(t, n->path, "not read: %llu bytes is over the %llu-byte limit for it",
				     (unsigned long long)st.st_size, (unsigned long long)max);
		goto out;
	}
	ks_buf_reset(&t->scratch);
	t->scratch.limit = (size_t)max + 1;
	result = ks_buf_grow(&t->scratch, (size_t)st.st_size);
	if (result) {
		kensa_err_set(err, result, "no memory to read '%s'", n->path);
		goto out;
	}
	while ((r = read(fd, t->scratch.data + t->scratch.len, t->scratch.cap - t->scratch.len - 1)) > 0) {
		t->scratch.len += (size_t)r;
		if (t->scratch.len >= t->scratch.cap - 1) {
			if (t->scratch.len >= max)
				break;
			if (ks_buf_grow(&t->scratch, 65536))
				break;
		}
	}
	if (r < 0) {
		n->skipped = 1;
		ks_tree_warn(t, n->path, "cannot read: %s", strerror(errno));
		goto out;
	}
	t->scratch.data[t->scratch.len] = '\0';
	n->size = t->scratch.len;
	result = ks_tree_account(t, t->scratch.len, n->path, err);
	if (!result)
		result = ks_tree_offer(t, n, (const unsigned char *)t->scratch.data, t->scratch.len);
out:
	close(fd);
	return result;
}

int ks_source_dir(struct ks_tree *t, const char *root, bool host, struct kensa_err *err)
{
	struct ks_layer_rec *l;
	char **stack = NULL;
	size_t nstack = 0, capstack = 0;
	int rootfd = -1;
	int result = 0;
	bool warned_deep = false;
	bool is_slash;
	char real[PATH_MAX];

	rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return kensa_err_set(err, errno == ENOENT ? KENSA_ENOTFOUND : KENSA_EIO, "cannot open directory '%s': %s",
				     root, strerror(errno));
	is_slash = host || (realpath(root, real) && strcmp(real, "/") == 0);
	l = ks_tree_add_layer(t, root);
	if (!l || KS_GROW(stack, capstack, 1) || !(stack[0] = strdup(""))) {
		result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		goto out;
	}
	nstack = 1;
	while (nstack) {
		char *rel = stack[--nstack];
		int dfd = open_in_root(rootfd, rel, O_RDONLY | O_DIRECTORY);
		DIR *d;
		struct dirent *de;
		size_t rlen = strlen(rel);

		if (dfd < 0) {
			ks_tree_warn(t, *rel ? rel : "/", "cannot open directory: %s", strerror(errno));
			free(rel);
			continue;
		}
		d = fdopendir(dfd);
		if (!d) {
			close(dfd);
			free(rel);
			continue;
		}
		while ((de = readdir(d))) {
			struct stat st;
			struct ks_node *n;
			char path[KS_MAX_PATH + 2];
			int plen;
			uint64_t want = 0, max_size = 0;

			if (de->d_name[0] == '.' && (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
				continue;
			plen = snprintf(path, sizeof(path), "/%s%s%s", rel, rlen ? "/" : "", de->d_name);
			if (plen < 0 || plen >= KS_MAX_PATH) {
				if (!warned_deep)
					ks_tree_warn(t, rel, "skipping entries whose path is longer than %d bytes",
						     KS_MAX_PATH);
				warned_deep = true;
				continue;
			}
			if (is_slash) {
				bool skip = false;

				for (size_t i = 0; i < KS_ARRAY_SIZE(host_skip) && !skip; i++)
					skip = strcmp(path, host_skip[i]) == 0;
				if (skip)
					continue;
			}
			if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
				continue;
			n = ks_layer_add_entry(t, l);
			if (!n) {
				result = kensa_err_set(err, KENSA_ELIMIT, "'%s': more than %llu entries", root,
						       (unsigned long long)KS_MAX_ENTRIES);
				closedir(d);
				free(rel);
				goto out;
			}
			n->path = ks_arena_strndup(&t->arena, path, (size_t)plen);
			n->plen = (uint32_t)plen;
			n->mode = st.st_mode & 07777;
			n->uid = st.st_uid;
			n->gid = st.st_gid;
			n->size = (uint64_t)st.st_size;
			if (S_ISREG(st.st_mode)) {
				n->kind = KS_REG;
			} else if (S_ISDIR(st.st_mode)) {
				n->kind = KS_DIR;
				if (ks_path_depth(path) >= KS_MAX_DEPTH) {
					if (!warned_deep)
						ks_tree_warn(t, path, "not descending: deeper than %d directories",
							     KS_MAX_DEPTH);
					warned_deep = true;
				} else {
					char *sub = strdup(path + 1);

					if (!sub || KS_GROW(stack, capstack, nstack + 1)) {
						free(sub);
						result = kensa_err_set(err, KENSA_ENOMEM, "out of memory");
						closedir(d);
						free(rel);
						goto out;
					}
					stack[nstack++] = sub;
				}
			} else if (S_ISLNK(st.st_mode)) {
				char target[KS_MAX_PATH];
				ssize_t tl = readlinkat(dfd, de->d_name, target, sizeof(target) - 1);

				n->kind = KS_SYMLINK;
				if (tl >= 0) {
					target[tl] = '\0';
					n->link = ks_arena_strndup(&t->arena, target, (size_t)tl);
				}
			} else {
				n->kind = KS_OTHER;
			}
			if (n->kind == KS_REG && t->hooks && t->hooks->match)
				want = t->hooks->match(t->hooks->ud, n, &max_size);
			if (want) {
				n->want = want;
				result = read_content(t, dfd, de->d_name, n, max_size, err);
				if (result) {
					closedir(d);
					free(rel);
					goto out;
				}
			}
		}
		closedir(d);
		free(rel);
		if ((l->nentries & 0xfff) == 0)
			ks_progress("walking the file system", l->nentries, 0);
	}
out:
	while (nstack)
		free(stack[--nstack]);
	free(stack);
	if (rootfd >= 0)
		close(rootfd);
	return result;
}
