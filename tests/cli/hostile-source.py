#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: quick
"""Hostile images and directories (issue 2, "done means" 4). Each case gives a clear message
naming the file — a warning and the rest of the SBOM for a bad entry, exit 3 for a target that
cannot be read — never a crash (the sanitizer tier runs this too), never a hang, never a file
written outside the work area, never anything read from the host through a symlink."""
import gzip
import json
import os
import subprocess
import sys
import zlib

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import (TMP, base_layer, check, done, kensa, make_docker_archive,  # noqa: E402
                        tar_bytes)


def sbom(target, expect_rc=0):
    p = kensa("sbom", "-f", "json", target, timeout=120)
    check(p.returncode == expect_rc,
          f"{target}: exit {p.returncode}, expected {expect_rc}; stderr: {p.stderr[-500:]}")
    check("AddressSanitizer" not in p.stderr and "runtime error" not in p.stderr,
          f"{target}: sanitizer report: {p.stderr[-2000:]}")
    doc = json.loads(p.stdout) if p.returncode == 0 and p.stdout else None
    return doc, p.stderr


def names(doc):
    return {x["name"] for x in doc["packages"]} if doc else set()


def archive(name, layers, **kw):
    return "docker-archive:" + make_docker_archive(os.path.join(TMP, name + ".tar"), layers, **kw)


# 1. member names that climb out or are absolute
target = archive("traversal", [base_layer([
    {"name": "../escape", "data": b"x"},
    {"name": "a/../../escape2", "data": b"x"},
    {"name": "/abs/file", "data": b"fine: absolute names are rooted in the image"},
])])
doc, err = sbom(target)
check(names(doc) == {"libc6", "bash"}, f"traversal: packages still listed, got {names(doc)}")
check("'../escape'" in err and "leaves the root" in err, f"traversal: warning names the member: {err}")
check(not os.path.exists(os.path.join(TMP, "escape")) and not os.path.exists("/escape"),
      "traversal: nothing written outside")

# 2. symlinks pointing at host files: never followed on the host
target = archive("shadow", [tar_bytes([
    {"name": "etc", "dir": True},
    {"name": "etc/os-release", "symlink": "/etc/shadow"},
    {"name": "var/lib/dpkg/status", "symlink": "/etc/shadow"},
    {"name": "usr/lib/os-release", "symlink": "../../../../../etc/passwd"},
])])
doc, err = sbom(target)
check(doc is not None and doc["os"]["id"] is None, f"shadow: no OS read through the symlink: {doc and doc['os']}")
check(doc is not None and not doc["packages"], "shadow: no packages from /etc/shadow")

# 3. symlink loops
target = archive("loop", [base_layer([
    {"name": "loop/a", "symlink": "b"}, {"name": "loop/b", "symlink": "a"},
    {"name": "usr/lib/os-release", "symlink": "/loop/a"},
    {"name": "self", "symlink": "self/self"},
])])
doc, err = sbom(target)
check(names(doc) == {"libc6", "bash"}, f"loop: packages still listed: {names(doc)}")

# 4. hard links to outside paths
target = archive("hardlink", [base_layer([
    {"name": "evil", "hardlink": "../../../etc/passwd"},
])])
doc, err = sbom(target)
check("hard link" in err and "evil" in err, f"hardlink: warning names the entry: {err}")
check(names(doc) == {"libc6", "bash"}, "hardlink: rest of the SBOM produced")

# 5. a decompression bomb built at test time: a 2 GiB file of zeros in a gzip'd layer (~2 MB).
# After a full flush, deflate encodes each further MiB of zeros with the same bytes, so the
# valid gzip stream is assembled from one compressed chunk instead of compressing 2 GiB.
bomb = os.path.join(TMP, "bomb-layer.tar.gz")
import struct  # noqa: E402
import tarfile  # noqa: E402
ti = tarfile.TarInfo("zeros")
ti.size = 2 << 30
head = ti.tobuf(tarfile.PAX_FORMAT)
co = zlib.compressobj(9, zlib.DEFLATED, -15)
first = co.compress(head) + co.flush(zlib.Z_FULL_FLUSH)
zero_mib = bytes(1 << 20)
block = co.compress(zero_mib) + co.flush(zlib.Z_FULL_FLUSH)
check(block == co.compress(zero_mib) + co.flush(zlib.Z_FULL_FLUSH), "deflate chunks repeat")
crc = zlib.crc32(head)
for _ in range(2 << 10):
    crc = zlib.crc32(zero_mib, crc)
tail_data = bytes(1024)  # tar end-of-archive blocks
crc = zlib.crc32(tail_data, crc)
total = len(head) + (2 << 30) + len(tail_data)
with open(bomb, "wb") as out:
    out.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + first)
    for _ in range(2 << 10):
        out.write(block)
    out.write(co.compress(tail_data) + co.flush())
    out.write(struct.pack("<II", crc & 0xffffffff, total & 0xffffffff))
check(zlib.decompressobj(31).decompress(open(bomb, "rb").read(100000), 1 << 20)[:5] == head[:5],
      "the bomb is a real gzip stream")
