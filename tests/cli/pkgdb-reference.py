#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: quick
"""The binary-format analyzers agree with the reference readers on real inputs:

  jars        every pom.properties coordinate that Python's zipfile finds in the regular jars of
              this machine's /usr/share/java (Debian's jars) is reported at that jar;
  Go          `go version -m` (the Go toolchain's own reader) on the Go test binaries lists
              exactly the stdlib, main module and deps (after => replacement) kensa reports;
  cargo       the .dep-v0 section dumped by binutils' objcopy and inflated by Python's zlib
              names exactly the runtime crates kensa reports;
  rpm         rpm itself (`rpm -qa`, sqlite and bdb_ro backends) lists the same name, epoch,
              version, release and arch, and `rpm's FILENAMES the files kensa says they own.
A part whose reference tool is missing is skipped and said so; if all are missing, exit 77."""
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
import zlib

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import ROOT, TMP, check, done, kensa, skip  # noqa: E402

CASES = os.path.join(ROOT, "tests", "pkgdb")
ran = 0


def sbom_json(target):
    return json.loads(kensa("sbom", "-f", "json", target, check_rc=0).stdout)


def pkgs_at(doc, location, ecosystem=None):
    return [p for p in doc["packages"] if p["location"] == location
            and (ecosystem is None or p["ecosystem"] == ecosystem)]


# ---------------------------------------------------------------- jars
java = "/usr/share/java"
jars = sorted(f for f in os.listdir(java) if f.endswith(".jar")) if os.path.isdir(java) else []
jars = [f for f in jars if os.path.isfile(os.path.join(java, f)) and not os.path.islink(os.path.join(java, f))]
if jars:
    ran += 1
    doc = sbom_json("dir:" + java)
    got = {(p["name"], p["version"], p["location"]) for p in doc["packages"] if p["ecosystem"] == "Maven"}
    want = set()
    for f in jars:
        try:
            z = zipfile.ZipFile(os.path.join(java, f))
        except zipfile.BadZipFile:
            continue
        for n in z.namelist():
            if re.fullmatch(r"META-INF/maven/[^/]+/[^/]+/pom\.properties", n):
                props = {}
                for line in z.read(n).decode("utf-8", "replace").splitlines():
                    if "=" in line and not line.lstrip().startswith("#"):
                        k, v = line.split("=", 1)
                        props[k.strip()] = v.strip()
                if props.get("groupId") and props.get("artifactId") and props.get("version"):
                    want.add((props["groupId"] + ":" + props["artifactId"], props["version"], "/" + f))
    missing = sorted(want - got)
    check(not missing, f"jars: {len(missing)} pom.properties coordinates not reported: {missing[:5]}")
    links = {"/" + f for f in os.listdir(java) if os.path.islink(os.path.join(java, f))}
    check(not any(p[2] in links for p in got), "jars: a symlinked jar was reported")
    print(f"jars: {len(jars)} regular jars in {java}, {len(want)} pom.properties coordinates, "
          f"{len(got)} Maven packages reported, {len(missing)} missing")
else:
    print(f"jars: skipped (no regular jar in {java})")

# ---------------------------------------------------------------- Go
go_root = os.path.join(CASES, "go-binaries", "rootfs")
if shutil.which("go"):
    ran += 1
    doc = sbom_json("dir:" + go_root)
    bindir = os.path.join(go_root, "usr", "local", "bin")
    for f in sorted(os.listdir(bindir)):
        p = subprocess.run(["go", "version", "-m", os.path.join(bindir, f)], capture_output=True, text=True)
        got = {(x["name"], x["version"]) for x in pkgs_at(doc, "/usr/local/bin/" + f, "Go")}
        if p.returncode != 0 or not p.stdout.strip():
            check(not got, f"go: {f}: go version -m rejects it, kensa reported {got}")
            continue
        lines = p.stdout.splitlines()
        want = {("stdlib", lines[0].split(": ", 1)[1].split()[0].removeprefix("go"))}
        for line in lines[1:]:
            fields = line.strip("\t").split("\t")
            if fields[0] in ("mod", "dep") and len(fields) >= 3:
                want.add((fields[1], fields[2]))
                last = (fields[1], fields[2])
            elif fields[0] == "=>":
                want.discard(last)
                want.add((fields[1], fields[2] if len(fields) > 2 else ""))
        check(got == want, f"go: {f}: go version -m says {sorted(want)}, kensa {sorted(got)}")
        print(f"go: {f}: {len(want)} modules, same as go version -m" if got == want else f"go: {f}: differs")
