// SPDX-License-Identifier: Apache-2.0
/*
 * derived.c — files a runtime loads that no package lists, but that stand for one that does.
 *
 * CPython imports a module from its bytecode cache (D/__pycache__/M.cpython-311.pyc, or the
 * legacy D/M.pyc) and only stat()s the source D/M.py; package managers list the source and
 * generate the cache at install time (Debian's py3compile, pip's compileall), so the cache
 * file has no owner. Loading it means the package owning the source is in use. Each rule
 * names the file a loaded one was derived from; one table, one function per rule.
 *
 * What it is not: a resolver of symlinks or aliases (the paths are already canonical).
 */
#include "profile.h"

struct derived_rule {
	const char *name;
	bool (*source)(const char *path, size_t len, char *out, size_t size, size_t *out_len);
};

/* D/__pycache__/M.TAG[.opt-N].pyc → D/M.py;  D/M.pyc → D/M.py */
static bool python_bytecode(const char *path, size_t len, char *out, size_t size, size_t *out_len)
{
	static const char cache[] = "/__pycache__/";
	const char *base, *dot;
	size_t dirlen, mlen;

	if (!ks_mem_endswith(path, len, ".pyc"))
		return false;
	base = path + ks_path_dirlen(path, len);
	if (*base == '/')
		base++;
	dirlen = (size_t)(base - path);	/* with the trailing '/' */
	dot = memchr(base, '.', (size_t)(path + len - base));
	mlen = (size_t)(dot - base);
	if (!mlen)
		return false;
	if (dirlen >= sizeof(cache) - 1 &&
	    memcmp(base - (sizeof(cache) - 1), cache, sizeof(cache) - 1) == 0)
		dirlen -= sizeof(cache) - 2;	/* drop "__pycache__/" */
	else if ((size_t)(path + len - dot) != 4)
		return false;	/* a legacy .pyc sits beside its source: M.pyc only */
	if (dirlen + mlen + 4 > size)
		return false;
	memcpy(out, path, dirlen);
	memcpy(out + dirlen, base, mlen);
	memcpy(out + dirlen + mlen, ".py", 4);
	*out_len = dirlen + mlen + 3;
	return true;
}

static const struct derived_rule rules[] = {
	{ "python-bytecode", python_bytecode },
};

bool ks_derived_source(const char *path, size_t len, char *out, size_t size, size_t *out_len)
{
	for (size_t i = 0; i < KS_ARRAY_SIZE(rules); i++)
		if (rules[i].source(path, len, out, size, out_len))
			return true;
	return false;
}
