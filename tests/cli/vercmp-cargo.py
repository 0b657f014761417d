#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""kensa vercmp crates.io agrees with the `semver` crate (Debian's librust-semver-dev, the
parser cargo uses, compiled at test time when a rustc is on this machine) on >= 10,000
pairs: every version of the RustSec feed (OSV and the raw requirement strings), SemVer's
precedence examples, numbers at and beyond 2^64, leading zeros, build metadata (ignored for
order) and malformed strings (Version::parse fails: "!").

Debian's rustc is not in setup.sh (190 MB for one test); without a rustc this test skips and
tests/version/cargo.txt plus vercmp-properties.py stand alone."""
import os
import random
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import CACHE, ROOT, SHARED, done, skip  # noqa: E402
from vercmp_ref import (build_pairs, check_vectors, compare, kensa_batch,  # noqa: E402
                        load_vectors, mutations, osv_versions, run_reference, save_pairs)

crate = "/usr/share/cargo/registry/semver-1.0.14"
rustc = shutil.which("rustc") or shutil.which("rustc", path=os.path.expanduser("~/.cargo/bin"))
if not os.path.isdir(crate):
    skip("librust-semver-dev is not installed (./setup.sh)")
if not rustc:
    skip("no rustc on this machine to build the semver crate reference")
src = os.path.join(ROOT, "tests", "lib", "cargo_semver_ref.rs")
out = os.path.join(CACHE, "rust")
binary = os.path.join(out, "cargo_semver_ref")
if not os.path.exists(binary) or os.path.getmtime(binary) < os.path.getmtime(src):
    os.makedirs(out, exist_ok=True)
    for cmd in ([rustc, "--edition=2018", "--crate-type=rlib", "--crate-name=semver", "-O",
                 "--cap-lints=allow", "-o", os.path.join(out, "libsemver.rlib"),
                 os.path.join(crate, "src", "lib.rs")],
                [rustc, "--edition=2021", "-O", "--extern",
                 f"semver={os.path.join(out, 'libsemver.rlib')}", "-o", binary, src]):
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            skip(f"cannot build the semver crate reference: {p.stderr.strip()[:300]}")

rng = random.Random(10)
groups = list(osv_versions("crates.io").values())
tsv = os.path.join(SHARED, "data", "osv-extra", "crates.io-version-requirements.tsv")
if os.path.exists(tsv):
    with open(tsv, encoding="utf-8") as f:
        groups.append(sorted(set(re.findall(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?",
                                            f.read()))))
real = sorted({v for g in groups for v in g})
print(f"{len(real)} distinct versions from RustSec")
if len(real) < 300:
    skip("the crates.io OSV feed is missing from ../shared/data/osv/crates.io")
edges = ["", " ", "1", "1.2", "1.2.3", "v1.2.3", "=1.2.3", " 1.2.3", "1.2.3 ", "01.2.3", "1.02.3",
         "1.2.03", "0.0.0", "0.0.0-0", "1.2.3-", "1.2.3+", "1.2.3-01", "1.2.3-0", "1.2.3-0a",
         "1.2.3-a..b", "1.2.3-a.", "1.2.3.4", "1.2.3-alpha+001", "1.2.3+001", "1.2.3+a+b",
         "1.2.3-alpha.1", "1.2.3-alpha.beta", "1.2.3-99999999999999999999",
         "1.2.3-100000000000000000000", "18446744073709551615.0.0", "18446744073709551616.0.0",
         "0.18446744073709551615.0", "1.2.3-\u00e9", "1.2.3-_", "1.2.3--", "1.2.3-x.7.z.92",
         "1.2.3-A", "1.2.3-a", "1.2.3-a-b", "1.2.3-\t", "1.2.3+build.1-2"]
for v in rng.sample(real, 30):
    edges += mutations(v, rng)
# real versions in the shapes crates publish: prereleases and build metadata
groups.append([v + s for v in rng.sample(real, 200)
               for s in ("-alpha.1", "-beta", "-rc.1", "-0", "+build.5", "-pre+meta")])
pairs = build_pairs(groups, edges, rng, target=30000)
pairs = list(dict.fromkeys(pairs + [(a, b) for a, b, _ in load_vectors("cargo")]))
want = run_reference([binary], pairs)
got = kensa_batch("crates.io", pairs)
print("pairs:", save_pairs("cargo", pairs, want))
check_vectors("cargo", pairs, want)
compare("cargo", pairs, want, got)
done()
