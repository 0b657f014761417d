# SPDX-License-Identifier: Apache-2.0
"""vercmp_ref.py — helpers for the tests that hold `kensa vercmp` against the reference
implementations on this machine (tests/cli/vercmp-*.py).

Each such test gathers real version strings (OSV feeds in ../shared, apt's package index,
the npm registry), adds edge cases and systematic mutations, builds pairs with a seeded
random generator (so a failure reproduces), asks the reference for the answer at test time
and pipes the same pairs through `kensa vercmp --batch`. Answers are "<", "=", ">" or "!"
(the reference refuses the pair). Nothing here knows the expected answers.
"""
import glob
import json
import os
import random
import subprocess

from kensa_test import CACHE, KENSA, SHARED, TMP, check

MIN_PAIRS = 10000


def sign(x):
    return "<" if x < 0 else ">" if x > 0 else "="


def usable(v):
    """Can v travel through the TSV batch format (no tab, newline or NUL)?"""
    return isinstance(v, str) and not any(c in v for c in "\t\n\0")


def osv_records(eco):
    for path in sorted(glob.glob(os.path.join(SHARED, "data", "osv", eco, "*.json"))):
        with open(path, encoding="utf-8") as f:
            yield json.load(f)


def osv_versions(eco, range_types=("ECOSYSTEM", "SEMVER")):
    """{package: [versions in feed order]} from `versions` lists and range events."""
    out = {}
    for rec in osv_records(eco):
        for aff in rec.get("affected", []):
            name = aff.get("package", {}).get("name", "?")
            vs = out.setdefault(name, [])
            vs.extend(v for v in aff.get("versions", []) if usable(v))
            for r in aff.get("ranges", []):
                if r.get("type") not in range_types:
                    continue
                for ev in r.get("events", []):
                    for k, v in ev.items():
                        if k in ("introduced", "fixed", "last_affected") and usable(v):
                            vs.append(v)
    return {k: list(dict.fromkeys(v)) for k, v in out.items() if v}


def build_pairs(groups, edges, rng, target=MIN_PAIRS + 2000):
    """Pairs mixing: neighbours and random pairs inside each group (versions of one package,
    where comparisons are close), random pairs across everything, each edge case against
    itself, other edge cases and a sample of real versions. Duplicates removed."""
    pool = list(dict.fromkeys(v for g in groups for v in g))
    edges = list(dict.fromkeys(e for e in edges if usable(e)))
    pairs = []
    for g in groups:
        g = list(dict.fromkeys(g))
        pairs += list(zip(g, g[1:]))
        for _ in range(min(len(g), 40)):
            pairs.append((rng.choice(g), rng.choice(g)))
    for e in edges:
        pairs.append((e, e))
        for _ in range(6):
            pairs.append((e, rng.choice(edges)))
            if pool:
                a = rng.choice(pool)
                pairs.append((e, a) if rng.random() < 0.5 else (a, e))
    for v in pool[:2000]:
        pairs.append((v, v))
    while len(pairs) < target and pool:
        pairs.append((rng.choice(pool), rng.choice(pool)))
    return list(dict.fromkeys(pairs))


def kensa_batch(eco, pairs, satisfies=False):
    args = [KENSA, "-q", "vercmp", "--batch"] + (["--satisfies"] if satisfies else []) + [eco]
    data = "".join(f"{a}\t{b}\n" for a, b in pairs)
    p = subprocess.run(args, input=data.encode("utf-8", "surrogateescape"), capture_output=True,
                       timeout=600)
    if p.returncode != 0:
        raise AssertionError(f"{' '.join(args)}: exit {p.returncode}: {p.stderr[-2000:]!r}")
    out = p.stdout.decode("utf-8", "surrogateescape").split("\n")
    if out and out[-1] == "":
        out.pop()
    if len(out) != len(pairs):
        raise AssertionError(f"kensa answered {len(out)} lines for {len(pairs)} pairs")
    return out


