// SPDX-License-Identifier: Apache-2.0
/*
 * container.c — which container a process belongs to, and which image that container runs.
 *
 * A process is attributed by its cgroup path (/proc/PID/cgroup, or, when the process is
 * already gone, by finding the cgroup directory whose inode is the event's cgroup id) and
 * the runtimes' naming patterns (proc.c: ks_cgroup_container). The image comes from the
 * runtime's own state files, read directly so the sensor needs no runtime binary and no
 * socket once it runs: containers/storage (podman, CRI-O: overlay-containers/containers.json,
 * overlay-images/images.json) and docker (containers/<id>/config.v2.json). A process in the
 * host's mount namespace outside any container cgroup is the host; one in another mount
 * namespace without a container cgroup is an anonymous "mntns:<inode>" sandbox.
 *
 * What it is not: a container runtime client. `podman inspect` is exec'd only to look a
 * container up by name for `kensa profile --container`.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime.h"
#include "util/json.h"

#define STATE_FILE_MAX ((size_t)64 << 20)
#define CGROUP_WALK_MAX_DIRS 20000
#define CGROUP_WALK_MAX_DEPTH 8

extern char **environ;

static const char *storage_root(void)
{
	const char *e = getenv("KENSA_CONTAINERS_STORAGE");

	return e && *e ? e : "/var/lib/containers/storage";
}

static const char *docker_root(void)
{
	const char *e = getenv("KENSA_DOCKER_ROOT");

	return e && *e ? e : "/var/lib/docker";
}

static const char *sha256_id(struct ks_arena *a, const char *id)
{
	if (!id || !*id)
		return NULL;
	if (ks_str_startswith(id, "sha256:"))
		return ks_arena_strdup(a, id);
	return ks_arena_printf(a, "sha256:%s", id);
}

/* ---------------------------------------------------------------- containers/storage */

bool ks_storage_containers_find(struct ks_arena *a, const char *json, size_t len, const char *id,
				struct ks_container_meta *m)
{
	cJSON *doc = ks_json_parse(json, len, "containers.json", NULL);
	bool found = false;

	if (!doc)
		return false;
	ks_json_each(c, cJSON_IsArray(doc) ? doc : NULL) {
		const char *cid = ks_json_str(c, "id"), *meta;
		const cJSON *names = ks_json_arr(c, "names");

		if (!cid || strcmp(cid, id) != 0)
			continue;
		found = true;
		if (names && cJSON_IsString(names->child))
			m->name = ks_arena_strdup(a, names->child->valuestring);
		m->image_id = sha256_id(a, ks_json_str(c, "image"));
		if (ks_json_str(c, "layer"))
			m->layer = ks_arena_strdup(a, ks_json_str(c, "layer"));
		meta = ks_json_str(c, "metadata");
		if (meta) {
			cJSON *md = ks_json_parse(meta, strlen(meta), "container metadata", NULL);

			if (md && ks_json_str(md, "image-name"))
				m->image_name = ks_arena_strdup(a, ks_json_str(md, "image-name"));
			cJSON_Delete(md);
		}
		break;
	}
	cJSON_Delete(doc);
	return found;
}

static void storage_image_name(struct ks_arena *a, const char *image_id, const char **image_name)
{
	char path[4096];
	char *data = NULL;
	size_t len;
	cJSON *doc;
	const char *hex = image_id + 7;	/* after "sha256:" */

	snprintf(path, sizeof(path), "%s/overlay-images/images.json", storage_root());
	if (ks_file_read(path, STATE_FILE_MAX, &data, &len, NULL))
		return;
	doc = ks_json_parse(data, len, path, NULL);
	ks_json_each(im, doc && cJSON_IsArray(doc) ? doc : NULL) {
		const char *iid = ks_json_str(im, "id");
		const cJSON *names = ks_json_arr(im, "names");

		if (iid && strcmp(iid, hex) == 0 && names && cJSON_IsString(names->child)) {
			*image_name = ks_arena_strdup(a, names->child->valuestring);
			break;
		}
	}
	cJSON_Delete(doc);
	free(data);
}

