#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""kensa vercmp npm agrees with the npm `semver` package (node-semver, pinned release,
installed into the cache) on >= 10,000 version pairs, and kensa vercmp --satisfies npm
agrees with semver.satisfies() on >= 10,000 (range, version) checks.

Versions: every version of ~40 popular packages from the npm registry (`npm view PKG
versions`, cached), including thousands of prereleases (typescript, react, next, vue), plus
the npm OSV feed, edge cases (v/= prefixes, whitespace, build metadata, leading zeros,
numbers at and beyond 2^53 - 1, 256-character limits) and mutations. Ranges: the real
dependency ranges of every release of those packages (`npm view PKG@* dependencies`,
devDependencies, peerDependencies), each
tested against versions of the package it names, plus hand-picked syntax corner cases
(hyphen ranges, x-ranges, '~>', spaces after operators, '||' oddities, invalid ranges).
An invalid range or version (validRange/valid say null) must give "!"."""
import os
import random
import re
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import ROOT, check, done, skip  # noqa: E402
from vercmp_ref import (build_pairs, check_vectors, compare, kensa_batch,  # noqa: E402
                        load_vectors, mutations, NPM_PACKAGES, npm_registry,
                        npm_semver, osv_versions, run_reference, save_pairs, usable)

mod = npm_semver()
if not mod:
    skip("cannot install the npm semver package (no npm or no registry)")
ref = [os.environ.get("NODE", "node"), os.path.join(ROOT, "tests", "lib", "semver_ref.js"), mod]
rng = random.Random(3)

registry = {}
for pkg in NPM_PACKAGES:
    data = npm_registry(pkg)
    if data:
        registry[pkg] = data
groups = {pkg: d["versions"] for pkg, d in registry.items()}
for name, vs in osv_versions("npm").items():
    groups.setdefault(name, []).extend(vs)
real = sorted({v for vs in groups.values() for v in vs})
print(f"{len(registry)} registry packages, {len(real)} distinct versions")
if len(real) < 2000:
    skip(f"only {len(real)} npm versions (registry unreachable and nothing cached)")

# ---------------------------------------------------------------- compare
edges = [
    "", " ", "1", "1.2", "1.2.3", "v1.2.3", "V1.2.3", "=1.2.3", "vv1.2.3", " 1.2.3 ", "\t1.2.3\n",
    "\u00a01.2.3\u3000", "\ufeff1.2.3", "1.2.3-0", "1.2.3-00", "1.2.3-01", "1.2.3-0a", "1.2.3-a.0",
    "1.2.3-alpha", "1.2.3-alpha.1", "1.2.3-alpha.beta", "1.2.3-beta", "1.2.3-beta.2",
    "1.2.3-beta.11", "1.2.3-rc.1", "1.2.3-1", "1.2.3-1.1", "1.2.3--", "1.2.3-a-b", "1.2.3-",
    "1.2.3+", "1.2.3+build", "1.2.3+build.1", "1.2.3+001", "1.2.3-beta+exp.sha.5114f85",
    "1.2.3+b+c", "1.2.3-+", "01.2.3", "1.02.3", "1.2.03", "0.0.0", "0.0.0-0", "00.0.0",
    "9007199254740991.0.0", "9007199254740992.0.0", "1.9007199254740991.0",
    "1.0.0-9007199254740990", "1.0.0-9007199254740991", "1.0.0-9007199254740992",
    "1.0.0-9007199254740993", "1.0.0-99999999999999999999", "1.0.0-99999999999999999999.a",
    "1.0.0-99999999999999999998.b", "1.0.0-18446744073709551616",
    "1.2.3-" + "a" * 250, "1.2.3-" + "a" * 251, "1.2.3-" + "a" * 249 + ".b",
    " " * 250 + "1.2.3", "1.2.3" + " " * 251, "1.2.3-x.7.z.92", "1.2.3.4", "1.2.3.", "a.b.c",
    "1.2.3-\u00e9", "1.2.3 -beta", "1.2.3 - 2", "1.2.3-beta.+", "1.2.3-beta..1", "1.2.x",
    "*", "latest", "1.2.3-ALPHA", "1.2.3-Alpha", "1.2.3-alpha-1", "2.0.0-rc.1+build.123",
]
for v in rng.sample(real, 40):
    edges += mutations(v, rng)
pairs = build_pairs(list(groups.values()), edges, rng, target=20000)
pairs = list(dict.fromkeys(pairs + [(a, b) for a, b, _ in load_vectors("semver")]))
want = run_reference(ref + ["compare"], pairs)
got = kensa_batch("npm", pairs)
print("pairs:", save_pairs("npm", pairs, want))
check_vectors("semver", pairs, want)
compare("npm", pairs, want, got)

# ---------------------------------------------------------------- satisfies
ranges = {}
for pkg, d in registry.items():
    for name, r in d["ranges"]:
        ranges.setdefault(r, set()).add(name)
edge_ranges = [
    "", " ", "*", "x", "X", "x.x.x", "1.x", "1.X", "1.2.x", "1.2.*", "1.*.2", "1.x.3", "x.1",
    "^1.2.3", "^ 1.2.3", "^  1.2.3", "^1.2", "^1", "^0.0.1", "^0.1.2", "^0.0", "^0", "^0.x",
    "^1.2.3-beta.1", "^0.0.1-beta", "^x", "~1.2.3", "~ 1.2.3", "~>1.2.3", "~> 1.2.3", "~>1",
    "~1.2", "~1", "~0", "~1.2.3-beta.2", "~>x", ">=1.2.3 <2.0.0", ">= 1.2.3 < 2.0.0",
    ">=1.2.3  <2.0.0", "> 1.2.3", "<= 1.2", ">1.2", ">1", "<=1.2", "<1.2", "<1", ">=*", "<*",
    ">*", "<=*", "=*", "=1.2", "=1.2.3", "==1.2.3", "v1.2.3", "=v1.2.3", "1.2.3 - 2.3.4",
    "1.2 - 2.3", "1.2.3 - 2", "1 - 2", "x - 2", "1.2.3 - x", "1.2.3-beta.2 - 1.2.3",
    "1.2.3 - 2.3.4-beta", "v1.2.3 - v2.3.4", "=1.2.3 - 2.3.4", "1.2.3 -2.3.4", "1.2.3- 2.3.4",
    "1.2.3 - 2.3.4 - 3", "1.2.3 || 2.x", "1.2.3||2.x", "1.2.3 |||| 2.x", "|| 1.2.3",
    "1.2.3 ||", "a || 1.2.3", "1.2.3 | 2.x", "<1.0.0-0", "<0.0.0-0", ">=0.0.0", ">=0.0.0-0",
    "* || 1.0.0-beta", "1.0.0-beta || *", ">1.2.3-alpha.3", ">=1.2.3-alpha.3 <1.2.4",
    "1.2.3+build", "1.2.3 +build", "1.2.3+build - 2.0.0", "^1.2.3+build", ">=1.2.3 <1.2.3",
    "<0.0.0", "<0.0.0-0 || 1.x", "latest", "next", "beta", "git+https://github.com/x/y.git",
    "github:user/repo", "file:../x", "npm:foo@1", "workspace:*", "https://x/y.tgz",
    "^9007199254740991.0.0", "^9007199254740990", "~9007199254740990.1", "<=9007199254740990",
    "1.2.3 - 9007199254740991", ">=9007199254740991.9007199254740991.9007199254740991",
    ">9007199254740990.x", "<=9007199254740991.x", ">=01.2.3", "1.2.03", "^1.2.3-01",
    ">=1.2.3-beta.01", "1.2.3 - 2.3.4 || >=5", ">=1 <2 >=1.5", "\u00a0^1.2.3\u00a0",
    "^1.2.3\t|| ~2", ">=\t1.2.3", "1.2.3 <2", "<=1.2.3-beta", "^1.2.3-beta.4 || ^2.0.0-rc.1",
    "1.2.3-x - 1.2.3-y", ">= 1.2.3 < 2", "~> 1.2", ">=1.2.3,<2", "1.2.3 2.3.4",
]


def probes(r):
    """Versions around the numbers a range mentions: the bounds, their neighbours, their
    prereleases (a mechanical guess at where answers flip, not an expected answer)."""
    out = []
    for m in re.finditer(r"(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?", r):
        nums = [int(g) if g and g.isdigit() else 0 for g in m.groups()[:3]]
        if max(nums) > 10 ** 15:
            continue
        M, mi, pa = nums
        for dM, dm, dp in ((0, 0, 0), (0, 0, 1), (0, 1, 0), (1, 0, 0), (0, 0, -1), (0, -1, 0),
                           (-1, 0, 0), (0, 1, -pa), (1, -mi, -pa)):
            x, y, z = M + dM, mi + dm, pa + dp
            if min(x, y, z) < 0:
                continue
            base = f"{x}.{y}.{z}"
            out += [base, base + "-0", base + "-beta.1", base + "-rc.1"]
        if m.group(4):
            out += [f"{M}.{mi}.{pa}-{m.group(4)}", f"{M}.{mi}.{pa}-{m.group(4)}.1"]
    return list(dict.fromkeys(out))


pool = [v for v in real if "+" not in v]
checks = []
for r in list(ranges) + edge_ranges:
    names = sorted(ranges.get(r, ()))
    cands = [v for n in names for v in groups.get(n, [])]
    sample = rng.sample(cands, min(len(cands), 20)) if cands else []
    sample += rng.sample(pool, 4 if cands else 10)
    pr = probes(r)
    sample += rng.sample(pr, min(len(pr), 40))
    for v in sample:
        checks.append((r, v))
for v in edges[:120]:
    checks.append((rng.choice(edge_ranges), v))
checks = [c for c in dict.fromkeys(checks) if usable(c[0]) and usable(c[1])]
print(f"{len(ranges)} distinct real ranges, {len(edge_ranges)} edge ranges, {len(checks)} checks")
want = run_reference(ref + ["satisfies"], checks)
got = kensa_batch("npm", checks, satisfies=True)
print("checks:", save_pairs("npm-satisfies", checks, want))
compare("npm satisfies", checks, want, got)
done()
