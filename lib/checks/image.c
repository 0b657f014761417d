// SPDX-License-Identifier: Apache-2.0
/*
 * image.c — checks on how an image is built, reported beside the vulnerabilities: runs as
 * root, secrets (in layer files, ENV, labels, history), no HEALTHCHECK, a "latest" or
 * missing tag, sensitive exposed ports, setuid/setgid files added by application layers,
 * package-manager caches left in layers, missing required labels. Each check has a
 * severity and a concrete fix.
 *
 * Base image vs application layers: without the base image's manifest, the base is taken
 * to end with the last layer whose history command adds a root file system ("ADD file:… in
 * /"), the way docker/podman record a base image built from a rootfs tarball. Documented in
 * docs/scan.md; everything after it counts as the application's.
 */
#include <strings.h>

#include "risk/report.h"
#include "sbom/inv.h"

struct kensa_check *ks_report_add_check(struct kensa_report *r)
{
	struct kensa_check *c;

	if (KS_GROW(r->checks, r->capchecks, r->nchecks + 1))
		return NULL;
	c = &r->checks[r->nchecks++];
	memset(c, 0, sizeof(*c));
	c->layer = -1;
	return c;
}

#define ADD(...)                                              \
	do {                                                  \
		struct kensa_check *c_ = ks_report_add_check(r); \
		if (!c_)                                      \
			return KENSA_ENOMEM;                  \
		*c_ = (struct kensa_check){ __VA_ARGS__ };    \
	} while (0)

int32_t ks_checks_base_layers(const struct kensa_inventory *inv)
{
	size_t nl;
	const struct kensa_layer *l = kensa_inventory_layers(inv, &nl);
	int32_t base = nl ? 1 : 0;

	for (size_t i = 0; i < nl; i++) {
		const char *cb = l[i].created_by;

		if (cb && strstr(cb, "ADD file:") && (strstr(cb, " in / ") || ks_str_endswith(cb, " in /") ||
						     ks_str_endswith(cb, " in / ")))
			base = (int32_t)i + 1;
	}
	return base;
}

static const struct {
	unsigned port;
	const char *service;
	const char *severity;
} risky_ports[] = {
	{ 22, "SSH", "HIGH" }, { 23, "telnet", "HIGH" }, { 21, "FTP", "MEDIUM" }, { 3389, "RDP", "HIGH" },
	{ 5900, "VNC", "HIGH" }, { 2375, "the Docker API without TLS", "CRITICAL" }, { 2376, "the Docker API", "HIGH" },
	{ 6379, "Redis", "MEDIUM" }, { 27017, "MongoDB", "MEDIUM" }, { 11211, "memcached", "MEDIUM" },
};

static const struct {
	const char *prefix;
	const char *what;
	const char *fix;
} caches[] = {
	{ "/var/cache/apt/archives/", "apt package archives (.deb)",
	  "run `apt-get clean` (or `rm -rf /var/cache/apt/archives/*.deb`) in the same RUN as apt-get install" },
	{ "/var/lib/apt/lists/", "apt package lists",
	  "end the RUN that installs with `&& rm -rf /var/lib/apt/lists/*`" },
	{ "/root/.npm/_cacache/", "the npm cache", "use `npm ci --cache /tmp/npm && rm -rf /tmp/npm`, or `npm cache clean --force`, in the same RUN" },
	{ "/root/.cache/pip/", "the pip cache", "use `pip install --no-cache-dir`" },
	{ "/var/cache/apk/", "the apk cache", "use `apk add --no-cache`" },
	{ "/var/cache/yum/", "the yum cache", "run `yum clean all` in the same RUN" },
	{ "/var/cache/dnf/", "the dnf cache", "run `dnf clean all` in the same RUN" },
	{ "/usr/local/share/.cache/yarn/", "the yarn cache", "run `yarn cache clean` in the same RUN" },
	{ "/root/.cache/go-build/", "the Go build cache", "build in a separate stage, or `go clean -cache`" },
};

static int secret_checks(struct kensa_report *r)
{
	size_t ns;
	const struct kensa_secret *s = kensa_inventory_secrets(r->inv, &ns);

	for (size_t i = 0; i < ns; i++) {
		const char *where = ks_report_layer_words(r, s[i].layer);
		const char *detail;

		if (strcmp(s[i].where, "file") == 0)
			detail = ks_arena_printf(&r->arena, "%s %s in %s line %u, %s%s", s[i].title, s[i].redacted, s[i].path,
						 s[i].line, where ? where : "a layer",
						 s[i].deleted ? " (removed later, but the layer still holds it)" : "");
		else
			detail = ks_arena_printf(&r->arena, "%s %s in the image's %s (%s)", s[i].title, s[i].redacted,
						 s[i].where, s[i].path);
		ADD(.id = "secret", .title = s[i].title, .severity = s[i].severity, .detail = detail,
		    .fix = "remove it from the image and from every layer (a later deletion does not remove it from "
			   "its layer), rotate the credential, and pass secrets at runtime (a secret mount or the "
			   "environment of the container)",
		    .path = s[i].path, .layer = s[i].layer);
	}
	return 0;
}