static bool storage_image(struct ks_arena *a, const char *id, struct ks_container_meta *m)
{
	char path[4096];
	char *data = NULL;
	size_t len;
	bool found;

	snprintf(path, sizeof(path), "%s/overlay-containers/containers.json", storage_root());
	if (ks_file_read(path, STATE_FILE_MAX, &data, &len, NULL))
		return false;
	found = ks_storage_containers_find(a, data, len, id, m);
	free(data);
	if (found && m->image_id && !m->image_name)
		storage_image_name(a, m->image_id, &m->image_name);
	if (found && m->layer && strchr(m->layer, '/') == NULL)
		m->rootfs = ks_arena_printf(a, "%s/overlay/%s/merged", storage_root(), m->layer);
	return found;
}

static bool docker_image(struct ks_arena *a, const char *id, struct ks_container_meta *m)
{
	char path[4096];
	char *data = NULL;
	size_t len;
	cJSON *doc;
	const char *n;

	snprintf(path, sizeof(path), "%s/containers/%s/config.v2.json", docker_root(), id);
	if (ks_file_read(path, STATE_FILE_MAX, &data, &len, NULL))
		return false;
	doc = ks_json_parse(data, len, path, NULL);
	free(data);
	if (!doc)
		return false;
	n = ks_json_str(doc, "Name");
	if (n)
		m->name = ks_arena_strdup(a, n[0] == '/' ? n + 1 : n);
	m->image_id = sha256_id(a, ks_json_str(doc, "Image"));
	n = ks_json_str(ks_json_obj(doc, "Config"), "Image");
	if (n)
		m->image_name = ks_arena_strdup(a, n);
	cJSON_Delete(doc);
	return true;
}

bool ks_container_image(struct ks_arena *a, const char *runtime, const char *id,
			struct ks_container_meta *m)
{
	memset(m, 0, sizeof(*m));
	if (strcmp(runtime, "podman") == 0 || strcmp(runtime, "cri-o") == 0)
		return storage_image(a, id, m);
	if (strcmp(runtime, "docker") == 0)
		return docker_image(a, id, m);
	/* containerd keeps its state in a boltdb behind a socket: the image stays unknown and
	 * the container is inventoried from its own root */
	return storage_image(a, id, m) || docker_image(a, id, m);
}

/* A directory that is a mount point (its device differs from its parent's). */
static bool mounted_dir(const char *path)
{
	struct stat st, parent;
	char up[4096];

	if ((size_t)snprintf(up, sizeof(up), "%s/..", path) >= sizeof(up))
		return false;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode) && stat(up, &parent) == 0 &&
	       st.st_dev != parent.st_dev;
}

int ks_container_root(uint32_t pid, uint64_t start_ns, const char *rootfs)
{
	struct stat st, host;
	char path[64];
	int fd;

	if (pid && ks_proc_same(pid, start_ns)) {
		snprintf(path, sizeof(path), "/proc/%u/root", pid);
		fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		/* still the host's root: the runtime has not switched to the container's yet */
		if (fd >= 0 && (fstat(fd, &st) != 0 || stat("/", &host) != 0 ||
				(st.st_dev == host.st_dev && st.st_ino == host.st_ino) ||
				!ks_proc_same(pid, start_ns))) {
			close(fd);
			fd = -1;
		}
		if (fd >= 0)
			return fd;
	}
	if (rootfs && mounted_dir(rootfs))
		return open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return -1;
}

/* ---------------------------------------------------------------- cgroup id → path */

/* Where the cgroup v2 hierarchy is mounted (/sys/fs/cgroup or /sys/fs/cgroup/unified). */
static const char *cgroup2_mount_find(char *out, size_t size)
{
	struct ks_buf b = KS_BUF_INIT;
	const char *p, *end, *found = NULL;

	if (ks_proc_read((uint32_t)getpid(), "mountinfo", &b, (size_t)16 << 20) != 0)
		goto out;
	p = b.data;
	end = b.data + b.len;
	while (p < end && !found) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *sep = NULL;

		/* "36 25 0:30 / /sys/fs/cgroup/unified rw,… - cgroup2 cgroup2 rw" */
		for (const char *q = p; q + 3 <= le; q++)
			if (q[0] == ' ' && q[1] == '-' && q[2] == ' ') {
				sep = q + 3;
				break;
			}
		if (sep && le - sep > 8 && memcmp(sep, "cgroup2 ", 8) == 0) {
			const char *f = p;
			int field = 0;

			while (f < le && field < 4) {	/* the 5th field is the mount point */
				if (*f++ == ' ')
					field++;
			}
			if (field == 4) {
				const char *fe = memchr(f, ' ', (size_t)(le - f));
				size_t n = (size_t)((fe ? fe : le) - f);

				if (n < size) {
					memcpy(out, f, n);
					out[ks_proc_unescape(out, n)] = '\0';
					found = out;
				}
			}
		}
		p = nl ? nl + 1 : end;
	}
