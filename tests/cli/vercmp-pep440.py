#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""kensa vercmp PyPI agrees with python3-packaging (packaging.version.Version, PEP 440) on
>= 10,000 pairs: every version the PyPA advisory database lists (`versions` and ECOSYSTEM
range events, per package), plus PEP 440's spelling variants (epochs, pre/post/dev in every
accepted form, local versions, whitespace, case), mutations of real versions, numbers beyond
64 bits and strings packaging refuses (InvalidVersion must give "!")."""
import os
import random
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import done, skip  # noqa: E402
from vercmp_ref import (build_pairs, check_vectors, compare, kensa_batch,  # noqa: E402
                        load_vectors, mutations, osv_versions, save_pairs, sign)

try:
    from packaging.version import InvalidVersion, Version
    import packaging
except ImportError:
    skip("python3-packaging is not installed (./setup.sh)")

rng = random.Random(2)
groups = osv_versions("PyPI")
real = sorted({v for vs in groups.values() for v in vs})
print(f"packaging {packaging.__version__}; {len(real)} distinct versions from the PyPI feed "
      f"({len(groups)} packages)")
if len(real) < 1000:
    skip("the PyPI OSV feed is missing from ../shared/data/osv/PyPI")

edges = [
    "", " ", "0", "1", "1.0", "1.0.0", "1.0.0.0.0", "01.02", "v1.0", "V1.0", " 1.0 ", "\t1.0\n",
    "1!1.0", "0!1.0", "2!0.1", "1!", "!1.0", "1.0a", "1.0a1", "1.0A1", "1.0alpha1", "1.0-alpha-1",
    "1.0_alpha_1", "1.0.alpha.1", "1.0b", "1.0beta2", "1.0c1", "1.0rc1", "1.0RC1", "1.0pre1",
    "1.0preview1", "1.0-rc-1", "1.0rc", "1.0.post", "1.0.post1", "1.0post1", "1.0-1", "1.0-r1",
    "1.0rev1", "1.0.r", "1.0-post-1", "1.0.dev", "1.0.dev0", "1.0dev1", "1.0-dev-1", "1.0_dev_1",
    "1.0a1.dev1", "1.0a1.post1.dev1", "1.0.post1.dev1", "1.0rc1.post1", "1.0a-1", "1.0a-",
    "1.0a.", "1.0.post.", "1.0.dev-", "1.0a_-1", "1.0+local", "1.0+LOCAL", "1.0+abc.5",
    "1.0+5.abc", "1.0+00", "1.0+0", "1.0+a-b_c.d", "1.0+", "1.0+a..b", "1.0+a.", "1.0+_a",
    "1.0.x", "1.0-", "1..0", ".1", "1.", "abc", "1.0.0-SNAPSHOT", "1.0~rc1", "1.0 1", "1.0a1a1",
    "1.0a1b1", "1.0.post1.post2", "1.0.dev1.dev2", "1.0-1-1", "1.0-r", "1.0.rc", "1.0c",
    "1." + "9" * 30, "1." + "0" * 30 + "1", "99999999999999999999999", "1.0rc" + "9" * 25,
    "1.0.post" + "9" * 25, "1.0+" + "9" * 25, "1.0+" + "0" * 5 + "1", "1.0\u00e9", "\u00a01.0",
    "1.0\u2003", "\x1c1.0", "1.0+ab\u017f", "1.0.pos", "1.0prev1", "1.0pr1", "1.0al1",
    "1.0alph", "1.0a1.dev", "1.0.dev.dev", "1.0.0.post0", "1.0.post0", "1.0.dev0.post0",
    "1.0a0", "1.0.0a0", "1.0b0", "1.0rc0", "0.0", "0.0.0.0", "0!0", "1.0.0+0.0",
]
for v in rng.sample(real, 60):
    edges += mutations(v, rng)

pairs = build_pairs(list(groups.values()), edges, rng, target=22000)
pairs = list(dict.fromkeys(pairs + [(a, b) for a, b, _ in load_vectors("pep440")]))

parsed = {}


def version(v):
    if v not in parsed:
        try:
            parsed[v] = Version(v)
        except InvalidVersion:
            parsed[v] = None
    return parsed[v]


want = []
for a, b in pairs:
    va, vb = version(a), version(b)
    if va is None or vb is None:
        want.append("!")
    else:
        want.append("<" if va < vb else ">" if va > vb else "=")


def non_ascii_policy(a, b):
    """kensa refuses non-ASCII versions; packaging's case-insensitive regex lets U+017F and
    U+212A pass as 's' and 'k' (docs/vercmp.md). Non-ASCII whitespace around is fine."""
    for v in (a, b):
        if any(ord(c) > 127 for c in v.strip()):
            return "!"
    return None


got = kensa_batch("PyPI", pairs)
print("pairs:", save_pairs("pep440", pairs, want))
check_vectors("pep440", pairs, want)
compare("pep440", pairs, want, got, policy=non_ascii_policy)
done()
