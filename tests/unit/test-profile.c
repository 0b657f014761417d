// SPDX-License-Identifier: Apache-2.0
/*
 * test-profile.c — the in-use profile from events to JSON and the store, against a real
 * inventory read back from a kensa SBOM holding packages of three ecosystems (Debian, PyPI,
 * npm): files map to their owners whatever the ecosystem, bytecode maps to its source, the
 * host and containers stay apart, the LRU cap holds while packages stay in use, last-seen
 * times follow SEEN events, and the store merges runs.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"

#include "kensa/profile.h"
#include "util/json.h"

static char dir[] = "/tmp/kensa-test-profile.XXXXXX";
static char sbom[128];

#define MS 1000000ULL
#define IMG "sha256:c9abbb1217b9139105eccd1d9aa43efe687232a679012e73f7770721c9202670"

static const char sbom_json[] =
	"{\"$schema\":\"https://kensa.dev/schemas/sbom-1.json\",\"target\":{\"name\":\"test\"},"
	"\"os\":{\"id\":\"debian\",\"version_id\":\"12\"},\"packages\":["
	"{\"ecosystem\":\"Debian\",\"name\":\"libc6\",\"version\":\"2.36-9+deb12u14\","
	" \"purl\":\"pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12\","
	" "
	"\"files\":[\"/usr/lib/x86_64-linux-gnu/libc.so.6\","
	"\"/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\"]},"
	"{\"ecosystem\":\"Debian\",\"name\":\"python3-requests\",\"version\":\"2.28.1+dfsg-1\","
	" \"purl\":\"pkg:deb/debian/python3-requests@2.28.1%2Bdfsg-1?arch=all&distro=debian-12\","
	" \"files\":[\"/usr/lib/python3/dist-packages/requests/__init__.py\"]},"
	"{\"ecosystem\":\"PyPI\",\"name\":\"requests\",\"version\":\"2.28.1\","
	"\"purl\":\"pkg:pypi/requests@2.28.1\","
	" \"files\":[\"/usr/lib/python3/dist-packages/requests/__init__.py\"]},"
	"{\"ecosystem\":\"npm\",\"name\":\"lodash\",\"version\":\"4.17.15\","
	"\"purl\":\"pkg:npm/lodash@4.17.15\","
	" "
	"\"files\":[\"/app/node_modules/lodash/lodash.js\","
	"\"/app/node_modules/lodash/package.json\"]},"
	"{\"ecosystem\":\"npm\",\"name\":\"express\",\"version\":\"4.17.1\","
	"\"purl\":\"pkg:npm/express@4.17.1\","
	" \"files\":[\"/app/node_modules/express/index.js\"]}"
	"]}";

static struct kensa_task task(uint32_t pid, const char *comm, uint64_t cgroup, uint32_t mntns,
			      uint32_t uid)
{
	struct kensa_task t;

	memset(&t, 0, sizeof(t));
	t.pid = t.tid = pid;
	t.uid = t.euid = uid;
	t.start_ns = 1000 + pid;
	t.cgroup_id = cgroup;
	t.mntns = mntns;
	snprintf(t.comm, sizeof(t.comm), "%s", comm);
	return t;
}

static void container(struct kensa_profile *p, uint64_t cgroup, uint32_t mntns, const char *id,
		      bool host)
{
	struct kensa_sensor_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = KENSA_SENSOR_CONTAINER;
	ev.time_ns = 1;
	ev.task.cgroup_id = cgroup;
	ev.task.mntns = mntns;
	ev.container.id = id;
	ev.container.runtime = host ? "host" : "podman";
	ev.container.host = host;
	ev.container.image_id = host ? NULL : IMG;
	ev.container.image_name = host ? NULL : "localhost/kensa-test/app-multi:1";
	assert_int_equal(kensa_profile_on_event(p, &ev), 0);
}

static void file(struct kensa_profile *p, struct kensa_task t, uint64_t when, uint32_t how,
		 const char *path, uint64_t ino)
{
	struct kensa_sensor_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = KENSA_SENSOR_FILE;
	ev.time_ns = when;
	ev.task = t;
	ev.file.how = how;
	ev.file.dev = 42;
	ev.file.ino = ino;
	ev.file.path = path;
	ev.file.path_len = strlen(path);
	assert_int_equal(kensa_profile_on_event(p, &ev), 0);
}

static cJSON *render(struct kensa_profile *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cJSON *doc;

	assert_non_null(f);
	assert_int_equal(kensa_profile_write_json(p, f, NULL), 0);
	fclose(f);
	doc = cJSON_ParseWithLength(buf, len);
	free(buf);
	assert_non_null(doc);
	return doc;
}

static const cJSON *find_pkg(const cJSON *doc, const char *purl)
{
	ks_json_each(pkg, ks_json_arr(doc, "packages_in_use"))
		if (strcmp(ks_json_str(pkg, "purl"), purl) == 0)
			return pkg;
	return NULL;
}

static struct kensa_profile *new_profile(size_t max_files, bool ignore_host)
{
	struct kensa_profile_opts o = KENSA_PROFILE_OPTS_INIT;
	struct kensa_profile *p = NULL;
	char target[160];

	snprintf(target, sizeof(target), "sbom:%s", sbom);
	o.inventory = target;
	o.max_files = max_files;
	o.ignore_host = ignore_host;
	o.scope = "replay";
	assert_int_equal(kensa_profile_new(&o, &p, NULL), 0);
	return p;
}

static void test_in_use(void **state)
{
	struct kensa_profile *p = new_profile(0, true);
	struct kensa_task node = task(10, "node", 5, 400, 0),
			  py = task(11, "python3", 5, 400, 1000);
	struct kensa_task host = task(12, "bash", 1, 300, 0);
	struct kensa_sensor_event ev;
	cJSON *doc;
	const cJSON *pkg, *f;

	(void)state;
	container(p, 5, 400, "ctr1", false);
	container(p, 1, 300, "host", true);
	file(p, node, 100 * MS, KENSA_HOW_EXEC, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
	     1);
	file(p, node, 101 * MS, KENSA_HOW_MMAP, "/usr/lib/x86_64-linux-gnu/libc.so.6", 2);
	file(p, node, 102 * MS, KENSA_HOW_OPEN, "/app/node_modules/lodash/lodash.js", 3);
	file(p, py, 103 * MS, KENSA_HOW_OPEN,
	     "/usr/lib/python3/dist-packages/requests/__pycache__/__init__.cpython-311.pyc", 4);
	file(p, py, 104 * MS, KENSA_HOW_OPEN, "/app/fetch.py", 5);
	/* host: ignored */
	file(p, host, 105 * MS, KENSA_HOW_OPEN, "/app/node_modules/express/index.js", 6);
	/* used again */
	file(p, node, 150 * MS, KENSA_HOW_OPEN, "/usr/lib/x86_64-linux-gnu/libc.so.6", 2);
	memset(&ev, 0, sizeof(ev));
	ev.kind = KENSA_SENSOR_NET;
	ev.time_ns = 106 * MS;
	ev.task = node;
	ev.net.op = KENSA_NET_LISTEN;
	ev.net.family = 2;
	ev.net.protocol = 6;
	ev.net.lport = 3000;
	ev.net.laddr[0] = 127;
	ev.net.laddr[3] = 1;
	assert_int_equal(kensa_profile_on_event(p, &ev), 0);
	ev.net.op = KENSA_NET_ACCEPT;
	assert_int_equal(kensa_profile_on_event(p, &ev), 0);
	memset(&ev, 0, sizeof(ev));
	ev.kind = KENSA_SENSOR_EXEC;
	ev.time_ns = 99 * MS;
	ev.task = node;
	ev.exec.filename = "/usr/bin/node";
	ev.exec.filename_len = 13;
	ev.exec.args = "node\0/app/app.js\0";
	ev.exec.args_len = 17;
	assert_int_equal(kensa_profile_on_event(p, &ev), 0);
	ev.task = py;	/* not root: not listed */
	assert_int_equal(kensa_profile_on_event(p, &ev), 0);
	memset(&ev, 0, sizeof(ev));
	ev.kind = KENSA_SENSOR_SEEN;
	ev.task = node;
	ev.seen.how = KENSA_HOW_OPEN;
	ev.seen.dev = 42;
	ev.seen.ino = 3;
	ev.seen.last_ns = 5000000000ULL;
	assert_int_equal(kensa_profile_on_event(p, &ev), 0);

	kensa_profile_finish(p, NULL);
	doc = render(p);

	/* Debian, through the exec'd interpreter, a mapping and an open */
	pkg = find_pkg(doc, "pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12");
	assert_non_null(pkg);
	assert_int_equal(cJSON_GetArraySize(ks_json_arr(pkg, "files")), 2);
	assert_int_equal(cJSON_GetArraySize(ks_json_arr(pkg, "how")), 3);
	assert_string_equal(ks_json_str(pkg, "first_seen"), "1970-01-01T00:00:00.100Z");
	assert_string_equal(ks_json_str(pkg, "last_seen"), "1970-01-01T00:00:00.150Z");
	assert_string_equal(ks_json_arr(pkg, "containers")->child->valuestring, "ctr1");
	assert_string_equal(ks_json_arr(pkg, "images")->child->valuestring, IMG);
	/* npm */
	pkg = find_pkg(doc, "pkg:npm/lodash@4.17.15");
	assert_non_null(pkg);
	f = ks_json_arr(pkg, "files")->child;
	assert_string_equal(ks_json_str(f, "path"), "/app/node_modules/lodash/lodash.js");
	assert_string_equal(ks_json_str(f, "last_seen"),
			    "1970-01-01T00:00:05.000Z"); /* from SEEN */
	assert_string_equal(ks_json_str(ks_json_obj(f, "process"), "comm"), "node");
	/* the host's use of express is not this run's business */
	assert_null(find_pkg(doc, "pkg:npm/express@4.17.1"));
	/* bytecode → its source → both its Debian and its PyPI package */
	pkg = find_pkg(doc, "pkg:pypi/requests@2.28.1");
	assert_non_null(pkg);
	f = ks_json_arr(pkg, "files")->child;
	assert_string_equal(ks_json_str(f, "derived_from"),
			    "/usr/lib/python3/dist-packages/requests/__init__.py");
	assert_non_null(find_pkg(
		doc, "pkg:deb/debian/python3-requests@2.28.1%2Bdfsg-1?arch=all&distro=debian-12"));
	assert_int_equal(cJSON_GetArraySize(ks_json_arr(doc, "packages_in_use")), 4);
	/* the script itself belongs to no package */
	assert_int_equal(ks_json_num(ks_json_obj(doc, "unowned_files"), "count", -1), 1);
	/* exposure and privilege */
	f = ks_json_arr(doc, "listening")->child;
	assert_non_null(f);
	assert_string_equal(ks_json_str(f, "address"), "127.0.0.1");
	assert_int_equal(ks_json_num(f, "port", 0), 3000);
	assert_int_equal(ks_json_num(f, "accepted", 0), 1);
	assert_int_equal(cJSON_GetArraySize(ks_json_arr(doc, "root_processes")), 1);
	assert_string_equal(ks_json_str(ks_json_arr(doc, "root_processes")->child, "args"),
			    "node /app/app.js");
	assert_int_equal(cJSON_GetArraySize(ks_json_arr(doc, "containers")), 1);
	assert_string_equal(ks_json_str(doc, "started"), "1970-01-01T00:00:00.099Z");
	assert_true(ks_json_num(doc, "duration_s", 0) > 0.0505 &&
		    ks_json_num(doc, "duration_s", 0) < 0.0515);
	cJSON_Delete(doc);

	/* the store: one run, and in-use rows merged over runs */
	{
		char db[160];
		sqlite3 *s;
		sqlite3_stmt *st;

		snprintf(db, sizeof(db), "%s/store/profiles.db", dir);
		assert_int_equal(kensa_profile_store(p, db, NULL), 0);
		assert_int_equal(kensa_profile_store(p, db, NULL), 0);	/* same run: replaced */
		assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
		assert_int_equal(
			sqlite3_prepare_v2(
				s,
				"SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM in_use),"
				" (SELECT count(*) FROM listening)",
				-1, &st, NULL),
			SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 1);
		assert_int_equal(sqlite3_column_int(st, 1), 4);
		assert_int_equal(sqlite3_column_int(st, 2), 1);
		sqlite3_finalize(st);
		sqlite3_close(s);
		unlink(db);
		snprintf(db, sizeof(db), "%s/store", dir);
		rmdir(db);
	}
	kensa_profile_free(p);
}

