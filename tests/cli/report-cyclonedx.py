#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""kensa scan -f cyclonedx: a CycloneDX 1.6 VDR that validates against the official bom-1.6
schema, whose components are exactly those of `kensa sbom -f cyclonedx` (one shared
writer), and that round-trips the scan: every finding shown appears once, affecting the
component of its package (bom-ref → purl), with the installed version, the vers range and
the fixed versions; needs action ⇒ analysis "exploitable"; a package a runtime profile never
saw loaded ⇒ "not_affected" / code_not_reachable; CVSS ratings and kensa's evidence as
in the JSON report (the reference)."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import TMP, check, done, kensa  # noqa: E402
from reports import feeds_db, profile, scan, targets  # noqa: E402
from schemas import cyclonedx_validator, errors  # noqa: E402

cdx = cyclonedx_validator()
bad = {"bomFormat": "CycloneDX", "specVersion": "1.6",
       "vulnerabilities": [{"id": "X", "analysis": {"state": "needs_action"}}]}
check(errors(cdx, bad), "the CycloneDX validator rejects an unknown analysis state")
METHODS = {"2.0": "CVSSv2", "3.0": "CVSSv3", "3.1": "CVSSv31", "4.0": "CVSSv4"}


def props(obj):
    out = {}
    for p in obj.get("properties", []):
        out.setdefault(p["name"], []).append(p["value"])
    return out


def verify(label, doc, ref):
    e = errors(cdx, doc)
    check(not e, f"{label}: CycloneDX 1.6 schema errors: {e}")
    comps = {c["bom-ref"]: c for c in doc["components"]}
    vulns = doc["vulnerabilities"]
    check(len(vulns) == len(ref["findings"]), f"{label}: one vulnerability per finding shown "
                                              f"({len(vulns)} vs {len(ref['findings'])})")
    refs = [v["bom-ref"] for v in vulns]
    check(len(refs) == len(set(refs)) and not set(refs) & set(comps), f"{label}: bom-refs unique")
    meta = props(doc["metadata"])
    for k, v in ref["summary"]["funnel"].items():
        check(meta.get(f"kensa:funnel:{k}") == [str(v)], f"{label}: funnel {k} in metadata.properties")
    got = {}
    for v in vulns:
        p = props(v)
        check(len(v["affects"]) == 1, f"{label}: {v['id']} affects one component")
        c = comps.get(v["affects"][0]["ref"])
        if not check(c, f"{label}: {v['id']} affects ref {v['affects'][0]['ref']} is a component"):
            continue
        got[(p["kensa:advisory"][0], c.get("purl"))] = (v, c, p)
    for f in ref["findings"]:
        key = (f["id"], f["package"]["purl"])
        if not check(key in got, f"{label}: finding {key} is in the VDR"):
            continue
        v, c, p = got[key]
        versions = v["affects"][0]["versions"]
        check({"version": f["package"]["version"], "status": "affected"} in versions,
              f"{label}: {f['id']}: installed version affected")
        ranges = [x["range"] for x in versions if "range" in x]
        check(len(ranges) == 1 and ranges[0].startswith("vers:"), f"{label}: {f['id']}: one vers range {ranges}")
        for fixed in f["fixed_versions"][:8]:
            check({"version": fixed, "status": "unaffected"} in versions, f"{label}: {f['id']}: fixed {fixed}")
        check(p["kensa:needs_action"] == [str(f["needs_action"]).lower()] and
              p["kensa:in_use"] == [f["in_use"]] and p["kensa:tier"] == [f["risk"]["tier"]] and
              float(p["kensa:risk"][0]) == f["risk"]["score"] and p["kensa:kev"] == [str(f["kev"]).lower()],
              f"{label}: {f['id']}: kensa:* evidence")
        check(p.get("kensa:reason", []) == f["reasons"], f"{label}: {f['id']}: reasons")
        state = v["analysis"]["state"]
        if f["needs_action"]:
            check(state == "exploitable" and v["analysis"].get("response") == ["update"],
                  f"{label}: {f['id']}: needs action → exploitable, response update ({state})")
            check(v.get("recommendation") == f["action"], f"{label}: {f['id']}: recommendation is the action")
        elif f["in_use"] == "no":
            check(state == "not_affected" and v["analysis"].get("justification") == "code_not_reachable",
                  f"{label}: {f['id']}: not in use → not_affected / code_not_reachable ({state})")
        else:
            check(state == "in_triage", f"{label}: {f['id']}: otherwise in_triage ({state})")
        if f["cvss"]:
            r = v["ratings"][0]
            check(r["score"] == f["cvss"]["score"] and r["vector"] == f["cvss"]["vector"] and
                  r["method"] == METHODS[f["cvss"]["version"]] and r["severity"] == f["severity"].lower(),
                  f"{label}: {f['id']}: CVSS rating {r}")
        shown_id = f["cve"] if f["id"].startswith("DEBIAN-") and f["cve"] else f["id"]
        check(v["id"] == shown_id, f"{label}: vulnerability id {v['id']} (expected {shown_id})")
        other = {r["id"] for r in v.get("references", [])}
        check(other == ({f["id"], *f["aliases"]} - {shown_id}), f"{label}: {f['id']}: references are the aliases")
    return vulns


db = feeds_db()
n_states = {}
for name, target in targets().items():
    sbom = os.path.join(TMP, f"{name}.sbom.json")
    kensa("-q", "sbom", "-f", "cyclonedx", "-o", sbom, target, check_rc=0)
    sbom_comps = json.load(open(sbom))["components"]
    for view in ((), ("--all",)):
        label = f"{name} {' '.join(view) or '(default view)'}"
        ref = scan(db, target, "json", *view)
        doc = json.load(open(scan(db, target, "cyclonedx", *view)))
        check(doc["components"] == sbom_comps, f"{label}: components identical to kensa sbom -f cyclonedx")
        vulns = verify(label, doc, ref)
        print(f"{label}: {len(doc['components'])} components, {len(vulns)} vulnerabilities, valid")

# with runtime evidence: minimist in use, everything else of app-multi never loaded
target = targets()["app-multi"]
prof = profile([("npm", "minimist", "1.2.5", "pkg:npm/minimist@1.2.5", "/app/node_modules/minimist/index.js")])
ref = scan(db, target, "json", "--all", extra=("--profile", prof))
doc = json.load(open(scan(db, target, "cyclonedx", "--all", extra=("--profile", prof))))
vulns = verify("app-multi --all --profile", doc, ref)
states = {}
for v in vulns:
    states[v["analysis"]["state"]] = states.get(v["analysis"]["state"], 0) + 1
check(states.get("not_affected", 0) == sum(f["in_use"] == "no" for f in ref["findings"]) > 0,
      f"app-multi with a profile: not_affected for every finding never loaded: {states}")
check(states.get("exploitable", 0) == ref["summary"]["funnel"]["needs_action"],
      f"app-multi with a profile: exploitable = needs action: {states}")
print(f"app-multi --all --profile: analysis states {states}")
done()
