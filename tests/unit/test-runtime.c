// SPDX-License-Identifier: Apache-2.0
/*
 * test-runtime.c — the runtime side's parsers: /proc/PID/maps, stat, status, cgroup paths and
 * container naming patterns, /proc/net tables, containers/storage state, and the rule that
 * maps Python bytecode to its source. Inputs are lines as the kernel and runtimes write them
 * (copied from this project's CI host and podman), plus the hostile variants.
 */
#include <sys/socket.h>

#include "unit.h"

#include "runtime/profile.h"
#include "runtime/runtime.h"

static void test_maps_lines(void **state)
{
	struct ks_maps_entry e;
	const char *l;

	(void)state;
	l = "7f3a1c000000-7f3a1c028000 r-xp 00002000 00:28 1262790                    "
	    "/usr/lib/x86_64-linux-gnu/libc.so.6\n";
	assert_int_equal(ks_proc_maps_line(l, strlen(l), &e), 0);
	assert_int_equal(e.start, 0x7f3a1c000000ULL);
	assert_int_equal(e.end, 0x7f3a1c028000ULL);
	assert_int_equal(e.offset, 0x2000);
	assert_string_equal(e.perms, "r-xp");
	assert_int_equal(e.dev_major, 0);
	assert_int_equal(e.dev_minor, 0x28);
	assert_int_equal(e.inode, 1262790);
	assert_int_equal(e.path_len, strlen("/usr/lib/x86_64-linux-gnu/libc.so.6"));
	assert_memory_equal(e.path, "/usr/lib/x86_64-linux-gnu/libc.so.6", e.path_len);
	assert_false(e.deleted);

	/* spaces in the name, a deleted file */
	l = "558f53b46000-558f53b4b000 r-xp 00000000 fe:00 42 /opt/my app/lib x.so (deleted)";
	assert_int_equal(ks_proc_maps_line(l, strlen(l), &e), 0);
	assert_true(e.deleted);
	assert_int_equal(e.path_len, strlen("/opt/my app/lib x.so"));
	assert_memory_equal(e.path, "/opt/my app/lib x.so", e.path_len);

	/* anonymous and pseudo mappings */
	l = "7ffc1a3d5000-7ffc1a3f6000 rw-p 00000000 00:00 0                          [stack]";
	assert_int_equal(ks_proc_maps_line(l, strlen(l), &e), 0);
	assert_int_equal(e.inode, 0);
	assert_memory_equal(e.path, "[stack]", 7);
	l = "7f3a1c000000-7f3a1c028000 rw-p 00000000 00:00 0";
	assert_int_equal(ks_proc_maps_line(l, strlen(l), &e), 0);
	assert_int_equal(e.path_len, 0);

	/* malformed: each is refused, none read past its length */
	{
		static const char *const bad[] = {
			"",
			"-",
			"zz-10 r-xp 0 00:00 0",
			"10-20 r-xq 0 00:00 0 /x",
			"20-10 r-xp 0 00:00 0 /x",
			"10-20 r-xp 0 0000 0 /x",
			"10-20 r-xp 0 00:00 /x",
			"10-20 r-xp 0 1000:00 0 /x",
			"ffffffffffffffffff-20 r-xp 0 00:00 0",
			"10-20 r-x",
			"10-20 r-xp 0 00:00 12x /y",
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			assert_int_equal(ks_proc_maps_line(bad[i], strlen(bad[i]), &e),
					 KENSA_EFORMAT);
	}
}

static void test_unescape(void **state)
{
	char s[64] = "/tmp/a\\012b\\040c\\\\d\\9";
	size_t n;

	(void)state;
	n = ks_proc_unescape(s, strlen(s));
	assert_int_equal(n, strlen("/tmp/a\nb c\\\\d\\9"));
	assert_memory_equal(s, "/tmp/a\nb c\\\\d\\9", n);
	{
		char t[8] = "ab\\01";	/* a cut escape stays as it is */

		n = ks_proc_unescape(t, strlen(t));
		assert_int_equal(n, 5);
	}
}

static void test_stat(void **state)
{
	struct ks_proc_stat st;
	const char *l =
		"14035 (sleep) S 14025 14035 14035 0 -1 4194560 120 0 0 0 0 0 0 0 20 0 1 0 327312 "
		"2248704 236 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
	const char *evil = "77 (a) (b c) ) R 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99 0 0";

	(void)state;
	assert_int_equal(ks_proc_stat_parse(l, strlen(l), &st), 0);
	assert_int_equal(st.pid, 14035);
	assert_int_equal(st.ppid, 14025);
	assert_string_equal(st.comm, "sleep");
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.starttime, 327312);
	/* comm may hold ") (" and spaces: the last ')' ends it */
	assert_int_equal(ks_proc_stat_parse(evil, strlen(evil), &st), 0);
	assert_string_equal(st.comm, "a) (b c) ");
	assert_int_equal(st.ppid, 1);
	assert_int_equal(st.starttime, 99);
	assert_int_equal(ks_proc_stat_parse("12 (x) R 1", 10, &st), KENSA_EFORMAT);
	assert_int_equal(ks_proc_stat_parse("12 x R 1", 8, &st), KENSA_EFORMAT);
	assert_int_equal(ks_proc_stat_parse("(x)", 3, &st), KENSA_EFORMAT);
}

