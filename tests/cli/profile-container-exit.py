#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""profile-container-exit: `kensa profile --container` on a container that ends mid-profile.

A podman container of app-multi sleeps (already running when the profile starts: seen by the
start-up /proc snapshot), then imports yaml in Python and exits, long before --duration.
The profile must end with the container, not at --duration; the container's inventory must
still be made (from the root the sensor kept open) so python3-yaml and python3.11-minimal are
in use; and the container must be named with its image.
"""
import os
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from kensa_test import TMP, check, done, image_tar, kensa, skip  # noqa: E402
import profile_check  # noqa: E402

IMAGE = "localhost/kensa-test/app-multi:1"


def main():
    if os.geteuid() != 0:
        skip("needs root (eBPF and podman)")
    if subprocess.run(["podman", "image", "exists", IMAGE]).returncode != 0:
        subprocess.run(["podman", "load", "-q", "-i", image_tar("app-multi")], check=True, capture_output=True)
    name = f"kensa-exit-{uuid.uuid4().hex[:8]}"
    out = os.path.join(TMP, "profile.json")
    subprocess.run(["podman", "run", "-d", "--name", name, "--network", "none", IMAGE, "sh", "-c",
                    "sleep 3; python3 -c 'import yaml'; sleep 0.5"], check=True, capture_output=True)
    try:
        start = time.monotonic()
        p = kensa("profile", "--container", name, "--duration", "60", "--no-store", "-o", out, timeout=120)
        took = time.monotonic() - start
        print(p.stderr)
        check(p.returncode == 0, f"exit {p.returncode}")
        check(took < 30, f"the profile took {took:.1f} s: it should end with the container, not at --duration")
        doc = profile_check.load(out)
        profile_check.validate(doc)
        check(doc["scope"] == {"kind": "container", "container": name}, f"scope {doc['scope']}")
        ctrs = [c for c in doc["containers"] if not c["host"]]
        check(len(ctrs) == 1, f"one container expected: {ctrs}")
        if ctrs:
            c = ctrs[0]
            check(c.get("name") == name and c.get("image_name") == IMAGE, f"container {c.get('name')} {c.get('image_name')}")
            check("inventory_error" not in c, f"inventory: {c.get('inventory_error')}")
        deb = profile_check.packages(doc, "Debian")
        for pkg in ("python3-yaml", "python3.11-minimal", "coreutils"):
            check(pkg in deb, f"{pkg} not in use: {sorted(deb)}")
        check(doc["dropped_events"] == 0, f"{doc['dropped_events']} events dropped")
    finally:
        subprocess.run(["podman", "rm", "-f", name], capture_output=True)
    done()


if __name__ == "__main__":
    main()
