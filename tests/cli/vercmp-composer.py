#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""kensa vercmp Packagist agrees with Composer (Debian's php-composer-semver: each side
through VersionParser::normalize(), then PHP's version_compare()) on >= 10,000 pairs: the
Packagist OSV feed, upstream versions of Debian's php-* packages, the same versions in the
shapes Composer normalizes ("v1.2", "1.2.3.4", "1.0-beta2", "1.0.0-RC1", "1.0-p1",
"1.0.0-patch", "2.0.x-dev", "1.0+build", "1.0@beta", "1.0 as 2.0", dates), and malformed
strings and branch names (normalize() throws or gives "dev-…": "!")."""
import itertools
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import ROOT, done, skip  # noqa: E402
from vercmp_ref import (build_pairs, check_vectors, compare, kensa_batch,  # noqa: E402
                        load_vectors, mutations, osv_versions, run_reference,
                        save_pairs)

if not os.path.exists("/usr/share/php/Composer/Semver/autoload.php"):
    skip("php-composer-semver is not installed (./setup.sh)")
ref = ["php", os.path.join(ROOT, "tests", "lib", "composer_ref.php")]
rng = random.Random(7)

groups = list(osv_versions("Packagist").values())
dump = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True).stdout
debian = []
pkg = None
for line in dump.splitlines():
    if line.startswith("Package: "):
        pkg = line[9:]
    elif line.startswith("Version: ") and pkg and (pkg.startswith("php-") or pkg.startswith("php8")):
        debian.append(line[9:].split(":", 1)[-1].rsplit("-", 1)[0].split("+")[0].split("~")[0])
debian = sorted(set(debian))
groups.append(debian)
shapes = []
for v in rng.sample(debian, min(len(debian), 120)):
    g = [v, "v" + v, v + ".0", v + "-beta2", v + "-RC1", v + "-rc.1", v + "-alpha", v + "-a1",
         v + "-b1", v + "-p1", v + "-pl2", v + "-patch", v + "-dev", v + ".x-dev", v + "-stable",
         v + "+build.1", v + "@beta", v + " as 9.9", v + "beta", v + ".beta.1", v + "-beta-dev",
         v + "-RC1-dev", v + "-STABLE", v + "_alpha1"]
    groups.append(g)
    shapes += g
dates = ["2024-01-30", "20240130", "2024.01.30", "2024-01-30-beta", "2024.01.30.123",
         "2024-01-30 12:00", "202401301200", "2024.01", "2024", "20240130.1",
         "2024-01-30.1234", "v2024.01.30"]
groups.append(dates)
real = sorted({v for g in groups for v in g})
print(f"{len(real)} distinct versions (OSV feed, Debian php-*, normalization shapes)")
if len(debian) < 100:
    skip("too few php-* versions in apt's index")

edges = ["", " ", "0", "1", "1.0", "1.0.0", "1.0.0.0", "1.0.0.0.0", "v1", "V1.0", "01.02",
         "99999", "100000", "123456", "1234567", "1.0.0-", "1.0-beta", "1.0beta", "1.0.beta",
         "1.0-BETA1", "1.0-b", "1.0-RC", "1.0-rc", "1.0-Rc1", "1.0-alpha.1.2", "1.0-alpha-1-2",
         "1.0-dev", "1.0.x-dev", "1.x-dev", "1.*-dev", "1.0.*-dev", "dev-main", "dev-master",
         "master", "trunk", "default", "DEV-main", "main-dev", "1.0-foo", "foo", "1.0 as 2.0",
         "1.0  as  2.0", "1.0 As 2.0", "1.0@dev", "1.0@STABLE", "1.0@foo", "1.0+", "1.0+abc",
         "1.0+a b", "1.0,1", "1.0-stable", "1.0-STABLE", "1.0-patch1", "1.0-pl", "1.0-p",
         "1.0-p.1", "1.0.0.0-dev", "1.0-beta.1-dev", "1.0-beta1.dev", "1.0-beta.-dev",
         "1.0-RC1.2.3", "1.0_1", "1.0~1", "1.0-1", "1.0.0-1", "1.0.0.0-1", "2024-01-30",
         "2024-1-30", "2024-01-3", "2024-01-30-30-30-30-30", "2024-01-30-30-30-30-30-30-30",
         "1.0." + "9" * 25, "9" * 25 + ".0", "1.0\u00e4", "1.0\n-dev", "1.0-dev\n",
         "1.0.0-RC1+build", "1.0.0+build-RC1", "1.0.0-beta+dev", "1.0 as dev-main",
         "dev-main as 1.0", "1.2.3.4.5", "1.0-a1.b2", "1.0-alpha1alpha2"]
for v in rng.sample(real, 40):
    edges += mutations(v, rng)
pairs = build_pairs(groups, edges, rng, target=20000)
pairs = list(dict.fromkeys(pairs + [(a, b) for a, b, _ in load_vectors("composer")]))
want = run_reference(ref, pairs)
got = kensa_batch("Packagist", pairs)
print("pairs:", save_pairs("composer", pairs, want))
check_vectors("composer", pairs, want)
compare("composer", pairs, want, got)
done()
