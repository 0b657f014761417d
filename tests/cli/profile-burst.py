#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""profile-burst: a burst beyond the ring buffer loses events, and says so.

With a 1 MiB ring buffer, the workload stops kensa (SIGSTOP to its parent, the profiler),
opens 50,000 distinct files while nobody reads the ring, and lets kensa go on. The kernel
must count what it could not deliver: the profile reports dropped_events > 0 with the ring
buffer as the reason, kensa warns on stderr, the record file's statistics say the same, and
everything that was delivered is still a valid profile.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from kensa_test import ROOT, TMP, check, done, kensa, skip  # noqa: E402
import kensa_events  # noqa: E402
import profile_check  # noqa: E402

BURST = r'''
import os, signal, sys, time
kensa = os.getppid()
os.kill(kensa, signal.SIGSTOP)
try:
    for i in range(50000):
        os.close(os.open("/dev/shm", os.O_TMPFILE | os.O_RDWR, 0o600))
finally:
    os.kill(kensa, signal.SIGCONT)
time.sleep(0.3)
'''


def main():
    if os.geteuid() != 0:
        skip("needs root (eBPF)")
    os.environ["XDG_CACHE_HOME"] = TMP
    script = os.path.join(TMP, "burst.py")
    open(script, "w").write(BURST)
    out, rec = os.path.join(TMP, "profile.json"), os.path.join(TMP, "events.rec")
    inv = "dir:" + os.path.join(ROOT, "tests", "pkgdb", "dpkg-status", "rootfs")
    p = kensa("profile", "--ring-mb", "1", "--no-store", "--inventory", inv, "--record", rec, "-o", out, "--",
              "/usr/bin/python3", "-S", script, timeout=600)
    print(p.stderr)
    check(p.returncode == 0, f"exit {p.returncode}")
    doc = profile_check.load(out)
    profile_check.validate(doc)
    check(doc["scope"].get("exit_code") == 0, f"the workload failed: {doc['scope']}")
    lost = doc["dropped_events"]
    check(lost > 0, "a 50,000-file burst into a 1 MiB ring that nobody reads must lose events")
    check(doc["drops"]["ring_buffer_full"] == lost, f"drops {doc['drops']} do not explain {lost}")
    check(doc["events"] + lost >= 50000, f"{doc['events']} delivered + {lost} lost < 50,000")
    check("lost" in p.stderr and str(lost) in p.stderr, "kensa must warn about the lost events on stderr")
    stats = [e for e in kensa_events.events(rec) if e["kind"] == "stats"]
    check(stats and stats[-1]["drop_ringbuf"] == lost, f"record statistics: {stats[-1:] or 'none'}")
    done()


if __name__ == "__main__":
    main()
