#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""Order properties of kensa vercmp on the real versions of every OSV feed in ../shared
(Debian, Go, Maven, NuGet, Packagist, PyPI, RubyGems, crates.io, npm) — what must hold for
go, cargo and nuget too, which have no reference implementation here:

- almost every version a feed uses is accepted (>= 99%; the refused ones are listed; "0",
  OSV's "since the beginning" marker, is not a version);
- reflexive and antisymmetric: a = a, and a < b exactly when b > a;
- a total preorder: all pairs of a sample of up to 160 versions are compared, the sample is
  sorted with those answers, and every earlier version must be <= every later one, with
  equal versions adjacent (so no cycle, no broken transitivity);
- each OSV range is consistent: an `introduced` sorts below the `fixed` that follows it
  (and not above a `last_affected`); a range whose introduced and fixed are the same string
  is empty by the feed's own choice (RustSec writes a few) and is only counted."""
import functools
import os
import random
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import check, done  # noqa: E402
from vercmp_ref import FLIP, kensa_batch, osv_records, osv_versions  # noqa: E402

ECOSYSTEMS = ["Debian", "Go", "Maven", "NuGet", "Packagist", "PyPI", "RubyGems", "crates.io", "npm"]
rng = random.Random(8)

for eco in ECOSYSTEMS:
    versions = sorted({v for vs in osv_versions(eco).values() for v in vs} - {"0"})
    if not versions:
        continue
    # acceptance: each version against itself
    got = kensa_batch(eco, [(v, v) for v in versions])
    refused = [v for v, g in zip(versions, got) if g == "!"]
    check(all(g in ("=", "!") for g in got), f"{eco}: a version not equal to itself")
    check(len(refused) <= len(versions) // 100,
          f"{eco}: {len(refused)} of {len(versions)} feed versions refused: {refused[:10]}")
    ok = [v for v, g in zip(versions, got) if g == "="]

    # total preorder over a sample: every pair, both directions
    sample = rng.sample(ok, min(len(ok), 160))
    pairs = [(a, b) for a in sample for b in sample if a != b]
    ans = dict(zip(pairs, kensa_batch(eco, pairs)))
    asym = [(a, b) for (a, b), r in ans.items() if FLIP[r] != ans[(b, a)]]
    check(not asym, f"{eco}: not antisymmetric on {asym[:5]}")

    def cmp(a, b):
        return 0 if a == b else {"<": -1, "=": 0, ">": 1}[ans[(a, b)]]

    order = sorted(sample, key=functools.cmp_to_key(cmp))
    broken = [(order[i], order[j]) for i in range(len(order)) for j in range(i + 1, len(order))
              if ans[(order[i], order[j])] == ">"]
    equal_gaps = [(order[i], order[j]) for i in range(len(order)) for j in range(i + 2, len(order))
                  if ans[(order[i], order[j])] == "=" and ans[(order[i], order[i + 1])] != "="]
    check(not broken and not equal_gaps,
          f"{eco}: not a total preorder: {broken[:3]} {equal_gaps[:3]}")

    # OSV ranges: introduced < fixed, introduced <= last_affected
    checks, empty = [], 0
    for rec in osv_records(eco):
        for aff in rec.get("affected", []):
            for r in aff.get("ranges", []):
                if r.get("type") not in ("ECOSYSTEM", "SEMVER"):
                    continue
                intro = None
                for ev in r.get("events", []):
                    if "introduced" in ev:
                        intro = ev["introduced"]
                    elif intro not in (None, "0", "0.0.0-0"):
                        for kind in ("fixed", "last_affected"):
                            if kind in ev and ev[kind] == intro and kind == "fixed":
                                empty += 1
                            elif kind in ev:
                                checks.append((rec["id"], kind, intro, ev[kind]))
    answers = kensa_batch(eco, [(c[2], c[3]) for c in checks])
    bad = [(c, a) for c, a in zip(checks, answers)
           if a == "!" or (c[1] == "fixed" and a != "<") or (c[1] == "last_affected" and a == ">")]
    for (rid, kind, i, f), a in bad[:10]:
        print(f"  {eco} {rid}: introduced {i!r} {a} {kind} {f!r}")
    check(not bad, f"{eco}: {len(bad)} of {len(checks)} OSV ranges out of order")
    print(f"{eco}: {len(versions)} versions ({len(refused)} refused), {len(pairs)} sample pairs "
          f"form a total preorder, {len(checks)} introduced/fixed pairs in order ({empty} empty)")
done()
