#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: quick
"""Every CVSS vector carried by the real feeds in ../shared/data, scored by kensa:

  * CVE JSON 5 records (cve/*.json): every CNA and ADP metric (cvssV2_0, cvssV3_0,
    cvssV3_1, cvssV4_0) pairs a vectorString with a baseScore and baseSeverity. kensa's base
    score and rating must equal the stored ones for 100% of the pairs, except the stored
    scores listed in tests/data/cvss/feed-errata.tsv, whose disagreement is explained there
    and the explanation re-checked here;
  * OSV records (osv/*/*.json): every severity vector (record and affected level) must parse
    and be of the version its type says; no score is stored beside them. GitHub advisories
    also carry a severity label, derived from the CVSS v3 score when there is one, else v4:
    kensa's rating must match it.

RubyGems records carry numeric cvss_v2/v3/v4 without vectors: nothing to check them against.
"""
import collections
import glob
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import KENSA, ROOT, SHARED, check, done, skip  # noqa: E402

DATA = os.path.join(SHARED, "data")
if not os.path.isdir(os.path.join(DATA, "cve")):
    skip(f"no feeds in {DATA}")


def score(vectors):
    """kensa cvss on many vectors: one (base, score, severity, version) or None per vector."""
    p = subprocess.run([KENSA, "cvss"], input="".join(v + "\n" for v in vectors), capture_output=True,
                       text=True, timeout=300)
    rows = [line.split("\t") for line in p.stdout.splitlines()]
    check(len(rows) == len(vectors), f"kensa cvss printed {len(rows)} lines for {len(vectors)} vectors")
    return [None if r[2] == "INVALID" else (float(r[0]), float(r[1]), r[2], r[3]) for r in rows]


def load_errata():
    errata = {}
    with open(os.path.join(ROOT, "tests", "data", "cvss", "feed-errata.tsv")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            record, vector, stored, spec, suffix, _why = line.rstrip("\n").split("\t")
            errata[(record, vector)] = (float(stored), float(spec), suffix)
    return errata


# ---------------------------------------------------------------- CVE JSON 5
KEY_VERSION = {"cvssV2_0": "2.0", "cvssV3_0": "3.0", "cvssV3_1": "3.1", "cvssV4_0": "4.0"}
pairs = []  # (record, vector, stored score, stored severity, metric key)
for path in sorted(glob.glob(os.path.join(DATA, "cve", "*.json"))):
    with open(path) as f:
        doc = json.load(f)
    name = os.path.relpath(path, DATA)
    containers = [("cna", doc["containers"]["cna"])]
    containers += [(f"adp {a.get('providerMetadata', {}).get('shortName', '?')}", a)
                   for a in doc["containers"].get("adp", [])]
    for who, container in containers:
        for metric in container.get("metrics", []):
            for key, value in metric.items():
                if key in KEY_VERSION and value.get("vectorString") and "baseScore" in value:
                    pairs.append((f"{name} {who}", value["vectorString"], float(value["baseScore"]),
                                  value.get("baseSeverity"), key))
            unknown = [k for k in metric if k.startswith("cvss") and k not in KEY_VERSION]
            check(not unknown, f"{name}: CVSS metric kinds this test does not know: {unknown}")

errata = load_errata()
used = set()
agree = collections.Counter()
explained_by_key = collections.Counter()
total = collections.Counter()
results = score([p[1] for p in pairs])
for (record, vector, stored, severity, key), got in zip(pairs, results):
    total[key] += 1
    if not check(got is not None, f"{record}: kensa refuses {vector}"):
        continue
    base, _, rating, version = got
    check(version == KEY_VERSION[key], f"{record}: {key} holds a v{version} vector {vector}")
    if (record, vector) in errata:
        want_stored, spec, suffix = errata[(record, vector)]
        used.add((record, vector))
        explained_by_key[key] += 1
        explained = score([vector + suffix])[0]
        check(stored == want_stored and base == spec and explained and explained[1] == stored,
              f"{record}: errata entry for {vector} no longer holds (stored {stored}, kensa {base}, "
              f"with {suffix}: {explained})")
        continue
    if check(base == stored, f"{record}: {vector}: kensa {base}, stored {stored}") and \
            check(severity is None or rating == severity,
                  f"{record}: {vector}: kensa rates {rating}, stored {severity}"):
        agree[key] += 1
stale = set(errata) - used
check(not stale, f"feed-errata.tsv entries matching no record: {sorted(stale)}")
check(sum(total.values()) > 0, "no CVSS vector/score pair found in the CVE records")
for key in sorted(total):
    print(f"CVE JSON 5 {key}: {total[key]} pairs, {agree[key]} agree, "
          f"{explained_by_key[key]} stored scores wrong as explained in feed-errata.tsv")

# ---------------------------------------------------------------- OSV
TYPE_VERSIONS = {"CVSS_V2": {"2.0"}, "CVSS_V3": {"3.0", "3.1"}, "CVSS_V4": {"4.0"}}
GHSA_LABEL = {"LOW": "LOW", "MODERATE": "MEDIUM", "HIGH": "HIGH", "CRITICAL": "CRITICAL"}
vectors = []  # (record, type, vector, GHSA label or None)
for path in sorted(glob.glob(os.path.join(DATA, "osv", "*", "*.json"))):
    with open(path) as f:
        doc = json.load(f)
    name = os.path.relpath(path, DATA)
    label = (doc.get("database_specific") or {}).get("severity") if doc.get("id", "").startswith("GHSA-") else None
    for sev in doc.get("severity") or []:
        vectors.append((name, sev["type"], sev["score"], label))
    for affected in doc.get("affected") or []:
        for sev in affected.get("severity") or []:
            vectors.append((name, sev["type"], sev["score"], None))
results = score([v[2] for v in vectors])
parsed = collections.Counter()
by_record = collections.defaultdict(dict)
for (record, kind, vector, label), got in zip(vectors, results):
    if kind not in TYPE_VERSIONS:
        continue
    if check(got is not None, f"{record}: kensa refuses {kind} {vector}") and \
            check(got[3] in TYPE_VERSIONS[kind], f"{record}: {kind} holds a v{got[3]} vector {vector}"):
        parsed[kind] += 1
    if label and got:
        by_record[record].setdefault(kind, (got[2], label))
for kind in sorted(TYPE_VERSIONS):
    n = sum(1 for v in vectors if v[1] == kind)
    if n:
        print(f"OSV {kind}: {n} vectors, {parsed[kind]} parsed")
check(sum(parsed.values()) > 0, "no CVSS vector found in the OSV records")

labels = 0
for record, kinds in sorted(by_record.items()):
    rating, label = kinds.get("CVSS_V3") or kinds.get("CVSS_V4")
    if check(GHSA_LABEL.get(label) == rating, f"{record}: GitHub severity {label}, kensa rates {rating}"):
        labels += 1
print(f"GitHub advisories: {len(by_record)} severity labels, {labels} match kensa's rating")
done()
