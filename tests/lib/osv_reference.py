# SPDX-License-Identifier: Apache-2.0
"""osv_reference.py — an independent matcher for the tests: the OSV evaluation algorithm as
the OSV schema documents it, written in Python over the raw feed files, with the reference
comparators (dpkg via python3-apt, PyPI via python3-packaging, npm and Go via the npm
`semver` package in one batched node run). kensa's matcher must find exactly what this
finds: same (package, advisory) pairs, nothing more.

Identity rules (the same contract kensa documents in docs/scan.md, re-stated here):
  - a distro package matches by (release ecosystem, source package, source version);
  - a language package whose metadata a distro package owns is matched through that owner
    only; the application itself (npm project, flag "main") is not matched;
  - the Go toolchain of a binary is the package "stdlib"; a "(devel)" main module has no
    comparable version.
"""
import glob
import json
import os
import re
import subprocess

import apt_pkg
from packaging.version import InvalidVersion, Version

apt_pkg.init_system()


def pep503(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def norm(eco, name):
    base = eco.split(":")[0]
    if base == "PyPI":
        return pep503(name)
    if base in ("npm", "NuGet", "Packagist", "crates.io"):
        return name.lower()
    return name


def load_osv(data_dir):
    """(ecosystem-with-release, normalized name) → [(record id, affected entry)]"""
    index = {}
    for path in glob.glob(os.path.join(data_dir, "osv", "*", "*.json")):
        try:
            rec = json.load(open(path))
        except ValueError:
            continue
        if rec.get("withdrawn") or "id" not in rec:
            continue
        for aff in rec.get("affected") or []:
            pkg = aff.get("package") or {}
            if "ecosystem" not in pkg or "name" not in pkg:
                continue
            index.setdefault((pkg["ecosystem"], norm(pkg["ecosystem"], pkg["name"])), []).append((rec["id"], aff))
    return index


class NodeSemver:
    """Comparisons batched through node-semver (npm's reference implementation)."""

    def __init__(self, cache):
        self.dir = os.path.join(cache, "npm-semver")
        if not os.path.exists(os.path.join(self.dir, "node_modules", "semver")):
            os.makedirs(self.dir, exist_ok=True)
            subprocess.run(["npm", "install", "--silent", "--prefix", self.dir, "semver@7"], check=True,
                           capture_output=True)
        self.pending = []

    def compare_many(self, pairs):
        script = ("const s=require(process.argv[1]);const l=require('fs').readFileSync(0,'utf8')"
                  ".split('\\n').filter(Boolean);for(const x of l){const [a,b]=x.split('\\t');"
                  "let r='!';try{r=String(s.compare(a,b))}catch(e){}console.log(r)}")
        out = subprocess.run(["node", "-e", script, os.path.join(self.dir, "node_modules", "semver")],
                             input="".join(f"{a}\t{b}\n" for a, b in pairs), capture_output=True, text=True,
                             check=True).stdout.split()
        return [None if r == "!" else int(r) for r in out]


def dpkg_cmp(a, b):
    return apt_pkg.version_compare(a, b)


def pep440_cmp(a, b):
    try:
        va, vb = Version(a), Version(b)
    except InvalidVersion:
        return None
    return (va > vb) - (va < vb)


def affected(version, aff, cmp):
    """OSV: is `version` affected by this affected[] entry? Returns (bool, fixed versions)."""
    if version in (aff.get("versions") or []):
        return True, []
    hit, fixed = False, []
    for rng in aff.get("ranges") or []:
        if rng.get("type") not in ("ECOSYSTEM", "SEMVER"):
            continue
        events = rng.get("events") or []

        def key(e):
            v = next(iter(e.values()))
            return v
        # sort by version, "introduced: 0" first
        import functools

        def ecmp(x, y):
            vx, vy = key(x), key(y)
            if x.get("introduced") == "0":
                return -1
            if y.get("introduced") == "0":
                return 1
            c = cmp(vx, vy)
            return 0 if c is None else c
        if any(cmp(version, key(e)) is None for e in events if e.get("introduced") != "0"):
            continue  # a version the reference refuses: the range is skipped, like kensa does
        vulnerable = False
        for e in sorted(events, key=functools.cmp_to_key(ecmp)):
            if "introduced" in e:
                if e["introduced"] == "0" or cmp(version, e["introduced"]) >= 0:
                    vulnerable = True
            elif "fixed" in e:
                if cmp(version, e["fixed"]) >= 0:
                    vulnerable = False
                elif vulnerable:
                    fixed.append(e["fixed"])
                    break
            elif "last_affected" in e:
                if cmp(version, e["last_affected"]) > 0:
                    vulnerable = False
                elif vulnerable:
                    break
            elif "limit" in e:
                if cmp(version, e["limit"]) >= 0:
                    vulnerable = False
                elif vulnerable:
                    break
        hit |= vulnerable
    return hit, fixed


def identities(inv):
    """Yield (package index, ecosystem, name, version) to match, by the rules above."""
    pk = inv["packages"]
    osv_eco = inv["os"]["osv_ecosystem"]
    for p in pk:
        flags = p.get("flags") or []
        if "os" in flags:
            if osv_eco:
                yield p["index"], osv_eco, p["source"]["name"], p["source"]["version"]
            continue
        if p.get("owner") is not None and "os" in (pk[p["owner"]].get("flags") or []):
            continue
        if "main" in flags and p["ecosystem"] != "Go":
            continue
        if p["version"] in (None, "", "(devel)"):
            continue
        yield p["index"], p["ecosystem"], p["name"], p["version"]


def expected_matches(inv, index, cache):
    """{(package index, advisory id)} by the reference implementations."""
    out = set()
    semver = None
    batched = []  # (pkg, id, aff, version) for npm/Go, decided in one node run
    for idx, eco, name, version in identities(inv):
        entries = index.get((eco, norm(eco, name)), [])
        base = eco.split(":")[0]
        for rid, aff in entries:
            if base in ("Debian", "Ubuntu"):
                ok, _ = affected(version, aff, dpkg_cmp)
            elif base == "PyPI":
                ok, _ = affected(version, aff, pep440_cmp)
            elif base in ("npm", "Go"):
                batched.append((idx, rid, aff, version))
                continue
            else:
                continue  # no reference comparator here for this ecosystem
            if ok:
                out.add((idx, rid))
    if batched:
        semver = NodeSemver(cache)
        pairs = set()
        for _, _, aff, version in batched:
            for rng in aff.get("ranges") or []:
                for e in rng.get("events") or []:
                    v = next(iter(e.values()))
                    pairs.add((version, v))
                    for e2 in rng.get("events") or []:
                        pairs.add((v, next(iter(e2.values()))))
        pairs = sorted(pairs)
        results = dict(zip(pairs, semver.compare_many(pairs)))
        for idx, rid, aff, version in batched:
            ok, _ = affected(version, aff, lambda a, b: results.get((a, b)))
            if ok:
                out.add((idx, rid))
    return out
