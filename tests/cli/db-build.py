#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""db-build.py — `kensa db build --from ../shared/data` imports every data set there.

Checks, against counts made independently by tests/lib/feed_counts.py (Python's json/csv/
gzip reading the same files):
  * every OSV directory: records, withdrawn, aliases, affected entries, CVSS vectors;
  * KEV (JSON and CSV), EPSS rows with model version and score date, CVE JSON 5 records with
    SSVC, ADP KEV markers and CVSS vectors; nothing of the real data is skipped;
  * the printed per-source table carries the same numbers;
  * alias linking: for every KEV CVE that a Debian-derived or GHSA record names as an
    alias, `db query <that record>` shows the KEV entry and the CVE's EPSS score;
  * `db query PURL` lists exactly the records whose affected[] names the package;
  * `db info` reports the database fresh (no staleness warning) and its totals.
"""
import glob
import gzip
import json
import os
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
import feed_counts  # noqa: E402
from kensa_test import SHARED, TMP, check, done, kensa, skip  # noqa: E402

DATA = os.path.join(SHARED, "data")
if not os.path.isdir(DATA):
    skip(f"no {DATA}")
DB = os.path.join(TMP, "kensa.db")

p = kensa("db", "build", "--from", DATA, "--db", DB, check_rc=0, timeout=900)
info = json.loads(kensa("db", "info", "--json", "--db", DB, check_rc=0).stdout)
sources = {(s["importer"], s["origin"]): s for s in info["sources"]}
check(not kensa("db", "info", "--db", DB, check_rc=0).stderr.strip(), "a fresh database draws a warning")


def source(importer, origin):
    s = sources.get((importer, origin))
    check(s is not None, f"no {importer} source for {origin}: have {sorted(sources)}")
    return s or {"records": -1, "skipped": -1, "counts": {}, "skips": {}}


# ---- OSV, one source per directory
total_records = total_withdrawn = total_aliases = total_affected = 0
for d in sorted(glob.glob(os.path.join(DATA, "osv", "*"))):
    want = feed_counts.osv_dir(d)
    got = source("osv", d)
    check(got["records"] == want["records"], f"{d}: {got['records']} records, expected {want['records']}")
    for k in ("withdrawn", "aliases", "affected", "severities"):
        check(got["counts"].get(k, 0) == want[k], f"{d}: {k} {got['counts'].get(k, 0)}, expected {want[k]}")
    check(got["skipped"] == 0 and not got["skips"], f"{d}: real records skipped: {got['skips']}")
    # the printed table has the same numbers on the source's line
    line = [ln for ln in p.stdout.splitlines() if ln.rstrip().endswith(d)]
    check(len(line) == 1 and line[0].split()[1:3] == [str(want["records"]), "0"],
          f"printed line for {d}: {line}")
    total_records += want["records"]
    total_withdrawn += want["withdrawn"]
    total_aliases += want["aliases"]
    total_affected += want["affected"]

# ---- KEV (both files), EPSS, CVE JSON 5
kj = os.path.join(DATA, "kev", "known_exploited_vulnerabilities.json")
kc = os.path.join(DATA, "kev", "known_exploited_vulnerabilities.csv")
want = feed_counts.kev_json(kj)
got = source("kev", kj)
check(got["records"] == want["records"] == want["count"] == 1404, f"KEV json: {got['records']} / {want}")
check(got["feed_version"] == want["catalogVersion"], f"KEV catalog version {got['feed_version']}")
check(got["counts"].get("ransomware") == want["ransomware"], f"KEV ransomware {got['counts']}")
check(source("kev", kc)["records"] == feed_counts.kev_csv(kc)["records"] == 1404, "KEV csv rows")
check(info["counts"]["kev"] == 1404, f"distinct KEV CVEs {info['counts']['kev']}")

ep = glob.glob(os.path.join(DATA, "epss", "*.csv.gz"))[0]
want = feed_counts.epss(ep)
got = source("epss", ep)
check(got["records"] == want["records"] == 313089, f"EPSS rows {got['records']} / {want['records']}")
check((got["feed_version"], got["feed_date"]) == (want["model_version"], want["score_date"]),
      f"EPSS model/date {got['feed_version']} {got['feed_date']}")
check(info["counts"]["epss"] == want["records"], "EPSS rows in the database")

cd = os.path.join(DATA, "cve")
want = feed_counts.cve5_dir(cd)
got = source("cve5", cd)
check(got["records"] == want["records"] == 71, f"CVE5 records {got['records']} / {want['records']}")
for k in ("ssvc", "kev", "severities", "cwes"):
    check(got["counts"].get(k, 0) == want[k], f"CVE5 {k}: {got['counts'].get(k, 0)}, expected {want[k]}")
check(info["counts"]["ssvc"] == want["ssvc"], "SSVC rows")

# ---- totals, and nothing else was taken for a feed (falco rules, tools, tsv side tables)
check(info["counts"]["advisories"] == total_records + 71, f"advisories {info['counts']['advisories']}")
check(info["counts"]["withdrawn"] == total_withdrawn, f"withdrawn {info['counts']['withdrawn']}")
check(info["counts"]["aliases"] == total_aliases, f"aliases {info['counts']['aliases']}")
check(info["counts"]["affected"] == total_affected, f"affected {info['counts']['affected']}")
check(len(info["sources"]) == len(glob.glob(os.path.join(DATA, "osv", "*"))) + 4, f"{len(info['sources'])} sources")

# ---- alias linking: KEV + EPSS facts of a CVE reach the records that alias it
kev = {v["cveID"]: v for v in json.load(open(kj, encoding="utf-8"))["vulnerabilities"]}
with gzip.open(ep, "rt") as fh:
    epss = {r.split(",")[0]: float(r.split(",")[1]) for r in list(fh)[2:]}
linked = []
for f in sorted(glob.glob(os.path.join(DATA, "osv", "*", "*.json"))):
    d = json.load(open(f, encoding="utf-8"))
    for a in d.get("aliases") or []:
        if a in kev and (d["id"].startswith("DEBIAN-DERIVED") or d["id"].startswith("GHSA")):
            linked.append((d["id"], a))
check(len(linked) >= 5, f"only {len(linked)} KEV-linked records in the data")
for rid, cve in linked:
    q = json.loads(kensa("db", "query", rid, "--json", "--db", DB, check_rc=0).stdout)
    check(cve in q["ids"], f"{rid}: {cve} not in its group {q['ids']}")
    ks = [k for k in q["kev"] if k["cve"] == cve and k["provider"] == "kev"]
    check(len(ks) == 1 and ks[0]["date_added"] == kev[cve]["dateAdded"] and ks[0]["due_date"] == kev[cve]["dueDate"],
          f"{rid}: KEV of {cve} not linked: {q['kev']}")
    if cve in epss:
        es = [e for e in q["epss"] if e["cve"] == cve]
        check(len(es) == 1 and abs(es[0]["score"] - epss[cve]) < 1e-9, f"{rid}: EPSS of {cve}: {es}")
# and the other way round: a CVE id finds the GHSA record with its CVSS vector
q = json.loads(kensa("db", "query", "CVE-2021-44228", "--json", "--db", DB, check_rc=0).stdout)
check("GHSA-jfh8-c2jp-5v3q" in [r["id"] for r in q["records"]], "CVE-2021-44228 does not reach its GHSA record")
check(any(s["vector"].startswith("CVSS:3.1/") for s in q["severities"]), "no CVSS vector through the alias group")

# ---- purl listing: exactly the records naming the package
for purl, eco, name in (("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "Maven",
                         "org.apache.logging.log4j:log4j-core"),
                        ("pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=debian-12", "Debian:12", "openssl"),
                        ("pkg:golang/stdlib@1.19.8", "Go", "stdlib")):
    want = set()
    for f in glob.glob(os.path.join(DATA, "osv", "*", "*.json")):
        d = json.load(open(f, encoding="utf-8"))
        if d.get("withdrawn"):
            continue
        for a in d.get("affected") or []:
            if a["package"]["ecosystem"] == eco and a["package"]["name"] == name:
                want.add(d["id"])
    q = json.loads(kensa("db", "query", purl, "--json", "--db", DB, check_rc=0).stdout)
    got = {a["advisory"] for a in q["affected"]}
    check(got == want and want, f"{purl}: {len(got)} advisories, expected {len(want)}: {sorted(got ^ want)[:5]}")

done()
