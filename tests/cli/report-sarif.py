#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""kensa scan -f sarif: valid SARIF 2.1.0 (the official schema, tests/lib/schemas.py), clean
under the SARIF Multitool's GitHub ingestion rules (the validator GitHub's documentation
points to), and meeting what GitHub code scanning documents on top: one run, every ruleId a
rule of the run, required texts non-empty and within 1024 characters, security-severity a
numeric string in (0, 10] that is the highest CVSS score of the rule's results, levels
error/warning/note by needs action and tier, relative URIs that are the package's file,
fingerprints unique and stable across scans, results within the limits. Compared with the
JSON report of the same scan (the reference), on the real images."""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import TMP, check, done  # noqa: E402
from reports import feeds_db, scan, targets  # noqa: E402
from schemas import errors, sarif_multitool, sarif_validator  # noqa: E402

validator = sarif_validator()
check(errors(validator, {"version": "2.1.0", "runs": [{"tool": {}}]}),
      "the SARIF validator rejects a run without tool.driver")
multitool = sarif_multitool()


def github_rules(path):
    """Error- and warning-level results of the Multitool's GitHub and SARIF rules."""
    out = os.path.join(TMP, "validation.sarif")
    if os.path.exists(out):
        os.unlink(out)
    env = dict(os.environ, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT="1")
    p = subprocess.run([multitool, "validate", "--rule-kind", "Gh;Sarif", "--output", out, path],
                       capture_output=True, text=True, env=env, timeout=300)
    if not os.path.exists(out):
        raise AssertionError(f"the SARIF Multitool did not run: {p.stdout[-1000:]} {p.stderr[-1000:]}")
    res = json.load(open(out))["runs"][0].get("results", [])
    return [f"{r['ruleId']} {r.get('level', 'warning')}: {r['message'].get('text') or r['message'].get('arguments')}"
            for r in res if r.get("level", "warning") in ("error", "warning")]


# the GitHub rules must be able to fail: a result without locations is refused by GitHub
bad = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [{
    "tool": {"driver": {"name": "x", "rules": [{"id": "R1", "shortDescription": {"text": "d"}}]}},
    "results": [{"ruleId": "R1", "message": {"text": "m"}}]}]}
json.dump(bad, open(os.path.join(TMP, "bad.sarif"), "w"))
check(any(x.startswith("GH") for x in github_rules(os.path.join(TMP, "bad.sarif"))),
      "the Multitool's GitHub rules flag a result without locations")

