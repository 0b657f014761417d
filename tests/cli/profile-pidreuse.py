#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""profile-pidreuse: a pid that is reused during a profile is two processes, not one.

The workload starts process A (holds file A open in `sleep`), waits for it, then forces the
kernel to give the very same pid to process B (holds file B open in a copy of sleep named
`slumber`) by writing /proc/sys/kernel/ns_last_pid before forking. Both engines are checked
on the recorded events: two EXECs with the same pid and different start times, A's exit
before B, each file tied to its own process's start time, and each program in the profile.
"""
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from kensa_test import ROOT, TMP, check, done, kensa, skip  # noqa: E402
import kensa_events  # noqa: E402
import profile_check  # noqa: E402

WORKLOAD = r'''
import subprocess, sys
a_file, b_file, slumber = sys.argv[1:4]
def run(prog, path):
    return subprocess.Popen(["sh", "-c", f"exec 3<'{path}'; exec {prog} 0.6"])
a = run("sleep", a_file)
x = a.pid
a.wait()
for attempt in range(500):
    with open("/proc/sys/kernel/ns_last_pid", "w") as f:
        f.write(str(x - 1))
    b = run(slumber, b_file)
    if b.pid == x:
        break
    b.kill()
    b.wait()
else:
    sys.exit("could not get pid %d again" % x)
b.wait()
print(x)
'''


def one(engine):
    work = os.path.join(TMP, engine)
    os.makedirs(work)
    a_file, b_file = os.path.join(work, "file-a"), os.path.join(work, "file-b")
    for f in (a_file, b_file):
        open(f, "w").write(f)
    slumber = os.path.join(work, "slumber")
    shutil.copy("/usr/bin/sleep", slumber)
    script = os.path.join(work, "reuse.py")
    open(script, "w").write(WORKLOAD)
    out, rec = os.path.join(work, "profile.json"), os.path.join(work, "events.rec")
    inv = "dir:" + os.path.join(ROOT, "tests", "pkgdb", "dpkg-status", "rootfs")
    p = kensa("profile", "--engine", engine, "--poll-ms", "50", "--inventory", inv, "--record", rec, "--no-store",
              "-o", out, "--", "/usr/bin/python3", "-S", script, a_file, b_file, slumber, timeout=300)
    print(p.stderr)
    if not check(p.returncode == 0, f"[{engine}] exit {p.returncode}"):
        return
    doc = profile_check.load(out)
    profile_check.validate(doc)
    check(doc["scope"].get("exit_code") == 0, f"[{engine}] the workload failed: {doc['scope']}")
    evs = list(kensa_events.events(rec))
    files = {e["path"].decode(): e for e in evs if e["kind"] == "file"}
    fa, fb = files.get(a_file), files.get(b_file)
    if not check(fa is not None and fb is not None, f"[{engine}] file A or B not seen: {sorted(files)[:30]}"):
        return
    x = fa["pid"]
    check(fb["pid"] == x, f"[{engine}] B's pid {fb['pid']} is not A's {x}: the reuse did not happen")
    check(fa["start_ns"] != fb["start_ns"], f"[{engine}] A and B have the same start time: one process")
    execs = [e for e in evs if e["kind"] == "exec" and e["pid"] == x]
    starts = {e["start_ns"] for e in execs}
    check(len(starts) >= 2, f"[{engine}] pid {x}: {len(starts)} distinct processes exec'd, expected 2")
    check(fa["start_ns"] in starts and fb["start_ns"] in starts,
          f"[{engine}] the files are not tied to the processes that exec'd")
    exit_a = [i for i, e in enumerate(evs) if e["kind"] == "exit" and e["pid"] == x and e["start_ns"] == fa["start_ns"]]
    exec_b = [i for i, e in enumerate(evs) if e["kind"] == "exec" and e["pid"] == x and e["start_ns"] == fb["start_ns"]]
    check(exit_a and exec_b and exit_a[0] < exec_b[-1], f"[{engine}] A's exit is not reported before B's exec")
    progs = {r["executable"].rsplit("/", 1)[-1] for r in doc["root_processes"]}
    check({"sleep", "slumber"} <= progs, f"[{engine}] root programs: {progs}")


def main():
    if os.geteuid() != 0:
        skip("needs root (eBPF, and ns_last_pid to force the pid reuse)")
    os.environ["XDG_CACHE_HOME"] = TMP
    for engine in ("ebpf", "proc"):
        one(engine)
    done()


if __name__ == "__main__":
    main()
