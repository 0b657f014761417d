#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""profile-paths: hostile file names reach the profile exactly, with both live engines.

The workload opens (and keeps open, so the proc engine sees them too) files named with a
space, a newline, bytes that are not UTF-8, a literal " (deleted)" suffix, a file unlinked
while open, an O_TMPFILE (unlinked from birth), a file through a symlink, one by a relative
name from another directory, and a file 70 directories deep. Checks: the record file carries
each path byte for byte, canonical (the symlink and the relative name resolved); the profile
JSON renders them per docs/profile.md (invalid bytes as \\xNN, valid JSON); the O_TMPFILE is
marked deleted and the real " (deleted)" name is not; the file unlinked after its open is
deleted for the proc engine (it polls later) and not for ebpf (it saw the open); the deep
path is flagged truncated and counted by the ebpf engine (whose walk stops at 64
components) and complete with the proc engine. The ebpf engine runs twice: with the program
that reads kernel structures by plain loads (bpf_rdonly_cast, kernels 6.2+) and with the one
older kernels load (bpf_probe_read_kernel, forced by KENSA_TEST_BPF_NOCAST=1).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from kensa_test import ROOT, TMP, check, done, kensa, skip  # noqa: E402
import kensa_events  # noqa: E402
import profile_check  # noqa: E402

WORKLOAD = r'''
import os, sys, time
d = os.fsencode(sys.argv[1])
names = [b"with space.txt", b"new\nline.txt", b"bad\xff\xfeutf8.txt", b"trail (deleted)", b"gone.txt",
         b"target.txt"]
fds = []
for n in names:
    with open(os.path.join(d, n), "wb") as f:
        f.write(n)
for n in names:
    fds.append(os.open(os.path.join(d, n), os.O_RDONLY))
os.unlink(os.path.join(d, b"gone.txt"))
fds.append(os.open(d, os.O_TMPFILE | os.O_RDWR, 0o600))	# unlinked from birth
os.symlink(b"target.txt", os.path.join(d, b"link.txt"))
fds.append(os.open(os.path.join(d, b"link.txt"), os.O_RDONLY))
os.mkdir(os.path.join(d, b"sub"))
with open(os.path.join(d, b"sub", b"rel.txt"), "w") as f:
    f.write("x")
os.chdir(os.path.join(d, b"sub"))
fds.append(os.open(b"rel.txt", os.O_RDONLY))
deep = os.path.join(d, *([b"d"] * 70))
os.makedirs(deep)
with open(os.path.join(deep, b"deep.txt"), "w") as f:
    f.write("x")
fds.append(os.open(os.path.join(deep, b"deep.txt"), os.O_RDONLY))
time.sleep(0.6)
'''


def render(b):
    """How kensa's JSON writer renders a path: valid UTF-8 as is, other bytes as \\xNN."""
    out, i = [], 0
    while i < len(b):
        for n in (1, 2, 3, 4):
            try:
                out.append(b[i:i + n].decode("utf-8"))
                i += n
                break
            except UnicodeDecodeError:
                continue
        else:
            out.append("\\x%02x" % b[i])
            i += 1
    return "".join(out)


def one(label):
    engine = label.split("-")[0]
    work = os.path.join(TMP, label)
    os.makedirs(work)
    d = os.fsencode(os.path.realpath(work))
    script = os.path.join(TMP, "paths.py")
    open(script, "w").write(WORKLOAD)
    out, rec = os.path.join(TMP, f"{label}.json"), os.path.join(TMP, f"{label}.rec")
    env = dict(os.environ)
    if label == "ebpf-nocast":
        env["KENSA_TEST_BPF_NOCAST"] = "1"
    inv = "dir:" + os.path.join(ROOT, "tests", "pkgdb", "dpkg-status", "rootfs")
    p = kensa("-v", "-v", "profile", "--engine", engine, "--poll-ms", "50", "--inventory", inv, "--record", rec, "--no-store",
              "-o", out, "--", "/usr/bin/python3", "-S", script, work, timeout=300, env=env)
    print(p.stderr)
    if engine == "ebpf":
        how = "bpf_probe_read_kernel" if label == "ebpf-nocast" else "bpf_rdonly_cast"
        check(f"files read with {how}" in p.stderr, f"[{label}] the sensor did not use {how}")
    if not check(p.returncode == 0, f"[{label}] exit {p.returncode}"):
        return
    raw = open(out, "rb").read()
    doc = profile_check.load(out)	# valid JSON whatever the names
    profile_check.validate(doc)
    check(doc["scope"].get("exit_code") == 0, f"[{label}] the workload failed: {doc['scope']}")
    evs = {e["path"]: e for e in kensa_events.events(rec) if e["kind"] == "file" and e["path"].startswith(d)}
    in_json = {f["path"]: f for f in profile_check.files(doc)}
    deep = d + b"/" + b"/".join([b"d"] * 70) + b"/deep.txt"
    want = {
        b"with space.txt": {}, b"new\nline.txt": {}, b"bad\xff\xfeutf8.txt": {}, b"trail (deleted)": {},
        b"gone.txt": {"deleted": engine == "proc"}, b"target.txt": {}, b"sub/rel.txt": {},
    }
    for name, flags in want.items():
        path = d + b"/" + name
        e = evs.get(path)
        check(e is not None, f"[{label}] {path!r} not in the recorded events")
        f = in_json.get(render(path))
        if not check(f is not None, f"[{label}] {render(path)!r} not in the profile"):
            continue
        check(f.get("deleted", False) == flags.get("deleted", False),
              f"[{label}] {path!r}: deleted={f.get('deleted', False)}, expected {flags.get('deleted', False)}")
        check("open" in f["how"], f"[{label}] {path!r}: how {f['how']}")
    check(d + b"/link.txt" not in evs, f"[{label}] the symlink was reported instead of its target")
    tmpfiles = [e for p, e in evs.items() if p.startswith(d + b"/#")]
    check(len(tmpfiles) == 1 and tmpfiles[0]["flags"] & 1, f"[{label}] the O_TMPFILE is not reported deleted")
    all_files = [e for e in kensa_events.events(rec) if e["kind"] == "file"]
    deep_ev = [e for e in all_files if e["path"].endswith(b"/deep.txt")]
    if check(deep_ev, f"[{label}] the deep file is not in the events"):
        e = deep_ev[0]
        if engine == "ebpf":
            check(e["flags"] & 2, f"[{label}] the deep path is not flagged truncated")
            check(doc["drops"]["paths_truncated"] >= 1, f"[{label}] paths_truncated not counted")
            check(deep.endswith(e["path"]), f"[{label}] a truncated path must be the path's tail")
            check(any(f.get("truncated") for f in in_json.values()), f"[{label}] no file marked truncated")
        else:
            check(e["path"] == deep, f"[{label}] the deep path is not complete: {e['path'][:60]!r}…")


def main():
    if os.geteuid() != 0:
        skip("needs root (eBPF)")
    os.environ["XDG_CACHE_HOME"] = TMP
    for label in ("ebpf", "ebpf-nocast", "proc"):
        one(label)
    done()


if __name__ == "__main__":
    main()
