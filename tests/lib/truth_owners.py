#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""truth_owners.py — run INSIDE a container (python3 of the image): which packages own paths.

Reads JSON from stdin: {"paths": [absolute paths as a process asked for them]}. For each it
resolves the path inside the container (os.path.realpath: symlinks as the kernel would),
keeps regular files, and answers, independently of kensa:
  - Debian: `dpkg-query -S` on the canonical path and its pre-usrmerge alias (/usr/lib → /lib…)
  - PyPI:   *.dist-info/RECORD, *.egg-info top_level.txt / installed-files.txt (+ PKG-INFO,
            METADATA for name and version); distributions without metadata are not packages
  - npm:    the nearest enclosing node_modules/<name> (or @scope/name) or /usr/share/nodejs/<name>
            directory with a package.json (name, version); outside node_modules, a project
            directory (a package.json beside node_modules or a lock file: the application, as
            npm and Trivy count it) owns its files
Python bytecode caches (__pycache__/M.tag.pyc, M.pyc) count as their source M.py: the cache
is generated at install time and no package manager lists it.
Writes JSON to stdout: {"files": {canonical: {"Debian": [...], "PyPI": [[n, v]], "npm": [[n, v]]}},
"skipped": {path: reason}}.
"""
import glob
import json
import os
import re
import subprocess
import sys

PSEUDO = ("/proc/", "/sys/", "/dev/")


def pyc_source(path):
    m = re.match(r"^(.*)/__pycache__/([^/.]+)\.[^/]*pyc$", path)
    if m:
        return f"{m.group(1)}/{m.group(2)}.py"
    if path.endswith(".pyc") and "/__pycache__/" not in path:
        return path[:-1]
    return None


def usrmerge_aliases(path):
    out = [path]
    for usr, old in (("/usr/lib/", "/lib/"), ("/usr/bin/", "/bin/"), ("/usr/sbin/", "/sbin/"),
                     ("/usr/lib64/", "/lib64/")):
        if path.startswith(usr):
            out.append(old + path[len(usr):])
    return out


def dpkg_owners(paths):
    """canonical path -> set of Debian packages, through dpkg-query -S (batched)."""
    owners = {p: set() for p in paths}
    query = {}
    for p in paths:
        for a in usrmerge_aliases(p):
            if not any(c in a for c in "*?[]\\"):	# dpkg -S treats these as a glob
                query[a] = p
    names = sorted(query)
    for i in range(0, len(names), 200):
        r = subprocess.run(["dpkg-query", "-S", *names[i:i + 200]], capture_output=True, text=True)
        for line in r.stdout.splitlines():
            if line.startswith("diversion by") or ": " not in line:
                continue
            pkgs, path = line.rsplit(": ", 1)
            if path in query:
                owners[query[path]].update(x.strip().split(":")[0] for x in pkgs.split(","))
    return owners


def read_meta(path):
    name = version = None
    try:
        with open(path, errors="replace") as f:
            for line in f:
                if line.startswith("Name:") and name is None:
                    name = line[5:].strip()
                elif line.startswith("Version:") and version is None:
                    version = line[8:].strip()
                elif not line.strip():
                    break
    except OSError:
        pass
    return name, version


def pypi_index():
    """canonical file -> [(name, version)] from the image's Python metadata."""
    index = {}
    sites = set()
    for pat in ("/usr/lib/python3*/dist-packages", "/usr/local/lib/python3*/dist-packages",
                "/usr/lib/python3*/site-packages", "/usr/local/lib/python3*/site-packages"):
        sites.update(os.path.realpath(p) for p in glob.glob(pat))
    for site in sites:
        for meta in glob.glob(os.path.join(site, "*.dist-info")):
            name, version = read_meta(os.path.join(meta, "METADATA"))
            if not name:
                continue
            try:
                lines = open(os.path.join(meta, "RECORD"), errors="replace").read().splitlines()
            except OSError:
                continue
            for line in lines:
                rel = line.rsplit(",", 2)[0] if line.count(",") >= 2 else line
                f = os.path.realpath(os.path.join(site, rel))
                index.setdefault(f, set()).add((name, version))
        for meta in glob.glob(os.path.join(site, "*.egg-info")):
            if not os.path.isdir(meta):
                continue
            name, version = read_meta(os.path.join(meta, "PKG-INFO"))
            if not name:
                continue	# metadata deleted (app-multi's Jinja2): not a package any more
            files = set()
            try:
                for rel in open(os.path.join(meta, "installed-files.txt")).read().splitlines():
                    files.add(os.path.realpath(os.path.join(meta, rel)))
            except OSError:
                pass
            try:
                tops = open(os.path.join(meta, "top_level.txt")).read().split()
            except OSError:
                tops = []
            for top in tops:
                base = os.path.join(site, top)
                if os.path.isdir(base):
                    for d, _, fs in os.walk(base):
                        files.update(os.path.realpath(os.path.join(d, x)) for x in fs)
                for f in glob.glob(base + ".py") + glob.glob(base + ".*.so") + glob.glob(base + ".so"):
                    files.add(os.path.realpath(f))
            for f in files:
                index.setdefault(f, set()).add((name, version))
    return index