out:
	ks_buf_release(&b);
	return found;
}

const char *ks_cgroup2_mount(void)
{
	static char mnt[1024];
	static int state;	/* 0 unknown, 1 found, -1 none */

	if (!state)
		state = cgroup2_mount_find(mnt, sizeof(mnt)) ? 1 : -1;
	return state > 0 ? mnt : NULL;
}

uint64_t ks_proc_cgroup_id(uint32_t pid)
{
	struct ks_buf b = KS_BUF_INIT;
	const char *mnt = ks_cgroup2_mount(), *path;
	size_t plen;
	uint64_t id = 0;

	if (mnt && ks_proc_read(pid, "cgroup", &b, 65536) == 0 && b.len > 3 &&
	    ks_cgroup_file_path(b.data, b.len, &path, &plen) == 0) {
		char full[4096];
		struct stat st;

		/* only the v2 line names a cgroup2 directory */
		if (path >= b.data + 3 && memcmp(path - 3, "0::", 3) == 0 &&
		    (size_t)snprintf(full, sizeof(full), "%s%.*s", mnt, (int)plen, path) <
			    sizeof(full) &&
		    stat(full, &st) == 0)
			id = (uint64_t)st.st_ino;
	}
	ks_buf_release(&b);
	return id;
}

/* Breadth-first, bounded: the directory of cgroup `id`, as a path below the mount. */
static bool cgroup_path_by_id(uint64_t id, char *out, size_t size)
{
	const char *mnt = ks_cgroup2_mount();
	char **queue = NULL;
	size_t head = 0, n = 0, cap = 0, visited = 0;
	bool found = false;
	struct stat st;

	if (!mnt)
		return false;
	if (stat(mnt, &st) == 0 && (uint64_t)st.st_ino == id) {
		snprintf(out, size, "/");
		return true;
	}
	if (KS_GROW(queue, cap, 1) || !(queue[n++] = strdup("")))
		goto out;
	while (head < n && !found && visited < CGROUP_WALK_MAX_DIRS) {
		char dir[4096];
		char *rel = queue[head++];
		DIR *d;
		struct dirent *e;

		snprintf(dir, sizeof(dir), "%s%s", mnt, rel);
		d = opendir(dir);
		while (d && !found && (e = readdir(d))) {
			char child[4096];

			if (e->d_type != DT_DIR || e->d_name[0] == '.')
				continue;
			visited++;
			if ((uint64_t)e->d_ino == id) {
				snprintf(out, size, "%s/%s", rel, e->d_name);
				found = true;
				break;
			}
			if (ks_path_depth(rel) + 1 >= CGROUP_WALK_MAX_DEPTH ||
			    visited >= CGROUP_WALK_MAX_DIRS)
				continue;
			if ((size_t)snprintf(child, sizeof(child), "%s/%s", rel, e->d_name) >=
			    sizeof(child))
				continue;
			if (KS_GROW(queue, cap, n + 1) || !(queue[n] = strdup(child)))
				break;
			n++;
		}
		if (d)
			closedir(d);
	}
out:
	for (size_t i = 0; i < n; i++)
		free(queue[i]);
	free(queue);
	return found;
}

/* ---------------------------------------------------------------- attribution */

static bool same_root_as_host(uint32_t pid)
{
	struct stat st, host;
	char path[64];

	snprintf(path, sizeof(path), "/proc/%u/root/", pid);
	return stat(path, &st) == 0 && stat("/", &host) == 0 && st.st_dev == host.st_dev &&
	       st.st_ino == host.st_ino;
}

