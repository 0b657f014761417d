#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""agent: `kensa agent` profiles containers continuously, keeps the store, stops cleanly.

The agent runs (ebpf, containers only, flushing every second) while two containers of
app-multi run: one imports yaml in Python, one runs the Node app for a moment. Then SIGTERM.
Checks: exit 0 after a final flush; the final profile (-o) holds both containers with their
image and the packages each used; the SQLite store has the run and per-image in-use rows
(python3-yaml, nodejs) and the Node app's listening socket; nothing was lost.
"""
import os
import signal
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from kensa_test import KENSA, TMP, check, done, image_tar, skip  # noqa: E402
import profile_check  # noqa: E402

IMAGE = "localhost/kensa-test/app-multi:1"
IMAGE_ID = "sha256:c9abbb1217b9139105eccd1d9aa43efe687232a679012e73f7770721c9202670"


def main():
    if os.geteuid() != 0:
        skip("needs root (eBPF and podman)")
    if subprocess.run(["podman", "image", "exists", IMAGE]).returncode != 0:
        subprocess.run(["podman", "load", "-q", "-i", image_tar("app-multi")], check=True, capture_output=True)
    db, out = os.path.join(TMP, "profiles.db"), os.path.join(TMP, "agent.json")
    log = open(os.path.join(TMP, "agent.log"), "w+")
    agent = subprocess.Popen([KENSA, "agent", "--ignore-host", "--flush", "1", "--store", db, "-o", out],
                             stderr=log, stdout=log)
    try:
        for _ in range(100):
            log.seek(0)
            if "agent running" in log.read():
                break
            time.sleep(0.1)
        subprocess.run(["podman", "run", "--rm", "--network", "none", IMAGE, "python3", "-c", "import yaml"],
                       check=True, capture_output=True, timeout=120)
        subprocess.run(["podman", "run", "--rm", "--network", "none", IMAGE, "timeout", "-s", "INT", "2", "node",
                        "/app/app.js"], capture_output=True, timeout=120)
        time.sleep(2)	# at least one periodic flush
        check(agent.poll() is None, "the agent ended on its own")
        agent.send_signal(signal.SIGTERM)
        rc = agent.wait(timeout=120)
    finally:
        if agent.poll() is None:
            agent.kill()
    log.seek(0)
    text = log.read()
    print(text)
    check(rc == 0, f"the agent exited {rc} on SIGTERM")
    check("agent stopped" in text, "no final summary")
    doc = profile_check.load(out)
    profile_check.validate(doc)
    check(doc["scope"]["kind"] == "agent", f"scope {doc['scope']}")
    check(doc["dropped_events"] == 0, f"{doc['dropped_events']} events lost")
    ctrs = [c for c in doc["containers"] if c.get("image_id") == IMAGE_ID]
    check(len(ctrs) >= 2, f"two containers of the image expected: {[c['id'][:12] for c in doc['containers']]}")
    deb = profile_check.packages(doc, "Debian")
    for pkg in ("python3-yaml", "nodejs", "libnode108"):
        check(pkg in deb and IMAGE_ID in deb[pkg]["images"], f"{pkg} not in use in the image: {sorted(deb)}")
    check(any(l["port"] == 3000 and l["address"] == "127.0.0.1" for l in doc["listening"]),
          f"the Node app's socket: {doc['listening']}")
    con = sqlite3.connect(db)
    runs = con.execute("SELECT count(*), max(engine) FROM runs").fetchone()
    check(runs == (1, "ebpf"), f"runs table: {runs}")
    rows = {r[0] for r in con.execute("SELECT name FROM in_use WHERE subject = ? AND subject_kind = 'image'",
                                      (IMAGE_ID,))}
    check({"python3-yaml", "nodejs"} <= rows, f"store in_use rows for the image: {sorted(rows)[:20]}")
    check(con.execute("SELECT count(*) FROM listening WHERE port = 3000").fetchone()[0] == 1, "store: listening")
    done()


if __name__ == "__main__":
    main()
