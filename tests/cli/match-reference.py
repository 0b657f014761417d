#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""The matcher is exact (issue 3, done-means 3): on the shared images, the (package,
advisory) findings of `kensa scan --all` equal the set computed independently by
tests/lib/osv_reference.py — the OSV algorithm over the raw feed files with the reference
comparators (dpkg, python3-packaging, node-semver) — every advisory whose range contains the
installed version, and nothing else."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import CACHE, IMAGES, SHARED, TMP, check, done, image_tar, kensa  # noqa: E402
from osv_reference import expected_matches, load_osv  # noqa: E402

db = os.path.join(TMP, "kensa.db")
kensa("-q", "db", "build", "--db", db, "--from", os.path.join(SHARED, "data"), check_rc=0)
index = load_osv(os.path.join(SHARED, "data"))

for image in IMAGES:
    target = "docker-archive:" + image_tar(image)
    sbom = os.path.join(TMP, f"{image}.sbom.json")
    kensa("-q", "sbom", "-f", "json", "-o", sbom, target, check_rc=0)
    inv = json.load(open(sbom))
    # scan the SBOM, so both sides see the very same inventory
    rep = json.loads(kensa("-q", "scan", "--db", db, "--all", "-f", "json", "sbom:" + sbom, check_rc=0).stdout)
    by_purl = {}
    for p in inv["packages"]:
        by_purl.setdefault((p["purl"], p["location"]), p["index"])
    got = set()
    for f in rep["findings"]:
        key = (f["package"]["purl"], f["package"]["location"])
        check(key in by_purl, f"{image}: finding for an unknown package {key}")
        got.add((by_purl.get(key), f["id"]))
    want = expected_matches(inv, index, CACHE)
    name = {p["index"]: f"{p['name']} {p['version']}" for p in inv["packages"]}
    missing = sorted((name[i], a) for i, a in want - got)
    extra = sorted((name[i], a) for i, a in got - want if i is not None)
    check(not missing, f"{image}: {len(missing)} findings the reference finds and kensa does not: {missing[:15]}")
    check(not extra, f"{image}: {len(extra)} findings kensa reports and the reference does not: {extra[:15]}")
    check(len(got) == len(rep["findings"]), f"{image}: one finding per (advisory, installed package)")
    print(f"{image}: kensa {len(got)} findings, reference {len(want)}, missing {len(missing)}, extra {len(extra)}")
done()