target = archive("bomb", [base_layer(), open(bomb, "rb").read()])
doc, err = sbom(target, expect_rc=3)
check("decompression bomb" in err, f"bomb: refused as a bomb: {err}")
# and the same bomb as the whole archive, gzip'd again
gz = os.path.join(TMP, "bomb-outer.tar.gz")
with open(os.path.join(TMP, "bomb.tar"), "rb") as src, gzip.open(gz, "wb", 1) as dst:
    dst.write(src.read())
doc, err = sbom("docker-archive:" + gz, expect_rc=3)
check("decompression bomb" in err, f"bomb (outer gzip): refused: {err}")

# 6. a truncated layer (the blob is cut, the outer tar is fine)
layer = base_layer([{"name": "big", "data": os.urandom(200000)}])
target = archive("truncated", [layer[: len(layer) // 2]])
doc, err = sbom(target, expect_rc=3)
check("truncated" in err.lower() and ".tar" in err, f"truncated layer: message names the layer: {err}")
# the archive itself cut short
whole = os.path.join(TMP, "whole.tar")
make_docker_archive(whole, [base_layer([{"name": "big", "data": os.urandom(200000)}])])
data = open(whole, "rb").read()
cut = os.path.join(TMP, "cut.tar")
open(cut, "wb").write(data[: len(data) // 3])
doc, err = sbom("docker-archive:" + cut, expect_rc=3)
check(cut in err, f"cut archive: message names the file: {err}")

# 7. the manifest names a layer the archive does not contain
target = archive("missing", [base_layer()], manifest=[{"Config": "nope.json", "RepoTags": [], "Layers": ["x.tar"]}])
doc, err = sbom(target, expect_rc=3)
check("nope.json" in err or "x.tar" in err, f"missing member: message names it: {err}")
cfg_ok = make_docker_archive(os.path.join(TMP, "tmp.tar"), [base_layer()])
import tarfile as _tf  # noqa: E402
with _tf.open(cfg_ok) as t:
    cfg_name = [m.name for m in t.getmembers() if m.name.endswith(".json") and m.name != "manifest.json"][0]
target = archive("missing2", [base_layer()], manifest=[{"Config": cfg_name, "Layers": ["0000.tar"]}])
doc, err = sbom(target, expect_rc=3)
check("'0000.tar'" in err and "does not contain" in err, f"missing layer: message names it: {err}")

# 8. malformed package records: a warning naming the file, the rest of the SBOM
bad_status = (b"Package: good\nVersion: 1.0\nStatus: install ok installed\n\n"
              b"\x00\xff garbage line without colon\nVersion: 2\n\n"
              b"Package: noversion\nStatus: install ok installed\n\n")
target = archive("badstatus", [tar_bytes([{"name": "etc/os-release", "data": b"ID=debian\nVERSION_ID=12\n"},
                                         {"name": "var/lib/dpkg/status", "data": bad_status}])])
doc, err = sbom(target)
check(names(doc) == {"good"}, f"bad status: good record kept: {names(doc)}")
check("/var/lib/dpkg/status" in err and "without" in err, f"bad status: warning names the file: {err}")
# not JSON at all where the manifest should be
target = archive("badmanifest", [base_layer()], manifest={"not": "an array"})
doc, err = sbom(target, expect_rc=3)
check("manifest.json" in err, f"bad manifest: message names it: {err}")

# 9. 10,000-deep directories: in a layer, and on disk
deep = "/".join(["d"] * 10000)
target = archive("deep", [base_layer([{"name": deep + "/f", "data": b"x"}])])
doc, err = sbom(target)
check(names(doc) == {"libc6", "bash"}, "deep layer: rest of the SBOM produced")
check("skipping" in err, f"deep layer: warning: {err[:300]}")
root = os.path.join(TMP, "deeproot")
os.makedirs(os.path.join(root, "etc"))
open(os.path.join(root, "etc", "os-release"), "wb").write(b"ID=debian\nVERSION_ID=12\n")
fd = os.open(root, os.O_RDONLY)
cur = fd
for _ in range(10000):
    os.mkdir("d", dir_fd=cur)
    nxt = os.open("d", os.O_RDONLY, dir_fd=cur)
    if cur != fd:
        os.close(cur)
    cur = nxt
os.close(cur)
os.close(fd)
doc, err = sbom("dir:" + root)
check(doc is not None and doc["os"]["id"] == "debian", "deep dir: scanned")
check("longer than" in err or "deeper than" in err, f"deep dir: warning: {err[:300]}")
subprocess.run(["rm", "-rf", root])

# 10. not a target at all
doc, err = sbom("docker-archive:" + os.path.join(TMP, "does-not-exist.tar"), expect_rc=3)
check("does-not-exist.tar" in err, "missing file named")
junk = os.path.join(TMP, "junk.tar")
open(junk, "wb").write(os.urandom(4096))
doc, err = sbom("docker-archive:" + junk, expect_rc=3)
check(junk in err, f"junk file named: {err}")
done()
