#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: quick
"""profile-nonroot: without root, `kensa profile` says why eBPF cannot run and uses the proc engine.

Run as nobody (setpriv, every capability dropped, when the test runs as root). The workload
holds /etc/os-release open and maps libc across several polls, then execs another program in
the same process (an old pid's new program must be noticed).
Checks: a clear message naming the reason and the fallback, exit 0, engine "proc" with its
caveat in the profile, the open file and the mapped library seen and mapped to libc6 through
the inventory given (tests/pkgdb/dpkg-status, so no host scan is needed); and asking for the
ebpf engine explicitly fails with exit 3 and the same reason.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from kensa_test import KENSA, ROOT, TMP, check, done  # noqa: E402
import profile_check  # noqa: E402


def as_nobody(argv):
    if os.geteuid() != 0:
        return argv
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
            "--bounding-set=-all", "--", *argv]


def main():
    work = tempfile.mkdtemp(dir=TMP)
    os.chmod(TMP, 0o755)
    os.chmod(work, 0o777)
    out = os.path.join(work, "profile.json")
    inv = "dir:" + os.path.join(ROOT, "tests", "pkgdb", "dpkg-status", "rootfs")
    env = dict(os.environ, XDG_CACHE_HOME=work, HOME=work)
    # the shell runs a few polls before it execs sleep in the same process: the proc engine
    # must notice the new program of an old pid
    workload = ["sh", "-c", "exec 3</etc/os-release; /bin/sleep 0.3; exec sleep 1"]
    p = subprocess.run(as_nobody([KENSA, "profile", "--inventory", inv, "--poll-ms", "50", "-o", out,
                                  "--", *workload]), capture_output=True, text=True, env=env, timeout=120)
    print(p.stderr)
    check(p.returncode == 0, f"exit {p.returncode}, expected 0")
    check("not root" in p.stderr and "proc engine" in p.stderr,
          "stderr must say that eBPF needs root and that the proc engine is used")
    if p.returncode == 0:
        doc = profile_check.load(out)
        profile_check.validate(doc)
        check(doc["engine"] == "proc", f"engine {doc['engine']}, expected proc")
        check(any("polls /proc" in c and "missed" in c for c in doc["caveats"]),
              f"the proc engine's caveat is missing: {doc['caveats']}")
        seen = {f["path"]: f["how"] for f in profile_check.files(doc)}
        canon = os.path.realpath("/etc/os-release")	# profiles hold canonical paths
        check("open" in seen.get(canon, []), f"{canon} not seen open: {sorted(seen)[:20]}")
        check(any(p.endswith("/sleep") and "exec" in h for p, h in seen.items()),
              "the executed program (sleep) is not in the profile")
        libc = profile_check.packages(doc, "Debian").get("libc6")
        check(libc is not None and "mmap" in libc["how"],
              f"libc6 must be in use through the mapped libc.so.6: {list(profile_check.packages(doc))}")
        check(doc["scope"].get("exit_code") == 0, f"the command's exit status: {doc['scope']}")

    p = subprocess.run(as_nobody([KENSA, "profile", "--engine", "ebpf", "--no-store", "-o", out, "--", "true"]),
                       capture_output=True, text=True, env=env, timeout=60)
    print(p.stderr)
    check(p.returncode == 3, f"--engine ebpf as nobody: exit {p.returncode}, expected 3")
    check("not root" in p.stderr and "CAP_BPF" in p.stderr, "--engine ebpf as nobody: the reason is not given")
    done()


if __name__ == "__main__":
    main()
