#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""kensa scan -f junit: well-formed XML (python's parser) that validates with
`xmllint --schema` against the Jenkins JUnit schema (tests/lib/schemas.py); one testcase per
finding shown plus one per image check; failures = the findings that need action (plus the
image checks a policy's checks.fail_on names), suppressed findings skipped; the counts in the
attributes agree with the testcases; and an advisory whose text holds markup, entities and
control characters comes through as text, the document still well-formed and valid."""
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import TMP, check, done, skip  # noqa: E402
from reports import HOSTILE_SUMMARY, feeds_db, hostile, scan, targets  # noqa: E402
from schemas import junit_xsd  # noqa: E402

if not shutil.which("xmllint"):
    skip("xmllint (libxml2-utils) is not installed")
xsd = junit_xsd()


def xmllint(path):
    p = subprocess.run(["xmllint", "--noout", "--schema", xsd, path], capture_output=True, text=True)
    return p.returncode, p.stderr.strip()[-1500:]


# the schema must be able to fail: a testcase without a name is invalid
with open(os.path.join(TMP, "bad.xml"), "w") as f:
    f.write('<testsuites><testsuite name="x" tests="1"><testcase classname="c"/></testsuite></testsuites>')
check(xmllint(os.path.join(TMP, "bad.xml"))[0] != 0, "the JUnit schema rejects a testcase without a name")


def verify(label, path, ref, policy_failing_checks=0):
    rc, msg = xmllint(path)
    check(rc == 0, f"{label}: xmllint --schema jenkins-junit.xsd: {msg}")
    root = ET.parse(path).getroot()
    suites = root.findall("testsuite")
    check(root.tag == "testsuites" and len(suites) == 1, f"{label}: one testsuite for the target")
    s = suites[0]
    cases = s.findall("testcase")
    failed = [c for c in cases if c.find("failure") is not None]
    skipped = [c for c in cases if c.find("skipped") is not None]
    need = sum(f["needs_action"] for f in ref["findings"])
    check(len(cases) == len(ref["findings"]) + len(ref["checks"]),
          f"{label}: {len(cases)} testcases = {len(ref['findings'])} findings + {len(ref['checks'])} checks")
    check(len(failed) == need + policy_failing_checks,
          f"{label}: {len(failed)} failures = {need} needing action + {policy_failing_checks} policy checks")
    check(int(s.get("tests")) == len(cases) and int(s.get("failures")) == len(failed) and
          int(s.get("skipped")) == len(skipped) and int(root.get("failures")) == len(failed),
          f"{label}: counts in the attributes agree with the testcases")
    props = {p.get("name"): p.get("value") for p in s.find("properties")}
    for k, v in ref["summary"]["funnel"].items():
        check(props.get(f"funnel.{k}") == str(v), f"{label}: property funnel.{k}")
    names = {c.get("name") for c in failed}
    for f in ref["findings"]:
        if f["needs_action"]:
            shown = f["cve"] if f["id"].startswith("DEBIAN-") and f["cve"] else f["id"]
            want = f"{shown} in {f['package']['name']} {f['package']['version']}"
            check(want in names, f"{label}: failing testcase '{want}'")
    return root, failed


db = feeds_db()
for name, target in targets().items():
    for view in ((), ("--all",)):
        label = f"{name} {' '.join(view) or '(default view)'}"
        ref = scan(db, target, "json", *view)
        verify(label, scan(db, target, "junit", *view), ref)
        print(f"{label}: valid; {ref['findings_shown']} findings, {ref['summary']['funnel']['needs_action']} failing")

# a policy that fails on secrets: each secret check becomes a failure too
target = targets()["app-multi"]
policy = os.path.join(TMP, "policy.yaml")
with open(policy, "w") as f:
    f.write("checks:\n  fail_on: [secret]\n")
ref = scan(db, target, "json", extra=("--policy", policy))
nsecret = sum(c["id"] == "secret" for c in ref["checks"])
check(nsecret > 0, "app-multi has secrets in its layers")
_, failed = verify("app-multi --policy (checks.fail_on: secret)", scan(db, target, "junit", extra=("--policy", policy)),
                   ref, nsecret)
check(sum(c.get("classname") == "image-check.secret" for c in failed) == nsecret, "every secret check fails")

# hostile advisory text
hdb, htarget = hostile()
ref = scan(hdb, htarget, "json")
path = scan(hdb, htarget, "junit")
root, failed = verify("hostile", path, ref)
body = failed[0].find("failure").text if failed else ""
expect = HOSTILE_SUMMARY.replace("\u0001", "\\x01").replace("\u001b", "\\x1B")
check(expect in body, f"hostile: the summary comes through as text: {body[:300]!r}")
raw = open(path, "rb").read()
check(b"<script>" not in raw and b"\x01" not in raw and b"\x1b" not in raw and b"\x07" not in raw,
      "hostile: no raw markup or control character in the document")
print("hostile advisory text: well-formed, valid, text preserved")
done()
