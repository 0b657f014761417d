// SPDX-License-Identifier: Apache-2.0
/*
 * fetch.c — one HTTP(S) GET into a file, with libcurl: conditional requests (If-None-Match /
 * If-Modified-Since from the previous response's ETag / Last-Modified), a connect timeout,
 * a stall timeout (no byte for N seconds), a size cap, retries with back-off on transient
 * failures (connection errors, timeouts, 5xx, 429), progress through ks_progress().
 *
 * Only http and https, also after redirects. Certificates are verified (libcurl's default).
 * What it is not: a cache. The caller decides what a 304 means.
 */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <strings.h>
#include <unistd.h>

#include "kensa/kensa.h"
#include "vulndb.h"

struct dl {
	int fd;
	uint64_t bytes, max;
	bool toolarge, write_failed;
	char *etag, *last_modified;
	const char *label;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void init_curl(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t on_data(char *p, size_t size, size_t nmemb, void *ud)
{
	struct dl *d = ud;
	size_t n = size * nmemb, done = 0;

	if (d->bytes + n > d->max) {
		d->toolarge = true;
		return 0;
	}
	while (done < n) {
		ssize_t w = write(d->fd, p + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			d->write_failed = true;
			return 0;
		}
		done += (size_t)w;
	}
	d->bytes += n;
	return n;
}

/* Keep the value of header `name` from a header line, trimmed; NULL when not that header. */
static char *header_value(const char *line, size_t n, const char *name)
{
	size_t nl = strlen(name);
	const char *v;

	if (n <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
		return NULL;
	v = line + nl + 1;
	n -= nl + 1;
	ks_trim(&v, &n);
	return n && n < 1024 ? strndup(v, n) : NULL;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
	struct dl *d = ud;
	size_t n = size * nmemb;
	char *v;

	if (n >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		/* a new response (after a redirect or a 100): forget the last one's validators */
		free(d->etag);
		free(d->last_modified);
		d->etag = d->last_modified = NULL;
	} else if ((v = header_value(p, n, "ETag"))) {
		free(d->etag);
		d->etag = v;
	} else if ((v = header_value(p, n, "Last-Modified"))) {
		free(d->last_modified);
		d->last_modified = v;
	}
	return n;
}

static int on_progress(void *ud, curl_off_t total, curl_off_t now, curl_off_t ut, curl_off_t un)
{
	struct dl *d = ud;

	(void)ut;
	(void)un;
	if (now > 0)
		ks_progress(d->label, (uint64_t)now, total > 0 ? (uint64_t)total : 0);
	return 0;
}

static bool transient(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
		return true;
	default:
		return false;
	}
}

void ks_fetch_result_release(struct ks_fetch_result *r)
{
	free(r->etag);
	free(r->last_modified);
	memset(r, 0, sizeof(*r));
}

int ks_fetch(const char *url, const char *dest, const struct ks_fetch_opts *o,
	     struct ks_fetch_result *res, struct kensa_err *err)
{
	unsigned attempts = 1 + (o->retries < 10 ? o->retries : 10);
	char ua[64];
	int result = 0;

	memset(res, 0, sizeof(*res));
	pthread_once(&curl_once, init_curl);
	if (curl_init_rc != CURLE_OK)
		return kensa_err_set(err, KENSA_ENET, "cannot initialize libcurl: %s",
				     curl_easy_strerror(curl_init_rc));
	snprintf(ua, sizeof(ua), "kensa/%s", KENSA_VERSION);
	for (unsigned attempt = 0; attempt < attempts; attempt++) {
		struct dl d = { -1,
				0,
				o->max_bytes ? o->max_bytes : (uint64_t)2 << 30,
				false,
				false,
				NULL,
				NULL,
				o->label ? o->label : url };
		struct curl_slist *hdr = NULL;
		char errbuf[CURL_ERROR_SIZE] = "", line[1100];
		CURL *h = NULL;
		CURLcode rc;
		long code = 0;
		bool retry = false;

		if (attempt) {
			unsigned wait = 1u << (attempt - 1 < 3 ? attempt - 1 : 3);

			ks_info("retrying '%s' in %u s (attempt %u of %u)", url, wait, attempt + 1,
				attempts);
			sleep(wait);
		}
		d.fd = open(dest, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (d.fd < 0)
			return kensa_err_set(err, KENSA_EIO, "cannot create '%s': %s", dest,
					     strerror(errno));
		h = curl_easy_init();
		if (!h) {
			close(d.fd);
			return kensa_err_set(err, KENSA_ENOMEM, "out of memory");
		}
		if (o->etag &&
		    snprintf(line, sizeof(line), "If-None-Match: %s", o->etag) < (int)sizeof(line))
			hdr = curl_slist_append(hdr, line);
		if (o->last_modified && snprintf(line, sizeof(line), "If-Modified-Since: %s",
						 o->last_modified) < (int)sizeof(line))
			hdr = curl_slist_append(hdr, line);
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
		curl_easy_setopt(h, CURLOPT_USERAGENT, ua);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT,
				 (long)(o->connect_timeout ? o->connect_timeout : 30));
		curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME,
				 (long)(o->stall_timeout ? o->stall_timeout : 60));
		curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)d.max);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(h, CURLOPT_WRITEDATA, &d);
		curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(h, CURLOPT_HEADERDATA, &d);
		curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(h, CURLOPT_XFERINFODATA, &d);
		curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
		curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		rc = curl_easy_perform(h);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
		curl_easy_cleanup(h);
		curl_slist_free_all(hdr);
		if (close(d.fd) != 0 && rc == CURLE_OK)
			d.write_failed = true;
		if (rc == CURLE_OK && !d.write_failed) {
			if (code == 200) {
				res->status = KS_FETCH_OK;
				res->etag = d.etag;
				res->last_modified = d.last_modified;
				res->bytes = d.bytes;
				return 0;
			}
			if (code == 304 || code == 404 || code == 410) {
				res->status = code == 304 ? KS_FETCH_NOT_MODIFIED
							  : KS_FETCH_NOT_FOUND;
				free(d.etag);
				free(d.last_modified);
				return 0;
			}
			retry = code >= 500 || code == 429 || code == 408;
			kensa_err_clear(err);
			result = kensa_err_set(err, KENSA_ENET, "cannot download '%s': HTTP %ld",
					       url, code);
		} else if (d.toolarge || rc == CURLE_FILESIZE_EXCEEDED) {
			free(d.etag);
			free(d.last_modified);
			return kensa_err_set(err, KENSA_ELIMIT,
					     "'%s' is larger than the %llu-byte limit", url,
					     (unsigned long long)d.max);
		} else if (d.write_failed) {
			free(d.etag);
			free(d.last_modified);
			return kensa_err_set(err, KENSA_EIO, "cannot write '%s': %s", dest,
					     strerror(errno));
		} else {
			retry = transient(rc);
			kensa_err_clear(err);
			result = kensa_err_set(err, KENSA_ENET, "cannot download '%s': %s", url,
					       *errbuf ? errbuf : curl_easy_strerror(rc));
		}
		free(d.etag);
		free(d.last_modified);
		if (!retry)
			break;
	}
	return result;
}
