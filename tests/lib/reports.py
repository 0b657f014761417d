# SPDX-License-Identifier: Apache-2.0
"""reports.py — what the report-format tests share: a database built from the real feeds in
../shared/data, the scans they compare formats against (the JSON report is the reference),
a runtime profile, and a hostile target (a real advisory record whose text is markup,
entities and control characters, matched to a tiny Debian image).
"""
import json
import os

from kensa_test import SHARED, TMP, base_layer, image_gz, image_tar, kensa, make_docker_archive

HOSTILE_SUMMARY = ('</script><script>alert("xss-summary")</script><img src=x onerror=alert("xss-img")> '
                   '& ]]> <!-- \u0001\u001b[31m end')
HOSTILE_DETAILS = 'details <b>bold</b> &amp; \u0007 bell "quoted" \'single\''


def feeds_db():
    """A database built from ../shared/data (once per test, in TEST_TMP)."""
    db = os.path.join(TMP, "feeds.db")
    if not os.path.exists(db):
        kensa("-q", "db", "build", "--db", db, "--from", os.path.join(SHARED, "data"), check_rc=0)
    return db


def targets():
    """Real images: the one with findings in every ecosystem, and the plain Debian one."""
    return {"app-multi": "docker-archive:" + image_tar("app-multi"),
            "debian-slim": "docker-archive:" + image_gz("debian-slim")}


def scan(db, target, fmt, *view, out=None, extra=()):
    """Run kensa scan; return the output file's path (or the parsed JSON for -f json)."""
    out = out or os.path.join(TMP, f"report-{abs(hash((target, fmt, view, extra)))}.{fmt}")
    p = kensa("-q", "scan", "--db", db, *extra, *view, "-f", fmt, "-o", out, target)
    if p.returncode not in (0, 1):
        raise AssertionError(f"kensa scan {target} -f {fmt} {view}: exit {p.returncode}\n{p.stderr[-2000:]}")
    if fmt == "json":
        return json.load(open(out))
    return out


def profile(packages):
    """A runtime profile (the contract profile_in.c reads) saying `packages` were loaded:
    a list of (ecosystem, name, version, purl, file)."""
    path = os.path.join(TMP, "profile.json")
    doc = {"engine": "proc", "started": "2026-01-01T00:00:00Z", "duration_s": 120, "dropped_events": 0,
           "packages_in_use": [{"ecosystem": e, "name": n, "version": v, "purl": u,
                                "files": [{"path": f, "how": "open"}]} for e, n, v, u, f in packages]}
    json.dump(doc, open(path, "w"))
    return path


def hostile():
    """(db, target): an OSV record with hostile text affecting bash in a tiny Debian image.
    The finding needs action (CVSS 9.8 over the network, fixable)."""
    d = os.path.join(TMP, "hostile")
    os.makedirs(os.path.join(d, "osv"), exist_ok=True)
    rec = {"schema_version": "1.6.0", "id": "KENSA-TEST-2026-0001", "modified": "2026-01-01T00:00:00Z",
           "published": "2026-01-01T00:00:00Z", "aliases": ["CVE-2099-0001"],
           "summary": HOSTILE_SUMMARY, "details": HOSTILE_DETAILS,
           "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
           "affected": [{"package": {"ecosystem": "Debian:12", "name": "bash"},
                         "ranges": [{"type": "ECOSYSTEM",
                                     "events": [{"introduced": "0"}, {"fixed": "5.2.15-2+deb12u9"}]}]}]}
    json.dump(rec, open(os.path.join(d, "osv", "KENSA-TEST-2026-0001.json"), "w"))
    db = os.path.join(d, "hostile.db")
    kensa("-q", "db", "build", "--db", db, "--from", os.path.join(d, "osv"), check_rc=0)
    img = make_docker_archive(os.path.join(d, "img.tar"), [base_layer()])
    return db, "docker-archive:" + img


PLAYWRIGHT = "playwright-core@1.65.1"


def playwright_node_path():
    """node_modules holding playwright-core (npm install, once, into the cache)."""
    import subprocess
    from kensa_test import CACHE, skip
    d = os.path.join(CACHE, "npm-install", PLAYWRIGHT.replace("@", "-"))
    if not os.path.exists(os.path.join(d, "node_modules", "playwright-core", "package.json")):
        os.makedirs(d, exist_ok=True)
        p = subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", d, PLAYWRIGHT],
                           capture_output=True, text=True, timeout=600)
        if p.returncode != 0:
            skip(f"cannot install {PLAYWRIGHT} from the npm registry: {p.stderr[-300:]}")
    return os.path.join(d, "node_modules")
