#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""kensa vercmp Debian agrees with dpkg on every pair: >= 10,000 pairs of real versions from
apt's package index (apt-cache dumpavail: binary and source versions of bookworm, -updates,
-security) and the Debian OSV feed, plus edge cases and mutations (epochs, tildes,
revisions, huge numbers, malformed strings).

Validity comes from `dpkg --compare-versions` itself: a version dpkg calls "bad syntax"
(error or warning) must give "!"; so must the empty string, which dpkg reads as "no
version". Order comes from python3-apt's apt_pkg.version_compare (dpkg's algorithm,
in-process), except for versions with surrounding blanks or an epoch written with a sign
(" 1.0", "+1:1.0"), which dpkg trims and reads with strtol() and apt does not: those pairs go
to dpkg. A sample of archive and edge pairs is
re-checked against `dpkg --compare-versions`."""
import os
import random
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import check, done, skip  # noqa: E402
from vercmp_ref import (build_pairs, check_vectors, compare, kensa_batch,  # noqa: E402
                        load_vectors, mutations, osv_versions, save_pairs, sign,
                        usable)

try:
    import apt_pkg
except ImportError:
    skip("python3-apt is not installed (./setup.sh)")

apt_pkg.init()
rng = random.Random(1)

# ---- real versions: apt's index, grouped by package so neighbours are close versions
groups = {}
dump = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True, check=True).stdout
pkg = None
for line in dump.splitlines():
    if line.startswith("Package: "):
        pkg = line[9:].strip()
    elif line.startswith("Version: ") and pkg:
        groups.setdefault(pkg, []).append(line[9:].strip())
    elif line.startswith("Source: ") and "(" in line:
        m = re.match(r"Source: (\S+) \((\S+)\)", line)
        if m:
            groups.setdefault("src:" + m.group(1), []).append(m.group(2))
for name, vs in osv_versions("Debian").items():
    groups.setdefault("src:" + name, []).extend(v for v in vs if v != "0")
archive = {v for vs in groups.values() for v in vs}
if len(archive) < 1000:
    skip(f"apt's package index holds only {len(archive)} versions (run apt-get update)")
print(f"{len(archive)} distinct versions from apt-cache dumpavail and the Debian OSV feed")

# ---- edge cases and mutations (answered by dpkg itself)
edges = [
    "", " ", "0", "00", "0:0", "1", "1.0", "1.0-0", "1.0-00", "1.0-0.0", "1.0-", "1:", ":1",
    "1:1", "01:1", "+1:1.0", "-0:1.0", "-1:1.0", "2147483647:1", "2147483648:1",
    "99999999999999999999:1", "a", "a1", "1a", "1.0~", "1.0~~", "1.0~~a", "1.0~a", "1.0a",
    "1.0+", "1.0+a", "1.0.", "1.0-1~bpo12+1", "1.0-1+b1", "1.0-1.1", "1.0-a", "1.0-~", "1.0--1",
    "1:2:3-4", "1.0 ", " 1.0", "1 .0", "1.0_1", "1.0-1_1", "1.0-1:1", "1.0/1", "1.0\u00e4",
    "1." + "9" * 30, "1." + "0" * 30 + "1", "18446744073709551616", "18446744073709551615",
    "1.0~rc1", "1.0~beta1", "1.0+dfsg1", "1.0+dfsg1-0.1", "1.0-1ubuntu1", "2:1.0", "10:1.0",
    "1.000", "1.0.0", "~", "~1", "1~", "1-~", "A", "1A", "1.0.A", "1.0.a", "1.0-A", "<unknown>",
    "1:1:1", "1.0-1-1", "0:", "1.0~-1", "1.0^1", "1.0=1", "1.0,1", "1.0@1", "1.0!", "0.0~0~0",
]
sample = rng.sample(sorted(archive), 60)
for v in sample:
    edges += mutations(v, rng)
edges = [e for e in dict.fromkeys(edges) if usable(e)]

pairs = build_pairs([vs for vs in groups.values() if len(vs) > 1], edges, rng, target=24000)
pairs = list(dict.fromkeys(pairs + [(a, b) for a, b, _ in load_vectors("dpkg")]))

# ---- the reference
valid_cache = {}


def dpkg_valid(v):
    """dpkg's own opinion: no "bad syntax" error or warning; "" and "<unknown>" are blank."""
    if v not in valid_cache:
        if v in ("", "<unknown>"):
            valid_cache[v] = False
        else:
            p = subprocess.run(["dpkg", "--compare-versions", "--", v, "eq", v],
                               capture_output=True, text=True)
            valid_cache[v] = "bad syntax" not in p.stderr and p.returncode in (0, 1)
    return valid_cache[v]


def dpkg_cmp(a, b):
    if subprocess.run(["dpkg", "--compare-versions", "--", a, "lt", b]).returncode == 0:
        return "<"
    if subprocess.run(["dpkg", "--compare-versions", "--", a, "eq", b]).returncode == 0:
        return "="
    return ">"


def signed_epoch(v):
    """Where apt_pkg and dpkg part ways: blanks around the version, a sign before the epoch."""
    return v != v.strip(" \t") or v.lstrip(" \t")[:1] in ("+", "-")


want = []
dpkg_calls = 0
for a, b in pairs:
    if (a not in archive and not dpkg_valid(a)) or (b not in archive and not dpkg_valid(b)):
        want.append("!")
    elif signed_epoch(a) or signed_epoch(b):
        want.append(dpkg_cmp(a, b))
        dpkg_calls += 1
    else:
        want.append(sign(apt_pkg.version_compare(a, b)))
print(f"{dpkg_calls} pairs with blanks or signed epochs ordered by dpkg --compare-versions")

# spot check: apt_pkg is dpkg's algorithm, on archive pairs and on valid edge pairs
arch = [p for p in rng.sample(pairs, 3000) if p[0] in archive and p[1] in archive][:400]
edge = [p for p, w in zip(pairs, want) if w != "!" and (p[0] not in archive or p[1] not in archive)
        and not signed_epoch(p[0]) and not signed_epoch(p[1])]
spot = arch + rng.sample(edge, min(400, len(edge)))
differ = [(a, b) for a, b in spot if dpkg_cmp(a, b) != sign(apt_pkg.version_compare(a, b))]
check(not differ, f"apt_pkg and dpkg disagree on {differ[:5]}")
print(f"spot check: {len(spot)} pairs ({len(arch)} archive), dpkg --compare-versions = apt_pkg "
      f"on {len(spot) - len(differ)}")

got = kensa_batch("Debian", pairs)
print("pairs:", save_pairs("dpkg", pairs, want))
check_vectors("dpkg", pairs, want)
compare("dpkg", pairs, want, got)
done()