static void test_status(void **state)
{
	const char *s =
		"Name:\tsleep\nUmask:\t0022\nState:\tS "
		"(sleeping)\nUid:\t1000\t0\t0\t0\nGid:\t0\t0\t0\t0\n";
	uint32_t uid = 9, euid = 9;

	(void)state;
	assert_int_equal(ks_proc_status_uids(s, strlen(s), &uid, &euid), 0);
	assert_int_equal(uid, 1000);
	assert_int_equal(euid, 0);
	assert_int_equal(ks_proc_status_uids("Name:\tx\n", 8, &uid, &euid), KENSA_ENOTFOUND);
	assert_int_equal(ks_proc_status_uids("Uid:\tx\n", 7, &uid, &euid), KENSA_EFORMAT);
}

#define ID "83e10bd33b906b6fd10e2652cc3d091d32897ae16418f62e9556f89fc4c6708d"

static void expect_container(const char *path, const char *runtime)
{
	struct ks_container_ref ref;

	if (!runtime) {
		assert_false(ks_cgroup_container(path, strlen(path), &ref));
		return;
	}
	assert_true(ks_cgroup_container(path, strlen(path), &ref));
	assert_string_equal(ref.runtime, runtime);
	assert_string_equal(ref.id, ID);
}

static void test_cgroup_patterns(void **state)
{
	(void)state;
	expect_container("/libpod_parent/libpod-" ID, "podman"); /* cgroupfs manager */
	expect_container("/machine.slice/libpod-" ID ".scope", "podman"); /* systemd */
	expect_container("/machine.slice/libpod-" ID ".scope/container",
			 "podman"); /* --cgroups=split */
	expect_container("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID
			 ".scope",
			 "podman"); /* rootless */
	/* the monitor */
	expect_container("/machine.slice/libpod-conmon-" ID ".scope", NULL);
	expect_container("/kubepods.slice/kubepods-burstable.slice/cri-containerd-" ID ".scope",
			 "containerd");
	expect_container("/kubepods.slice/kubepods-pod1.slice/crio-" ID ".scope", "cri-o");
	expect_container("/kubepods.slice/kubepods-pod1.slice/crio-conmon-" ID ".scope", NULL);
	expect_container("/system.slice/docker-" ID ".scope", "docker");
	expect_container("/docker/" ID, "docker");
	expect_container("/kubepods/burstable/pod0b5c1d6e/" ID, "cri");
	expect_container("/", NULL);
	expect_container("/user.slice/user-0.slice/session-3.scope", NULL);
	expect_container("/libpod_parent/libpod-" ID "0", NULL);			/* 65 hex */
	/* not lowercase */
	expect_container("/libpod_parent/libpod-83E10BD33B906B6FD10E2652"
			 "CC3D091D32897AE16418F62E9556F89FC4C6708D", NULL);
}

