#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""db-mirror.py — `kensa db update --mirror URL|DIR` against a mirror made from ../shared/data.

A small HTTP server (tests/lib/feed_server.py) serves the official layout (<Eco>/all.zip,
known_exploited_vulnerabilities.json, epss_scores-current.csv.gz) on 127.0.0.1:
  1. with an index (kensa-mirror.txt, CVE records too) and ETags: the first update fetches
     everything and the counts match an independent count of the same files; the second
     sends If-None-Match for every unit and is answered 304 for all of them, and changes
     no data; after one file changes on the mirror, only that unit is fetched again;
  2. without an index, Last-Modified only: the official names are tried, ecosystems the
     mirror lacks are "not offered" (404), and the second run is answered 304 through
     If-Modified-Since;
  3. --mirror DIR (../shared/data itself): the same records as `db build`; a second run
     finds every directory unchanged.
"""
import glob
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
import feed_counts  # noqa: E402
from feed_server import FeedServer  # noqa: E402
from kensa_test import SHARED, TMP, check, done, kensa, skip  # noqa: E402

DATA = os.path.join(SHARED, "data")
if not os.path.isdir(DATA):
    skip(f"no {DATA}")
ecos = sorted(os.path.basename(d) for d in glob.glob(os.path.join(DATA, "osv", "*")))


def info(db):
    return json.loads(kensa("db", "info", "--json", "--db", db, check_rc=0).stdout)


def update(db, mirror, *extra, rc=0):
    p = kensa("db", "update", "--mirror", mirror, "--db", db, "--retries", "0", *extra, timeout=900)
    check(p.returncode == rc, f"update from {mirror}: exit {p.returncode}, expected {rc}: {p.stderr[-2000:]}")
    return p


# ---- 1. index + ETag
mirror = os.path.join(TMP, "mirror")
os.makedirs(mirror)
rel = feed_counts.make_official_mirror(DATA, mirror, index=True, with_cve=True)
db = os.path.join(TMP, "a.db")
with FeedServer(mirror, etag=True, last_modified=False) as srv:
    update(db, srv.url)
    first = srv.requests()
    check(sorted(r["path"] for r in first if r["path"] != "kensa-mirror.txt") == sorted(rel),
          "first update did not fetch exactly the indexed files")
    check(all(r["status"] == 200 and not r["if_none_match"] for r in first), "first update was conditional")
    i1 = info(db)
    src = {s["origin"]: s for s in i1["sources"]}
    for eco in ecos:
        want = feed_counts.osv_dir(os.path.join(DATA, "osv", eco))
        got = src.get(srv.url + eco + "/all.zip", {})
        check(got.get("records") == want["records"] and got.get("counts", {}).get("aliases", 0) == want["aliases"]
              and got.get("etag"), f"{eco}: {got.get('records')} records, expected {want['records']}")
    kev = src.get(srv.url + "known_exploited_vulnerabilities.json", {})
    check(kev.get("records") == 1404 and kev.get("etag"), f"KEV over HTTP: {kev.get('records')}")
    ep = src.get(srv.url + "epss_scores-current.csv.gz", {})
    check(ep.get("records") == 313089, f"EPSS over HTTP: {ep.get('records')}")
    cve = [s for s in i1["sources"] if s["importer"] == "cve5"]
    check(len(cve) == 71 and sum(s["records"] for s in cve) == 71, f"CVE5 over HTTP: {len(cve)} sources")

    # second run: every unit conditional, every answer 304, no data change
    n = len(srv.requests())
    p = update(db, srv.url)
    second = [r for r in srv.requests()[n:] if r["path"] != "kensa-mirror.txt"]
    check(len(second) == len(rel), f"second run made {len(second)} requests for {len(rel)} units")
    check(all(r["if_none_match"] and r["status"] == 304 for r in second),
          f"not all conditional/304: {[(r['path'], r['status']) for r in second if r['status'] != 304][:5]}")
    check(f"0 fetched, {len(rel)} unchanged" in p.stdout, f"second run summary: {p.stdout[-300:]}")
    i2 = info(db)
    check(i2["counts"] == i1["counts"] and i2["generation"] == i1["generation"] + 1, "a 304 run changed data")
    check(all(s["generation"] == i1["generation"] for s in i2["sources"]), "a 304 run re-imported a source")

    # one file changes on the mirror: only that unit is fetched, the rest stays
    path = os.path.join(mirror, "known_exploited_vulnerabilities.json")
    d = json.load(open(path, encoding="utf-8"))
    dropped = d["vulnerabilities"].pop(0)["cveID"]
    d["count"] = len(d["vulnerabilities"])
    json.dump(d, open(path, "w", encoding="utf-8"))
    n = len(srv.requests())
    update(db, srv.url)
    third = [r for r in srv.requests()[n:] if r["path"] != "kensa-mirror.txt"]
    check([r["path"] for r in third if r["status"] == 200] == ["known_exploited_vulnerabilities.json"],
          f"third run fetched {[r['path'] for r in third if r['status'] == 200]}")
    i3 = info(db)
    check(i3["counts"]["kev"] == 1403 and i3["counts"]["epss"] == i1["counts"]["epss"], f"after the change: {i3['counts']}")
    q = json.loads(kensa("db", "query", dropped, "--json", "--db", db).stdout or "{}")
    check(not [k for k in q.get("kev", []) if k["provider"] == "kev"], f"{dropped} still in KEV after it left the feed")

# ---- 2. no index, Last-Modified only: official names, missing ecosystems are "not offered"
mirror2 = os.path.join(TMP, "mirror2")
os.makedirs(mirror2)
feed_counts.make_official_mirror(DATA, mirror2, index=False)
past = time.time() - 3600
for f in glob.glob(os.path.join(mirror2, "**", "*"), recursive=True):
    os.utime(f, (past, past))
db2 = os.path.join(TMP, "b.db")
with FeedServer(mirror2, etag=False, last_modified=True) as srv:
    p = update(db2, srv.url)
    offered = set(ecos)
    missing = [r["path"] for r in srv.requests(404) if r["path"] != "kensa-mirror.txt"]
    expect_missing = [e + "/all.zip" for e in ["Alpine", "Debian", "Ubuntu", "Red Hat", "PyPI", "npm", "Maven", "Go",
                                               "crates.io", "RubyGems", "Packagist", "NuGet"] if e not in offered]
    check(sorted(missing) == sorted(expect_missing), f"404s {missing}, expected {expect_missing}")
    check(f"{len(expect_missing)} not offered, 0 failed" in p.stdout, f"summary: {p.stdout[-200:]}")
    n = len(srv.requests())
    update(db2, srv.url)
    again = [r for r in srv.requests()[n:] if r["status"] != 404]
    check(again and all(r["if_modified_since"] and r["status"] == 304 for r in again),
          f"If-Modified-Since run: {[(r['path'], r['status'], r['if_modified_since']) for r in again][:4]}")

# ---- 3. a mirror directory laid out like ../shared/data
db3 = os.path.join(TMP, "c.db")
update(db3, DATA)
built = os.path.join(TMP, "built.db")
kensa("db", "build", "--from", DATA, "--db", built, check_rc=0, timeout=900)
c3, cb = info(db3)["counts"], info(built)["counts"]
check(c3 == cb, f"--mirror DIR {c3} != build {cb}")
p = update(db3, DATA)
check("0 fetched" in p.stdout and " 0 failed" in p.stdout, f"second DIR run: {p.stdout[-200:]}")

done()
