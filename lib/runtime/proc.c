// SPDX-License-Identifier: Apache-2.0
/*
 * proc.c — parsers of /proc files (maps, stat, status, cgroup, net) and small readers of
 * /proc/PID/... for one process.
 *
 * The parsers take bytes and a length, never read past them, and refuse what they do not
 * understand (KENSA_EFORMAT) rather than guess; fuzz/proc_maps.c and fuzz/cgroup_path.c run
 * them on hostile input. The readers are thin: they go through the kernel's answer for a
 * pid once and leave policy (which pid, when) to the callers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "runtime.h"

/* ---------------------------------------------------------------- small scanners */

struct cursor {
	const char *p, *end;
};

static bool hex_u64(struct cursor *c, uint64_t *out)
{
	uint64_t v = 0;
	const char *start = c->p;

	while (c->p < c->end) {
		char ch = *c->p;
		unsigned d;

		if (ch >= '0' && ch <= '9')
			d = (unsigned)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			d = (unsigned)(ch - 'a' + 10);
		else if (ch >= 'A' && ch <= 'F')
			d = (unsigned)(ch - 'A' + 10);
		else
			break;
		if (v >> 60)
			return false;	/* overflow */
		v = v << 4 | d;
		c->p++;
	}
	*out = v;
	return c->p > start;
}

static bool dec_u64(struct cursor *c, uint64_t *out)
{
	const char *start = c->p;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
		c->p++;
	return c->p > start && ks_parse_u64(start, (size_t)(c->p - start), out);
}

static bool expect(struct cursor *c, char ch)
{
	if (c->p >= c->end || *c->p != ch)
		return false;
	c->p++;
	return true;
}

static void skip_spaces(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

/* ---------------------------------------------------------------- maps */

int ks_proc_maps_line(const char *line, size_t len, struct ks_maps_entry *e)
{
	struct cursor c = { line, line + len };
	uint64_t major, minor;
	static const char deleted[] = " (deleted)";

	memset(e, 0, sizeof(*e));
	if (len && line[len - 1] == '\n')
		c.end--;
	if (!hex_u64(&c, &e->start) || !expect(&c, '-') || !hex_u64(&c, &e->end) ||
	    !expect(&c, ' '))
		return KENSA_EFORMAT;
	if (c.end - c.p < 5 || c.p[4] != ' ')
		return KENSA_EFORMAT;
	for (int i = 0; i < 4; i++) {
		if (!strchr("rwxps-", c.p[i]))
			return KENSA_EFORMAT;
		e->perms[i] = c.p[i];
	}
	c.p += 5;
	if (!hex_u64(&c, &e->offset) || !expect(&c, ' ') || !hex_u64(&c, &major) ||
	    !expect(&c, ':') || !hex_u64(&c, &minor) || !expect(&c, ' ') || !dec_u64(&c, &e->inode))
		return KENSA_EFORMAT;
	if (major > 0xfff || minor > 0xfffff || e->end < e->start)
		return KENSA_EFORMAT;
	e->dev_major = (uint32_t)major;
	e->dev_minor = (uint32_t)minor;
	if (c.p < c.end && *c.p != ' ')
		return KENSA_EFORMAT;
	skip_spaces(&c);
	e->path = c.p;
	e->path_len = (size_t)(c.end - c.p);
	if (e->path_len > sizeof(deleted) - 1 && e->path[0] == '/' &&
	    ks_mem_endswith(e->path, e->path_len, deleted)) {
		e->path_len -= sizeof(deleted) - 1;
		e->deleted = true;
	}
	return 0;
}

size_t ks_proc_unescape(char *s, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 3 < len && s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
			s[o++] = (char)((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 |
					(s[i + 3] - '0'));
			i += 3;
		} else {
			s[o++] = s[i];
		}
	}
	return o;
}

/* ---------------------------------------------------------------- stat, status */