static void test_lru(void **state)
{
	struct kensa_profile *p = new_profile(3, false);
	struct kensa_task t = task(20, "loop", 5, 400, 0);
	struct kensa_profile_summary sum;
	char path[64];
	cJSON *doc;

	(void)state;
	container(p, 5, 400, "ctr1", false);
	file(p, t, 10, KENSA_HOW_MMAP, "/usr/lib/x86_64-linux-gnu/libc.so.6", 1);
	for (int i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), "/tmp/f%d", i);
		file(p, t, 11 + (uint64_t)i, KENSA_HOW_OPEN, path, 100 + (uint64_t)i);
	}
	kensa_profile_finish(p, NULL);
	kensa_profile_summary(p, &sum);
	assert_int_equal(sum.files, 3);
	assert_int_equal(sum.files_evicted, 998);
	assert_int_equal(sum.packages_in_use, 1);	/* libc6's file was evicted, not its use */
	doc = render(p);
	assert_int_equal(ks_json_num(doc, "files_evicted", 0), 998);
	assert_non_null(find_pkg(
		doc, "pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12"));
	assert_int_equal(ks_json_num(ks_json_obj(doc, "unowned_files"), "count", 0), 3);
	cJSON_Delete(doc);
	kensa_profile_free(p);
}

static void test_unattributed(void **state)
{
	struct kensa_profile *p = new_profile(0, false);
	struct kensa_task t = task(30, "x", 9, 999, 0);
	cJSON *doc;

	(void)state;
	/* events of a pair no CONTAINER event named still count, in one "unattributed" bucket */
	file(p, t, 10, KENSA_HOW_OPEN, "/app/node_modules/express/index.js", 1);
	kensa_profile_finish(p, NULL);
	doc = render(p);
	assert_non_null(find_pkg(doc, "pkg:npm/express@4.17.1"));
	assert_string_equal(ks_json_str(ks_json_arr(doc, "containers")->child, "id"),
			    "unattributed");
	cJSON_Delete(doc);
	kensa_profile_free(p);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(sbom, sizeof(sbom), "%s/inv.json", dir);
	return ks_file_write_atomic(sbom, sbom_json, sizeof(sbom_json) - 1, NULL);
}

static int teardown(void **state)
{
	(void)state;
	unlink(sbom);
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_use),
		cmocka_unit_test(test_lru),
		cmocka_unit_test(test_unattributed),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
