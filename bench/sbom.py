#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""bench/sbom.py — `kensa sbom` against Trivy's SBOM run on the shared images (issue 2, done-means 3).

For each image: the uncompressed docker-archive (what `docker save` writes) and the gzip'd
one; kensa and Trivy (../shared/bench/trivy-offline.sh) interleaved, medians of N runs, wall
time and peak RSS, ratios; plus `gzip -dc FILE >/dev/null` as the inflate floor for .tar.gz.
Targets: uncompressed ≥ 10× faster and ≤ 1/4 of Trivy's RSS; gzip ≥ 3× faster than Trivy and
within 1.5× of gzip -dc. Prints a markdown table (paste into bench/RESULTS.md).

usage: bench/sbom.py [--runs N] [--images debian-slim,app-multi]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import KENSA as kensa, TRIVY as trivy, compare, image_gz, image_tar  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--images", default="debian-slim,app-multi")
args = ap.parse_args()

out = "/tmp/kensa-bench-out.json"
rows = []
for image in args.images.split(","):
    gz = image_gz(image)
    tar = image_tar(image)
    for label, archive in (("docker-archive (tar)", tar), ("docker-archive (tar.gz)", gz)):
        cmds = {
            "kensa": [kensa, "-q", "sbom", "-o", out, "docker-archive:" + archive],
            "trivy": [trivy, "image", archive, out],
        }
        if archive.endswith(".gz"):
            cmds["gzip -dc"] = ["sh", "-c", f"gzip -dc '{archive}' >/dev/null"]
        r = compare(cmds, runs=args.runs)
        k, t = r["kensa"], r["trivy"]
        row = {
            "image": image, "input": label,
            "kensa_s": k["median_wall"], "trivy_s": t["median_wall"],
            "speedup": t["median_wall"] / k["median_wall"],
            "kensa_mb": k["median_rss"], "trivy_mb": t["median_rss"],
            "rss_ratio": k["median_rss"] / t["median_rss"],
        }
        if "gzip -dc" in r:
            row["gzip_s"] = r["gzip -dc"]["median_wall"]
            row["vs_gzip"] = k["median_wall"] / row["gzip_s"]
        rows.append(row)
        print(f"# {image} {label}: kensa {k['wall']} trivy {t['wall']}", file=sys.stderr)

print(f"runs per tool: {args.runs} (medians), interleaved, after one warm-up run each\n")
print("| image | input | kensa s | Trivy s | speed-up | kensa MiB | Trivy MiB | RSS ratio | gzip -dc s | kensa / gzip |")
print("|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    g = f"{r['gzip_s']:.2f} | {r['vs_gzip']:.2f}×" if "gzip_s" in r else "– | –"
    print(f"| {r['image']} | {r['input']} | {r['kensa_s']:.3f} | {r['trivy_s']:.2f} | {r['speedup']:.1f}× | "
          f"{r['kensa_mb']:.1f} | {r['trivy_mb']:.0f} | {r['rss_ratio']:.2f} | {g} |")