def run_reference(cmd, pairs, **kw):
    """Run a reference program that reads 'A<TAB>B' lines and answers one line each."""
    data = "".join(f"{a}\t{b}\n" for a, b in pairs)
    p = subprocess.run(cmd, input=data.encode("utf-8", "surrogateescape"), capture_output=True,
                       timeout=900, **kw)
    if p.returncode != 0:
        raise AssertionError(f"reference {cmd[0]}: exit {p.returncode}: {p.stderr[-2000:]!r}")
    out = p.stdout.decode("utf-8", "surrogateescape").split("\n")
    if out and out[-1] == "":
        out.pop()
    if len(out) != len(pairs):
        raise AssertionError(f"reference answered {len(out)} lines for {len(pairs)} pairs")
    return out


def compare(name, pairs, want, got, minimum=MIN_PAIRS, policy=None):
    """Report agreement; every pair must agree and enough must be real comparisons.

    policy(a, b) may return kensa's documented answer for a pair the reference accepts but
    kensa deliberately refuses (docs/vercmp.md lists these); such pairs are counted apart."""
    if policy:
        deviations = 0
        for i, (a, b) in enumerate(pairs):
            p = policy(a, b)
            if p is not None and p != want[i]:
                want[i] = p
                deviations += 1
        print(f"{name}: {deviations} pairs where kensa's documented policy overrides the reference")
    bad = [(a, b, w, g) for (a, b), w, g in zip(pairs, want, got) if w != g]
    ordered = sum(1 for w in want if w != "!")
    refused = len(want) - ordered
    print(f"{name}: {len(pairs)} pairs ({ordered} ordered by the reference, {refused} refused), "
          f"{len(pairs) - len(bad)} agree, {len(bad)} differ")
    for a, b, w, g in bad[:25]:
        print(f"  {a!r} vs {b!r}: reference {w}, kensa {g}")
    check(not bad, f"{name}: {len(bad)} of {len(pairs)} answers differ from the reference")
    check(ordered >= minimum, f"{name}: only {ordered} ordered pairs (< {minimum})")
    check(refused > 0, f"{name}: no malformed pair was tried")
    return not bad


def save_pairs(name, pairs, want):
    """Keep the generated pairs and reference answers for a human to look at."""
    path = os.path.join(TMP, f"{name}.tsv")
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        for (a, b), w in zip(pairs, want):
            f.write(f"{a}\t{b}\t{w}\n")
    return path


def cached_json(name, produce):
    """JSON cached under $KENSA_CACHE (network look-ups are done once)."""
    path = os.path.join(CACHE, name)
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    data = produce()
    if data is not None:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(data, f)
        os.rename(path + ".tmp", path)
    return data


def mutations(v, rng):
    """Systematic variants of a real version: the shapes that break naive comparators."""
    out = [v, v + "~rc1", v + "~~", v + "^git1", v + "^", "1:" + v, "0:" + v, v + ".0",
           v + "-1", v + "+b1", v + "a", v + "-0", v.upper(), "0" + v, v + ".00",
           v + "." + "9" * 25, v.replace(".", "_"), v + "~" + v, v + "-rc.1", v + "rc1"]
    parts = v.split(".")
    if len(parts) > 1:
        i = rng.randrange(len(parts))
        p = parts[:]
        p[i] = "0" + p[i]
        out.append(".".join(p))
        p = parts[:]
        p[i] = str(int(p[i]) + 1) if p[i].isdigit() else p[i] + "z"
        out.append(".".join(p))
    return out


# ---------------------------------------------------------------- npm

SEMVER_VERSION = "7.8.6"	# the node-semver release semver_range.c was ported from
NPM_PACKAGES = [
    "lodash", "express", "react", "react-dom", "chalk", "debug", "commander", "semver",
    "minimist", "axios", "moment", "uuid", "qs", "ws", "yargs", "glob", "async", "request",
    "underscore", "bluebird", "mkdirp", "rimraf", "webpack", "typescript", "eslint", "mocha",
    "jest", "body-parser", "tslib", "fs-extra", "inquirer", "json5", "tough-cookie",
    "follow-redirects", "node-fetch", "vue", "next", "@babel/core", "jquery", "ms",
]


