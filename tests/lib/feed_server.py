# SPDX-License-Identifier: Apache-2.0
"""feed_server.py — a small HTTP server for the `kensa db update --mirror URL` tests.

Serves the files of a directory on 127.0.0.1 (ephemeral port) with the validators real feed
hosts send: a strong ETag (sha256 of the content) answered by If-None-Match, and
Last-Modified (the file's mtime) answered by If-Modified-Since, either of which can be turned
off. Every request is logged (path, status, conditional headers) so a test can assert that
the second update was answered 304. `rate` (bytes per second) makes it slow, for the tests
that kill an update mid-download. Directory listings are never served (a mirror must not
need them).
"""
import email.utils
import hashlib
import http.server
import os
import threading
import time


class FeedServer:
    def __init__(self, root, etag=True, last_modified=True, rate=None):
        self.root = os.path.abspath(root)
        self.etag = etag
        self.last_modified = last_modified
        self.rate = rate
        self.log = []
        self.lock = threading.Lock()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                server._get(self)

            def do_HEAD(self):
                server._get(self, head=True)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def requests(self, status=None):
        with self.lock:
            return [r for r in self.log if status is None or r["status"] == status]

    def _record(self, h, status, path):
        with self.lock:
            self.log.append({"path": path, "status": status,
                             "if_none_match": h.headers.get("If-None-Match"),
                             "if_modified_since": h.headers.get("If-Modified-Since")})

    def _get(self, h, head=False):
        from urllib.parse import unquote, urlsplit
        rel = unquote(urlsplit(h.path).path).lstrip("/")
        path = os.path.normpath(os.path.join(self.root, rel))
        if not path.startswith(self.root + os.sep) or not os.path.isfile(path):
            self._record(h, 404, rel)
            h.send_response(404)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        with open(path, "rb") as f:
            data = f.read()
        st = os.stat(path)
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        lastmod = email.utils.formatdate(int(st.st_mtime), usegmt=True)
        inm = h.headers.get("If-None-Match")
        ims = h.headers.get("If-Modified-Since")
        not_modified = False
        if self.etag and inm is not None:
            not_modified = etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
        elif self.last_modified and ims is not None:
            try:
                not_modified = int(st.st_mtime) <= email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                not_modified = False
        status = 304 if not_modified else 200
        self._record(h, status, rel)
        h.send_response(status)
        if self.etag:
            h.send_header("ETag", etag)
        if self.last_modified:
            h.send_header("Last-Modified", lastmod)
        if status == 304:
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        h.send_header("Content-Type", "application/octet-stream")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        if head:
            return
        try:
            if not self.rate:
                h.wfile.write(data)
                return
            chunk = max(1, self.rate // 10)
            for i in range(0, len(data), chunk):
                h.wfile.write(data[i:i + chunk])
                h.wfile.flush()
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass
