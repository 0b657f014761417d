# SPDX-License-Identifier: Apache-2.0
"""bench/lib.py — run commands repeatedly and report medians of wall time and peak RSS.

Each run is a fresh process; wall time from a monotonic clock around it, peak RSS from the
kernel's rusage of that child (ru_maxrss). Runs of the tools being compared are interleaved
(A, B, A, B …) so a noisy neighbour hurts both alike, and one warm-up run each fills the page
cache first.
"""
import os
import statistics
import subprocess
import time


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
