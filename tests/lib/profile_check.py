# SPDX-License-Identifier: Apache-2.0
"""profile_check.py — shared checks of `kensa profile` / `kensa agent` output in tests.

validate(doc) checks a profile against docs/schemas/profile.schema.json (python3-jsonschema);
packages(doc, ecosystem) and files(doc) pull out what tests compare.
"""
import json
import os

from kensa_test import ROOT, check

SCHEMA = os.path.join(ROOT, "docs", "schemas", "profile.schema.json")


def validate(doc, what="profile"):
    from jsonschema import Draft202012Validator
    schema = json.load(open(SCHEMA))
    errors = sorted(Draft202012Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
    for e in errors[:10]:
        check(False, f"{what}: schema: {'/'.join(map(str, e.path))}: {e.message[:300]}")
    return not errors


def packages(doc, ecosystem=None):
    """{name: package} of packages_in_use (optionally of one ecosystem)."""
    return {p["name"]: p for p in doc["packages_in_use"]
            if ecosystem is None or p["ecosystem"].split(":")[0] == ecosystem}


def files(doc):
    """Every file record: the owned ones and the unowned ones listed."""
    out = []
    for p in doc["packages_in_use"]:
        out.extend(p["files"])
    out.extend(doc["unowned_files"]["files"])
    return out


def load(path):
    with open(path) as f:
        return json.load(f)
