#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: quick
"""The language analyzers agree with the package managers' own readers:

- PyPI: every distribution Debian's python3 finds with importlib.metadata in this machine's
  /usr/lib/python3/dist-packages (setup.sh installs several there) is in kensa's SBOM of that
  directory, with the same version, and kensa lists nothing else;
- npm: for each package-lock.json / npm-shrinkwrap.json of tests/pkgdb, `npm ls
  --package-lock-only --all` gives the same name@version set (aliases resolved to the real
  package, as the registry URL names it), and `--omit=dev` the same production subset.
A tool that is missing skips its half; both missing skips the test."""
import glob
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import ROOT, TMP, check, done, sbom_json, skip  # noqa: E402

ran = 0

# ---------------------------------------------------------------- PyPI vs importlib.metadata
SITE = "/usr/lib/python3/dist-packages"
PY = "/usr/bin/python3"
if os.path.isdir(SITE) and os.access(PY, os.X_OK):
    ref = subprocess.run([PY, "-c", """
import importlib.metadata as m, json, sys
out = []
for d in m.distributions(path=[sys.argv[1]]):
    name, ver = d.metadata["Name"], d.version
    if name and ver:            # an egg-info whose PKG-INFO is gone is no distribution
        out.append([name, ver])
print(json.dumps(out))
""", SITE], capture_output=True, text=True, check=True)
    want = {tuple(x) for x in json.loads(ref.stdout)}
    doc = sbom_json("dir:" + SITE)
    got = {(p["name"], p["version"]) for p in doc["packages"] if p["ecosystem"] == "PyPI"}
    check(want, f"importlib.metadata found no distribution in {SITE}")
    check(not (want - got),
          f"PyPI: importlib.metadata lists, kensa does not: {sorted(want - got)}")
    check(not (got - want),
          f"PyPI: kensa lists, importlib.metadata does not: {sorted(got - want)}")
    print(f"PyPI {SITE}: {len(want)} distributions (importlib.metadata), {len(got)} (kensa)")
    ran += 1

# ---------------------------------------------------------------- npm lock files vs npm ls
NPM = shutil.which("npm")


def npm_ls(project, omit_dev):
    args = [NPM, "ls", "--package-lock-only", "--all", "--json"]
    args += ["--omit=dev"] if omit_dev else []
    p = subprocess.run(args, cwd=project, capture_output=True, text=True)
    out = set()

    def walk(deps):
        for key, d in (deps or {}).items():
            url = d.get("resolved") or ""
            # https://registry.npmjs.org/@scope/name/-/name-1.0.0.tgz names the real package
            name = key
            if "/-/" in url:
                name = url.split("registry.npmjs.org/", 1)[1].split("/-/", 1)[0]
            if d.get("version"):
                out.add((name, d["version"]))
            walk(d.get("dependencies"))
    walk(json.loads(p.stdout).get("dependencies"))
    return out


if NPM:
    base = os.path.join(ROOT, "tests/pkgdb/npm-lock-*/rootfs/**")
    locks = sorted(glob.glob(os.path.join(base, "package-lock.json"), recursive=True)
                   + glob.glob(os.path.join(base, "npm-shrinkwrap.json"), recursive=True))
    check(locks, "no npm lock files under tests/pkgdb")
    for lock in locks:
        # the lock alone (with its package.json), so installed packages next to it do not mask entries
        case = os.path.relpath(lock, os.path.join(ROOT, "tests/pkgdb")).split(os.sep)[0]
        proj = os.path.join(TMP, "rootfs", case)
        os.makedirs(proj)
        shutil.copy(lock, proj)
        shutil.copy(os.path.join(os.path.dirname(lock), "package.json"), proj)
        doc = sbom_json("dir:" + proj)
        # npm ls lists dependencies; the project itself (flag "main") is kensa's extra line
        deps = [p for p in doc["packages"] if p["ecosystem"] == "npm" and "main" not in p["flags"]]
        got = {(p["name"], p["version"]) for p in deps}
        got_prod = {(p["name"], p["version"]) for p in deps if "dev" not in p["flags"]}
        want, want_prod = npm_ls(proj, False), npm_ls(proj, True)
        name = os.path.relpath(lock, ROOT)
        check(want and want == got, f"{name}: npm ls {sorted(want)} != kensa {sorted(got)}")
        check(want_prod == got_prod,
              f"{name}: npm ls --omit=dev {sorted(want_prod)} != kensa non-dev {sorted(got_prod)}")
        print(f"{name}: {len(want)} packages, {len(want_prod)} production (npm ls); "
              f"kensa {len(got)}, {len(got_prod)}")
        shutil.rmtree(proj)
    ran += 1

if not ran:
    skip("neither Debian's python3 with dist-packages nor npm is installed")
done()
