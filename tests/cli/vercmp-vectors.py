#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: quick
"""kensa vercmp on the documented examples of every scheme (tests/version/<scheme>.txt: the
orderings and refusals each ecosystem's specification or reference test-suite states). For
go, cargo, nuget and apk, which have no reference implementation on this machine, these are
the proof of exactness (with the feed properties in vercmp-properties.py); for the other
schemes the full-tier tests confirm every vector against the reference itself. Also the
command line's contract: answers, exit codes, usage errors, batch mode."""
import os
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import check, done, kensa  # noqa: E402
from vercmp_ref import (kensa_batch, load_vectors)  # noqa: E402

total = 0
for name in sorted(os.listdir(os.path.join(os.environ["KENSA_ROOT"], "tests", "version"))):
    scheme = name[:-4]
    vec = load_vectors(scheme)
    got = kensa_batch(scheme, [(a, b) for a, b, _ in vec])
    bad = [(a, b, e, g) for (a, b, e), g in zip(vec, got) if e != g]
    for a, b, e, g in bad[:10]:
        print(f"  {scheme}: {a!r} vs {b!r}: expected {e}, kensa {g}")
    check(not bad, f"{scheme}: {len(bad)} of {len(vec)} vectors wrong")
    print(f"{scheme}: {len(vec) - len(bad)}/{len(vec)} vectors")
    total += len(vec)

# the command line itself: single pairs, exit codes, usage errors
p = kensa("vercmp", "Debian:12", "1.0~rc1", "1.0")
check(p.returncode == 0 and p.stdout == "<\n", f"single pair: {p.returncode} {p.stdout!r}")
p = kensa("vercmp", "Alpine:v3.19", "1.2.3-r1", "1.2.3")
check(p.returncode == 0 and p.stdout == ">\n", f"Alpine:v3.19: {p.returncode} {p.stdout!r}")
p = kensa("vercmp", "pypi", "1.0", "1.0.0")
check(p.returncode == 0 and p.stdout == "=\n", f"pypi (lower case): {p.returncode} {p.stdout!r}")
p = kensa("vercmp", "Debian", "a1", "1.0")
check(p.returncode == 3 and "malformed Debian version 'a1'" in p.stderr and not p.stdout,
      f"malformed: {p.returncode} {p.stderr!r}")
p = kensa("vercmp", "NoSuchEcosystem", "1", "2")
check(p.returncode == 2 and "unknown ecosystem" in p.stderr, f"unknown: {p.returncode} {p.stderr!r}")
p = kensa("vercmp", "npm", "1.0.0")
check(p.returncode == 2, f"missing argument: {p.returncode}")
p = kensa("vercmp", "--satisfies", "npm", "^1.2.3", "1.9.9")
check(p.returncode == 0 and p.stdout == "true\n", f"satisfies: {p.returncode} {p.stdout!r}")
p = kensa("vercmp", "--satisfies", "npm", "^1.2.3", "2.0.0-rc.1")
check(p.returncode == 0 and p.stdout == "false\n", f"satisfies: {p.returncode} {p.stdout!r}")
p = kensa("vercmp", "--satisfies", "npm", "git+https://x", "1.0.0")
check(p.returncode == 3, f"bad range: {p.returncode}")
p = kensa("vercmp", "--satisfies", "PyPI", ">=1", "1.0")
check(p.returncode == 2, f"--satisfies on PyPI: {p.returncode}")
p = kensa("vercmp", "--batch", "Go", stdin="v1.0.0\tv1.0.1\nno tab here\nv1\tbad\n\n1.2.3\t1.2.3+x\n")
check(p.returncode == 0 and p.stdout == "<\n!\n!\n!\n=\n", f"batch: {p.returncode} {p.stdout!r}")
check("3 of 5 lines" in p.stderr, f"batch summary: {p.stderr!r}")
p = kensa("-v", "vercmp", "--batch", "Go", stdin="v1\tbad\n")
check("line 1: malformed Go module version 'bad'" in p.stderr, f"batch -v: {p.stderr!r}")
p = kensa("vercmp", "--list")
check(p.returncode == 0 and p.stdout.split() == ["dpkg", "apk", "rpm", "pep440", "semver", "maven",
                                                 "go", "gem", "nuget", "composer", "cargo"],
      f"--list: {p.stdout!r}")
print(f"{total} vectors")
done()
