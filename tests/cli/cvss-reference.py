#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""kensa's CVSS scores against an independent implementation written here, in Python, from
the specifications, in exact rational arithmetic (fractions.Fraction) where kensa computes
in doubles, so float noise cannot agree with itself by accident.

Checked, all with 100% agreement required:
  * every base vector: v2 (729), v3.0 and v3.1 (2,592 each), v4.0 (104,976, CVSS-B);
  * seeded random vectors carrying temporal/threat and environmental metrics (v3 ones in
    shuffled order, which v3 allows), plus supplemental metrics for v4.0;
  * kensa_cvss_format's canonical form (kensa cvss --canonical) re-scores identically.

Rounding, as each specification defines it:
  v2    round_to_1_decimal: half up, on the exact value;
  v3.1  Roundup (Appendix A): round to 5 decimals, then up to 1 decimal;
  v3.0  naive Roundup, ceil(x * 10) / 10 on the double the FIRST v3.0 calculator computes
        (float noise included: the spec's reason for the v3.1 rule), so that one reference
        is evaluated in floats, operation for operation, and the exact value is reported
        beside it;
  v4.0  half up to one decimal on the exact value (section 8.2; FIRST's calculator adds
        1e-6 before rounding for the same result).
The v4.0 MacroVector scores are read from tests/data/cvss/v40-macrovectors.tsv, the
specification's lookup table.
"""
import itertools
import math
import os
import random
import subprocess
import sys
from fractions import Fraction as F

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import KENSA, ROOT, check, done  # noqa: E402

RANDOM_PER_VERSION = 20000


def half_up(x):
    """Round a non-negative exact value half up to one decimal."""
    t = x * 10
    r = math.floor(t)
    if t - r >= F(1, 2):
        r += 1
    return F(r, 10)


def vector_dict(vector, prefix):
    assert vector.startswith(prefix), vector
    body = vector[len(prefix):]
    return dict(part.split(":") for part in body.split("/"))


# ---------------------------------------------------------------- v2 (Complete Guide section 3.2)

V2_BASE = [("AV", "L A N"), ("AC", "H M L"), ("Au", "M S N"), ("C", "N P C"), ("I", "N P C"),
           ("A", "N P C")]
V2_OPTIONAL = [("E", "ND U POC F H"), ("RL", "ND OF TF W U"), ("RC", "ND UC UR C"),
               ("CDP", "ND N L LM MH H"), ("TD", "ND N L M H"), ("CR", "ND L M H"),
               ("IR", "ND L M H"), ("AR", "ND L M H")]
V2_W = {
    "AV": {"L": "0.395", "A": "0.646", "N": "1.0"},
    "AC": {"H": "0.35", "M": "0.61", "L": "0.71"},
    "Au": {"M": "0.45", "S": "0.56", "N": "0.704"},
    "CIA": {"N": "0", "P": "0.275", "C": "0.660"},
    "E": {"U": "0.85", "POC": "0.9", "F": "0.95", "H": "1", "ND": "1"},
    "RL": {"OF": "0.87", "TF": "0.90", "W": "0.95", "U": "1", "ND": "1"},
    "RC": {"UC": "0.90", "UR": "0.95", "C": "1", "ND": "1"},
    "CDP": {"N": "0", "L": "0.1", "LM": "0.3", "MH": "0.4", "H": "0.5", "ND": "0"},
    "TD": {"N": "0", "L": "0.25", "M": "0.75", "H": "1", "ND": "1"},
    "REQ": {"L": "0.5", "M": "1", "H": "1.51", "ND": "1"},
}


V2_WF = {t: {k: F(v) for k, v in vals.items()} for t, vals in V2_W.items()}
V2_K = {k: F(k) for k in ("10.41", "0.6", "0.4", "1.5", "1.176")}


def w2(table, value):
    return V2_WF[table][value]


def v2_scores(vector):
    m = vector_dict(vector.strip("()"), "")
    g = lambda k: m.get(k, "ND")  # noqa: E731
    c, i, a = (w2("CIA", m[k]) for k in ("C", "I", "A"))
    expl = 20 * w2("AV", m["AV"]) * w2("AC", m["AC"]) * w2("Au", m["Au"])

    def base(impact):
        if impact == 0:
            return F(0)
        return half_up((V2_K["0.6"] * impact + V2_K["0.4"] * expl - V2_K["1.5"]) * V2_K["1.176"])

    def temporal(b):
        return half_up(b * w2("E", g("E")) * w2("RL", g("RL")) * w2("RC", g("RC")))

    b = base(V2_K["10.41"] * (1 - (1 - c) * (1 - i) * (1 - a)))
    score = b
    if any(g(k) != "ND" for k in ("CDP", "TD", "CR", "IR", "AR")):
        adj = min(F(10), V2_K["10.41"] * (1 - (1 - c * w2("REQ", g("CR"))) *
                                       (1 - i * w2("REQ", g("IR"))) * (1 - a * w2("REQ", g("AR")))))
        at = temporal(base(adj))
        score = half_up((at + (10 - at) * w2("CDP", g("CDP"))) * w2("TD", g("TD")))
    elif any(g(k) != "ND" for k in ("E", "RL", "RC")):
        score = temporal(b)
    return b, score


# ---------------------------------------------------------------- v3.0 / v3.1 (sections 7 / 8)

V3_BASE = [("AV", "N A L P"), ("AC", "L H"), ("PR", "N L H"), ("UI", "N R"), ("S", "U C"),
           ("C", "H L N"), ("I", "H L N"), ("A", "H L N")]
V3_OPTIONAL = [("E", "X U P F H"), ("RL", "X O T W U"), ("RC", "X U R C"), ("CR", "X L M H"),
               ("IR", "X L M H"), ("AR", "X L M H"), ("MAV", "X N A L P"), ("MAC", "X L H"),
               ("MPR", "X N L H"), ("MUI", "X N R"), ("MS", "X U C"), ("MC", "X H L N"),
               ("MI", "X H L N"), ("MA", "X H L N")]
V3_W = {
    "AV": {"N": "0.85", "A": "0.62", "L": "0.55", "P": "0.2"},
    "AC": {"L": "0.77", "H": "0.44"},
    "PR_U": {"N": "0.85", "L": "0.62", "H": "0.27"},
    "PR_C": {"N": "0.85", "L": "0.68", "H": "0.5"},
    "UI": {"N": "0.85", "R": "0.62"},
    "CIA": {"H": "0.56", "L": "0.22", "N": "0"},
    "E": {"X": "1", "U": "0.91", "P": "0.94", "F": "0.97", "H": "1"},
    "RL": {"X": "1", "O": "0.95", "T": "0.96", "W": "0.97", "U": "1"},
    "RC": {"X": "1", "U": "0.92", "R": "0.96", "C": "1"},
    "REQ": {"X": "1", "L": "0.5", "M": "1", "H": "1.5"},
}


V3_WN = {num: {t: {k: num(v) for k, v in vals.items()} for t, vals in V3_W.items()} for num in (F, float)}


def roundup_31(x):
    """v3.1 Appendix A, on the exact value."""
    i = math.floor(x * 100000 + F(1, 2))
    if i % 10000 == 0:
        return F(i, 100000)
    return F(i // 10000 + 1, 10)


def roundup_30(x):
    return math.ceil(x * 10) / 10


def v3_scores(vector, version, num):
    """Scores of a v3 vector: num is Fraction (exact) or float (the v3.0 calculator's doubles)."""
    m = vector_dict(vector, f"CVSS:{version}/")
    g = lambda k: m.get(k, "X")  # noqa: E731
    w = lambda t, v: V3_WN[num][t][v]  # noqa: E731
    if num is float:
        roundup = roundup_30
    else:
        roundup = roundup_31 if version == "3.1" else (lambda x: F(math.ceil(x * 10), 10))

    def shaped(impact, av, ac, pr, ui, changed):
        expl = num("8.22") * w("AV", av) * w("AC", ac) * w("PR_C" if changed else "PR_U", pr) * w("UI", ui)
        if impact <= 0:
            return num(0)
        if changed:
            return roundup(min(num("1.08") * (impact + expl), num(10)))
        return roundup(min(impact + expl, num(10)))

    def temporal(score):
        return roundup(score * w("E", g("E")) * w("RL", g("RL")) * w("RC", g("RC")))

    changed = m["S"] == "C"
    iss = 1 - ((1 - w("CIA", m["C"])) * (1 - w("CIA", m["I"])) * (1 - w("CIA", m["A"])))
    if changed:
        impact = num("7.52") * (iss - num("0.029")) - num("3.25") * (iss - num("0.02")) ** 15
    else:
        impact = num("6.42") * iss
    base = shaped(impact, m["AV"], m["AC"], m["PR"], m["UI"], changed)
    score = base
    if any(g(k) != "X" for k, _ in V3_OPTIONAL[3:]):
        mod = lambda k: g("M" + k) if g("M" + k) != "X" else m[k]  # noqa: E731
        mchanged = mod("S") == "C"
        miss = min(1 - ((1 - w("CIA", mod("C")) * w("REQ", g("CR"))) *
                        (1 - w("CIA", mod("I")) * w("REQ", g("IR"))) *
                        (1 - w("CIA", mod("A")) * w("REQ", g("AR")))), num("0.915"))
        if not mchanged:
            mimpact = num("6.42") * miss
        elif version == "3.1":
            mimpact = num("7.52") * (miss - num("0.029")) - num("3.25") * (miss * num("0.9731") - num("0.02")) ** 13
        else:
            mimpact = num("7.52") * (miss - num("0.029")) - num("3.25") * (miss - num("0.02")) ** 15
        if mimpact <= 0:
            score = num(0)
        else:
            score = temporal(shaped(mimpact, mod("AV"), mod("AC"), mod("PR"), mod("UI"), mchanged))
    elif any(g(k) != "X" for k in ("E", "RL", "RC")):
        score = temporal(base)
    return base, score


# ---------------------------------------------------------------- v4.0 (section 8)

V4_BASE = [("AV", "N A L P"), ("AC", "L H"), ("AT", "N P"), ("PR", "N L H"), ("UI", "N P A"),
           ("VC", "H L N"), ("VI", "H L N"), ("VA", "H L N"), ("SC", "H L N"), ("SI", "H L N"),
           ("SA", "H L N")]
V4_OPTIONAL = [("E", "X A P U"), ("CR", "X H M L"), ("IR", "X H M L"), ("AR", "X H M L"),
               ("MAV", "X N A L P"), ("MAC", "X L H"), ("MAT", "X N P"), ("MPR", "X N L H"),
               ("MUI", "X N P A"), ("MVC", "X H L N"), ("MVI", "X H L N"), ("MVA", "X H L N"),
               ("MSC", "X H L N"), ("MSI", "X S H L N"), ("MSA", "X S H L N"), ("S", "X N P"),
               ("AU", "X N Y"), ("R", "X A U I"), ("V", "X D C"), ("RE", "X L M H"),
               ("U", "X Clear Green Amber Red")]
# Severity levels in tenths, by metric: the order of "more severe first" within a metric.
V4_LEVEL = {"AV": "NALP", "PR": "NLH", "UI": "NPA", "AC": "LH", "AT": "NP", "VC": "HLN",
            "VI": "HLN", "VA": "HLN", "SC": "-HLN", "SI": "SHLN", "SA": "SHLN", "CR": "HML",
            "IR": "HML", "AR": "HML", "E": "APU"}
# Highest-severity vectors of each EQ level (section 8.2), metric → value.
V4_MAX = {
    "eq1": {0: ["AV:N PR:N UI:N"], 1: ["AV:A PR:N UI:N", "AV:N PR:L UI:N", "AV:N PR:N UI:P"],
            2: ["AV:P PR:N UI:N", "AV:A PR:L UI:P"]},
    "eq2": {0: ["AC:L AT:N"], 1: ["AC:H AT:N", "AC:L AT:P"]},
    "eq36": {(0, 0): ["VC:H VI:H VA:H CR:H IR:H AR:H"],
             (0, 1): ["VC:H VI:H VA:L CR:M IR:M AR:H", "VC:H VI:H VA:H CR:M IR:M AR:M"],
             (1, 0): ["VC:L VI:H VA:H CR:H IR:H AR:H", "VC:H VI:L VA:H CR:H IR:H AR:H"],
             (1, 1): ["VC:L VI:H VA:L CR:H IR:M AR:H", "VC:L VI:H VA:H CR:H IR:M AR:M",
                      "VC:H VI:L VA:H CR:M IR:H AR:M", "VC:H VI:L VA:L CR:M IR:H AR:H",
                      "VC:L VI:L VA:H CR:H IR:H AR:M"],
             (2, 1): ["VC:L VI:L VA:L CR:H IR:H AR:H"]},
    "eq4": {0: ["SC:H SI:S SA:S"], 1: ["SC:H SI:H SA:H"], 2: ["SC:L SI:L SA:L"]},
    "eq5": {0: ["E:A"], 1: ["E:P"], 2: ["E:U"]},
}
# Depth of each level: its largest severity distance + 1, in tenths.
V4_DEPTH = {"eq1": {0: 1, 1: 4, 2: 5}, "eq2": {0: 1, 1: 2},
            "eq36": {(0, 0): 7, (0, 1): 6, (1, 0): 8, (1, 1): 8, (2, 1): 10},
            "eq4": {0: 6, 1: 5, 2: 4}}


V4_LEVELS = {m: {v: i for i, v in enumerate(vals)} for m, vals in V4_LEVEL.items()}


def load_macrovectors():
    table = {}
    with open(os.path.join(ROOT, "tests", "data", "cvss", "v40-macrovectors.tsv")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            key, score = line.split()
            table[tuple(int(c) for c in key)] = F(score)
    return table


MACRO = load_macrovectors()


def v4_score(vector, base_only):
    m = vector_dict(vector, "CVSS:4.0/")
    if base_only:
        m = {k: v for k, v in m.items() if k in dict(V4_BASE)}
    g = lambda k: m.get(k, "X")  # noqa: E731
    eff = {}
    for k, _ in V4_BASE:
        eff[k] = g("M" + k) if g("M" + k) != "X" else m[k]
    eff["E"] = g("E") if g("E") != "X" else "A"
    for k in ("CR", "IR", "AR"):
        eff[k] = g(k) if g(k) != "X" else "H"
    if all(eff[k] == "N" for k in ("VC", "VI", "VA", "SC", "SI", "SA")):
        return F(0)

    nets = [eff[k] == "N" for k in ("AV", "PR", "UI")]
    eq1 = 0 if all(nets) else 1 if any(nets) and eff["AV"] != "P" else 2
    eq2 = 0 if eff["AC"] == "L" and eff["AT"] == "N" else 1
    vh = [eff[k] == "H" for k in ("VC", "VI", "VA")]
    eq3 = 0 if vh[0] and vh[1] else 1 if any(vh) else 2
    eq4 = 0 if "S" in (g("MSI"), g("MSA")) else 1 if "H" in (eff["SC"], eff["SI"], eff["SA"]) else 2
    eq5 = "APU".index(eff["E"])
    eq6 = 0 if any(eff[r] == "H" and eff[v] == "H" for r, v in (("CR", "VC"), ("IR", "VI"), ("AR", "VA"))) else 1
    mv = (eq1, eq2, eq3, eq4, eq5, eq6)
    value = MACRO[mv]

    def lower(*steps):
        return MACRO.get(tuple(a + b for a, b in zip(mv, steps)))

    if (eq3, eq6) == (0, 0):
        a, b = lower(0, 0, 0, 0, 0, 1), lower(0, 0, 1, 0, 0, 0)
        low36 = None if a is None or b is None else max(a, b)
    elif (eq3, eq6) == (1, 0):
        low36 = lower(0, 0, 0, 0, 0, 1)
    else:
        low36 = lower(0, 0, 1, 0, 0, 0)
    lowers = [lower(1, 0, 0, 0, 0, 0), lower(0, 1, 0, 0, 0, 0), low36, lower(0, 0, 0, 1, 0, 0),
              lower(0, 0, 0, 0, 1, 0)]

    dist = None
    for parts in itertools.product(V4_MAX["eq1"][eq1], V4_MAX["eq2"][eq2], V4_MAX["eq36"][(eq3, eq6)],
                                   V4_MAX["eq4"][eq4], V4_MAX["eq5"][eq5]):
        top = dict(p.split(":") for p in " ".join(parts).split())
        dist = {k: V4_LEVELS[k][eff[k]] - V4_LEVELS[k][top[k]] for k in V4_LEVEL}
        if all(d >= 0 for d in dist.values()):
            break
    used = [dist["AV"] + dist["PR"] + dist["UI"], dist["AC"] + dist["AT"],
            sum(dist[k] for k in ("VC", "VI", "VA", "CR", "IR", "AR")),
            dist["SC"] + dist["SI"] + dist["SA"]]
    depth = [V4_DEPTH["eq1"][eq1], V4_DEPTH["eq2"][eq2], V4_DEPTH["eq36"][(eq3, eq6)], V4_DEPTH["eq4"][eq4]]
    total, count = F(0), 0
    for k, low in enumerate(lowers):
        if low is None:
            continue
        count += 1
        if k < 4:  # EQ5 contributes its available distance times 0
            total += (value - low) * F(used[k], depth[k])
    score = value - (total / count if count else 0)
    return half_up(min(F(10), max(F(0), score)))


# ---------------------------------------------------------------- vectors

def all_base(defs, prefix):
    for combo in itertools.product(*[vals.split() for _, vals in defs]):
        yield prefix + "/".join(f"{k}:{v}" for (k, _), v in zip(defs, combo))


def random_vectors(rng, base, optional, prefix, count, shuffle):
    for _ in range(count):
        parts = [f"{k}:{rng.choice(vals.split())}" for k, vals in base]
        parts += [f"{k}:{rng.choice(vals.split())}" for k, vals in optional if rng.random() < 0.5]
        if shuffle:
            rng.shuffle(parts)
        yield prefix + "/".join(parts)


def kensa_scores(vectors, *args):
    p = subprocess.run([KENSA, "cvss", *args], input="\n".join(vectors) + "\n", capture_output=True,
                       text=True, timeout=600)
    lines = p.stdout.splitlines()
    check(len(lines) == len(vectors), f"kensa cvss printed {len(lines)} lines for {len(vectors)} vectors")
    return [line.split("\t") for line in lines]


def fmt(x):
    return f"{float(x):.1f}"


def compare(label, vectors, reference):
    got = kensa_scores(vectors)
    bad = []
    for vector, row in zip(vectors, got):
        want = reference(vector)
        have = (row[0], row[1]) if len(row) == 5 else ("INVALID", "")
        if have != (fmt(want[0]), fmt(want[1])):
            bad.append((vector, have, (fmt(want[0]), fmt(want[1]))))
    check(not bad, f"{label}: {len(bad)} of {len(vectors)} differ from the reference "
          f"(vector, kensa (base, score), reference): {bad[:5]}")
    print(f"{label}: {len(vectors)} vectors, {len(vectors) - len(bad)} agree")
    return got


rng = random.Random(20240531)
v2_all = list(all_base(V2_BASE, ""))
compare("v2 base (all)", v2_all, v2_scores)
# Every base vector with every temporal triple, and with every security-requirement triple
# (CDP:N/TD:H leaves the environmental score equal to the adjusted base score): the v2
# roundings where an exact value could sit near a half.
compare("v2 base x temporal (all)", [f"{b}/E:{e}/RL:{rl}/RC:{rc}" for b in v2_all
                                    for e, rl, rc in itertools.product(*[v.split() for _, v in V2_OPTIONAL[:3]])],
        v2_scores)
compare("v2 base x requirements (all)", [f"{b}/CDP:N/TD:H/CR:{c}/IR:{i}/AR:{a}" for b in v2_all
                                        for c, i, a in itertools.product(*[v.split() for _, v in V2_OPTIONAL[5:]])],
        v2_scores)
compare("v2 random base+temporal+environmental",
        list(random_vectors(rng, V2_BASE, V2_OPTIONAL, "", RANDOM_PER_VERSION, False)), v2_scores)

for version in ("3.0", "3.1"):
    num = float if version == "3.0" else F
    ref = lambda v, version=version, num=num: v3_scores(v, version, num)  # noqa: E731
    compare(f"v{version} base (all)", list(all_base(V3_BASE, f"CVSS:{version}/")), ref)
    compare(f"v{version} random, any order, temporal+environmental",
            list(random_vectors(rng, V3_BASE, V3_OPTIONAL, f"CVSS:{version}/", RANDOM_PER_VERSION, True)), ref)

# What v3.0's naive rounding does: vectors whose score is not the ceiling of the exact value
# because the double was a hair above it (the v3.1 Roundup fixes those).
v30 = list(all_base(V3_BASE, "CVSS:3.0/")) + list(
    random_vectors(random.Random(3), V3_BASE, V3_OPTIONAL, "CVSS:3.0/", RANDOM_PER_VERSION, False))
naive = [v for v in v30 if v3_scores(v, "3.0", float) != tuple(map(float, v3_scores(v, "3.0", F)))]
print(f"v3.0: {len(naive)} of {len(v30)} vectors round up float noise, e.g. {naive[:2]}")

def v4_ref(vector):
    base = v4_score(vector, True)
    return base, base if vector.count("/") == len(V4_BASE) else v4_score(vector, False)



compare("v4.0 base (all, CVSS-B)", list(all_base(V4_BASE, "CVSS:4.0/")), v4_ref)
v4_random = list(random_vectors(rng, V4_BASE, V4_OPTIONAL, "CVSS:4.0/", RANDOM_PER_VERSION, False))
compare("v4.0 random, threat+environmental+supplemental (CVSS-BTE)", v4_random, v4_ref)

# The canonical form re-scores identically (and is what --canonical prints).
sample = v2_all[::7] + v4_random[:5000] + [f"CVSS:3.1/{v}" for v in ("S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:X",)]
plain = kensa_scores(sample)
canon = kensa_scores(sample, "--canonical")
again = kensa_scores([row[4] for row in canon])
mismatch = [(s, a[:2], b[:2]) for s, a, b in zip(sample, plain, again) if a[:2] != b[:2]]
check(not mismatch, f"canonical vectors score differently: {mismatch[:5]}")
check(canon[-1][4] == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
      f"canonical v3.1 form: {canon[-1][4]}")
print(f"canonical form: {len(sample)} vectors re-score identically")
done()