static void test_cgroup_file(void **state)
{
	const char *hybrid =
		"9:name=systemd:/libpod_parent/libpod-" ID "\n4:memory:/libpod_parent/libpod-" ID
		"\n0::/libpod_parent/libpod-" ID "\n";
	const char *v1 = "4:memory:/process_api/b50139c4\n3:pids:/docker/" ID "\n1:cpu:/\n";
	const char *path;
	size_t n;

	(void)state;
	assert_int_equal(ks_cgroup_file_path(hybrid, strlen(hybrid), &path, &n), 0);
	assert_true(n > 3 && path[-1] == ':' && path[-2] == ':' && path[-3] == '0');
	assert_int_equal(ks_cgroup_file_path(v1, strlen(v1), &path, &n), 0);
	assert_memory_equal(path, "/docker/" ID, n);	/* the line that names a container wins */
	assert_int_equal(ks_cgroup_file_path("0::/\n", 5, &path, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ks_cgroup_file_path("garbage\n", 8, &path, &n), KENSA_EFORMAT);
	assert_int_equal(ks_cgroup_file_path("", 0, &path, &n), KENSA_ENOTFOUND);
}

static void test_net_lines(void **state)
{
	struct ks_net_line n;
	const char *v4 =
		"   0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0 "
		"       0 "
		"123456 1 0000000000000000 100 0 0 10 0";
	const char *v6 =
		"   1: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 "
		"0A "
		"00000000:00000000 00:00000000 00000000  1000        0 654321 1 0000000000000000 "
		"100 0 0 10 0";
	const char *hdr =
		"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid "
		" timeout inode";

	(void)state;
	assert_int_equal(ks_proc_net_line(v4, strlen(v4), AF_INET, &n), 0);
	assert_int_equal(n.lport, 3000);
	assert_int_equal(n.state, 0x0A);
	assert_int_equal(n.inode, 123456);
	assert_int_equal(n.laddr[0], 127);
	assert_int_equal(n.laddr[3], 1);
	assert_int_equal(ks_proc_net_line(v6, strlen(v6), AF_INET6, &n), 0);
	assert_int_equal(n.lport, 8080);
	assert_int_equal(n.laddr[15], 1);	/* ::1 */
	assert_int_equal(n.inode, 654321);
	assert_int_equal(ks_proc_net_line(hdr, strlen(hdr), AF_INET, &n), KENSA_EFORMAT);
	assert_int_equal(ks_proc_net_line(v4, 20, AF_INET, &n), KENSA_EFORMAT);
	assert_int_equal(ks_proc_net_line(v6, strlen(v6), AF_INET, &n), KENSA_EFORMAT);
}

static void test_storage_containers(void **state)
{
	const char *json =
		"[{\"id\":\"" ID
		"\",\"names\":[\"ks-probe\"],\"image\":\"c9abbb12\",\"layer\":\"31de73\","
		"\"metadata\":\"{\\\"image-name\\\":\\\"localhost/kensa-test/app-multi:1\\\"}\"},"
		"{\"id\":\"other\"}]";
	struct ks_arena a = KS_ARENA_INIT;
	struct ks_container_meta m;

	(void)state;
	memset(&m, 0, sizeof(m));
	assert_true(ks_storage_containers_find(&a, json, strlen(json), ID, &m));
	assert_string_equal(m.name, "ks-probe");
	assert_string_equal(m.image_id, "sha256:c9abbb12");
	assert_string_equal(m.image_name, "localhost/kensa-test/app-multi:1");
	assert_string_equal(m.layer, "31de73");
	memset(&m, 0, sizeof(m));
	assert_false(ks_storage_containers_find(&a, json, strlen(json), "nope", &m));
	assert_false(ks_storage_containers_find(&a, "{", 1, ID, &m));
	assert_false(ks_storage_containers_find(&a, "{\"id\":1}", 8, ID, &m));
	ks_arena_release(&a);
}

static void expect_source(const char *pyc, const char *src)
{
	char out[256];
	size_t n = 0;

	if (!src) {
		assert_false(ks_derived_source(pyc, strlen(pyc), out, sizeof(out), &n));
		return;
	}
	assert_true(ks_derived_source(pyc, strlen(pyc), out, sizeof(out), &n));
	assert_string_equal(out, src);
	assert_int_equal(n, strlen(src));
}

static void test_derived(void **state)
{
	(void)state;
	expect_source("/usr/lib/python3/dist-packages/requests/__pycache__/api.cpython-311.pyc",
		      "/usr/lib/python3/dist-packages/requests/api.py");
	expect_source("/usr/lib/python3.11/__pycache__/os.cpython-311.opt-1.pyc",
		      "/usr/lib/python3.11/os.py");
	expect_source("/opt/legacy/mod.pyc", "/opt/legacy/mod.py");
	/* a tagged cache outside __pycache__ */
	expect_source("/opt/legacy/mod.cpython-311.pyc", NULL);
	expect_source("/__pycache__/.pyc", NULL);
	expect_source("/usr/lib/python3/x.py", NULL);
	expect_source("pyc", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_maps_lines),
		cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_stat),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_cgroup_patterns),
		cmocka_unit_test(test_cgroup_file),
		cmocka_unit_test(test_net_lines),
		cmocka_unit_test(test_storage_containers),
		cmocka_unit_test(test_derived),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
