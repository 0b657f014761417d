#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""db-atomic.py — a killed `kensa db update` / `db build` leaves the previous database intact.

The previous database (built from a few feeds) is described by `db info --json` and
`db query --json` before each attempt; after SIGKILL it must answer both exactly the same.
  * mid-download: a slow mirror (tests/lib/feed_server.py, ~300 kB/s) and SIGKILL while
    bytes are flowing;
  * mid-import: KENSA_TEST_PAUSE_AT=import (a documented test hook: the writer sleeps after
    the first unit/directory is imported, inside its transaction), for update and build;
  * mid-swap: KENSA_TEST_PAUSE_AT=swap (the new file is complete and fsynced, not renamed);
  * while each of these is paused or running, `db query` / `db info` keep answering from the
    old file; during a whole update run to completion, a loop of queries never fails;
  * the next writer removes what the killed one left (temporary database, downloads).
"""
import glob
import json
import os
import select
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
import feed_counts  # noqa: E402
from feed_server import FeedServer  # noqa: E402
from kensa_test import KENSA, SHARED, TMP, check, done, kensa, skip  # noqa: E402

DATA = os.path.join(SHARED, "data")
if not os.path.isdir(DATA):
    skip(f"no {DATA}")
DB = os.path.join(TMP, "kensa.db")
PROBE = "GHSA-jfh8-c2jp-5v3q"


def snapshot():
    i = json.loads(kensa("db", "info", "--json", "--db", DB, check_rc=0).stdout)
    q = json.loads(kensa("db", "query", PROBE, "--json", "--db", DB, check_rc=0).stdout)
    return {"counts": i["counts"], "generation": i["generation"], "sources": len(i["sources"]), "query": q}


def leftovers():
    return sorted(os.path.basename(p) for p in glob.glob(DB + ".tmp-*") + glob.glob(DB + ".dl-*"))


def start(*args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.Popen([KENSA, *args, "--db", DB], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=e, text=True)


def wait_for(proc, text, timeout=300):
    """Read proc's stderr until a line contains text; True when seen."""
    end = time.time() + timeout
    while time.time() < end:
        r, _, _ = select.select([proc.stderr], [], [], 1)
        if r:
            line = proc.stderr.readline()
            if not line:
                return False
            if text in line:
                return True
        elif proc.poll() is not None:
            return False
    return False


def readers_agree(old, what):
    for _ in range(3):
        check(snapshot() == old, f"{what}: a reader saw something other than the old database")


def killed(proc, old, what):
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    check(proc.returncode == -signal.SIGKILL, f"{what}: the writer ended by itself ({proc.returncode})")
    check(snapshot() == old, f"{what}: the old database changed after SIGKILL")


# the previous database
kensa("db", "build", "--from", os.path.join(DATA, "osv", "Maven"),
      os.path.join(DATA, "kev", "known_exploited_vulnerabilities.json"), "--db", DB, check_rc=0)
old = snapshot()
check(old["counts"]["kev"] == 1404 and old["query"]["kev"], "the probe must be linked to KEV")

mirror = os.path.join(TMP, "mirror")
os.makedirs(mirror)
feed_counts.make_official_mirror(DATA, mirror, index=True)

# ---- mid-download
with FeedServer(mirror, rate=300_000) as srv:
    p = start("db", "update", "--mirror", srv.url, "--retries", "0")
    end = time.time() + 60
    while time.time() < end and not any(r["status"] == 200 and r["path"] != "kensa-mirror.txt"
                                        for r in srv.requests()):
        time.sleep(0.2)
    time.sleep(1.5)		# bytes are flowing now
    check(p.poll() is None, "the update finished before it could be killed mid-download")
    check(any(".dl-" in f for f in leftovers()), f"no download in progress: {leftovers()}")
    readers_agree(old, "mid-download")
    killed(p, old, "mid-download")
check(leftovers(), "nothing left behind by the killed update (the cleanup check below would be vacuous)")

# ---- mid-import, update (served fast now)
with FeedServer(mirror) as srv:
    p = start("db", "update", "--mirror", srv.url, "--retries", "0",
              env={"KENSA_TEST_PAUSE_AT": "import", "KENSA_TEST_PAUSE_SECS": "120"})
    check(wait_for(p, "pausing at 'import'"), "update never reached the import pause")
    readers_agree(old, "update mid-import")
    killed(p, old, "update mid-import")

# ---- mid-import and mid-swap, build
for point in ("import", "swap"):
    p = start("db", "build", "--from", DATA, env={"KENSA_TEST_PAUSE_AT": point, "KENSA_TEST_PAUSE_SECS": "120"})
    check(wait_for(p, f"pausing at '{point}'"), f"build never reached the {point} pause")
    if point == "swap":
        tmp = [f for f in leftovers() if ".tmp-" in f]
        check(len(tmp) == 1 and os.path.getsize(os.path.join(TMP, tmp[0])) > os.path.getsize(DB),
              f"at the swap the new database should be complete beside the old: {tmp}")
    readers_agree(old, f"build mid-{point}")
    killed(p, old, f"build mid-{point}")

# ---- the next writer cleans up; readers keep working during a whole update
reader = subprocess.Popen([sys.executable, "-c", f"""
import subprocess, sys, time
bad = n = 0
end = time.time() + 600
while time.time() < end:
    p = subprocess.run([{KENSA!r}, "db", "query", {PROBE!r}, "--json", "--db", {DB!r}], capture_output=True)
    n += 1
    if p.returncode != 0:
        bad += 1
        print(p.stderr.decode(), file=sys.stderr)
    try:
        open({DB!r} + ".stop").close()
        break
    except OSError:
        pass
print(n, bad)
"""], stdout=subprocess.PIPE, text=True)
p = kensa("-v", "db", "update", "--mirror", DATA, "--db", DB, timeout=900)
open(DB + ".stop", "w").close()
out, _ = reader.communicate(timeout=120)
n, bad = map(int, out.split())
check(p.returncode == 0, f"the update after the kills failed: {p.stderr[-1000:]}")
check("left by an interrupted update" in p.stderr, "stale temporaries were not reported as removed")
check(leftovers() == [], f"left behind: {leftovers()}")
check(n >= 2 and bad == 0, f"readers during the update: {bad} of {n} queries failed")
new = snapshot()
check(new["counts"]["epss"] == 313089 and new["generation"] == old["generation"] + 1, f"new database {new['counts']}")

done()
