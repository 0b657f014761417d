#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""bench/vercmp.py — how fast kensa compares versions, per scheme, on real versions.

Builds bench/version-compare.c against build/libkensa.a, writes pair files from the data on
this machine (apt's index for dpkg and rpm, the OSV feeds in ../shared for the others, the
npm registry cache of the tests for npm ranges if present) and prints ns per comparison.
The matcher compares millions of times; the target is well under 1 µs for typical versions.

    make && bench/vercmp.py [SECONDS]
"""
import glob
import json
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("SHARED", os.path.join(ROOT, "..", "shared"))
seconds = sys.argv[1] if len(sys.argv) > 1 else "2"
tmp = tempfile.mkdtemp(prefix="kensa-bench-")
binary = os.path.join(tmp, "version-compare")
libs = subprocess.run(["pkg-config", "--libs", "libarchive", "sqlite3", "libcurl", "libcrypto",
                       "yaml-0.1", "libcjson", "zlib", "libpcre2-8", "libbpf", "libelf"],
                      capture_output=True, text=True, check=True).stdout.split()
subprocess.run(["cc", "-O2", "-std=c11", "-D_GNU_SOURCE", "-I" + os.path.join(ROOT, "include"),
                "-o", binary, os.path.join(ROOT, "bench", "version-compare.c"),
                os.path.join(ROOT, "build", "libkensa.a"), *libs, "-ldb-5.3", "-lm", "-lpthread"],
               check=True)
rng = random.Random(1)


def osv(eco):
    out = set()
    for path in glob.glob(os.path.join(SHARED, "data", "osv", eco, "*.json")):
        with open(path, encoding="utf-8") as f:
            rec = json.load(f)
        for aff in rec.get("affected", []):
            out.update(aff.get("versions", []))
            for r in aff.get("ranges", []):
                if r.get("type") in ("ECOSYSTEM", "SEMVER"):
                    for ev in r.get("events", []):
                        out.update(v for k, v in ev.items() if k != "limit" and v != "0")
    return sorted(v for v in out if "\t" not in v and "\n" not in v)


dump = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True).stdout
debian = sorted({l[9:] for l in dump.splitlines() if l.startswith("Version: ")})
sets = {
    "dpkg": debian,
    "rpm": [v.split(":", 1)[-1] + ".el9" for v in debian],
    "pep440": osv("PyPI"),
    "go": osv("Go"),
    "gem": osv("RubyGems"),
    "cargo": osv("crates.io"),
    "maven": osv("Maven") + ["2.0.0.M1", "31.1-jre", "5.3.20.RELEASE", "1.0-SNAPSHOT",
                             "4.0.0.Final", "1.0-alpha-1", "2.12.7.1"],
    "semver": osv("npm") + ["1.2.3-beta.2", "0.0.0-experimental-a389046a5-20230512",
                            "18.3.0-canary-d900fadbf-20230929", "5.4.0-dev.20231107"],
    "composer": osv("Packagist") + ["v1.2.3", "1.0.0-RC1", "2.x-dev", "1.0.0-beta2"],
    "nuget": osv("NuGet") + ["13.0.1", "12.0.3-beta1", "1.0.0.1", "6.0.0-preview.7.21377.19"],
    "apk": ["1.2.3-r0", "1.2.3_rc1-r0", "3.1_p17", "2.9.11_pre20051101-r3", "1.0~1234-r1",
            "20050718-r2", "0.9.8c-r1", "1.36.1-r15", "3.0.15-r0"],
}
print(f"{'scheme':10} result")
for scheme, versions in sets.items():
    versions = [v for v in versions if v]
    if len(versions) < 2:
        continue
    path = os.path.join(tmp, scheme + ".tsv")
    with open(path, "w", encoding="utf-8") as f:
        for _ in range(20000):
            f.write(f"{rng.choice(versions)}\t{rng.choice(versions)}\n")
    out = subprocess.run([binary, scheme, path, seconds], capture_output=True, text=True,
                         check=True).stdout.strip()
    print(f"{scheme:10} {out}")

cache = os.path.join(ROOT, "tests", ".cache", "npm-registry")
ranges, versions = [], []
for path in glob.glob(os.path.join(cache, "*.json")):
    with open(path, encoding="utf-8") as f:
        d = json.load(f)
    versions += d["versions"]
    ranges += [r for _, r in d["ranges"]]
if ranges:
    path = os.path.join(tmp, "ranges.tsv")
    with open(path, "w", encoding="utf-8") as f:
        for _ in range(20000):
            f.write(f"{rng.choice(ranges)}\t{rng.choice(versions)}\n")
    out = subprocess.run([binary, "--satisfies", path, seconds], capture_output=True, text=True,
                         check=True).stdout.strip()
    print(f"{'npm range':10} {out}")
