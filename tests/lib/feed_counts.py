# SPDX-License-Identifier: Apache-2.0
"""feed_counts.py — independent counts of what the feeds in ../shared/data hold, made with
Python's own json/csv/gzip modules and nothing of kensa's, for the `kensa db` tests to
compare against: per OSV directory (records, withdrawn, aliases, affected entries, CVSS
vectors), KEV (JSON and CSV rows), EPSS rows, CVE JSON 5 records (SSVC, ADP KEV markers,
CVSS vectors), and the official-layout mirror the update tests serve.
"""
import csv
import glob
import gzip
import json
import os
import re
import shutil
import zipfile

CVSS5_KEYS = ("cvssV2_0", "cvssV3_0", "cvssV3_1", "cvssV4_0")


def osv_dir(path):
    c = {"records": 0, "withdrawn": 0, "aliases": 0, "affected": 0, "severities": 0}
    for f in sorted(glob.glob(os.path.join(path, "*.json"))):
        with open(f, encoding="utf-8") as fh:
            d = json.load(fh)
        c["records"] += 1
        c["withdrawn"] += 1 if d.get("withdrawn") else 0
        c["aliases"] += len(d.get("aliases") or [])
        c["affected"] += len(d.get("affected") or [])
        c["severities"] += len(d.get("severity") or [])
        c["severities"] += sum(len(a.get("severity") or []) for a in d.get("affected") or [])
    return c


def kev_json(path):
    with open(path, encoding="utf-8") as fh:
        d = json.load(fh)
    return {"records": len(d["vulnerabilities"]), "count": d["count"], "catalogVersion": d["catalogVersion"],
            "ransomware": sum(1 for v in d["vulnerabilities"] if v.get("knownRansomwareCampaignUse") == "Known")}


def kev_csv(path):
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {"records": len(rows)}


def epss(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        first = fh.readline().strip()
        header = fh.readline().strip()
        rows = sum(1 for line in fh if line.strip())
    meta = dict(kv.split(":", 1) for kv in first.lstrip("#").split(","))
    return {"records": rows, "header": header, "model_version": meta["model_version"],
            "score_date": meta["score_date"]}


def cve5_dir(path):
    c = {"records": 0, "ssvc": 0, "kev": 0, "severities": 0, "cwes": 0, "withdrawn": 0}
    for f in sorted(glob.glob(os.path.join(path, "CVE-*.json"))):
        with open(f, encoding="utf-8") as fh:
            d = json.load(fh)
        c["records"] += 1
        if d["cveMetadata"].get("state") == "REJECTED":
            c["withdrawn"] += 1
        conts = [d["containers"].get("cna", {})] + d["containers"].get("adp", [])
        for cont in conts:
            for m in cont.get("metrics", []):
                c["severities"] += sum(1 for k in CVSS5_KEYS if k in m)
                o = m.get("other", {})
                if o.get("type") == "ssvc":
                    c["ssvc"] += 1
                if o.get("type") == "kev":
                    c["kev"] += 1
            for pt in cont.get("problemTypes", []):
                for x in pt.get("descriptions", []):
                    # cweId, or (older records) a description that starts with "CWE-<n>"
                    cwe = x.get("cweId") or re.match(r"CWE-\d+", x.get("description", ""))
                    c["cwes"] += 1 if cwe else 0
    return c


def make_official_mirror(data, dst, index=False, with_cve=False):
    """The layout of the official URLs, made from ../shared/data: <Eco>/all.zip per OSV
    directory, known_exploited_vulnerabilities.json, epss_scores-current.csv.gz; optionally
    cve/*.json and a kensa-mirror.txt index naming everything. Returns the relative paths."""
    rel = []
    for eco_dir in sorted(glob.glob(os.path.join(data, "osv", "*"))):
        eco = os.path.basename(eco_dir)
        os.makedirs(os.path.join(dst, eco), exist_ok=True)
        with zipfile.ZipFile(os.path.join(dst, eco, "all.zip"), "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            for f in sorted(glob.glob(os.path.join(eco_dir, "*.json"))):
                z.write(f, os.path.basename(f))
        rel.append(f"{eco}/all.zip")
    shutil.copy(os.path.join(data, "kev", "known_exploited_vulnerabilities.json"), dst)
    rel.append("known_exploited_vulnerabilities.json")
    shutil.copy(glob.glob(os.path.join(data, "epss", "epss_scores-*.csv.gz"))[0],
                os.path.join(dst, "epss_scores-current.csv.gz"))
    rel.append("epss_scores-current.csv.gz")
    if with_cve:
        os.makedirs(os.path.join(dst, "cve"), exist_ok=True)
        for f in sorted(glob.glob(os.path.join(data, "cve", "CVE-*.json"))):
            shutil.copy(f, os.path.join(dst, "cve"))
            rel.append("cve/" + os.path.basename(f))
    if index:
        with open(os.path.join(dst, "kensa-mirror.txt"), "w") as fh:
            fh.write("# kensa mirror index: one path per line, relative to the mirror\n")
            fh.write("\n".join(rel) + "\n")
    return rel
