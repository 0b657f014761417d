#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""`kensa scan` on the shared app-multi image (issue 4): the JSON report validates against
docs/schemas/scan.schema.json and keeps the contract (summary.funnel, findings[] fields);
the funnel only narrows; the secret check finds the AWS key planted in /app/.env in layer 6
and no output format prints a secret in full; exit codes 0 / 1 / 2 / 3 behave as
documented; an ignore entry suppresses until its expiry date and not after; a VEX
statement suppresses what it names; filters select what they say."""
import json
import os
import sys

import jsonschema

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import ROOT, SHARED, TMP, check, done, image_tar, kensa, truth  # noqa: E402

db = os.path.join(TMP, "kensa.db")
kensa("-q", "db", "build", "--db", db, "--from", os.path.join(SHARED, "data"), check_rc=0)
target = "docker-archive:" + image_tar("app-multi")
schema = jsonschema.Draft7Validator(json.load(open(os.path.join(ROOT, "docs", "schemas", "scan.schema.json"))),
                                    format_checker=jsonschema.FormatChecker())


def scan(*args, rc=0):
    p = kensa("scan", "--db", db, *args, target)
    check(p.returncode == rc, f"scan {args}: exit {p.returncode}, expected {rc}: {p.stderr[-400:]}")
    return p


def report(*args, rc=0):
    doc = json.loads(scan("-f", "json", *args, rc=rc).stdout)
    errs = [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:150]}" for e in list(schema.iter_errors(doc))[:5]]
    check(not errs, f"report {args} does not validate: {errs}")
    return doc


full = report("--all")
fu = full["summary"]["funnel"]
check(fu["total"] == len(full["findings"]), "every finding is listed with --all")
check(fu["total"] >= fu["fixable"] >= fu["exploitable"] >= fu["in_use"] >= fu["needs_action"],
      f"the funnel only narrows: {fu}")
for f in full["findings"]:
    check(f["needs_action"] == (f["fixable"] and f["exploitable"] and f["in_use"] != "no" and not f["suppressed"]),
          f"needs_action follows the documented rule: {f['id']} {f['package']['name']}")
    check(bool(f["fixed_versions"]) == f["fixable"], f"fixable iff a fixed version: {f['id']}")
    check(f["reasons"] and f["action"], f"every finding says why and what to do: {f['id']}")
    if f["cvss"]:
        check(f["cvss"]["source"] and f["cvss"]["why"], f"the CVSS source is named: {f['id']}")
print(f"funnel: {fu}")

default = report()
check(all(f["needs_action"] for f in default["findings"]), "the default view is needs-action")
check(len(default["findings"]) == fu["needs_action"], "the default view lists every finding that needs action")
check(default["summary"]["funnel"] == fu, "the funnel does not depend on the view")

# filters
kev = report("--kev")
check(all(f["kev"] for f in kev["findings"]), "--kev")
sev = report("--severity", "critical,high")
check(all(f["severity"] in ("CRITICAL", "HIGH") for f in sev["findings"]) and sev["findings"], "--severity")
check(sum(f["severity"] in ("CRITICAL", "HIGH") for f in full["findings"]) == len(sev["findings"]), "--severity is complete")
fx = report("--fixable", "--network")
check(all(f["fixable"] and f["exposure"]["network"] for f in fx["findings"]), "--fixable --network")
em = report("--epss-min", "0.5")
check(all(f["epss"] is not None and f["epss"] >= 0.5 for f in em["findings"]), "--epss-min")

# the planted secret: found, layer named, never printed in full
secrets = {r["value"]: r for r in (dict(zip(["type", "value", "path", "layer"], l.rstrip("\n").split("\t")))
                                     for l in open(os.path.join(SHARED, "images", "truth", "app-multi.secrets.tsv"))
                                     if not l.startswith("type"))}
checks = [c for c in full["checks"] if c["id"] == "secret" and c["path"] == "/app/.env"]
check(len(checks) == 2, f"both AWS secrets of /app/.env are reported: {[c['detail'] for c in checks]}")
for c in checks:
    check(c["layer"] == 5 and "layer 6/6" in c["detail"], f"the secret's layer is named (layer 6): {c['detail']}")
for fmt in ("table", "json", "openvex"):
    out = scan("-f", fmt, "--all").stdout + scan("-f", fmt).stderr
    for value in secrets:
        check(value not in out, f"{fmt} output does not print a secret in full")
check(any(c["id"] == "root-user" for c in full["checks"]), "runs as root is reported")

# exit codes
scan("--fail-on", "needs_action", rc=1 if fu["needs_action"] else 0)
scan("--fail-on", "cvss > 10", rc=0)
scan("--fail-on", "severity >= extreme", rc=2)
scan("--bogus-option", rc=2)
p = kensa("scan", "--db", os.path.join(TMP, "nope.db"), target)
check(p.returncode == 3 and "db update" in p.stderr, f"no database: exit 3 with advice: {p.stderr}")
p = kensa("scan", "--db", db, "docker-archive:" + os.path.join(TMP, "missing.tar"))
check(p.returncode == 3, "an unreadable target: exit 3")

# policy: an ignore entry suppresses until it expires
victim = default["findings"][0] if default["findings"] else full["findings"][0]
for expires, suppressed in (("2099-12-31", True), ("2020-01-01", False)):
    pol = os.path.join(TMP, f"policy-{expires}.yaml")
    open(pol, "w").write(f"fail_on: needs_action\nignore:\n  - id: {victim['id']}\n    package: {victim['package']['name']}\n"
                         f"    reason: accepted for the test\n    expires: {expires}\n")
    doc = json.loads(scan("-f", "json", "--all", "--policy", pol,
                          rc=1 if (fu["needs_action"] - (1 if suppressed and victim["needs_action"] else 0)) else 0).stdout)
    same = [f for f in doc["findings"] if f["id"] == victim["id"] and f["package"]["name"] == victim["package"]["name"]]
    check(len(same) == 1 and bool(same[0]["suppressed"]) == suppressed,
          f"ignore until {expires}: suppressed={suppressed} ({same and same[0]['suppressed']})")
    if not suppressed:
        check("expired" in kensa("scan", "--db", db, "--policy", pol, target).stderr, "an expired entry is announced")

# VEX: not_affected suppresses the finding it names
vex = os.path.join(TMP, "vex.json")
json.dump({"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1", "author": "test",
           "timestamp": "2026-11-22T00:00:00Z", "version": 1,
           "statements": [{"vulnerability": {"name": victim["cve"] or victim["id"]},
                           "products": [{"@id": victim["package"]["purl"]}],
                           "status": "not_affected", "justification": "vulnerable_code_not_present"}]}, open(vex, "w"))
doc = report("--all", "--vex", vex)
same = [f for f in doc["findings"] if f["id"] == victim["id"] and f["package"]["purl"] == victim["package"]["purl"]]
check(same and same[0]["suppressed"] and "vex" in same[0]["suppressed"]["by"], "a VEX statement suppresses")
check(doc["summary"]["suppressed"] >= 1, "suppressed findings are counted")

# hostile text never reaches a terminal raw: a file name with escape sequences holding a secret
from kensa_test import base_layer, make_docker_archive  # noqa: E402
evil = make_docker_archive(os.path.join(TMP, "evil.tar"), [base_layer([
    {"name": "app/\x1b[2J\x1b[31mgotcha.env", "data": b"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"}])])
p = kensa("scan", "--db", db, "--all", "docker-archive:" + evil)
check(p.returncode == 0 and "gotcha.env" in p.stdout, f"the hostile file is reported: {p.stdout[-500:]}")
check("\x1b" not in p.stdout and "\\x1b" in p.stdout, "control characters are shown as \\xNN, not sent to the terminal")
done()