db = feeds_db()
for name, target in targets().items():
    for view in ((), ("--all",)):
        ref = scan(db, target, "json", *view)
        path = scan(db, target, "sarif", *view)
        doc = json.load(open(path))
        label = f"{name} {' '.join(view) or '(default view)'}"
        e = errors(validator, doc)
        check(not e, f"{label}: SARIF 2.1.0 schema errors: {e}")
        gh = github_rules(path)
        check(not gh, f"{label}: SARIF Multitool (GitHub rules): {gh[:5]}")

        check(doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json"), f"{label}: version, $schema")
        check(len(doc["runs"]) == 1, f"{label}: one run")
        run = doc["runs"][0]
        driver = run["tool"]["driver"]
        check(driver["name"] == "kensa" and driver.get("version") and driver.get("informationUri"),
              f"{label}: tool.driver name, version, informationUri")
        rules = driver["rules"]
        ids = [r["id"] for r in rules]
        check(len(ids) == len(set(ids)), f"{label}: rule ids unique")
        check(len(rules) <= 25000 and len(run["results"]) <= 25000, f"{label}: GitHub's limits per run")
        by_id = {r["id"]: r for r in rules}
        for r in rules:
            for k in ("shortDescription", "fullDescription"):
                t = r[k]["text"]
                check(t and len(t) <= 1024, f"{label}: rule {r['id']} {k} non-empty, at most 1024 characters")
            check(r["help"]["text"] and r["help"]["markdown"], f"{label}: rule {r['id']} help text and markdown")
            check(r.get("name") and r["name"] != r["id"] and len(r["name"]) <= 255, f"{label}: rule {r['id']} name")
            props = r["properties"]
            check("security" in props["tags"] and len(props["tags"]) <= 20, f"{label}: rule {r['id']} tags")
            sev = props.get("security-severity")
            if sev is not None:
                check(isinstance(sev, str) and re.fullmatch(r"\d+(\.\d+)?", sev) and 0 < float(sev) <= 10,
                      f"{label}: rule {r['id']} security-severity is a numeric string in (0, 10]: {sev!r}")
            check(r["defaultConfiguration"]["level"] in ("error", "warning", "note"), f"{label}: default level")

        # results against the JSON report
        shown = ref["findings"]
        vuln = [x for x in run["results"] if "advisory" in x["properties"]]
        checks = [x for x in run["results"] if "check" in x["properties"]]
        check(len(vuln) == len(shown), f"{label}: one result per finding shown ({len(vuln)} vs {len(shown)})")
        check(len(checks) == len(ref["checks"]), f"{label}: one result per image check")
        want = {(f["id"], f["package"]["name"], f["package"]["version"]): f for f in shown}
        fps = set()
        for x in run["results"]:
            check(x["ruleId"] in by_id, f"{label}: ruleId {x['ruleId']} is a rule of the run")
            check(rules[x["ruleIndex"]]["id"] == x["ruleId"], f"{label}: ruleIndex agrees with ruleId")
            check(x["level"] in ("error", "warning", "note"), f"{label}: level {x['level']}")
            check(x["message"]["text"], f"{label}: message.text")
            check(len(x["locations"]) == 1, f"{label}: exactly one location")
            loc = x["locations"][0]["physicalLocation"]
            uri = loc["artifactLocation"]["uri"]
            check(not uri.startswith("/") and ":" not in uri.split("/")[0] and uri,
                  f"{label}: relative uri {uri!r}")
            check(loc["region"]["startLine"] == 1, f"{label}: region.startLine 1")
            fp = x["partialFingerprints"]["primaryLocationLineHash"]
            check(re.fullmatch(r"[0-9a-f]{16}:1", fp), f"{label}: primaryLocationLineHash form {fp}")
            check(fp not in fps, f"{label}: fingerprint {fp} unique ({x['ruleId']}, {x['message']['text'][:80]})")
            fps.add(fp)
        for x in vuln:
            p = x["properties"]
            f = want.get((p["advisory"], p["package"], p["installed"]))
            if not check(f, f"{label}: result {p['advisory']} {p['package']} is a finding of the JSON report"):
                continue
            loc = x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            check(loc == f["package"]["location"].lstrip("/"),
                  f"{label}: uri {loc} is the package's file {f['package']['location']}")
            for k in ("needs_action", "kev", "fixable", "exploitable"):
                check(p[k] == f[k], f"{label}: {p['advisory']} property {k}")
            check(p["in_use"] == f["in_use"] and p["tier"] == f["risk"]["tier"] and p["risk"] == f["risk"]["score"],
                  f"{label}: {p['advisory']} in_use, tier, risk")
            check(p["epss"] == f["epss"], f"{label}: {p['advisory']} epss")
            want_level = "error" if f["needs_action"] or f["risk"]["tier"] == "critical" else \
                "warning" if f["risk"]["tier"] in ("high", "medium") else "note"
            check(x["level"] == want_level, f"{label}: {p['advisory']} level {x['level']}, expected {want_level}")
            check(x["message"]["text"].startswith(f"{p['package']} {p['installed']}"),
                  f"{label}: message starts with package and version")
            rule = by_id[x["ruleId"]]
            sev = rule["properties"].get("security-severity")
            scores = [g["properties"]["cvss"] for g in vuln if g["ruleId"] == x["ruleId"] and g["properties"]["cvss"]]
            if scores:
                check(sev == f"{max(scores):.1f}", f"{label}: {x['ruleId']} security-severity {sev} = max CVSS {max(scores)}")
            if f["needs_action"]:
                help_md = rule["help"]["markdown"]
                check(any(r.split(" ")[0] in help_md for r in f["reasons"]) and "What to do" in help_md,
                      f"{label}: {x['ruleId']} help has the reasons and the action")
        props = run["properties"]
        check(props["funnel"] == ref["summary"]["funnel"], f"{label}: funnel in run properties")
        check(props["findings_shown"] == ref["findings_shown"], f"{label}: findings_shown")
        check(run["automationDetails"]["id"].startswith("kensa/") and run["automationDetails"]["id"].endswith("/"),
              f"{label}: automationDetails.id is a category")
        print(f"{label}: {len(rules)} rules, {len(vuln)} findings + {len(checks)} checks, valid")

    # fingerprints are stable: a second scan gives the same ones
    a = json.load(open(scan(db, target, "sarif", "--all")))
    b = json.load(open(scan(db, target, "sarif", "--all", extra=("--epss-threshold", "0.1"))))
    fa = sorted(x["partialFingerprints"]["primaryLocationLineHash"] for x in a["runs"][0]["results"])
    fb = sorted(x["partialFingerprints"]["primaryLocationLineHash"] for x in b["runs"][0]["results"])
    check(fa == fb, f"{name}: fingerprints stable across scans")
done()
