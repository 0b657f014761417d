#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""The short list with runtime evidence (issue 4, done-means 1; issue 5, done-means 2).

The Node app of the shared app-multi image runs under podman (the image's own CMD, serving
one request) while `kensa profile` watches it, and so does the image's Go tool;
`kensa scan --profile` then reports:
  - the funnel, in the table and in the JSON;
  - every finding that is fixable, exploitable (KEV or EPSS >= threshold) and in use is in
    "needs action";
  - nothing in "needs action" is in a package the profile shows as not loaded;
  - findings in packages never loaded are "not in use" with the evidence (engine, window),
    the others "in use" with the file and the process;
  - the reduction from all findings to needs action is printed and is at least 90 %;
  - --vex-out states "not_affected / vulnerable_code_not_in_execute_path" for exactly the
    not-in-use findings.
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import SHARED, TMP, check, done, image_tar, kensa, skip  # noqa: E402

IMAGE = "localhost/kensa-test/app-multi:1"
if os.geteuid() != 0:
    skip("needs root (eBPF and podman)")
if subprocess.run(["podman", "image", "exists", IMAGE]).returncode != 0:
    subprocess.run(["podman", "load", "-q", "-i", image_tar("app-multi")], check=True, capture_output=True)

db = os.path.join(TMP, "kensa.db")
kensa("-q", "db", "build", "--db", db, "--from", os.path.join(SHARED, "data"), check_rc=0)
prof = os.path.join(TMP, "node.profile.json")
# the image's CMD is `node /app/app.js` (express on 127.0.0.1:3000): serve one request
kensa("-q", "profile", "--ignore-host", "--no-store", "-o", prof, "--",
      "podman", "run", "--rm", "--network", "none", IMAGE, "sh", "-c",
      "node /app/app.js & sleep 2; curl -s 'http://127.0.0.1:3000/?a=1' >/dev/null; kill $!; wait",
      check_rc=0, timeout=600)
# and a second workload of the image, its Go tool, so that something exploitable is in use
prof_go = os.path.join(TMP, "go.profile.json")
kensa("-q", "profile", "--ignore-host", "--no-store", "-o", prof_go, "--",
      "podman", "run", "--rm", "--network", "none", IMAGE, "/usr/local/bin/hello-go", check_rc=0, timeout=600)
in_use_purls = set()
for path in (prof, prof_go):
    profile = json.load(open(path))
    check(profile["dropped_events"] == 0, f"{path}: the profile lost {profile['dropped_events']} events")
    in_use_purls |= {p["purl"] for p in profile["packages_in_use"]}
    print(f"profile {os.path.basename(path)}: {profile['engine']}, {profile['duration_s']:.1f} s, "
          f"{len(profile['packages_in_use'])} packages in use")

target = "docker-archive:" + image_tar("app-multi")
vex = os.path.join(TMP, "triage.openvex.json")
doc = json.loads(kensa("-q", "scan", "--db", db, "--profile", prof, "--profile", prof_go, "--all", "-f", "json",
                       "--vex-out", vex, target, check_rc=0).stdout)
fu = doc["summary"]["funnel"]
findings = doc["findings"]
thr = doc["settings"]["epss_threshold"]
print(f"funnel: {fu}, reduction {doc['summary']['reduction_percent']} %")
check(doc["profile"] and doc["profile"]["engines"] == "ebpf", "the report names the profile's engine")

for f in findings:
    p = f["package"]
    if f["suppressed"]:
        continue
    if f["fixable"] and (f["kev"] or (f["epss"] is not None and f["epss"] >= thr)) and f["in_use"] == "yes":
        check(f["needs_action"], f"fixable + exploitable + in use must need action: {f['id']} {p['name']}")
    if f["needs_action"]:
        check(f["in_use"] != "no", f"needs action but shown unused: {f['id']} {p['name']}")
    if f["in_use"] == "no":
        ev = f["in_use_evidence"]["detail"]
        check("ebpf" in ev and re.search(r"\d+ s", ev), f"not-in-use evidence names engine and window: {ev}")
        check(p["purl"] not in in_use_purls, f"{p['name']} is in the profile but marked not in use")
    elif f["in_use"] == "yes":
        ev = f["in_use_evidence"]
        check(ev["file"] and ev["process"], f"in-use evidence names the file and the process: {ev}")
    else:
        check(False, f"with a complete profile nothing is unknown: {f['id']} {p['name']}")
check(fu["total"] > 0 and doc["summary"]["reduction_percent"] >= 90.0,
      f"reduction to needs action is {doc['summary']['reduction_percent']} %, expected >= 90 %")
check(any(f["in_use"] == "yes" for f in findings) and any(f["in_use"] == "no" for f in findings),
      "the profile separates used from unused vulnerable packages")
check(fu["needs_action"] >= 1, "the Go toolchain's exploitable, fixable vulnerability in a binary that ran needs action")
check(any(f["needs_action"] and f["package"]["name"] == "stdlib" for f in findings), "stdlib needs action")
check(all(not (f["needs_action"] and f["package"]["name"] in ("minimist", "json5")) for f in findings),
      "exploitable npm packages the app never loaded do not need action")

# the table opens with the funnel and the reduction
table = kensa("scan", "--db", db, "--profile", prof, "--profile", prof_go, target, check_rc=0).stdout
first = table.splitlines()[1]
check(re.match(r"\d+ findings → \d+ fixable → \d+ exploitable → \d+ in use → \d+ needs? action \(\d+\.\d% fewer\)", first),
      f"the table opens with the funnel: {first!r}")

# the OpenVEX triage: one not_affected statement per finding the profile ruled out
v = json.load(open(vex))
stmts = v["statements"]
no = [f for f in findings if f["in_use"] == "no" and not f["suppressed"]]
check(len(stmts) == len(no), f"{len(stmts)} VEX statements for {len(no)} not-in-use findings")
for s in stmts:
    check(s["status"] == "not_affected" and s["justification"] == "vulnerable_code_not_in_execute_path",
          f"VEX statement status/justification: {s['status']} {s.get('justification')}")
    check("ebpf" in s["impact_statement"], "the VEX impact statement carries the observation window")
check(v["@context"].startswith("https://openvex.dev/ns/"), "OpenVEX context")
# and kensa honours its own triage: scanning with it suppresses exactly those findings
doc2 = json.loads(kensa("-q", "scan", "--db", db, "--vex", vex, "--all", "-f", "json", target, check_rc=0).stdout)
check(doc2["summary"]["suppressed"] == len(no), f"the VEX round-trips: {doc2['summary']['suppressed']} suppressed")
done()
