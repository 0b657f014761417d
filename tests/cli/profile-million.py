#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""profile-million: one million distinct files opened; kensa's memory stays bounded.

The workload opens 1,000,000 distinct files (O_TMPFILE on tmpfs: a new inode each time, so
neither the kernel's de-duplication nor the page cache fold them) under `kensa profile
--max-files 20000`, then again with 100,000 files. Checks: every event is accounted for
(files kept + evicted = distinct files seen, nothing lost unless counted), exactly max-files
records kept, and kensa's peak RSS for a million files is that of a hundred thousand — the
LRU cap, not the workload, sets the memory — and under 96 MB.
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from kensa_test import KENSA, ROOT, TMP, check, done, skip  # noqa: E402
import profile_check  # noqa: E402

GEN = r'''
import os, sys
d = sys.argv[2]
for i in range(int(sys.argv[1])):
    os.close(os.open(d, os.O_TMPFILE | os.O_RDWR, 0o600))
'''
MAX_FILES = 20000


def run(n):
    script = os.path.join(TMP, "gen.py")
    open(script, "w").write(GEN)
    out = os.path.join(TMP, f"profile-{n}.json")
    inv = "dir:" + os.path.join(ROOT, "tests", "pkgdb", "dpkg-status", "rootfs")
    p = subprocess.run(["/usr/bin/time", "-f", "maxrss=%M", KENSA, "profile", "--no-store", "--max-files",
                        str(MAX_FILES), "--inventory", inv, "-o", out, "--", "/usr/bin/python3", "-S", script,
                        str(n), "/dev/shm"], capture_output=True, text=True, timeout=1200)
    print(p.stderr[-800:])
    check(p.returncode == 0, f"[{n}] exit {p.returncode}")
    rss = int(re.search(r"maxrss=(\d+)", p.stderr).group(1))
    doc = profile_check.load(out)
    profile_check.validate(doc)
    tmp_unowned = doc["unowned_files"]["count"]
    kept = sum(len(p["files"]) for p in doc["packages_in_use"]) + tmp_unowned
    print(f"[{n}] rss {rss} KB, events {doc['events']}, dropped {doc['dropped_events']}, kept {kept}, "
          f"evicted {doc['files_evicted']}")
    check(kept == MAX_FILES, f"[{n}] {kept} file records kept, the cap is {MAX_FILES}")
    seen = doc["files_evicted"] + kept
    check(seen + doc["dropped_events"] >= n, f"[{n}] {seen} files and {doc['dropped_events']} drops for {n} files")
    check(doc["drops"]["ring_buffer_full"] == doc["dropped_events"] - doc["drops"]["fd_gone"]
          - doc["drops"]["children_not_followed"] - doc["drops"]["malformed"], f"[{n}] drops do not add up")
    return rss


def main():
    if os.geteuid() != 0:
        skip("needs root (eBPF)")
    if not os.path.isdir("/dev/shm"):
        skip("no /dev/shm")
    os.environ["XDG_CACHE_HOME"] = TMP
    small = run(100_000)
    big = run(1_000_000)
    check(big < 96 * 1024, f"peak RSS {big} KB for a million files, expected < 96 MB")
    check(big <= small + 8 * 1024, f"peak RSS grows with the files: {small} KB for 100k, {big} KB for 1M")
    done()


if __name__ == "__main__":
    main()
