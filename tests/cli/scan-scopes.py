#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""scan-scopes.py — `kensa scan --scopes FILE` (business scope, docs/risk.md) on app-multi.

  * the first scope whose patterns all match the image names its criticality and scope name
    in the report; a scope whose tag does not match is passed over; `default` applies when
    none matches;
  * criticality scales every finding's risk by the documented factor (critical 1.25, low 0.8,
    capped at 100) against the same scan without scopes;
  * a scope without a valid criticality is an error naming the file (exit 3).
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import SHARED, TMP, check, done, image_tar, kensa  # noqa: E402

db = os.path.join(TMP, "kensa.db")
kensa("-q", "db", "build", "--db", db, "--from", os.path.join(SHARED, "data"), check_rc=0)
target = "docker-archive:" + image_tar("app-multi")


def scan(*args, rc=0):
    p = kensa("scan", "--db", db, "-f", "json", "--all", *args, target)
    check(p.returncode == rc, f"scan {args}: exit {p.returncode}, expected {rc}: {p.stderr[-400:]}")
    return p


def write(name, text):
    path = os.path.join(TMP, name)
    open(path, "w").write(text)
    return path


def risks(doc):
    return {(f["id"], f["package"]["name"], f["package"]["version"]): f["risk"]["score"] for f in doc["findings"]}


plain = json.loads(scan().stdout)
base = risks(plain)
check(len(base) > 100, f"app-multi should have many findings, got {len(base)}")

crit = write("crit.yaml", """
scopes:
  - name: wrong-tag
    match: {repository: "*app-multi*", tag: "no-such-tag"}
    criticality: low
  - name: payments
    match: {repository: "*app-multi*"}
    criticality: critical
default: medium
""")
doc = json.loads(scan("--scopes", crit).stdout)
t = doc["target"]
check(t.get("criticality") == "critical" and t.get("scope") == "payments",
      f"scope not applied to {t.get('image')}: criticality={t.get('criticality')} scope={t.get('scope')}")
got = risks(doc)
bad = [k for k, v in base.items() if abs(got.get(k, -1) - min(100, v * 1.25)) > 0.15]
check(not bad, f"{len(bad)} risks not scaled by 1.25, e.g. {bad[:3]}")

low = write("low.yaml", """
scopes:
  - match: {registry: "no.such.registry"}
    criticality: critical
default: low
""")
doc = json.loads(scan("--scopes", low).stdout)
check(doc["target"].get("criticality") == "low", f"default not applied: {doc['target'].get('criticality')}")
got = risks(doc)
bad = [k for k, v in base.items() if abs(got.get(k, -1) - v * 0.8) > 0.15]
check(not bad, f"{len(bad)} risks not scaled by 0.8, e.g. {bad[:3]}")

broken = write("broken.yaml", "scopes:\n  - match: {image: '*'}\n    criticality: urgent\n")
p = scan("--scopes", broken, rc=3)
check("broken.yaml" in p.stderr and "criticality" in p.stderr, f"unclear error: {p.stderr.strip()}")

done()