int ks_proc_stat_parse(const char *buf, size_t len, struct ks_proc_stat *st)
{
	const char *open = memchr(buf, '(', len), *close = NULL;
	struct cursor c;
	uint64_t v;
	size_t n;

	memset(st, 0, sizeof(*st));
	if (!open)
		return KENSA_EFORMAT;
	for (const char *p = buf + len; p > open; p--)
		if (p[-1] == ')') {
			close = p - 1;
			break;
		}
	if (!close)
		return KENSA_EFORMAT;
	c.p = buf;
	c.end = open;
	if (!dec_u64(&c, &v) || v > UINT32_MAX)
		return KENSA_EFORMAT;
	st->pid = (uint32_t)v;
	n = KS_MIN((size_t)(close - open - 1), sizeof(st->comm) - 1);
	memcpy(st->comm, open + 1, n);
	st->comm[n] = '\0';
	c.p = close + 1;
	c.end = buf + len;
	/* fields 3.. after the comm: state ppid, then 18 more up to starttime (22) */
	if (!expect(&c, ' ') || c.p >= c.end)
		return KENSA_EFORMAT;
	st->state = *c.p++;
	for (int field = 4; field <= 22; field++) {
		if (!expect(&c, ' '))
			return KENSA_EFORMAT;
		if (c.p < c.end && *c.p == '-')
			c.p++;	/* a few fields may be negative; only ppid and starttime matter */
		if (!dec_u64(&c, &v))
			return KENSA_EFORMAT;
		if (field == 4) {
			if (v > UINT32_MAX)
				return KENSA_EFORMAT;
			st->ppid = (uint32_t)v;
		} else if (field == 22) {
			st->starttime = v;
		}
	}
	return 0;
}

static bool uid_field(const char *line, size_t n, uint32_t *uid, uint32_t *euid)
{
	struct cursor c = { line + 4, line + n };
	uint64_t r, e;

	skip_spaces(&c);
	if (!dec_u64(&c, &r))
		return false;
	skip_spaces(&c);
	if (!dec_u64(&c, &e) || r > UINT32_MAX || e > UINT32_MAX)
		return false;
	*uid = (uint32_t)r;
	*euid = (uint32_t)e;
	return true;
}

int ks_proc_status_uids(const char *buf, size_t len, uint32_t *uid, uint32_t *euid)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);

		if (n > 4 && memcmp(p, "Uid:", 4) == 0)
			return uid_field(p, n, uid, euid) ? 0 : KENSA_EFORMAT;
		p = nl ? nl + 1 : end;
	}
	return KENSA_ENOTFOUND;
}

/* ---------------------------------------------------------------- cgroups */