else:
    print("go: skipped (no go toolchain; setup.sh installs golang-go)")

# ---------------------------------------------------------------- cargo-auditable
rust_root = os.path.join(CASES, "rust-crates", "rootfs")
if shutil.which("objcopy"):
    ran += 1
    doc = sbom_json("dir:" + rust_root)
    for f in ("demo", "server"):
        out = os.path.join(TMP, f + ".dep")
        subprocess.run(["objcopy", "--dump-section", ".dep-v0=" + out,
                        os.path.join(rust_root, "usr", "local", "bin", f), os.path.join(TMP, f + ".o")],
                       check=True, capture_output=True)
        tree = json.loads(zlib.decompress(open(out, "rb").read()))
        want = {(x["name"], x["version"]) for x in tree["packages"]
                if x.get("name") and x.get("kind", "runtime") == "runtime"}
        got = {(x["name"], x["version"]) for x in pkgs_at(doc, "/usr/local/bin/" + f, "crates.io")}
        check(got == want, f"cargo: {f}: .dep-v0 says {sorted(want)}, kensa {sorted(got)}")
        print(f"cargo: {f}: {len(want)} runtime crates, same as the section")
else:
    print("cargo: skipped (no objcopy)")

# ---------------------------------------------------------------- rpm
if shutil.which("rpm"):
    ran += 1
    qf = "%{NAME}\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\t%{ARCH}\n"
    for case, sub, backend in (("rpm-sqlite", "var/lib/rpm", "sqlite"), ("rpm-bdb", "var/lib/rpm", "bdb_ro")):
        root = os.path.join(CASES, case, "rootfs")
        dbdir = os.path.join(TMP, case)	# rpm may leave lock and journal files: give it a copy
        shutil.copytree(os.path.join(root, sub), dbdir)
        base = ["rpm", "--dbpath", dbdir, "--define", "_db_backend " + backend]
        p = subprocess.run(base + ["-qa", "--qf", qf], capture_output=True, text=True)
        want = {tuple(line.split("\t")) for line in p.stdout.splitlines() if line}
        doc = sbom_json("dir:" + root)
        got = {(x["name"], x["version"], x["arch"]) for x in doc["packages"] if x["analyzer"] == "rpm"}
        check(want and got == want, f"rpm: {case}: rpm -qa says {sorted(want)}, kensa {sorted(got)}")
        q = subprocess.run(base + ["-qa", "--qf", "[%{=NAME}\t%{FILENAMES}\n]"], capture_output=True, text=True)
        owned = {}
        for line in q.stdout.splitlines():
            name, path = line.split("\t", 1)
            if os.path.lexists(root + path):
                owned.setdefault(name, set()).add(path)
        for x in doc["packages"]:
            if x["analyzer"] == "rpm":
                check(owned.get(x["name"], set()) == set(x["files"]),
                      f"rpm: {case}: {x['name']} owns {sorted(x['files'])}, rpm says (present here) "
                      f"{sorted(owned.get(x['name'], []))}")
        print(f"rpm: {case}: {len(want)} packages, same as rpm -qa ({backend})")
else:
    print("rpm: skipped (no rpm)")

if not ran:
    skip("no reference tool found (zipfile jars, go, objcopy, rpm)")
done()