def npm_semver():
    """Directory of node-semver SEMVER_VERSION, installed once into the cache."""
    prefix = os.path.join(CACHE, "npm")
    mod = os.path.join(prefix, "node_modules", "semver")
    try:
        with open(os.path.join(mod, "package.json"), encoding="utf-8") as f:
            if json.load(f).get("version") == SEMVER_VERSION:
                return mod
    except (OSError, ValueError):
        pass
    p = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", prefix,
                        f"semver@{SEMVER_VERSION}"], capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        return None
    return mod


def npm_view(spec, field):
    p = subprocess.run(["npm", "view", spec, field, "--json"], capture_output=True, text=True,
                       timeout=120)
    if p.returncode != 0 or not p.stdout.strip():
        return None
    return json.loads(p.stdout)


def npm_registry(pkg):
    """{versions: [...], ranges: [...]} of a registry package (cached; None offline)."""
    def produce():
        versions = npm_view(pkg, "versions")
        if not isinstance(versions, list):
            return None
        ranges = []
        for field in ("dependencies", "devDependencies", "peerDependencies"):
            deps = npm_view(f"{pkg}@*", field)
            for d in deps if isinstance(deps, list) else [deps] if isinstance(deps, dict) else []:
                if isinstance(d, dict):
                    ranges += [[name, r] for name, r in d.items() if isinstance(r, str)]
        return {"versions": versions, "ranges": ranges}
    return cached_json(os.path.join("npm-registry", pkg.replace("/", "%2f") + ".json"), produce)


# ---------------------------------------------------------------- documented vectors

FLIP = {"<": ">", ">": "<", "=": "=", "!": "!"}


def load_vectors(scheme):
    """(a, b, expected) from tests/version/<scheme>.txt: every relation of a chain both ways,
    every pair of a chain of '<' and '=' (transitivity), and each refused version ("!V")
    against the first valid one of the file. '""' is the empty string."""
    path = os.path.join(os.environ.get("KENSA_ROOT", "."), "tests", "version", f"{scheme}.txt")
    out, refused, first = [], [], None

    def word(w):
        return "" if w == '""' else w

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("!"):
                refused.append(word(line[1:]))
                continue
            t = line.split()
            vs, ops = [word(w) for w in t[0::2]], t[1::2]
            if len(vs) != len(ops) + 1 or any(op not in "<=>" for op in ops):
                raise ValueError(f"{path}: bad line {line!r}")
            first = first if first is not None else vs[0]
            for i in range(len(vs)):
                for j in range(i + 1, len(vs)):
                    rel = set(ops[i:j])
                    if j == i + 1 or (">" not in rel) or ("<" not in rel):
                        op = "<" if "<" in rel else ">" if ">" in rel else "="
                        out.append((vs[i], vs[j], op))
                        out.append((vs[j], vs[i], FLIP[op]))
            for v in vs:
                out.append((v, v, "="))
    for v in refused:
        out += [(v, first, "!"), (first, v, "!"), (v, v, "!")]
    return list(dict.fromkeys(out))


def check_vectors(scheme, pairs, want, policy=None):
    """The hand-written expectations of tests/version/<scheme>.txt must match the reference
    (with kensa's documented policy applied, see compare())."""
    answers = dict(zip(pairs, want))
    if policy:
        answers = {(a, b): policy(a, b) or w for (a, b), w in answers.items()}
    vec = load_vectors(scheme)
    wrong = [(a, b, e, answers.get((a, b))) for a, b, e in vec if answers.get((a, b)) != e]
    for a, b, e, w in wrong[:10]:
        print(f"  tests/version/{scheme}.txt says {a!r} {e} {b!r}, the reference says {w}")
    if check(not wrong, f"{scheme}: {len(wrong)} of {len(vec)} documented vectors disagree with "
                        "the reference"):
        print(f"{scheme}: {len(vec)} documented vectors confirmed by the reference")
