// SPDX-License-Identifier: Apache-2.0
/*
 * file.c — whole-file reads with a size cap, and atomic writes (temp file + rename).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

int ks_fd_read_all(int fd, const char *name, size_t limit, char **data, size_t *len,
		   struct kensa_err *err)
{
	struct ks_buf b = KS_BUF_INIT;
	int result = 0;

	b.limit = limit;
	for (;;) {
		ssize_t n;

		result = ks_buf_grow(&b, 65536);
		if (result == KENSA_ELIMIT && b.len < limit)
			result = ks_buf_grow(&b, limit - b.len);
		if (result) {
			if (result == KENSA_ELIMIT) {
				char probe;

				n = read(fd, &probe, 1);
				if (n == 0)
					break;	/* exactly at the limit */
				kensa_err_set(err, result, "'%s' is larger than the %zu-byte limit", name,
					      limit);
			} else {
				kensa_err_set(err, result, "out of memory reading '%s'", name);
			}
			goto out;
		}
		n = read(fd, b.data + b.len, b.cap - b.len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			result = kensa_err_set(err, KENSA_EIO, "cannot read '%s': %s", name, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
		b.data[b.len] = '\0';
	}
	*len = b.len;
	*data = ks_buf_detach(&b);
out:
	if (result)
		ks_buf_release(&b);
	return result;
}

int ks_file_read(const char *path, size_t limit, char **data, size_t *len, struct kensa_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int result;

	if (fd < 0)
		return kensa_err_set(err, errno == ENOENT ? KENSA_ENOTFOUND : KENSA_EIO, "cannot open '%s': %s",
				     path, strerror(errno));
	result = ks_fd_read_all(fd, path, limit, data, len, err);
	close(fd);
	return result;
}

int ks_file_write_atomic(const char *path, const void *data, size_t len, struct kensa_err *err)
{
	char tmp[4096];
	int fd = -1;
	int result = 0;
	const char *p = data;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= sizeof(tmp))
		return kensa_err_set(err, KENSA_EINVAL, "path too long: '%s'", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		result = kensa_err_set(err, KENSA_EIO, "cannot create '%s': %s", tmp, strerror(errno));
		goto out;
	}
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			result = kensa_err_set(err, KENSA_EIO, "cannot write '%s': %s", tmp, strerror(errno));
			goto out;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		result = kensa_err_set(err, KENSA_EIO, "cannot write '%s': %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		result = kensa_err_set(err, KENSA_EIO, "cannot rename '%s' to '%s': %s", tmp, path,
				       strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	if (result)
		unlink(tmp);
	return result;
}
