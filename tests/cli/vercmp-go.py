#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""kensa vercmp Go agrees with golang.org/x/mod/semver (Debian's golang-golang-x-mod-dev,
compiled at test time) on >= 10,000 pairs: every version of the Go vulnerability database
(releases, prereleases, pseudo-versions, +incompatible), the same with the leading "v", the
Go toolchain's own releases, x/mod's test vectors, shorthands (v1, v1.2), and malformed
strings (semver.IsValid refuses: "!")."""
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import CACHE, ROOT, done, skip  # noqa: E402
from vercmp_ref import (build_pairs, check_vectors, compare, kensa_batch,  # noqa: E402
                        load_vectors, mutations, osv_versions, run_reference, save_pairs)

src = os.path.join(ROOT, "tests", "lib", "gosemver_ref.go")
gopath = "/usr/share/gocode"
if not os.path.isdir(os.path.join(gopath, "src", "golang.org", "x", "mod", "semver")):
    skip("golang-golang-x-mod-dev is not installed (./setup.sh)")
binary = os.path.join(CACHE, "go", "gosemver_ref")
if not os.path.exists(binary) or os.path.getmtime(binary) < os.path.getmtime(src):
    os.makedirs(os.path.dirname(binary), exist_ok=True)
    env = dict(os.environ, GOPATH=gopath, GO111MODULE="off", GOFLAGS="",
               GOCACHE=os.path.join(CACHE, "go", "cache"))
    p = subprocess.run(["go", "build", "-o", binary, src], env=env, capture_output=True, text=True)
    if p.returncode != 0:
        skip(f"cannot build the x/mod/semver reference: {p.stderr.strip()[:200]}")

rng = random.Random(9)
groups = list(osv_versions("Go").values())
groups = [g for g in groups if g] + [["v" + v for v in g if not v.startswith("v")] for g in groups]
real = sorted({v for g in groups for v in g})
print(f"{len(real)} distinct versions from the Go vulnerability database (with and without 'v')")
if len(real) < 1000:
    skip("the Go OSV feed is missing from ../shared/data/osv/Go")
edges = ["", "v", "0", "v0", "1", "v1", "v1.2", "1.2", "v1.2.3", "V1.2.3", "vv1.2.3", " v1.2.3",
         "v1.2.3 ", "v01.2.3", "v1.02.3", "v1.2.03", "v1.2.3-", "v1.2.3+", "v1.2.3-01",
         "v1.2.3-0", "v1.2.3-a..b", "v1.2.3-a.", "v1.2.3.4", "v1.2-pre", "v1-pre", "v1+meta",
         "v1.2.3+meta", "v1.2.3+meta+meta", "v1.2.3-pre+meta", "v1.2.3+incompatible",
         "v2.0.0+incompatible", "v0.0.0-20191109021931-daa7c04131f5",
         "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.3-pre.0.20191109021931-daa7c04131f5",
         "v1.0.0-99999999999999999999", "v1.0.0-100000000000000000000",
         "v99999999999999999999.0.0", "v1.2.3-\u00e9", "v1.2.3-_", "go1.21.0", "1.21rc2",
         "v1.21.0-rc.2", "v1.2.3-alpha.-1", "v1.2.3--", "v1.2.3-0a", "v1.2.3-00a"]
for v in rng.sample(real, 60):
    edges += mutations(v, rng)
pairs = build_pairs(groups, edges, rng, target=20000)
pairs = list(dict.fromkeys(pairs + [(a, b) for a, b, _ in load_vectors("go")]))
want = run_reference([binary], pairs)
got = kensa_batch("Go", pairs)
print("pairs:", save_pairs("go", pairs, want))
check_vectors("go", pairs, want)
compare("go", pairs, want, got)
done()
