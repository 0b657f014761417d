/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lang.h — what the language package analyzers share (internal): the parser → analyzer
 * callback (a "sink"), the parsers themselves, lexical path joining for metadata that lists
 * files relative to itself, owning every file under a package directory, telling a
 * project's lock file from one that ships inside an installed package, and a thin reader
 * over libyaml's document API.
 *
 * Parsers of untrusted documents (lock files, package metadata) take bytes and a sink, never
 * the tree or the inventory, so each one can be fuzzed alone (fuzz/<parser>.c). They never
 * fail on bad input: a broken document or record is reported through sink->warn (the
 * analyzer prefixes the file name) and skipped. They return 0, or a negative KENSA_E* only
 * when the sink failed (out of memory).
 *
 * What it is not: an analyzer. The analyzers are python.c, npm.c, ruby.c, php.c, dotnet.c.
 */
#ifndef KS_PKGDB_LANG_H
#define KS_PKGDB_LANG_H

#include <yaml.h>

#include "pkgdb.h"
#include "util/json.h"

/* ---------------------------------------------------------------- parser → analyzer */

/* One package a document declares. Every pointer is borrowed until the callback returns. */
struct ks_lang_pkg {
	const char *name;		/* NUL-terminated, non-empty */
	const char *version;		/* NUL-terminated, non-empty */
	const char *license;		/* or NULL */
	/* where the document says it is installed ("node_modules/a", install-path), or NULL */
	const char *path;
	/* files it lists (deps.json assets), relative to the document's directory unless absolute */
	const char *const *files;
	size_t nfiles;
	bool dev;			/* the document says: development only */
	const char *prop_key;		/* one extra fact to record, or NULL */
	const char *prop_value;
};

struct ks_lang_sink {
	void *ud;
	/* A package; returns 0 or a negative KENSA_E* (which stops the parse). */
	int (*pkg)(void *ud, const struct ks_lang_pkg *p);
	/* A bad document or record, skipped; msg says which and why (no file name). */
	void (*warn)(void *ud, const char *msg);
};

