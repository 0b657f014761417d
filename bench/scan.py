#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""bench/scan.py — the full `kensa scan` (inventory + match + risk + report) of each shared
image, as an uncompressed docker-archive, against Trivy's SBOM-only run of the same archive
(issue 4, done-means 5: ≥ 5× faster). Interleaved runs, medians, ratios. Also the matching
step alone: `kensa scan sbom:FILE` reports its own match/evidence/risk time (stats.seconds).

usage: bench/scan.py [--runs N] [--images debian-slim,app-multi]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import KENSA as kensa, SHARED as shared, TRIVY as trivy, compare, image_tar  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--images", default="debian-slim,app-multi")
args = ap.parse_args()

db = "/tmp/kensa-bench-scan.db"
subprocess.run([kensa, "-q", "db", "build", "--db", db, "--from", os.path.join(shared, "data")], check=True)
rows = []
for image in args.images.split(","):
    tar = image_tar(image)
    out = "/tmp/kensa-bench-scan-out"
    r = compare({
        "kensa scan": [kensa, "-q", "scan", "--db", db, "--all", "-f", "json", "-o", out + ".json",
                       "docker-archive:" + tar],
        "trivy sbom": [trivy, "image", tar, out + ".cdx.json"],
    }, runs=args.runs)
    # the matching step alone, on the image's SBOM
    sb = out + ".sbom.json"
    subprocess.run([kensa, "-q", "sbom", "-f", "json", "-o", sb, "docker-archive:" + tar], check=True)
    inner = []
    for _ in range(args.runs):
        p = subprocess.run([kensa, "-q", "scan", "--db", db, "--all", "-f", "json", "sbom:" + sb],
                           capture_output=True, text=True, check=True)
        doc = json.loads(p.stdout)
        inner.append(doc["stats"]["seconds"])
    npk = doc["target"]["packages"]
    rows.append((image, r["kensa scan"]["median_wall"], r["trivy sbom"]["median_wall"],
                 r["kensa scan"]["median_rss"], statistics.median(inner), npk, doc["summary"]["funnel"]["total"]))
    print(f"# {image}: kensa {r['kensa scan']['wall']} trivy {r['trivy sbom']['wall']}", file=sys.stderr)

print(f"runs per tool: {args.runs} (medians), interleaved, after one warm-up run each\n")
print("| image | kensa scan s | Trivy SBOM-only s | speed-up | kensa MiB | match+risk ms | packages | findings |")
print("|---|---|---|---|---|---|---|---|")
for image, k, t, rss, inner, npk, nf in rows:
    print(f"| {image} | {k:.3f} | {t:.2f} | {t / k:.1f}× | {rss:.1f} | {inner * 1000:.1f} | {npk} | {nf} |")