static bool is_hex64(const char *s, size_t n)
{
	if (n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

struct cg_pattern {
	const char *prefix;
	const char *suffix;	/* "" or ".scope"; optional when `suffix_optional` */
	bool suffix_optional;
	const char *runtime;
};

static const struct cg_pattern cg_patterns[] = {
	{ "libpod-", ".scope", true, "podman" },
	{ "cri-containerd-", ".scope", true, "containerd" },
	{ "crio-", ".scope", true, "cri-o" },
	{ "docker-", ".scope", true, "docker" },
};

/* Does one path component name a container? */
static bool component_container(const char *s, size_t n, const char *parent, size_t pn,
				struct ks_container_ref *ref)
{
	for (size_t i = 0; i < KS_ARRAY_SIZE(cg_patterns); i++) {
		const struct cg_pattern *pt = &cg_patterns[i];
		size_t pl = strlen(pt->prefix), sl = strlen(pt->suffix), idn;

		if (n < pl || memcmp(s, pt->prefix, pl) != 0)
			continue;
		idn = n - pl;
		if (idn >= sl && sl && memcmp(s + n - sl, pt->suffix, sl) == 0)
			idn -= sl;
		else if (!pt->suffix_optional)
			continue;
		if (!is_hex64(s + pl, idn))
			/* "libpod-conmon-<id>", "crio-conmon-<id>": the monitor, not the container
			 */
			continue;
		memcpy(ref->id, s + pl, 64);
		ref->id[64] = '\0';
		ref->runtime = pt->runtime;
		return true;
	}
	if (is_hex64(s, n)) {
		if (pn == 6 && memcmp(parent, "docker", 6) == 0)
			ref->runtime = "docker";
		else
			ref->runtime = "cri";	/* kubepods with the cgroupfs driver */
		memcpy(ref->id, s, 64);
		ref->id[64] = '\0';
		return true;
	}
	return false;
}

bool ks_cgroup_container(const char *path, size_t len, struct ks_container_ref *ref)
{
	size_t end = len;

	memset(ref, 0, sizeof(*ref));
	/* leaf first: podman's "libpod-<id>.scope/container" sub-cgroup still names its container
	 */
	while (end > 0) {
		size_t start = end, pstart, pend;

		while (start > 0 && path[start - 1] != '/')
			start--;
		pend = start ? start - 1 : 0;
		pstart = pend;
		while (pstart > 0 && path[pstart - 1] != '/')
			pstart--;
		if (end > start && component_container(path + start, end - start, path + pstart,
						       pend - pstart, ref))
			return true;
		end = start ? start - 1 : 0;
	}
	return false;
}

int ks_cgroup_file_path(const char *buf, size_t len, const char **path, size_t *plen)
{
	const char *p = buf, *end = buf + len;
	const char *first = NULL, *named = NULL;
	size_t firstn = 0, namedn = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *c1 = memchr(p, ':', (size_t)(le - p));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(le - c1 - 1)) : NULL;
		struct ks_container_ref ref;

		if (c2) {
			const char *cp = c2 + 1;
			size_t cn = (size_t)(le - cp);

			if (c1 - p == 1 && p[0] == '0' && c2 == c1 + 1) {
				*path = cp;	/* the unified hierarchy: authoritative */
				*plen = cn;
				return 0;
			}
			if (!first) {
				first = cp;
				firstn = cn;
			}
			if (!named && ks_cgroup_container(cp, cn, &ref)) {
				named = cp;
				namedn = cn;
			}
		} else if (le > p) {
			return KENSA_EFORMAT;
		}
		p = nl ? nl + 1 : end;
	}
	if (named) {
		*path = named;
		*plen = namedn;
		return 0;
	}
	if (first) {
		*path = first;
		*plen = firstn;
		return 0;
	}
	return KENSA_ENOTFOUND;
}

/* ---------------------------------------------------------------- net */

/* "0100007F:0BB8" (IPv4) or 32 hex digits ":" port (IPv6); words in host order. */
static bool net_addr(struct cursor *c, int family, uint8_t *addr, uint16_t *port)
{
	int words = family == AF_INET ? 1 : 4;
	uint64_t v;

	memset(addr, 0, 16);
	for (int w = 0; w < words; w++) {
		const char *start = c->p;
		uint32_t word;

		struct cursor h = { c->p, c->p + 8 };

		if (c->end - c->p < 8 || !hex_u64(&h, &v) || h.p != start + 8)
			return false;
		c->p += 8;
		word = (uint32_t)v;
		memcpy(addr + 4 * w, &word, 4);	/* the kernel printed the word as a native int */
	}
	if (!expect(c, ':') || !hex_u64(c, &v) || v > 0xffff)
		return false;
	*port = (uint16_t)v;
	return true;
}

