#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""profile-replay: a recording replayed without root gives the live profile back.

A podman run of app-multi's Python script is profiled live (ebpf, as root) with --record.
The recording is then replayed as nobody, every capability dropped, with the image archive
as the inventory. The replayed profile must name the same engine, container and image, and
the same packages in use with the same files — everything above the kernel, without it.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from kensa_test import KENSA, TMP, check, done, image_tar, kensa, skip  # noqa: E402
import profile_check  # noqa: E402

IMAGE = "localhost/kensa-test/app-multi:1"


def main():
    if os.geteuid() != 0:
        skip("needs root (to record with eBPF and run podman)")
    tar = image_tar("app-multi")
    if subprocess.run(["podman", "image", "exists", IMAGE]).returncode != 0:
        subprocess.run(["podman", "load", "-q", "-i", tar], check=True, capture_output=True)
    work = tempfile.mkdtemp(dir=TMP)
    os.chmod(TMP, 0o755)
    os.chmod(work, 0o777)
    rec, live, again = (os.path.join(work, n) for n in ("events.rec", "live.json", "replay.json"))
    env = {"XDG_CACHE_HOME": work}
    kensa("profile", "--ignore-host", "--no-store", "--record", rec, "-o", live, "--", "podman", "run", "--rm",
          "--network", "none", IMAGE, "python3", "/app/fetch.py", check_rc=0, env=env, timeout=600)
    os.chmod(rec, 0o644)
    p = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                        "--bounding-set=-all", "--", KENSA, "profile", "--replay", rec, "--inventory",
                        f"docker-archive:{tar}", "--ignore-host", "--no-store", "-o", again],
                       capture_output=True, text=True, env=dict(os.environ, **env), timeout=600)
    print(p.stderr)
    check(p.returncode == 0, f"replay as nobody: exit {p.returncode}")
    if p.returncode:
        return done()
    a, b = profile_check.load(live), profile_check.load(again)
    profile_check.validate(b, "replayed profile")
    check(b["engine"] == a["engine"] == "ebpf", f"engines {a['engine']} / {b['engine']}")
    check(b["scope"]["kind"] == "replay", f"scope {b['scope']}")
    check(any("replayed" in c for c in b["caveats"]), "the replay caveat is missing")
    ca = {c["id"]: c.get("image_id") for c in a["containers"]}
    cb = {c["id"]: c.get("image_id") for c in b["containers"]}
    check(ca == cb, f"containers differ: {ca} / {cb}")
    pa = {p["purl"]: sorted(f["path"] for f in p["files"]) for p in a["packages_in_use"]}
    pb = {p["purl"]: sorted(f["path"] for f in p["files"]) for p in b["packages_in_use"]}
    check(pa.keys() == pb.keys(), f"packages differ: only live {sorted(pa.keys() - pb.keys())}, "
                                  f"only replayed {sorted(pb.keys() - pa.keys())}")
    for k in pa.keys() & pb.keys():
        check(pa[k] == pb[k], f"{k}: files differ")
    check(len(pa) > 10, f"the live profile looks empty: {len(pa)} packages")
    done()


if __name__ == "__main__":
    main()
