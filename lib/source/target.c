// SPDX-License-Identifier: Apache-2.0
/*
 * target.c — target names (skopeo's transports) → a reader, and the read itself.
 *
 *   dir:PATH | PATH (directory)            an unpacked root file system
 *   host                                    this machine's /
 *   docker-archive:FILE[:REF] | FILE        docker/podman save output, plain or compressed
 *   oci:DIR[:TAG]                           OCI image layout directory
 *   oci-archive:FILE[:TAG]                  tar of an OCI image layout
 *   sbom:FILE                               a CycloneDX or SPDX document (read by lib/sbom)
 * A bare path is sniffed: a directory with an oci-layout file is oci:, another directory is
 * dir:, a file starting with '{' is sbom:, any other file an image archive.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source.h"

static const struct {
	const char *prefix;
	int kind;
	bool has_ref;
} transports[] = {
	{ "dir:", KS_TARGET_DIR, false },
	{ "docker-archive:", KS_TARGET_DOCKER_ARCHIVE, true },
	{ "oci-archive:", KS_TARGET_OCI_ARCHIVE, true },
	{ "oci:", KS_TARGET_OCI_DIR, true },
	{ "sbom:", KS_TARGET_SBOM, false },
};

const char *ks_target_kind_name(int kind)
{
	switch (kind) {
	case KS_TARGET_DIR: return "dir";
	case KS_TARGET_HOST: return "host";
	case KS_TARGET_DOCKER_ARCHIVE: return "docker-archive";
	case KS_TARGET_OCI_DIR: return "oci";
	case KS_TARGET_OCI_ARCHIVE: return "oci-archive";
	case KS_TARGET_SBOM: return "sbom";
	default: return "unknown";
	}
}

/* "path[:ref]": the whole string if it exists, else split at the last ':'. */
static void split_ref(struct ks_arena *a, const char *rest, struct ks_target *t)
{
	const char *colon = strrchr(rest, ':');
	struct stat st;

	t->path = ks_arena_strdup(a, rest);
	t->ref = NULL;
	if (stat(rest, &st) == 0 || !colon || colon == rest)
		return;
	t->path = ks_arena_strndup(a, rest, (size_t)(colon - rest));
	t->ref = ks_arena_strdup(a, colon + 1);
}

static int sniff_path(struct ks_arena *a, const char *spec, struct ks_target *t, struct kensa_err *err)
{
	struct stat st;
	char first = 0;
	int fd;

	if (stat(spec, &st) != 0)
		return kensa_err_set(err, errno == ENOENT ? KENSA_ENOTFOUND : KENSA_EIO,
				     "cannot access '%s': %s (targets: dir:PATH, docker-archive:FILE, oci:DIR, "
				     "oci-archive:FILE, sbom:FILE, host)",
				     spec, strerror(errno));
	t->path = ks_arena_strdup(a, spec);
	if (S_ISDIR(st.st_mode)) {
		char p[PATH_MAX];

		snprintf(p, sizeof(p), "%s/oci-layout", spec);
		t->kind = access(p, F_OK) == 0 ? KS_TARGET_OCI_DIR : KS_TARGET_DIR;
		return 0;
	}
	fd = open(spec, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		char buf[64];
		ssize_t n = read(fd, buf, sizeof(buf));

		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != ' ' && buf[i] != '\n' && buf[i] != '\r' && buf[i] != '\t') {
				first = buf[i];
				break;
			}
		}
		close(fd);
	}
	t->kind = first == '{' ? KS_TARGET_SBOM : KS_TARGET_DOCKER_ARCHIVE;
	return 0;
}

int ks_target_parse(struct ks_arena *a, const char *spec, struct ks_target *t, struct kensa_err *err)
{
	memset(t, 0, sizeof(*t));
	if (!spec || !*spec)
		return kensa_err_set(err, KENSA_EINVAL, "no target given");
	if (strcmp(spec, "host") == 0) {
		t->kind = KS_TARGET_HOST;
		t->path = "/";
		return 0;
	}
	for (size_t i = 0; i < KS_ARRAY_SIZE(transports); i++) {
		size_t pl = strlen(transports[i].prefix);

		if (strncmp(spec, transports[i].prefix, pl) != 0)
			continue;
		if (!spec[pl])
			return kensa_err_set(err, KENSA_EINVAL, "target '%s' names no path", spec);
		t->kind = transports[i].kind;
		if (transports[i].has_ref)
			split_ref(a, spec + pl, t);
		else
			t->path = ks_arena_strdup(a, spec + pl);
		return 0;
	}
	if (strncmp(spec, "docker://", 9) == 0 || strncmp(spec, "container:", 10) == 0 ||
	    strncmp(spec, "registry:", 9) == 0)
		return kensa_err_set(err, KENSA_EUNSUPPORTED, "target '%s': this transport is not supported yet", spec);
	return sniff_path(a, spec, t, err);
}

int ks_source_read(struct ks_tree *t, const struct ks_target *target, struct kensa_err *err)
{
	int result;

	t->kind = target->kind;
	switch (target->kind) {
	case KS_TARGET_DIR:
		result = ks_source_dir(t, target->path, false, err);
		break;
	case KS_TARGET_HOST:
		result = ks_source_dir(t, "/", true, err);
		break;
	case KS_TARGET_DOCKER_ARCHIVE:
	case KS_TARGET_OCI_ARCHIVE:
		result = ks_source_docker_archive(t, target->path, target->ref, err);
		break;
	case KS_TARGET_OCI_DIR:
		result = ks_source_oci_dir(t, target->path, target->ref, err);
		break;
	default:
		return kensa_err_set(err, KENSA_EINVAL, "'%s' is not a file-system target", t->target);
	}
	if (!result)
		result = ks_tree_merge(t, err);
	return result;
}