def npm_owner(path, cache):
    parts = path.split("/")
    for i in range(len(parts) - 1, 0, -1):
        if parts[i - 1] != "node_modules" and parts[max(i - 3, 0):i] != ["usr", "share", "nodejs"]:
            continue
        pkgdir = "/".join(parts[:i + 1])
        if parts[i].startswith("@") and i + 1 < len(parts) - 1:
            pkgdir = "/".join(parts[:i + 2])
        if pkgdir not in cache:
            try:
                pj = json.load(open(os.path.join(pkgdir, "package.json")))
                cache[pkgdir] = (pj["name"], pj["version"]) if pj.get("name") and pj.get("version") else None
            except (OSError, ValueError, KeyError):
                cache[pkgdir] = None
        if cache[pkgdir]:
            return cache[pkgdir]
    return None


LOCKS = ("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml")


def npm_project(path, cache):
    """The application project whose directory holds path (not inside node_modules)."""
    parts = path.split("/")
    if "node_modules" in parts:
        return None
    d = os.path.dirname(path)
    while d and d != "/":
        if d not in cache:
            cache[d] = None
            pj = os.path.join(d, "package.json")
            if os.path.isfile(pj) and (os.path.isdir(os.path.join(d, "node_modules")) or
                                       any(os.path.isfile(os.path.join(d, x)) for x in LOCKS)):
                try:
                    j = json.load(open(pj))
                    if j.get("name") and j.get("version"):
                        cache[d] = (j["name"], j["version"])
                except (OSError, ValueError):
                    pass
        if cache[d]:
            return cache[d]
        d = os.path.dirname(d)
    return None


def main():
    req = json.load(sys.stdin)
    files, skipped = {}, {}
    for p in req["paths"]:
        canon = os.path.realpath(p)
        if canon.startswith(PSEUDO):
            skipped[p] = "pseudo file system"
        elif not os.path.isfile(canon):
            skipped[p] = "not a regular file"
        else:
            files[canon] = {}
    lookup = {}
    for f in files:
        src = pyc_source(f)
        lookup[f] = src if src and os.path.exists(src) else f
    deb = dpkg_owners(sorted(set(lookup.values())))
    pypi = pypi_index()
    npm_cache = {}
    for f, info in files.items():
        key = lookup[f]
        info["Debian"] = sorted(deb.get(key, ()))
        info["PyPI"] = sorted(pypi.get(key, ()))
        n = npm_owner(f, npm_cache) or npm_project(f, npm_cache)
        info["npm"] = [list(n)] if n else []
        if key != f:
            info["derived_from"] = key
    json.dump({"files": files, "skipped": skipped}, sys.stdout)


if __name__ == "__main__":
    main()
