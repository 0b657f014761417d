#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""kensa vercmp rpm agrees with rpm 4.18 (python3-rpm) on >= 10,000 pairs of
"[epoch:]version[-release]" strings: each split by rpm.ver() (rpm's own EVR parser) and
ordered by rpm.labelCompare().

There is no RPM repository on this machine, so the versions are built from real version
strings (upstream versions from apt's index, the Go, crates.io and PyPI feeds) joined with
release tags as Red Hat, Fedora, SUSE and Amazon write them ("3.el9_2", "0.1.rc1.fc39",
"150400.3.3.1", "1.amzn2023.0.2", "1.module+el8.9.0+19040+e7a2cb4c"), plus systematic
mutations with '~', '^', epochs, letters, separators and numbers beyond 64 bits."""
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import done, skip  # noqa: E402
from vercmp_ref import (build_pairs, check_vectors, compare, kensa_batch,  # noqa: E402
                        load_vectors, mutations, osv_versions, save_pairs, sign)

try:
    import rpm
except ImportError:
    skip("python3-rpm is not installed (./setup.sh)")

rng = random.Random(4)
upstream = set()
dump = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True).stdout
for line in dump.splitlines():
    if line.startswith("Version: "):
        v = line[9:].strip().split(":", 1)[-1]
        upstream.add(v.rsplit("-", 1)[0])
for eco in ("Go", "crates.io", "PyPI"):
    for vs in osv_versions(eco).values():
        upstream.update(v for v in vs if v != "0" and " " not in v)
upstream = sorted(upstream)
if len(upstream) < 1000:
    skip(f"only {len(upstream)} upstream versions found")

releases = ["1", "2", "10", "1.el8", "3.el9_2", "0.1.rc1.fc39", "1.fc39", "2.fc40", "150400.3.3.1",
            "lp155.1.2", "1.amzn2023.0.2", "1.amzn2.0.1", "1.module+el8.9.0+19040+e7a2cb4c",
            "0.20230101git1234abc.fc39", "1.fc39~bootstrap", "1^20230101.fc39", "3.1.el7_9",
            "1.1", "1.10", "1.9", "0", "00", "1.el9", "1.el9_0.1", "alt1", "1.mga9", "1.oe2203",
            "1.ph5", "150500.1.1", "1.azl3", "4.cm2"]
groups = []
evrs = set()
for v in rng.sample(upstream, 2500):
    g = []
    for r in rng.sample(releases, 4):
        e = rng.choice(["", "", "", "1:", "2:", "0:"])
        g.append(f"{e}{v}-{r}")
    g.sort()
    groups.append(g)
    evrs.update(g)

edges = ["", " ", "0", "1", "1.0", "1.0-1", "1.0-", "-1", "1:", ":1", ":1.0-1", "1:1.0",
         "0:1.0", "00:1.0", "a:1.0", "1:2:3", "1.0-1-1", "1.0~rc1", "1.0~rc1-1", "1.0~~", "1.0~",
         "~", "^", "1.0^", "1.0^git1", "1.0^git1~pre", "1.0.1", "1.0a", "1.0.a", "1.0A", "1_0",
         "1..0", "1.0.", ".1.0", "1.0-1.el8", "1.0-1.el8_1", "1.0-1.el8.1", "1.0-~1", "1.0-^1",
         "1." + "9" * 30, "1." + "0" * 30 + "1", "18446744073709551616", "2.0.0-0.1.rc1",
         "1.0\u00e4", "1.0 1", "1.0+1", "1.0+", "+", "1.0~rc1^git2", "1.0^git2~rc1", "a", "abc",
         "1.0-1~", "1.0-1^", "1.0-", "1.0--1", "1.0-1-"]
for v in rng.sample(sorted(evrs), 80):
    edges += mutations(v, rng)

pairs = build_pairs(groups, edges, rng, target=20000)
pairs = list(dict.fromkeys(pairs + [(a, b) for a, b, _ in load_vectors("rpm")]))


def ver(v):
    try:
        return rpm.ver(v)
    except (ValueError, TypeError):
        return None


want = []
for a, b in pairs:
    x, y = ver(a), ver(b)
    try:
        if x is None or y is None:
            raise ValueError("invalid version")
        want.append(sign(rpm.labelCompare((x.e, x.v, x.r), (y.e, y.v, y.r))))
    except ValueError:	# rpm refuses an empty version part ("1:", "-1")
        want.append("!")
got = kensa_batch("rpm", pairs)
print(f"rpm {rpm.__version__}; pairs:", save_pairs("rpm", pairs, want))
check_vectors("rpm", pairs, want)
compare("rpm", pairs, want, got)
done()
