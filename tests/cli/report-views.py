#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""Every report format: --where and the filters change which findings are shown, never the
funnel (compared with the JSON report of the same view); -o FILE replaces the file whole
and leaves nothing beside it, and a scan that fails leaves an existing file untouched."""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import TMP, check, done, kensa  # noqa: E402
from reports import feeds_db, scan, targets  # noqa: E402

FORMATS = ("json", "sarif", "cyclonedx", "junit", "html", "table")
VIEWS = [("--all",), (), ("--where", "ecosystem == npm"), ("--severity", "high,critical"), ("--kev",)]


def shown_and_funnel(fmt, path):
    """(findings shown, funnel dict) as the document states them."""
    text = open(path, encoding="utf-8").read()
    if fmt == "json":
        d = json.loads(text)
        return len(d["findings"]), d["summary"]["funnel"]
    if fmt == "sarif":
        run = json.loads(text)["runs"][0]
        return sum("advisory" in r["properties"] for r in run["results"]), run["properties"]["funnel"]
    if fmt == "cyclonedx":
        d = json.loads(text)
        meta = {p["name"]: p["value"] for p in d["metadata"]["properties"]}
        return len(d["vulnerabilities"]), {k: int(meta[f"kensa:funnel:{k}"])
                                           for k in ("total", "fixable", "exploitable", "in_use", "needs_action")}
    if fmt == "junit":
        s = ET.fromstring(text).find("testsuite")
        props = {p.get("name"): p.get("value") for p in s.find("properties")}
        n = sum(not (c.get("classname") or "").startswith("image-check.") for c in s.findall("testcase"))
        return n, {k: int(props[f"funnel.{k}"]) for k in ("total", "fixable", "exploitable", "in_use", "needs_action")}
    if fmt == "html":
        funnel = dict((k, int(v)) for k, v in re.findall(r'data-step="(\w+)".*?data-n="(\d+)"', text))
        return len(re.findall(r'<tbody data-i=', text)), funnel
    m = re.search(r"(\d+) findings → (\d+) fixable → (\d+) exploitable → (\d+) in use → (\d+) need", text)
    funnel = dict(zip(("total", "fixable", "exploitable", "in_use", "needs_action"), map(int, m.groups())))
    m = re.search(r"(\d+) of \d+ findings shown", text)
    return int(m.group(1)) if m else 0, funnel


db = feeds_db()
target = targets()["app-multi"]
ref_all = scan(db, target, "json", "--all")
for view in VIEWS:
    ref = scan(db, target, "json", *view)
    label = " ".join(view) or "(default view)"
    check(ref["summary"]["funnel"] == ref_all["summary"]["funnel"], f"{label}: the JSON funnel counts every finding")
    for fmt in FORMATS:
        out = os.path.join(TMP, f"view.{fmt}")
        scan(db, target, fmt, *view, out=out)
        n, funnel = shown_and_funnel(fmt, out)
        check(n == ref["findings_shown"], f"{fmt} {label}: {n} findings shown, JSON shows {ref['findings_shown']}")
        check(funnel == ref_all["summary"]["funnel"], f"{fmt} {label}: funnel {funnel} unchanged by the view")
    print(f"{label}: {ref['findings_shown']} shown in every format, funnel {ref['summary']['funnel']}")
check(len({scan(db, target, "json", *v)["findings_shown"] for v in VIEWS}) >= 3, "the views do select differently")

# -o FILE: replaced whole, nothing left beside it; a failing scan leaves it as it was
d = os.path.join(TMP, "out")
os.makedirs(d)
for fmt in FORMATS:
    out = os.path.join(d, f"report.{fmt}")
    with open(out, "w") as f:
        f.write("OLD")
    p = kensa("-q", "scan", "--db", db, "-f", fmt, "-o", out, "docker-archive:/nonexistent.tar")
    check(p.returncode == 3 and open(out).read() == "OLD", f"{fmt}: a failed scan leaves -o FILE untouched")
    scan(db, target, fmt, "--all", out=out)
    check(open(out, encoding="utf-8").read() != "OLD" and os.path.getsize(out) > 1000, f"{fmt}: -o FILE replaced")
check(sorted(os.listdir(d)) == sorted(f"report.{f}" for f in FORMATS), f"no temporary file left: {os.listdir(d)}")
done()
