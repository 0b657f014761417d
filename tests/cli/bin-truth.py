#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""Java and Go on the real images: every Maven and Go row of ../shared/images/truth/<image>.tsv
is reported at its path with its version; every Maven/Go package Trivy (the peer) finds in the
image's jars and binaries is reported too; extras are jars identified by MANIFEST.MF / file
name; and reading app-multi keeps no binary in memory (extract() summaries only), checked
through the peak RSS of the kensa process.

Trivy's `image` mode reports no jar or Go binary of these archives offline, so its `rootfs` mode
is run on the image's /usr/share/java and /usr/local/bin, extracted here."""
import io
import json
import os
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import CACHE, KENSA, SHARED, TMP, check, done, image_gz, truth  # noqa: E402

# 55 MiB of executables and jars are read from app-multi; 18 MiB of RSS is what kensa needs
# with summaries only. Keeping the contents would put it past this bound.
MAX_RSS_MIB = 64
ECOS = ("Maven", "Go")


def sbom_with_rss(target):
    """kensa's JSON SBOM of target and the peak RSS (KiB) of that one process. GNU time does the
    measuring: a child forked from this (by then large) Python process would inherit its
    high-water mark across exec."""
    out, rss_file = os.path.join(TMP, "sbom.json"), os.path.join(TMP, "rss")
    p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file, KENSA, "sbom", "-f", "json", "-o", out,
                        target], capture_output=True, text=True)
    if p.returncode != 0:
        raise AssertionError(f"kensa sbom {target}: exit {p.returncode}: {p.stderr[-2000:]}")
    with open(out) as f, open(rss_file) as r:
        return json.load(f), int(r.read().split()[-1])


for image in ("app-multi", "debian-slim"):
    doc, rss = sbom_with_rss("docker-archive:" + image_gz(image))
    got = {(p["ecosystem"], p["name"], p["version"], p["location"]) for p in doc["packages"]
           if p["ecosystem"] in ECOS}
    want = {(r["ecosystem"], r["name"], r["version"], r["path_or_source"]) for r in truth(image)
            if r["ecosystem"] in ECOS}
    missing = sorted(want - got)
    check(not missing, f"{image}: {len(missing)} Maven/Go truth rows missing: {missing[:10]}")
    extras = sorted(x for x in got - want)
    unexplained = [x for x in extras
                   if not (x[0] == "Maven" and any(p["location"] == x[3] and p["name"] == x[1]
                                                   and "java:identified-by" in p["properties"]
                                                   for p in doc["packages"]))]
    check(not unexplained, f"{image}: extra Maven/Go packages not from MANIFEST/file name: {unexplained[:10]}")
    check(rss < MAX_RSS_MIB * 1024, f"{image}: kensa peaked at {rss >> 10} MiB (bound {MAX_RSS_MIB})")
    print(f"{image}: {len(want)} Maven/Go truth rows, {len(got)} reported, {len(missing)} missing, "
          f"{len(extras)} extras from MANIFEST/file name, peak RSS {rss >> 10} MiB")

    # Trivy on the same jars and binaries
    trivy = os.path.join(SHARED, "bench", "trivy-offline.sh")
    if not os.path.exists(trivy):
        print("trivy: skipped (no bench/trivy-offline.sh)")
        continue
    root = os.path.join(TMP, image + "-rootfs")
    with tarfile.open(image_gz(image)) as outer:
        manifest = json.load(outer.extractfile("manifest.json"))
        for layer in manifest[0]["Layers"]:
            with tarfile.open(fileobj=io.BytesIO(outer.extractfile(layer).read())) as lt:
                for m in lt.getmembers():
                    name = m.name.lstrip("./")
                    if (name.startswith("usr/share/java/") or name.startswith("usr/local/bin/")) and \
                            (m.isfile() or m.issym()):
                        lt.extract(m, root, set_attrs=False)
                        if m.isfile():
                            os.chmod(os.path.join(root, name), m.mode & 0o777)
    os.makedirs(root, exist_ok=True)
    out = os.path.join(CACHE, f"trivy-{image}-bin.cdx.json")
    os.makedirs(CACHE, exist_ok=True)
    p = subprocess.run([trivy, "rootfs", root, out], capture_output=True, text=True, timeout=900)
    if p.returncode != 0:
        print(f"trivy: skipped (exit {p.returncode}: {(p.stderr + p.stdout)[-300:]})")
        continue
    peer = set()
    for c in json.load(open(out)).get("components", []):
        purl = (c.get("purl") or "").split("?")[0]
        if purl.startswith(("pkg:maven/", "pkg:golang/")):
            path = next((x["value"] for x in c.get("properties", []) if x["name"] == "aquasecurity:trivy:FilePath"), "")
            peer.add((purl, "/" + path.lstrip("/")))
    ours = {(p["purl"].split("?")[0], p["location"]) for p in doc["packages"] if p["ecosystem"] in ECOS}
    peer_only = sorted(peer - ours)
    check(not peer_only, f"{image}: Trivy finds Maven/Go packages kensa does not: {peer_only[:10]}")
    print(f"{image}: Trivy (rootfs of jars and binaries) {len(peer)} Maven/Go, kensa {len(ours)}, "
          f"{len(peer_only)} only in Trivy")
done()
