#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""Language packages in the real images, beyond the truth TSV's recall (sbom-truth.py):

- whiteouts: app-multi's layer 6 deletes Jinja2's PKG-INFO, so Jinja2 is no PyPI package
  there, while python3-jinja2 stays a Debian package;
- ownership, as the runtime sensor needs it: lodash.js belongs to npm lodash, requests/api.py
  to PyPI requests and to the deb python3-requests, and each language package whose metadata a
  deb ships names that deb as its owner; every installed language package owns files;
- the language analyzers warn about nothing in these well-formed images;
- kensa lists every PyPI, npm, RubyGems, Packagist and NuGet package Trivy (the peer) lists
  for the same archive, except the project's own /app/package.json, which kensa deliberately
  does not treat as a dependency. Trivy's CycloneDX output is cached in
  $KENSA_CACHE/trivy/<image>.cdx.json; without Trivy that part is skipped."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import CACHE, IMAGES, SHARED, check, done, image_tar, kensa  # noqa: E402

LANG = {"PyPI": "pypi", "npm": "npm", "RubyGems": "gem", "Packagist": "composer", "NuGet": "nuget"}
ANALYZERS = ("python:", "npm:", "ruby:", "composer:", "dotnet:")


def scan(image):
    p = kensa("sbom", "-f", "json", "docker-archive:" + image_tar(image), check_rc=0)
    return json.loads(p.stdout), p.stderr


def trivy(image):
    out = os.path.join(CACHE, "trivy", f"{image}.cdx.json")
    if not os.path.exists(out):
        os.makedirs(os.path.dirname(out), exist_ok=True)
        runner = os.path.join(SHARED, "bench", "trivy-offline.sh")
        p = subprocess.run([runner, "image", image_tar(image), out + ".tmp"],
                           capture_output=True, text=True, timeout=1800)
        if p.returncode != 0:
            print(f"Trivy unavailable ({p.stderr.strip()[-200:]}); superset check skipped")
            return None
        os.rename(out + ".tmp", out)
    return json.load(open(out))


def purl_key(purl):
    """pkg:npm/%40types/node@18.18.14 → ("npm", "@types/node", "18.18.14")"""
    from urllib.parse import unquote
    body = purl[4:].split("?")[0].split("#")[0]
    typ, rest = body.split("/", 1)
    name, _, ver = rest.rpartition("@")
    return typ, unquote(name), unquote(ver)


def norm(typ, name):
    return name.lower().replace("_", "-").replace(".", "-") if typ == "pypi" else name


for image in IMAGES:
    doc, stderr = scan(image)
    pkgs = doc["packages"]
    lang = [p for p in pkgs if p["ecosystem"] in LANG]
    warned = [line for line in stderr.splitlines()
              if "warning" in line and any(a in line for a in ANALYZERS)]
    check(not warned, f"{image}: language analyzers warned: {warned[:5]}")
    for p in lang:
        if "lockfile" not in p["flags"]:
            check(p["files"], f"{image}: {p['ecosystem']} {p['name']} {p['version']} owns no file")

    if image == "app-multi":
        def find(eco, name):
            return [p for p in pkgs if p["ecosystem"] == eco and p["name"] == name]

        def owners(path):
            return {(p["ecosystem"], p["name"]) for p in pkgs if path in p["files"]}

        check(not find("PyPI", "Jinja2"),
              f"{image}: Jinja2's PKG-INFO is whited out, yet PyPI Jinja2 is listed")
        check(find("Debian", "python3-jinja2"), f"{image}: python3-jinja2 (Debian) missing")
        o = owners("/app/node_modules/lodash/lodash.js")
        check(("npm", "lodash") in o, f"{image}: lodash.js owners {o}")
        o = owners("/usr/lib/python3/dist-packages/requests/api.py")
        check({("PyPI", "requests"), ("Debian", "python3-requests")} <= o,
              f"{image}: requests/api.py owners {o}")
        o = owners("/app/node_modules/send/node_modules/ms/index.js")
        check(o == {("npm", "ms")},
              f"{image}: a nested package belongs to itself only, not to send: {o}")
        for eco, name, deb in [("PyPI", "requests", "python3-requests"),
                               ("npm", "acorn", "node-acorn"),
                               ("RubyGems", "webrick", "ruby-webrick")]:
            ps = find(eco, name)
            ok = ps and ps[0]["owner"] is not None and pkgs[ps[0]["owner"]]["name"] == deb
            check(ok, f"{image}: {eco} {name} should be owned by the deb {deb}")

    cdx = trivy(image)
    if cdx is None:
        continue
    ours = {(LANG[p["ecosystem"]], norm(LANG[p["ecosystem"]], p["name"]), p["version"])
            for p in lang}
    theirs, project_roots = set(), []
    for c in cdx.get("components", []):
        purl = c.get("purl") or ""
        if not purl.startswith("pkg:") or purl_key(purl)[0] not in LANG.values():
            continue
        props = {x["name"]: x["value"] for x in c.get("properties", [])}
        path = props.get("aquasecurity:trivy:FilePath", "")
        typ, name, ver = purl_key(purl)
        if (typ == "npm" and path.endswith("package.json") and "node_modules/" not in path
                and "nodejs/" not in path):
            project_roots.append(f"{name}@{ver} ({path})")
            continue
        theirs.add((typ, norm(typ, name), ver))
    missing = sorted(theirs - ours)
    check(not missing, f"{image}: Trivy lists, kensa does not: {missing[:10]}")
    print(f"{image}: {len(theirs)} language packages from Trivy, all in kensa's {len(ours)}; "
          f"kensa only: {len(ours - theirs)}; "
          f"Trivy's project roots, not dependencies: {project_roots}")
done()
