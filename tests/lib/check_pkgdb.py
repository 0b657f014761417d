#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""check_pkgdb.py — data-driven analyzer tests.

Each case is a directory tests/pkgdb/<case>/ with:
  rootfs/        a small root file system (real files, as a package manager leaves them)
  expected.tsv   one package per line: ecosystem, name, version, location (tab-separated;
                 lines starting with '#' are comments), and optionally a fifth column, flags
                 ("dev,lockfile"; empty for none): when any line has it, flags are compared
                 for every package. The set must equal what `kensa sbom -f json dir:rootfs`
                 reports.
  files.tsv      optional: name, path lines — each path must be among that package's files
  warnings       optional: substrings that must appear on stderr (one per line)
A new case is a new directory, not new code.
"""
import json
import os
import subprocess
import sys

KENSA = os.environ["KENSA"]
bad = 0
cases = sorted(os.listdir(sys.argv[1]))
for case in cases:
    d = os.path.join(sys.argv[1], case)
    if not os.path.isdir(os.path.join(d, "rootfs")):
        continue
    p = subprocess.run([KENSA, "sbom", "-f", "json", "dir:" + os.path.join(d, "rootfs")],
                       capture_output=True, text=True)
    if p.returncode != 0:
        print(f"{case}: kensa exited {p.returncode}: {p.stderr}")
        bad += 1
        continue
    doc = json.loads(p.stdout)
    want = set()
    with open(os.path.join(d, "expected.tsv")) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                want.add(tuple(line.rstrip("\n").split("\t")))
    with_flags = any(len(w) == 5 for w in want)
    want = {w + ("",) if with_flags and len(w) == 4 else w for w in want}
    got = {(x["ecosystem"], x["name"], x["version"] or "", x["location"] or "")
           + ((",".join(sorted(x.get("flags") or [])),) if with_flags else ()) for x in doc["packages"]}
    if got != want:
        bad += 1
        print(f"{case}: packages differ")
        for x in sorted(want - got):
            print("   missing:", "\t".join(x))
        for x in sorted(got - want):
            print("   extra:  ", "\t".join(x))
    fpath = os.path.join(d, "files.tsv")
    if os.path.exists(fpath):
        files = {}
        for x in doc["packages"]:
            files.setdefault(x["name"], set()).update(x["files"])
        with open(fpath) as f:
            for line in f:
                if not line.strip() or line.startswith("#"):
                    continue
                name, path = line.rstrip("\n").split("\t")
                if path not in files.get(name, set()):
                    bad += 1
                    print(f"{case}: {name} should own {path}")
    wpath = os.path.join(d, "warnings")
    if os.path.exists(wpath):
        for w in open(wpath).read().splitlines():
            if w and w not in p.stderr:
                bad += 1
                print(f"{case}: expected a warning containing {w!r}; stderr was: {p.stderr}")
    print(f"{case}: {'ok' if bad == 0 else 'checked'}")
sys.exit(1 if bad else 0)
