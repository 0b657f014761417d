# SPDX-License-Identifier: Apache-2.0
"""kensa_test.py — helpers shared by the Python CLI tests (run by tests/run.sh).

Paths come from the environment run.sh sets (KENSA, KENSA_ROOT, SHARED, KENSA_CACHE,
TEST_TMP). Images are decompressed once into the cache (podman and the uncompressed-archive
benchmarks need plain tars); truth files are read in place from ../shared.
"""
import gzip
import json
import os
import shutil
import subprocess
import sys

KENSA = os.environ.get("KENSA", "build/kensa")
ROOT = os.environ.get("KENSA_ROOT", os.getcwd())
SHARED = os.environ.get("SHARED", os.path.join(ROOT, "..", "shared"))
CACHE = os.environ.get("KENSA_CACHE", os.path.join(ROOT, "tests", ".cache"))
TMP = os.environ.get("TEST_TMP") or "/tmp"
IMAGES = ["debian-slim", "app-multi"]

failures = []


def check(cond, msg):
    """Record a failed expectation (the test goes on, and fails at the end)."""
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)
    return cond


def done():
    if failures:
        print(f"{len(failures)} expectation(s) failed")
        sys.exit(1)
    print("ok")
    sys.exit(0)


def skip(reason):
    print(reason)
    sys.exit(77)


def kensa(*args, check_rc=None, stdin=None, env=None, timeout=600):
    """Run kensa; return CompletedProcess (text). check_rc: expected exit code."""
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.run([KENSA, *args], capture_output=True, text=True, input=stdin, env=e,
                       timeout=timeout)
    if check_rc is not None and p.returncode != check_rc:
        raise AssertionError(f"kensa {' '.join(args)}: exit {p.returncode}, expected {check_rc}\n"
                             f"stderr: {p.stderr[-3000:]}")
    return p


def image_gz(name):
    return os.path.join(SHARED, "images", f"{name}.docker.tar.gz")


def image_tar(name):
    """The uncompressed docker-archive of a shared image (decompressed once into the cache)."""
    out = os.path.join(CACHE, "images", f"{name}.docker.tar")
    if not os.path.exists(out):
        os.makedirs(os.path.dirname(out), exist_ok=True)
        tmp = out + ".tmp"
        with gzip.open(image_gz(name), "rb") as src, open(tmp, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        os.rename(tmp, out)
    return out


def image_oci(name):
    """An oci-archive of a shared image, made once with skopeo (None when skopeo is missing)."""
    out = os.path.join(CACHE, "images", f"{name}.oci.tar")
    if not os.path.exists(out):
        if not shutil.which("skopeo"):
            return None
        tmp = out + ".tmp"
        if os.path.exists(tmp):
            os.unlink(tmp)
        subprocess.run(["skopeo", "copy", "--quiet", f"docker-archive:{image_tar(name)}",
                        f"oci-archive:{tmp}"], check=True, capture_output=True)
        os.rename(tmp, out)
    return out


def truth(name):
    """Rows of ../shared/images/truth/<name>.tsv as dicts."""
    rows = []
    with open(os.path.join(SHARED, "images", "truth", f"{name}.tsv")) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            rows.append(dict(zip(header, line.rstrip("\n").split("\t"))))
    return rows


def sbom_json(target, *extra):
    p = kensa("-q", "sbom", "-f", "json", target, *extra, check_rc=0)
    return json.loads(p.stdout)


# ---------------------------------------------------------------- building test images

def tar_bytes(entries, fmt=None):
    """A tar archive in memory. entries: list of dicts with name, and one of data (bytes),
    dir=True, symlink=target, hardlink=target; optional mode. Names are written verbatim
    (hostile names included)."""
    import io
    import tarfile
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt or tarfile.PAX_FORMAT) as t:
        for e in entries:
            ti = tarfile.TarInfo(e["name"])
            ti.mode = e.get("mode", 0o644)
            if e.get("dir"):
                ti.type = tarfile.DIRTYPE
                ti.mode = e.get("mode", 0o755)
                t.addfile(ti)
            elif "symlink" in e:
                ti.type = tarfile.SYMTYPE
                ti.linkname = e["symlink"]
                t.addfile(ti)
            elif "hardlink" in e:
                ti.type = tarfile.LNKTYPE
                ti.linkname = e["hardlink"]
                t.addfile(ti)
            else:
                data = e.get("data", b"")
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


def make_docker_archive(out, layers, config=None, manifest=None, extra_members=None, tags=None):
    """Write a docker-archive (docker save layout) with the given layer blobs (bytes, any
    compression). Returns the path. manifest overrides the computed manifest.json."""
    import hashlib
    import io
    import json as _json
    import tarfile
    names = []
    diff_ids = []
    members = []
    for blob in layers:
        h = hashlib.sha256(blob).hexdigest()
        names.append(f"{h}.tar")
        diff_ids.append(f"sha256:{h}")
        members.append((f"{h}.tar", blob))
    cfg = config or {}
    cfg.setdefault("architecture", "amd64")
    cfg.setdefault("os", "linux")
    cfg.setdefault("config", {})
    cfg.setdefault("rootfs", {"type": "layers", "diff_ids": diff_ids})
    cfg.setdefault("history", [{"created_by": f"layer {i}"} for i in range(len(layers))])
    cfg_bytes = _json.dumps(cfg).encode()
    cfg_name = hashlib.sha256(cfg_bytes).hexdigest() + ".json"
    members.append((cfg_name, cfg_bytes))
    man = manifest if manifest is not None else [
        {"Config": cfg_name, "RepoTags": tags or ["localhost/test:1"], "Layers": names}]
    members.append(("manifest.json", _json.dumps(man).encode()))
    for name, data in (extra_members or []):
        members.append((name, data))
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
        for name, data in members:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
    return out


DEBIAN_OS_RELEASE = b'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n'
DPKG_STATUS = (b"Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nSource: glibc\n"
               b"Version: 2.36-9+deb12u14\n\nPackage: bash\nStatus: install ok installed\n"
               b"Architecture: amd64\nVersion: 5.2.15-2+b13\nSource: bash (5.2.15-2)\n\n")


def base_layer(extra=()):
    """A tiny Debian-like layer: os-release, a dpkg status with two packages."""
    return tar_bytes([
        {"name": "etc", "dir": True},
        {"name": "etc/os-release", "data": DEBIAN_OS_RELEASE},
        {"name": "var/lib/dpkg/status", "data": DPKG_STATUS},
        *extra,
    ])
