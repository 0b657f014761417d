// SPDX-License-Identifier: Apache-2.0
/*
 * test-tree.c — the layered file tree: whiteouts, opaque directories, a directory replaced by
 * a file in an upper layer, duplicates in one layer, and symlink resolution inside the tree
 * (chroot semantics, loops).
 */
#include "unit.h"

#include "source/source.h"

static struct ks_node *add(struct ks_tree *t, struct ks_layer_rec *l, const char *name, int kind, const char *link)
{
	struct ks_node *n = ks_layer_add_entry(t, l);

	assert_non_null(n);
	assert_true(ks_node_set_path(t, n, name, "test"));
	if (n->kind != KS_WHITEOUT && n->kind != KS_OPAQUE)
		n->kind = (uint8_t)kind;
	n->link = link;
	return n;
}

static bool visible(struct ks_tree *t, const char *path)
{
	return ks_tree_get(t, path, strlen(path)) != NULL;
}

static void test_whiteouts(void **state)
{
	struct ks_tree t;
	struct ks_layer_rec *l0, *l1, *l2;

	(void)state;
	ks_tree_init(&t, "test");
	l0 = ks_tree_add_layer(&t, "l0");
	add(&t, l0, "etc", KS_DIR, NULL);
	add(&t, l0, "etc/passwd", KS_REG, NULL);
	add(&t, l0, "etc/group", KS_REG, NULL);
	add(&t, l0, "opt/a/x", KS_REG, NULL);
	add(&t, l0, "opt/a/y", KS_REG, NULL);
	add(&t, l0, "srv/d/file", KS_REG, NULL);
	add(&t, l0, "dup", KS_REG, NULL)->size = 1;
	l1 = ks_tree_add_layer(&t, "l1");
	add(&t, l1, "etc/.wh.passwd", 0, NULL);
	add(&t, l1, "opt/a/.wh..wh..opq", 0, NULL);
	add(&t, l1, "opt/a/z", KS_REG, NULL);	/* same layer as the opaque marker: stays */
	add(&t, l1, "srv/d", KS_REG, NULL);	/* a directory replaced by a file */
	add(&t, l1, "dup", KS_REG, NULL)->size = 2;
	add(&t, l1, "dup", KS_REG, NULL)->size = 3;	/* later duplicate in one layer wins */
	l2 = ks_tree_add_layer(&t, "l2");
	add(&t, l2, "etc/passwd", KS_REG, NULL);	/* re-created above the whiteout */
	add(&t, l2, ".wh.opt", 0, NULL);
	assert_int_equal(ks_tree_merge(&t, NULL), 0);

	assert_true(visible(&t, "/etc/passwd"));
	assert_int_equal(ks_tree_get(&t, "/etc/passwd", 11)->layer, 2);
	assert_true(visible(&t, "/etc/group"));
	assert_false(visible(&t, "/opt/a/x"));
	assert_false(visible(&t, "/opt/a/z"));	/* whole /opt whited out by l2 */
	assert_true(visible(&t, "/srv/d"));
	assert_false(visible(&t, "/srv/d/file"));
	assert_int_equal(ks_tree_get(&t, "/dup", 4)->size, 3);
	ks_tree_release(&t);

	/* opaque without the later whiteout */
	ks_tree_init(&t, "test");
	l0 = ks_tree_add_layer(&t, "l0");
	add(&t, l0, "opt/a/x", KS_REG, NULL);
	add(&t, l0, "opt/b", KS_REG, NULL);
	l1 = ks_tree_add_layer(&t, "l1");
	add(&t, l1, "opt/a/.wh..wh..opq", 0, NULL);
	add(&t, l1, "opt/a/z", KS_REG, NULL);
	assert_int_equal(ks_tree_merge(&t, NULL), 0);
	assert_false(visible(&t, "/opt/a/x"));
	assert_true(visible(&t, "/opt/a/z"));
	assert_true(visible(&t, "/opt/b"));
	ks_tree_release(&t);
}

static void test_resolve(void **state)
{
	struct ks_tree t;
	struct ks_layer_rec *l;
	char out[KS_MAX_PATH];
	size_t n;

	(void)state;
	ks_tree_init(&t, "test");
	l = ks_tree_add_layer(&t, "l0");
	add(&t, l, "lib", KS_SYMLINK, "usr/lib");
	add(&t, l, "usr/lib/libc.so.6", KS_REG, NULL);
	add(&t, l, "usr/lib/libz.so.1", KS_SYMLINK, "libz.so.1.2.13");
	add(&t, l, "usr/lib/libz.so.1.2.13", KS_REG, NULL);
	add(&t, l, "etc/os-release", KS_SYMLINK, "../usr/lib/os-release");
	add(&t, l, "usr/lib/os-release", KS_REG, NULL);
	add(&t, l, "escape", KS_SYMLINK, "../../../../etc/shadow");
	add(&t, l, "abs", KS_SYMLINK, "/usr/lib");
	add(&t, l, "loop/a", KS_SYMLINK, "b");
	add(&t, l, "loop/b", KS_SYMLINK, "a");
	assert_int_equal(ks_tree_merge(&t, NULL), 0);

	assert_non_null(ks_tree_resolve(&t, "/lib/libc.so.6", false, out, &n));
	assert_string_equal(out, "/usr/lib/libc.so.6");
	assert_non_null(ks_tree_resolve(&t, "/lib/libz.so.1", false, out, &n));
	assert_string_equal(out, "/usr/lib/libz.so.1");
	assert_non_null(ks_tree_resolve(&t, "/lib/libz.so.1", true, out, &n));
	assert_string_equal(out, "/usr/lib/libz.so.1.2.13");
	assert_non_null(ks_tree_resolve(&t, "/etc/os-release", true, out, &n));
	assert_string_equal(out, "/usr/lib/os-release");
	/* ".." stops at the root: the image's /etc/shadow (absent), never the host's */
	assert_null(ks_tree_resolve(&t, "/escape", true, out, &n));
	assert_string_equal(out, "/etc/shadow");
	assert_non_null(ks_tree_resolve(&t, "/abs/libc.so.6", false, out, &n));
	assert_string_equal(out, "/usr/lib/libc.so.6");
	assert_null(ks_tree_resolve(&t, "/loop/a", true, out, &n));
	ks_tree_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whiteouts),
		cmocka_unit_test(test_resolve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
