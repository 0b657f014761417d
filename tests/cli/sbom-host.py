#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""`kensa sbom host` works on this machine, and `kensa sbom dir:/` agrees with
`dpkg-query -W` (issue 2, done-means 6): same Debian packages, same versions, same source
packages. Packages dpkg keeps only as "config-files" (removed, configuration left) have no
software on disk; kensa leaves them out on purpose, so they are left out of the comparison."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import check, done, sbom_json, skip  # noqa: E402

if not os.path.exists("/var/lib/dpkg/status"):
    skip("not a dpkg system")
fmt = "${Package}\\t${Version}\\t${source:Package}\\t${source:Version}\\t${db:Status-Status}\\n"
out = subprocess.run(["dpkg-query", "-W", "-f", fmt], capture_output=True, text=True, check=True).stdout
want = set()
for line in out.splitlines():
    name, ver, src, srcver, status = line.split("\t")
    if status in ("config-files", "not-installed"):
        continue
    want.add((name, ver, src, srcver))

for target in ("host", "dir:/"):
    doc = sbom_json(target)
    got = {(p["name"], p["version"], p["source"]["name"], p["source"]["version"])
           for p in doc["packages"] if p["ecosystem"] in ("Debian", "Ubuntu")}
    check(got == want, f"{target}: differs from dpkg-query -W: missing {sorted(want - got)[:5]}, "
                       f"extra {sorted(got - want)[:5]}")
    check(doc["os"]["id"] is not None, f"{target}: OS identified")
    # the ownership index knows this machine's libc
    libc = [p for p in doc["packages"] if "/usr/lib/x86_64-linux-gnu/libc.so.6" in p["files"]]
    check(len(libc) == 1 and libc[0]["name"].startswith("libc6"), f"{target}: libc.so.6 owned by libc6")
    print(f"{target}: {len(got)} Debian packages = dpkg-query -W ({len(want)}); "
          f"{len(doc['packages'])} packages in all")
done()
