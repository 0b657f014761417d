#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""profile-truth: `kensa profile` on real podman containers against strace's ground truth.

Three workloads of the shared app-multi image — the Node app (served one request), the Python
script (imports requests and yaml) and the Go binary — each run twice with `podman run`:
once under `kensa profile` (ebpf engine), once under `strace -f` on the host. strace's
successful execve()/open*() calls of the workload's process tree are resolved inside the
container (realpath) and mapped to packages without kensa: `dpkg-query -S`, the Python
dist-info RECORD / egg-info top_level files, node_modules package.json files, and for Go the
binaries listed in the image's truth file. The in-use package sets must be equal, per
ecosystem, for every ecosystem kensa's inventory of the image knows (dpkg today; npm, PyPI
and Go are compared as soon as their analyzers are there — the test says which it skipped).

Both sides resolve paths the same way on purpose, and these differences of view are handled
on both sides rather than tolerated (the sets must be equal):
  - the kernel opens a dynamic program's ELF interpreter itself (no syscall strace sees); the
    sensor reports it (libc6), and strace's side has libc6 too because ld.so opens libc.so.6;
  - paths a process names through symlinks (/usr/bin/python3, /lib/x86_64-linux-gnu/…) are
    canonical in the sensor's events; strace's are resolved with realpath in the container;
  - CPython opens __pycache__/*.pyc that no package lists: both sides count the package owning
    the source .py (kensa: lib/runtime/derived.c; here: truth_owners.py);
  - runc's own setup before the container's command runs is not the workload on either side.
"""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from kensa_test import TMP, check, done, image_tar, kensa, skip, truth  # noqa: E402
import profile_check  # noqa: E402
import strace_tree  # noqa: E402

IMAGE = "localhost/kensa-test/app-multi:1"
HELPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib", "truth_owners.py")
WORKLOADS = [
    ("node", ["sh", "-c", "node /app/app.js & sleep 2; curl -s 'http://127.0.0.1:3000/?a=1'; "
                          "kill $!; wait"]),
    ("python", ["python3", "/app/fetch.py"]),
    ("go", ["/usr/local/bin/hello-go"]),
]


def pep503(name):
    import re
    return re.sub(r"[-_.]+", "-", name).lower()


def ensure_image():
    if subprocess.run(["podman", "image", "exists", IMAGE]).returncode != 0:
        subprocess.run(["podman", "load", "-q", "-i", image_tar("app-multi")], check=True,
                       capture_output=True)


def inventory_ecosystems():
    """Ecosystems kensa's inventory finds in the image (the ones a profile can show)."""
    p = kensa("sbom", "-f", "json", f"docker-archive:{image_tar('app-multi')}", check_rc=0)
    return {pkg["ecosystem"] for pkg in json.loads(p.stdout)["packages"]}


def podman_run(cmd, prefix):
    return [*prefix, "podman", "run", "--rm", "--network", "none", IMAGE, *cmd]


def strace_truth(name, cmd, go_binaries):
    log = os.path.join(TMP, f"{name}.strace")
    subprocess.run(["strace", "-f", "-y", "-s", "4096", "-qq", "--decode-pids=pidns",
                    "-e", "trace=%file,%process", "-o", log, *podman_run(cmd, [])],
                   capture_output=True, timeout=300)
    paths, pids, root_exec = strace_tree.workload_files(log)
    print(f"[{name}] strace: {len(paths)} successful exec/open calls in {len(pids)} tasks "
          f"(workload starts with execve {root_exec})")
    r = subprocess.run(["podman", "run", "--rm", "-i", "--network", "none",
                        "-v", f"{os.path.abspath(HELPER)}:/tmp/truth_owners.py:ro,Z", IMAGE,
                        "python3", "/tmp/truth_owners.py"],
                       input=json.dumps({"paths": sorted(set(paths))}), capture_output=True,
                       text=True, timeout=300)
    if r.returncode != 0:
        raise RuntimeError(f"truth_owners.py failed: {r.stderr[-2000:]}")
    owners = json.loads(r.stdout)["files"]
    sets = {"Debian": {}, "PyPI": {}, "npm": {}, "Go": {}}
    for f, info in owners.items():
        for pkg in info["Debian"]:
            sets["Debian"].setdefault(pkg, f)
        for n, v in info["PyPI"]:
            sets["PyPI"].setdefault((pep503(n), v), f)
        for n, v in info["npm"]:
            sets["npm"].setdefault((n, v), f)
        for n, v in go_binaries.get(f, ()):
            sets["Go"].setdefault((n, v), f)
    return sets


def kensa_sets(name, cmd):
    out = os.path.join(TMP, f"{name}.profile.json")
    kensa("profile", "--ignore-host", "--no-store", "-o", out, "--record",
          os.path.join(TMP, f"{name}.rec"), "--", *podman_run(cmd, []), check_rc=0, timeout=600)
    prof = json.load(open(out))
    profile_check.validate(prof, f"[{name}] profile")
    check(prof["engine"] == "ebpf", f"[{name}] engine is {prof['engine']}, expected ebpf")
    check(prof["dropped_events"] == 0, f"[{name}] {prof['dropped_events']} events dropped")
    ctrs = [c for c in prof["containers"] if not c["host"]]
    check(len(ctrs) == 1 and ctrs[0].get("image_name") == IMAGE,
          f"[{name}] expected one container of {IMAGE}: {[c.get('image_name') for c in ctrs]}")
    for c in ctrs:
        check("inventory_error" not in c, f"[{name}] container inventory: {c.get('inventory_error')}")
    sets = {"Debian": {}, "PyPI": {}, "npm": {}, "Go": {}}
    for p in prof["packages_in_use"]:
        eco = p["ecosystem"].split(":")[0]
        key = p["name"] if eco == "Debian" else (pep503(p["name"]) if eco == "PyPI" else p["name"],
                                                 p["version"])
        if eco in sets:
            sets[eco][key] = p["files"][0]["path"] if p["files"] else "?"
    print(f"[{name}] kensa: {sum(len(s) for s in sets.values())} packages in use, "
          f"{prof['unowned_files']['count']} files without a package")
    return sets, prof


def main():
    if os.geteuid() != 0:
        skip("needs root (eBPF, podman, strace of podman)")
    for tool in ("podman", "strace"):
        if not shutil.which(tool):
            skip(f"{tool} is not installed (./setup.sh)")
    ensure_image()
    os.environ["XDG_CACHE_HOME"] = TMP
    ecos = inventory_ecosystems()
    go_binaries = {}
    for row in truth("app-multi"):
        if row["ecosystem"] == "Go":
            go_binaries.setdefault(row["path_or_source"], []).append((row["name"], row["version"]))
    for name, cmd in WORKLOADS:
        mine, prof = kensa_sets(name, cmd)
        want = strace_truth(name, cmd, go_binaries)
        for eco in ("Debian", "PyPI", "npm", "Go"):
            if eco not in ecos:
                if want[eco]:
                    print(f"[{name}] {eco}: not compared, kensa's inventory has no {eco} analyzer yet "
                          f"({len(want[eco])} in use per strace: {sorted(want[eco])[:8]}…)")
                continue
            missing = sorted(set(want[eco]) - set(mine[eco]), key=str)
            extra = sorted(set(mine[eco]) - set(want[eco]), key=str)
            print(f"[{name}] {eco}: strace {len(want[eco])}, kensa {len(mine[eco])}")
            for k in missing:
                check(False, f"[{name}] {eco} {k}: in use per strace ({want[eco][k]}), not in kensa's profile")
            for k in extra:
                check(False, f"[{name}] {eco} {k}: in kensa's profile ({mine[eco][k]}), strace never "
                             f"opened or executed a file of it")
        check(sum(len(s) for s in want.values()) > 0, f"[{name}] strace's side found no package at all")
    done()


if __name__ == "__main__":
    main()
