#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""kensa scan -f html, opened in headless Chromium (/usr/bin/chromium driven by
playwright-core, tests/lib/html_check.js): the funnel and severity numbers on the page are
the JSON report's; clicking a column header reorders the rows (and again reverses them);
typing in the filter and ticking needs action / KEV leave the expected rows; a row expands
to its reasons and action; nothing is requested from the network, no script error, no
dialog; with JavaScript off every row and its details are shown as a plain table; an
advisory whose summary is a <script> does not run and reads as text. A screenshot of the
report is left in $TEST_TMP/report.png."""
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import ROOT, TMP, check, done, skip  # noqa: E402
from reports import HOSTILE_SUMMARY, feeds_db, hostile, playwright_node_path, scan, targets  # noqa: E402

if not os.path.exists("/usr/bin/chromium") or not shutil.which("node"):
    skip("needs /usr/bin/chromium and node")
node_path = playwright_node_path()


def browse(path, shot, text=None, js=True):
    args = ["node", os.path.join(ROOT, "tests", "lib", "html_check.js"), path, shot]
    if text:
        args.append(text)
    if not js:
        args.append("--no-js")
    p = subprocess.run(args, capture_output=True, text=True, env=dict(os.environ, NODE_PATH=node_path), timeout=300)
    if p.returncode != 0:
        raise AssertionError(f"html_check.js failed: {p.stderr[-2000:]}")
    return json.loads(p.stdout)


def display_id(f):
    return f["cve"] if f["id"].startswith("DEBIAN-") and f["cve"] else f["id"]


def self_contained(label, raw):
    check(not re.search(r"<(script|link|img|iframe|object|embed|audio|video|source)\b[^>]*\b(src|href)\s*=", raw, re.I),
          f"{label}: nothing loaded from elsewhere (no src/href on embedding elements)")
    check(len(re.findall(r"<script\b", raw)) == 2, f"{label}: exactly the data block and kensa's script")
    check("Content-Security-Policy" in raw and "default-src 'none'" in raw, f"{label}: CSP default-src 'none'")


def common(label, page):
    check(not page["dialogs"], f"{label}: no dialog: {page['dialogs']}")
    check(not page["errors"], f"{label}: no script error: {page['errors'][:3]}")
    check(not page["requests"], f"{label}: no network request: {page['requests'][:3]}")
    check(not page["csp"], f"{label}: no CSP violation: {page['csp'][:3]}")


db = feeds_db()
target = targets()["app-multi"]
ref = scan(db, target, "json", "--all")
path = scan(db, target, "html", "--all")
raw = open(path, encoding="utf-8").read()
self_contained("app-multi --all", raw)
shot = os.path.join(TMP, "report.png")
page = browse(path, shot, "minimist")
common("app-multi --all", page)
check(page["js"], "the script ran (CSP hashes match)")
check(page["funnel"] == ref["summary"]["funnel"], f"funnel on the page {page['funnel']} = JSON {ref['summary']['funnel']}")
check(page["severity"] == ref["summary"]["severity"], f"severity chart {page['severity']} = JSON {ref['summary']['severity']}")
check(page["checks"] == [c["id"] for c in ref["checks"]], "every image check listed")
ids = [display_id(f) for f in ref["findings"]]
check(page["rows"] == len(ref["findings"]) == ref["findings_shown"], f"{page['rows']} rows = findings shown")
check(page["order_initial"] == ids, "rows start in the report's order (needs action first, then risk)")
pk = page["packages_by_package"]
check([p.strip().lower() for p in pk] == sorted((p.strip().lower() for p in pk)), "sorted by package after a click")
check(page["order_by_package"] != page["order_initial"], "clicking the Package header changed the order")
check(page["sort_attr"] == "ascending" and page["sort_attr_again"] == "descending", "a second click reverses")
by_risk = [display_id(f) for _, f in sorted(enumerate(ref["findings"]), key=lambda x: (-x[1]["risk"]["score"], x[0]))]
check(page["order_by_risk"] == by_risk, "clicking Risk sorts by risk, highest first")
check(page["more_visible_initially"] == 0 and page["expanded"] == 1, "details hidden until a row is clicked")
first = ref["findings"][0]
check(first["action"] in page["expanded_text"] and first["reasons"][0] in page["expanded_text"],
      "an expanded row shows the reasons and the action")


def text_of(f):
    p = f["package"]
    parts = [f["id"], p["name"], p["version"], p["ecosystem"], f["severity"], f["risk"]["tier"], f["summary"] or "",
             f["action"] or "", p["location"] or "", *f["aliases"], *f["reasons"]]
    return " ".join(parts).lower()


want = sum("minimist" in text_of(f) for f in ref["findings"])
check(want >= 1 and page["rows_filtered"] == want, f"filter 'minimist': {page['rows_filtered']} rows, expected {want}")
check(page["count_text"] == f"{want} of {len(ref['findings'])} shown", f"count text {page['count_text']!r}")
need = sum(f["needs_action"] for f in ref["findings"])
check(page["rows_needs_action"] == need, f"'needs action' box: {page['rows_needs_action']} rows, expected {need}")
check(page["rows_needs_action_kev"] == sum(f["needs_action"] and f["kev"] for f in ref["findings"]), "'KEV' box")
check(page["rows_after_reset"] == len(ref["findings"]), "unticking shows every row again")
check(os.path.getsize(shot) > 20000, f"screenshot {shot}")
print(f"app-multi --all: {page['rows']} rows, funnel {page['funnel']}, screenshot {shot}")

# without JavaScript: a plain report with every detail
page = browse(path, os.path.join(TMP, "report-nojs.png"), js=False)
common("no JavaScript", page)
check(not page["js"], "no JavaScript: the script did not run")
check(page["funnel"] == ref["summary"]["funnel"], "no JavaScript: funnel")
check(page["rows"] == len(ref["findings"]) and page["more_visible_initially"] == len(ref["findings"]),
      f"no JavaScript: every row ({page['rows']}) and its details ({page['more_visible_initially']}) shown")

# the default view: only what needs action, the funnel still counts everything
path = scan(db, target, "html")
page = browse(path, os.path.join(TMP, "report-default.png"))
common("default view", page)
check(page["rows"] == ref["summary"]["funnel"]["needs_action"], f"default view: {page['rows']} rows need action")
check(page["funnel"] == ref["summary"]["funnel"], "default view: the funnel counts every finding")

# hostile advisory text: shown as text, never run
hdb, htarget = hostile()
path = scan(hdb, htarget, "html", "--all")
raw = open(path, encoding="utf-8").read()
self_contained("hostile", raw)
check("<script>alert" not in raw and "<img src=x" not in raw, "hostile: no raw markup from the advisory")
page = browse(path, os.path.join(TMP, "report-hostile.png"))
common("hostile", page)
check(page["rows"] == 1 and page["js"], "hostile: one finding, the script ran")
visible = HOSTILE_SUMMARY.split(" \u0001")[0]
check(visible in page["expanded_text"], f"hostile: the summary reads as text: {page['expanded_text'][:200]!r}")
done()
