# SPDX-License-Identifier: Apache-2.0
"""bench/lib.py — run commands repeatedly and report medians of wall time and peak RSS.

Each run is a fresh process; wall time from a monotonic clock around it, peak RSS from the
kernel's rusage of that child (ru_maxrss). Runs of the tools being compared are interleaved
(A, B, A, B …) so a noisy neighbour hurts both alike, and one warm-up run each fills the page
cache first.
"""
import gzip
import os
import shutil
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("SHARED", os.path.join(ROOT, "..", "shared"))
CACHE = os.environ.get("KENSA_CACHE", os.path.join(ROOT, "tests", ".cache"))
KENSA = os.environ.get("KENSA", os.path.join(ROOT, "build", "kensa"))
TRIVY = os.path.join(SHARED, "bench", "trivy-offline.sh")


def image_gz(name):
    return os.path.join(SHARED, "images", f"{name}.docker.tar.gz")


def image_tar(name):
    """The uncompressed docker-archive of a shared image (decompressed once into the cache,
    the same place the tests keep it)."""
    tar = os.path.join(CACHE, "images", f"{name}.docker.tar")
    if not os.path.exists(tar):
        os.makedirs(os.path.dirname(tar), exist_ok=True)
        with gzip.open(image_gz(name), "rb") as s, open(tar + ".tmp", "wb") as d:
            shutil.copyfileobj(s, d, 1 << 20)
        os.rename(tar + ".tmp", tar)
    return tar


def run_once(cmd, env=None):
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    rc = os.waitstatus_to_exitcode(status)
    if rc != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {rc}: {err[-500:]}")
    return wall, ru.ru_maxrss / 1024.0  # MiB


def compare(cmds, runs=5, warmup=1):
    """cmds: {label: argv}. Returns {label: {"wall": [...], "rss": [...], "median_wall", "median_rss"}}."""
    res = {k: {"wall": [], "rss": []} for k in cmds}
    for _ in range(warmup):
        for argv in cmds.values():
            run_once(argv)
    for _ in range(runs):
        for k, argv in cmds.items():
            w, r = run_once(argv)
            res[k]["wall"].append(w)
            res[k]["rss"].append(r)
    for k in res:
        res[k]["median_wall"] = statistics.median(res[k]["wall"])
        res[k]["median_rss"] = statistics.median(res[k]["rss"])
    return res