static int layer_checks(struct kensa_report *r)
{
	const struct ks_tree *t = r->inv->tree;
	uint64_t cache_bytes[KS_ARRAY_SIZE(caches)];

	if (!t)
		return 0;
	for (size_t li = 0; li < t->nlayers; li++) {
		const struct ks_layer_rec *l = &t->layers[li];
		size_t nsetuid = 0;
		const char *first_setuid = NULL;

		memset(cache_bytes, 0, sizeof(cache_bytes));
		for (size_t k = 0; k < l->nentries; k++) {
			const struct ks_node *n = &l->entries[k];

			if (n->kind != KS_REG)
				continue;
			if ((n->mode & 06000) && (int32_t)li >= r->base_layers) {
				if (!nsetuid++)
					first_setuid = n->path;
			}
			for (size_t c = 0; c < KS_ARRAY_SIZE(caches); c++) {
				if (strncmp(n->path, caches[c].prefix, strlen(caches[c].prefix)) != 0)
					continue;
				/* lock files and empty partial dirs are what apt leaves on purpose */
				if (ks_str_endswith(n->path, "/lock") || n->size == 0)
					continue;
				cache_bytes[c] += n->size;
			}
		}
		if (nsetuid)
			ADD(.id = "setuid", .title = "setuid/setgid file added by an application layer", .severity = "MEDIUM",
			    .detail = ks_arena_printf(&r->arena, "%zu setuid/setgid file%s in %s, e.g. %s", nsetuid,
						      nsetuid > 1 ? "s" : "", ks_report_layer_words(r, (int32_t)li),
						      first_setuid),
			    .fix = "drop the bit (`chmod u-s,g-s FILE`) unless the program really needs it",
			    .path = first_setuid, .layer = (int32_t)li);
		for (size_t c = 0; c < KS_ARRAY_SIZE(caches); c++) {
			if (cache_bytes[c] < 4096)
				continue;
			ADD(.id = "package-cache", .title = "package manager cache left in a layer", .severity = "LOW",
			    .detail = ks_arena_printf(&r->arena, "%s: %.1f MB of %s in %s", caches[c].prefix,
						      (double)cache_bytes[c] / 1e6, caches[c].what,
						      ks_report_layer_words(r, (int32_t)li)),
			    .fix = caches[c].fix, .path = caches[c].prefix, .layer = (int32_t)li);
		}
	}
	return 0;
}

int ks_checks_run(struct kensa_report *r, struct kensa_err *err)
{
	const struct kensa_image *img = kensa_inventory_image(r->inv);
	int result;

	result = secret_checks(r);
	if (!result && img) {
		const char *u = img->user;
		const char *name = img->name;

		if (!u || !*u || strcmp(u, "root") == 0 || strcmp(u, "0") == 0 || strncmp(u, "0:", 2) == 0 ||
		    strncmp(u, "root:", 5) == 0)
			ADD(.id = "root-user", .title = "runs as root", .severity = "HIGH",
			    .detail = ks_arena_printf(&r->arena, "the image's User is %s%s%s", u && *u ? "'" : "",
						      u && *u ? u : "not set (root)", u && *u ? "'" : ""),
			    .fix = "create a user and end the Dockerfile with `USER <name or uid>` (e.g. `USER 10001`)");
		if (!img->has_healthcheck)
			ADD(.id = "no-healthcheck", .title = "no HEALTHCHECK", .severity = "LOW",
			    .detail = "the image defines no HEALTHCHECK",
			    .fix = "add `HEALTHCHECK CMD …` so the runtime can tell a hung container from a live one");
		if (name) {
			const char *slash = strrchr(name, '/');
			const char *colon = strrchr(slash ? slash : name, ':');

			if (!strchr(name, '@') && (!colon || strcmp(colon, ":latest") == 0))
				ADD(.id = "latest-tag", .title = "unpinned tag", .severity = "MEDIUM",
				    .detail = ks_arena_printf(&r->arena, "'%s' %s", name,
							      colon ? "uses the moving tag latest" : "has no tag (latest)"),
				    .fix = "pin a version tag, or better a digest (@sha256:…), in FROM and deployments");
		}
		for (size_t i = 0; i < img->nexposed_ports; i++) {
			unsigned port = 0;

			sscanf(img->exposed_ports[i], "%u", &port);
			for (size_t k = 0; k < KS_ARRAY_SIZE(risky_ports); k++) {
				if (risky_ports[k].port != port)
					continue;
				ADD(.id = "sensitive-port", .title = "sensitive port exposed",
				    .severity = risky_ports[k].severity,
				    .detail = ks_arena_printf(&r->arena, "EXPOSE %s (%s)", img->exposed_ports[i],
							      risky_ports[k].service),
				    .fix = "do not run remote-administration or unauthenticated services in the container; "
					   "remove the EXPOSE and the service (use `podman exec` / `kubectl exec` to get a shell)");
			}
		}
		for (size_t i = 0; i < r->policy.nrequired_labels; i++) {
			bool have = false;

			for (size_t k = 0; k < img->nlabels && !have; k++)
				have = strcmp(img->labels[k].key, r->policy.required_labels[i]) == 0;
			if (!have)
				ADD(.id = "required-label", .title = "required label missing", .severity = "LOW",
				    .detail = ks_arena_printf(&r->arena, "no label '%s'", r->policy.required_labels[i]),
				    .fix = ks_arena_printf(&r->arena, "add `LABEL %s=…`", r->policy.required_labels[i]));
		}
	}
	if (!result)
		result = layer_checks(r);
	if (result)
		kensa_err_set(err, result, "out of memory");
	return result;
}
