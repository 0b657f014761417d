#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""bench/sbom-vs-trivy.py — what kensa lists against what Trivy lists on the same images
(issue 2, done-means 2). Prints, per image and ecosystem, the counts on both sides, what
Trivy has that kensa lacks (must be nothing) and what kensa adds (with the reason: Trivy
skips language packages a distro package owns, jars without pom.properties …).

Packages are compared by package URL without qualifiers (epoch folded into the version,
PyPI names PEP 503-normalized), so spelling differences between the tools do not count.

usage: bench/sbom-vs-trivy.py [--check] [--images debian-slim,app-multi]
  --check: exit 1 when Trivy lists a package kensa does not (the tier-full test uses it)
"""
import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
from collections import Counter

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = os.environ.get("SHARED", os.path.join(root, "..", "shared"))
cache = os.environ.get("KENSA_CACHE", os.path.join(root, "tests", ".cache"))
kensa = os.environ.get("KENSA", os.path.join(root, "build", "kensa"))


def key(purl):
    """(type, namespace/name, version) of a purl, normalized."""
    p = purl[4:] if purl.startswith("pkg:") else purl
    q = ""
    if "?" in p:
        p, q = p.split("?", 1)
    p = p.split("#", 1)[0]
    version = ""
    if "@" in p.rsplit("/", 1)[-1]:
        p, version = p.rsplit("@", 1)
    typ, _, name = p.partition("/")
    name = urllib.parse.unquote(name)
    version = urllib.parse.unquote(version)
    quals = dict(urllib.parse.parse_qsl(q))
    if quals.get("epoch") and quals["epoch"] != "0" and ":" not in version:
        version = f"{quals['epoch']}:{version}"
    if typ == "pypi":
        name = re.sub(r"[-_.]+", "-", name).lower()
    if typ == "deb":
        name = name.split("/", 1)[-1]  # the distro namespace differs in spelling only
    return typ, name, version


def components(doc):
    out = []

    def walk(cs):
        for c in cs or []:
            if c.get("purl"):
                out.append(c)
            walk(c.get("components"))
    walk(doc.get("components"))
    return out


def image_tar(name):
    tar = os.path.join(cache, "images", f"{name}.docker.tar")
    if not os.path.exists(tar):
        os.makedirs(os.path.dirname(tar), exist_ok=True)
        with gzip.open(os.path.join(shared, "images", f"{name}.docker.tar.gz"), "rb") as s, open(tar + ".tmp", "wb") as d:
            shutil.copyfileobj(s, d, 1 << 20)
        os.rename(tar + ".tmp", tar)
    return tar


def trivy_sbom(name, tar):
    out = os.path.join(cache, "trivy", f"{name}.cdx.json")
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(tar):
        os.makedirs(os.path.dirname(out), exist_ok=True)
        subprocess.run([os.path.join(shared, "bench", "trivy-offline.sh"), "image", tar, out + ".tmp"], check=True,
                       stdout=subprocess.DEVNULL)
        os.rename(out + ".tmp", out)
    return json.load(open(out))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--images", default="debian-slim,app-multi")
    args = ap.parse_args()
    missing_any = False
    for name in args.images.split(","):
        tar = image_tar(name)
        trivy = {key(c["purl"]): c for c in components(trivy_sbom(name, tar))}
        doc = json.loads(subprocess.run([kensa, "-q", "sbom", "-f", "json", "docker-archive:" + tar],
                                        capture_output=True, text=True, check=True).stdout)
        mine = {}
        for p in doc["packages"]:
            if p.get("purl"):
                mine[key(p["purl"])] = p
        tcount = Counter(k[0] for k in trivy)
        kcount = Counter(k[0] for k in mine)
        print(f"## {name}\n")
        print("| purl type | Trivy | kensa | Trivy lists, kensa does not | kensa adds |")
        print("|---|---|---|---|---|")
        for typ in sorted(set(tcount) | set(kcount)):
            lacking = [k for k in trivy if k[0] == typ and k not in mine]
            extra = [k for k in mine if k[0] == typ and k not in trivy]
            print(f"| {typ} | {tcount[typ]} | {kcount[typ]} | {len(lacking)} | {len(extra)} |")
        lacking = sorted(k for k in trivy if k not in mine)
        if lacking:
            missing_any = True
            print("\nTrivy lists, kensa does not:")
            for k in lacking:
                print(f"  {k[0]} {k[1]} {k[2]}")
        extra = sorted(k for k in mine if k not in trivy)
        reasons = Counter()
        for k in extra:
            p = mine[k]
            if p.get("owner") is not None:
                reasons["owned by a distro package (Trivy skips those)"] += 1
            elif p["ecosystem"] == "Maven" and not any(x for x in p.get("properties", {}) if "pom" in x):
                reasons["jar identified without a pom.properties"] += 1
            elif "lockfile" in p.get("flags", []):
                reasons["declared by a lock file"] += 1
            else:
                reasons[f"{p['ecosystem']}: {p['analyzer']}"] += 1
        if extra:
            print(f"\nkensa adds {len(extra)}:")
            for r, n in reasons.most_common():
                print(f"  {n:4d}  {r}")
        print()
    if args.check and missing_any:
        sys.exit(1)


if __name__ == "__main__":
    main()