void ks_lang_warn(const struct ks_lang_sink *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Parse a JSON document; on failure warn through s ("malformed JSON at byte 12"), return NULL. */
cJSON *ks_lang_json_parse(const char *data, size_t len, const struct ks_lang_sink *s);

/* Largest document any language parser accepts (lock files of monorepos run to tens of MB). */
#define KS_LANG_MAX_DOC ((uint64_t)64 << 20)
/* Packages one document may declare before the rest is ignored (with a warning). */
#define KS_LANG_MAX_PKGS 200000

/* ---------------------------------------------------------------- the parsers */

/* PyPI core metadata (METADATA, PKG-INFO): RFC 822 headers up to the first blank line. */
struct ks_pymeta {
	const char *name, *version, *license;	/* in the arena; NULL when absent */
};
int ks_pymeta_parse(struct ks_arena *a, const char *data, size_t len, struct ks_pymeta *out);
/*
 * A dist-info RECORD (CSV: path,hash,size; the path quoted when it holds a comma). Calls
 * fn once per path (not NUL-terminated: p, n) until it returns non-zero, which is returned.
 */
int ks_pyrecord_each(const char *data, size_t len, int (*fn)(void *ud, const char *p, size_t n),
		     void *ud);

/* npm: one package.json (name, version, license); emits nothing for documents without both. */
int ks_npm_package_json_parse(const char *data, size_t len, const struct ks_lang_sink *s);
/* npm: package-lock.json / npm-shrinkwrap.json, lockfileVersion 1 (dependencies tree), 2 and 3. */
int ks_npm_lock_parse(const char *data, size_t len, const struct ks_lang_sink *s);
/* yarn.lock: v1 ("# yarn lockfile v1") and berry (YAML with __metadata). */
int ks_yarn_lock_parse(const char *data, size_t len, const struct ks_lang_sink *s);
/* pnpm-lock.yaml: lockfileVersion 5.x, 6.x and 9.x key formats. */
int ks_pnpm_lock_parse(const char *data, size_t len, const struct ks_lang_sink *s);

/* RubyGems: a specification file (Ruby source as `gem` writes it). */
struct ks_gemspec {
	const char *name, *version, *license;	/* in the arena; NULL when absent */
};
int ks_gemspec_parse(struct ks_arena *a, const char *data, size_t len, struct ks_gemspec *out);
/* Bundler's Gemfile.lock: the specs of its GEM and GIT sections. */
int ks_gemfile_lock_parse(const char *data, size_t len, const struct ks_lang_sink *s);

/*
 * Composer: vendor/composer/installed.json (installed = true: composer 1 array or composer 2
 * {"packages": [...]}) or composer.lock (packages, and packages-dev flagged dev).
 */
int ks_composer_parse(const char *data, size_t len, bool installed, const struct ks_lang_sink *s);

/* .NET: <app>.deps.json, libraries of type "package" with their runtime assets as files. */
int ks_deps_json_parse(const char *data, size_t len, const struct ks_lang_sink *s);

/* ---------------------------------------------------------------- analyzer helpers */

/*
 * Join `base` (an absolute directory) and `rel` lexically, as pip and npm do: "." and empty
 * components vanish, ".." removes one component (stopping at "/"); an absolute rel starts
 * from "/". Writes a clean absolute path to out (KS_MAX_PATH bytes) and returns its length,
 * or 0 when the result would not fit or rel holds a NUL.
 */
size_t ks_lang_path_join(const char *base, const char *rel, size_t rlen, char *out);

/*
 * Record that p owns every file under directory `dir` (no trailing '/'). With
 * skip_node_modules, a node_modules directory directly inside `dir` is left out (the
 * packages in it are packages of their own).
 */
int ks_lang_own_dir(struct ks_actx *x, struct kensa_package *p, const char *dir,
		    bool skip_node_modules);

/*
 * Is this lock file part of an installed package rather than of a project? True inside
 * node_modules/, vendor/, Python site-/dist-packages, and an installed gem's directory
 * (<root>/gems/<gem>/... next to <root>/specifications/): those list the package's own
 * development dependencies, which were never installed here.
 */
bool ks_lang_vendored(const struct ks_tree *t, const char *path);

/* The sink analyzers use: packages from node `from`, with `flags` and `ecosystem`. */
struct ks_lang_emit {
	struct ks_actx *x;
	const struct ks_node *from;
	const char *ecosystem;
	uint32_t flags;
	/* Optional: called with each new package (to own files); 0 or KENSA_E*. */
	int (*owned)(struct ks_lang_emit *e, struct kensa_package *p, const struct ks_lang_pkg *lp);
	size_t count;		/* packages seen, for the per-document cap */
};
int ks_lang_emit_pkg(void *ud, const struct ks_lang_pkg *lp);
void ks_lang_emit_warn(void *ud, const char *msg);
#define KS_LANG_SINK(e) { (e), ks_lang_emit_pkg, ks_lang_emit_warn }

/* ---------------------------------------------------------------- YAML (libyaml documents) */

struct ks_yaml {
	yaml_parser_t parser;
	yaml_document_t doc;
	bool parser_open, doc_open;
};

/*
 * Start reading `data` (borrowed until ks_yaml_release) and load its first document. Returns
 * 1 when a document was loaded, 0 at the end of the stream, or KENSA_EFORMAT with a
 * message ("line 3: did not find expected key") in err.
 */
int ks_yaml_open(struct ks_yaml *y, const char *data, size_t len, char *err, size_t errsz);
/* The next document of the stream; same returns as ks_yaml_open. */
int ks_yaml_next(struct ks_yaml *y, char *err, size_t errsz);
void ks_yaml_release(struct ks_yaml *y);
yaml_node_t *ks_yaml_root(struct ks_yaml *y);
/* Value of `key` in mapping `map`, or NULL (also when map is not a mapping). */
yaml_node_t *ks_yaml_get(struct ks_yaml *y, const yaml_node_t *map, const char *key);
/* A scalar's text (NUL-terminated), or NULL for other nodes and NULL. */
const char *ks_yaml_str(const yaml_node_t *n);
yaml_node_t *ks_yaml_node(struct ks_yaml *y, int id);
#define KS_YAML_IS_MAP(n) ((n) && (n)->type == YAML_MAPPING_NODE)

#endif