int ks_container_attribute(struct ks_arena *a, uint32_t pid, uint64_t start_ns, uint64_t cgroup_id,
			   uint32_t mntns, uint32_t host_mntns, struct kensa_container *out,
			   const char **rootfs)
{
	struct ks_buf b = KS_BUF_INIT;
	struct ks_container_ref ref;
	struct ks_container_meta meta;
	bool alive, named = false;
	char cgpath[4096];

	memset(out, 0, sizeof(*out));
	*rootfs = NULL;
	/* the pid may have been reused since the event: trust /proc only for the same process */
	alive = pid && ks_proc_same(pid, start_ns) && (!mntns || ks_proc_mntns(pid) == mntns);
	if (alive) {
		const char *path;
		size_t plen;

		if (ks_proc_read(pid, "cgroup", &b, 65536) == 0 &&
		    ks_cgroup_file_path(b.data, b.len, &path, &plen) == 0)
			named = ks_cgroup_container(path, plen, &ref);
		if (named && !ks_proc_same(pid, start_ns))
			named = false;	/* reused while we looked */
	}
	if (!named && cgroup_id && cgroup_path_by_id(cgroup_id, cgpath, sizeof(cgpath)))
		named = ks_cgroup_container(cgpath, strlen(cgpath), &ref);
	ks_buf_release(&b);

	/* a process in the host's mount namespace sees the host's files, whatever its cgroup:
	 * the runtime starting a container (runc before it enters the container's namespaces) */
	if (named && mntns && mntns == host_mntns)
		named = false;
	if (named) {
		out->id = ks_arena_strdup(a, ref.id);
		out->runtime = ref.runtime;
		if (ks_container_image(a, ref.runtime, ref.id, &meta)) {
			out->name = meta.name;
			out->image_id = meta.image_id;
			out->image_name = meta.image_name;
			*rootfs = meta.rootfs;
		}
	} else if (!mntns || mntns == host_mntns || (alive && same_root_as_host(pid))) {
		/* a private mount namespace over the host's own root (systemd's ProtectSystem=,
		 * PrivateTmp=, `unshare -m`) runs the host's software */
		out->id = "host";
		out->runtime = "host";
		out->host = true;
	} else {
		out->id = ks_arena_printf(a, "mntns:%u", mntns);
		out->runtime = "unknown";
	}
	return out->id ? 0 : KENSA_ENOMEM;
}

/* ---------------------------------------------------------------- podman inspect */

static int run_capture(char *const argv[], char **out, size_t *len, int *status)
{
	posix_spawn_file_actions_t fa;
	int pfd[2] = { -1, -1 }, result = 0;
	pid_t child;

	*out = NULL;
	if (pipe2(pfd, O_CLOEXEC) != 0)
		return KENSA_EIO;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&child, argv[0], &fa, NULL, argv, environ) != 0) {
		result = KENSA_ENOTFOUND;
		close(pfd[1]);
		goto out;
	}
	close(pfd[1]);
	result = ks_fd_read_all(pfd[0], argv[0], (size_t)16 << 20, out, len, NULL);
	while (waitpid(child, status, 0) < 0 && errno == EINTR)
		;
out:
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[0]);
	return result;
}

int ks_container_lookup(struct ks_arena *a, const char *what, struct ks_container_info *out,
			struct kensa_err *err)
{
	char *argv[] = { "podman", "container", "inspect", "--format", "json", (char *)what, NULL };
	char *data = NULL;
	size_t len = 0;
	int status = 0, result;
	cJSON *doc = NULL;
	const cJSON *c, *state;

	memset(out, 0, sizeof(*out));
	result = run_capture(argv, &data, &len, &status);
	if (result == KENSA_ENOTFOUND) {
		result = kensa_err_set(err, KENSA_ENOTFOUND,
				       "cannot look up container '%s': podman is not installed",
				       what);
		goto out;
	}
	if (result || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		result = kensa_err_set(err, KENSA_ENOTFOUND,
				       "no container '%s' (podman container inspect failed)", what);
		goto out;
	}
	doc = ks_json_parse(data, len, "podman inspect output", err);
	c = doc && cJSON_IsArray(doc) ? doc->child : NULL;
	if (!c) {
		result = kensa_err_set(err, KENSA_ENOTFOUND, "no container '%s'", what);
		goto out;
	}
	state = ks_json_obj(c, "State");
	out->id = ks_arena_strdup(a, ks_json_str(c, "Id"));
	out->name = ks_arena_strdup(a, ks_json_str(c, "Name"));
	out->image_id = sha256_id(a, ks_json_str(c, "Image"));
	out->image_name = ks_arena_strdup(a, ks_json_str(c, "ImageName"));
	out->running = ks_json_bool(state, "Running", false);
	{
		double pid = ks_json_num(state, "Pid", 0);

		out->pid = pid > 0 && pid < 4194305 ? (uint32_t)pid : 0;
	}
	if (!out->id)
		result = kensa_err_set(err, KENSA_EFORMAT, "podman inspect gave no id for '%s'",
				       what);
out:
	cJSON_Delete(doc);
	free(data);
	return result;
}
