#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""kensa vercmp RubyGems agrees with RubyGems' own Gem::Version (Debian's ruby) on >= 10,000
pairs: the versions of the RubyGems OSV feed (range events and the raw patched/unaffected
requirement strings), the gems installed with Ruby, upstream versions of Debian's ruby-*
packages, prerelease spellings ("1.0.a", "1.0-rc1", "1.0.rc.1"), trailing zeros, whitespace,
numbers beyond 64 bits and malformed strings (Gem::Version raises: "!")."""
import glob
import os
import random
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import ROOT, done, skip  # noqa: E402
from vercmp_ref import (build_pairs, check_vectors, compare, kensa_batch,  # noqa: E402
                        load_vectors, mutations, osv_records, osv_versions,
                        run_reference, save_pairs)

if subprocess.run(["sh", "-c", "command -v ruby"], capture_output=True).returncode != 0:
    skip("ruby is not installed (./setup.sh)")
ref = ["ruby", os.path.join(ROOT, "tests", "lib", "gem_ref.rb")]
rng = random.Random(6)

groups = list(osv_versions("RubyGems").values())
reqs = []
for rec in osv_records("RubyGems"):
    for aff in rec.get("affected", []):
        ds = aff.get("database_specific", {})
        for key in ("patched_versions", "unaffected_versions"):
            for r in ds.get(key, []) or []:
                reqs += re.findall(r"[0-9][0-9A-Za-z.\-]*", r)
groups.append(sorted(set(reqs)))
installed = [re.sub(r"^.*-([0-9][^-]*)\.gemspec$", r"\1", os.path.basename(p))
             for p in glob.glob("/usr/lib/ruby/gems/*/specifications/**/*.gemspec", recursive=True)
             + glob.glob("/usr/share/rubygems-integration/**/*.gemspec", recursive=True)]
groups.append(sorted(set(installed)))
dump = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True).stdout
debian = []
pkg = None
for line in dump.splitlines():
    if line.startswith("Package: "):
        pkg = line[9:]
    elif line.startswith("Version: ") and pkg and pkg.startswith("ruby-"):
        debian.append(line[9:].split(":", 1)[-1].rsplit("-", 1)[0].split("+")[0].split("~")[0])
groups.append(sorted(set(debian)))
real = sorted({v for g in groups for v in g})
print(f"{len(real)} distinct versions (OSV feed, requirements, installed gems, Debian ruby-*)")
if len(real) < 500:
    skip("too few RubyGems versions found")

edges = ["", " ", "\t\n", "0", "0.0", "00", "1", "1.0", "1.0.0", "1.0.0.0.0", "01", "1.00",
         "1.0.a", "1.0.A", "1.0.b", "1.0.B", "1.a", "1.0.a1", "1.0.a10", "1.0.a9", "1.0.a.1",
         "1.0.a.b", "1.0.0.a", "1.0-rc1", "1.0.rc1", "1.0rc1", "1.0.rc.1", "1.0-1", "1.0.0-1",
         "1.0--a", "1.0-a-b", "1.0-a.b", "1.0-a..b", "1.0-", "1.0-.a", "1a", "a", "1..0", ".1",
         "1.", "1.0 ", " 1.0", "\t1.0\n", "1 0", "1.0_1", "1.0+1", "1.0.pre", "1.0-pre",
         "1.0.pre.1", "1.0.0.pre", "0.a", "1.0.0.1", "1." + "9" * 30, "1." + "0" * 30 + "1",
         "18446744073709551616", "1.0.Z", "1.0.z", "1.0.aa", "1.0.a.0", "1.0.a.0.0",
         "1.0.0.a.0.b", "1.0.a0", "1.0.0a", "2.0.0.rc1", "2.0.0.beta.2", "3.1.0-preview1",
         "1.0\u00e4", "\u00a01.0", "1.0.-1", "1.0.a-1", "-1", "1-1"]
for v in rng.sample(real, 60):
    edges += mutations(v, rng)
pairs = build_pairs(groups, edges, rng, target=20000)
pairs = list(dict.fromkeys(pairs + [(a, b) for a, b, _ in load_vectors("gem")]))
want = run_reference(ref, pairs)
got = kensa_batch("RubyGems", pairs)
print("pairs:", save_pairs("gem", pairs, want))
check_vectors("gem", pairs, want)
compare("gem", pairs, want, got)
done()
