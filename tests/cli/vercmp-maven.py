#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""kensa vercmp Maven agrees with Maven's own ComparableVersion (maven-artifact 3.8 from
Debian's maven package, compiled against at test time) on >= 10,000 pairs: the versions of
the Maven OSV feed and of Debian's /usr/share/maven-repo, upstream versions of Debian's Java
libraries, real-world shapes (31.1-jre, 5.3.20.RELEASE, 4.0.0.Final, 9.4.44.v20210927,
1.0-20230101.123456-1), and every combination of base × separator × qualifier (alpha/a,
beta/b, milestone/m, rc/cr, snapshot, ga/final/release, sp, unknown) × number.

Maven orders any string; kensa refuses the empty string and non-printable or non-ASCII
text (docs/vercmp.md), which this test applies as policy."""
import glob
import itertools
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import CACHE, ROOT, done, skip  # noqa: E402
from vercmp_ref import (build_pairs, check_vectors, compare, kensa_batch,  # noqa: E402
                        load_vectors, mutations, osv_versions, run_reference,
                        save_pairs)

jar = "/usr/share/maven/lib/maven-artifact-3.x.jar"
if not os.path.exists(jar):
    skip("Maven is not installed (./setup.sh installs Debian's maven)")
classes = os.path.join(CACHE, "java")
src = os.path.join(ROOT, "tests", "lib", "MavenVercmp.java")
target = os.path.join(classes, "MavenVercmp.class")
if not os.path.exists(target) or os.path.getmtime(target) < os.path.getmtime(src):
    os.makedirs(classes, exist_ok=True)
    subprocess.run(["javac", "-cp", jar, "-d", classes, src], check=True)
ref = ["java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", f"{classes}:{jar}", "MavenVercmp"]

rng = random.Random(5)
groups = list(osv_versions("Maven").values())
repo = sorted({os.path.basename(os.path.dirname(p))
               for p in glob.glob("/usr/share/maven-repo/*/**/*.pom", recursive=True)})
groups.append(repo)
java_libs = []
dump = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True).stdout
pkg = None
for line in dump.splitlines():
    if line.startswith("Package: "):
        pkg = line[9:]
    elif line.startswith("Version: ") and pkg and pkg.endswith("-java"):
        java_libs.append(line[9:].split(":", 1)[-1].rsplit("-", 1)[0])
groups.append(sorted(set(java_libs)))
real_world = ["31.1-jre", "31.1-android", "32.0.0-jre", "5.3.20.RELEASE", "5.3.20", "4.0.0.Final",
              "4.0.0.CR1", "4.0.0.Beta1", "4.0.0.Alpha2", "2.0.0.M1", "2.0.0.M10", "2.0.0.RC1",
              "9.4.44.v20210927", "9.4.44.v20211011", "1.0-20230101.123456-1", "1.0-SNAPSHOT",
              "2.12.7.1", "2.12.7", "2.13.0-rc1", "3.0.0-beta-2", "1.0-beta-2", "1.0-alpha-1",
              "1.0-alpha-10", "1.0a1", "1.0b2", "1.0m3", "1.0.0.GA", "1.0.0-ga", "1.0.0.sp1",
              "1.0.0-SP2", "r09", "r10", "1.2.3.4.5.6", "20030203.000129", "1.0.0-pom-1",
              "1-1-snapshot", "1.0.0.RELEASE", "2.0.0-1", "2.0.0.0", "2.0.0-0", "1.0.0+build"]
groups.append(real_world)
bases = ["1", "1.0", "1.0.0", "2.0", "1.2.3", "10", "1.10", "0", "0.0.1"]
quals = ["", "alpha", "a", "beta", "b", "milestone", "m", "rc", "cr", "snapshot", "SNAPSHOT",
         "ga", "GA", "final", "Final", "release", "RELEASE", "sp", "SP", "foo", "jre", "M", "c"]
seps = ["-", ".", ""]
nums = ["", "1", "2", "10", "01", "0"]
generated = [f"{b}{s}{q}{n}" for b, s, q, n in itertools.product(bases, seps, quals, nums)
             if q or n]
for b in bases:
    groups.append([g for g in generated if g.startswith(b)])

edges = ["", " ", "0", "00", "0.0", "0-0", "-", ".", "..", "-1", ".1", "1.", "1-", "1..1",
         "1--1", "1-.1", "1.-1", "1.0.0.0.0.0", "1.0-0.0", "1-0", "1-ga-1", "1-final-1",
         "1.0000000000", "1.0000000000.1", "1.00000000000000000001", "1." + "9" * 30,
         "1.2147483647", "1.2147483648", "1.9223372036854775807", "1.9223372036854775808",
         "1.0-" + "z" * 40, "1.0-!", "1.0_1", "1.0+1", "1.0~1", "1.0 1", "1.0\u00e4",
         "1.0\u0661", "1.0\x01", "1-a", "1-a1", "1a", "1a1", "1-A1", "1-m1", "1-b-1", "1-xyz",
         "1-XYZ", "1-sp-1", "1-1.1", "1.1-1", "1-1-1", "1-0-1", "1.0.a", "1.0-a", "1.a.0",
         "1-rc-1", "1-rc1", "1-RC.1", "1.rc1", "a", "A", "1.0.0.a.b.c", "x.y.z"]
for v in rng.sample(sorted({v for g in groups for v in g}), 40):
    edges += mutations(v, rng)
pairs = build_pairs(groups, edges, rng, target=20000)
pairs = list(dict.fromkeys(pairs + [(a, b) for a, b, _ in load_vectors("maven")]))
want = run_reference(ref, pairs)


def policy(a, b):
    """kensa refuses what Maven would order by guesswork: "" and non-printable-ASCII text."""
    for v in (a, b):
        if v == "" or any(not (0x20 <= ord(c) <= 0x7e) for c in v):
            return "!"
    return None


got = kensa_batch("Maven", pairs)
print("pairs:", save_pairs("maven", pairs, want))
check_vectors("maven", pairs, want, policy=policy)
compare("maven", pairs, want, got, policy=policy)
done()