int ks_proc_net_line(const char *line, size_t len, int family, struct ks_net_line *n)
{
	struct cursor c = { line, line + len };
	uint64_t v;

	memset(n, 0, sizeof(*n));
	if (family != AF_INET && family != AF_INET6)
		return KENSA_EINVAL;
	skip_spaces(&c);
	if (!dec_u64(&c, &v) || !expect(&c, ':'))
		return KENSA_EFORMAT;	/* the header line, or garbage */
	skip_spaces(&c);
	if (!net_addr(&c, family, n->laddr, &n->lport) || !expect(&c, ' '))
		return KENSA_EFORMAT;
	if (!net_addr(&c, family, n->raddr, &n->rport) || !expect(&c, ' '))
		return KENSA_EFORMAT;
	if (!hex_u64(&c, &v) || v > 0xff)
		return KENSA_EFORMAT;
	n->state = (unsigned)v;
	/* tx:rx tr:when retrnsmt uid timeout inode */
	for (int field = 0; field < 5; field++) {
		skip_spaces(&c);
		while (c.p < c.end && *c.p != ' ')
			c.p++;
	}
	skip_spaces(&c);
	if (!dec_u64(&c, &n->inode))
		return KENSA_EFORMAT;
	return 0;
}

/* ---------------------------------------------------------------- reading /proc */

int ks_proc_read(uint32_t pid, const char *what, struct ks_buf *b, size_t limit)
{
	char path[64];
	int fd, result = 0;

	ks_buf_reset(b);
	snprintf(path, sizeof(path), "/proc/%u/%s", pid, what);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ESRCH ? KENSA_ENOTFOUND
		       : errno == EACCES || errno == EPERM ? KENSA_EPERM : KENSA_EIO;
	for (;;) {
		ssize_t r;

		if (b->len >= limit) {
			result = KENSA_ELIMIT;
			break;
		}
		result = ks_buf_grow(b, KS_MIN((size_t)16384, limit - b->len) + 1);
		if (result)
			break;
		r = read(fd, b->data + b->len, KS_MIN(b->cap - b->len - 1, limit - b->len));
		if (r < 0) {
			if (errno == EINTR)
				continue;
			result = errno == ESRCH ? KENSA_ENOTFOUND : KENSA_EIO;
			break;
		}
		if (r == 0)
			break;
		b->len += (size_t)r;
		b->data[b->len] = '\0';
	}
	close(fd);
	return result;
}

ssize_t ks_proc_link(uint32_t pid, const char *what, char *out, size_t size)
{
	char path[64];
	ssize_t n;

	if (size < 2)
		return -1;
	snprintf(path, sizeof(path), "/proc/%u/%s", pid, what);
	n = readlink(path, out, size - 1);
	if (n < 0)
		return -1;
	out[n] = '\0';
	return n;
}

uint32_t ks_proc_mntns(uint32_t pid)
{
	char link[64];
	ssize_t n = ks_proc_link(pid, "ns/mnt", link, sizeof(link));
	uint64_t v;

	/* "mnt:[4026531832]" */
	if (n < 7 || memcmp(link, "mnt:[", 5) != 0 || link[n - 1] != ']' ||
	    !ks_parse_u64(link + 5, (size_t)n - 6, &v) || v > UINT32_MAX)
		return 0;
	return (uint32_t)v;
}

uint64_t ks_proc_tick_ns(void)
{
	static uint64_t tick;

	if (!tick) {
		long hz = sysconf(_SC_CLK_TCK);

		tick = 1000000000ULL / (uint64_t)(hz > 0 ? hz : 100);
	}
	return tick;
}

uint64_t ks_proc_start_ns(uint32_t pid)
{
	struct ks_buf b = KS_BUF_INIT;
	struct ks_proc_stat st;
	uint64_t ns = 0;

	if (ks_proc_read(pid, "stat", &b, 4096) == 0 && ks_proc_stat_parse(b.data, b.len, &st) == 0)
		ns = st.starttime * ks_proc_tick_ns();
	ks_buf_release(&b);
	return ns;
}

bool ks_proc_same(uint32_t pid, uint64_t start_ns)
{
	uint64_t ns = ks_proc_start_ns(pid), tick = ks_proc_tick_ns();

	if (!ns)
		return false;
	/* /proc rounds the start down to a tick */
	return start_ns + tick >= ns && start_ns < ns + 2 * tick;
}
