#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: quick
"""db-basics.py — `kensa db` on small inputs (fast enough for the sanitizer run).

  * no database: info/query exit 3 and tell the user to run `kensa db update`;
  * a corrupt (truncated), random, empty-named or foreign (someone's SQLite) file: exit 3
    with "corrupt" / "not a kensa database", never a crash; build refuses to overwrite a
    foreign file;
  * build from real feeds (KEV, CVE JSON 5, OSV Maven + npm) plus the hand-written NVD API
    2.0 page, OpenVEX and CycloneDX VEX documents (tests/data/vulndb), a zip with a member
    over the size limit and a broken member, and the hostile OSV directory whose expected
    skip reasons are listed in tests/data/vulndb/hostile/expected-skips.tsv;
  * what NVD, OpenVEX and CycloneDX VEX gave comes back from `db query --json` as the
    documents say (values read here from the same files);
  * import: re-importing an origin replaces it (counts stay), a new file adds (EPSS gz);
  * a fresh build that meets the same record twice (two directories) keeps the later one,
    with only its parts (the build defers the indexes deletes use until it first needs them),
    and the published database has every index either way.
"""
import glob
import gzip
import json
import os
import shutil
import sqlite3
import sys
import zipfile

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import SHARED, TMP, check, done, kensa, skip  # noqa: E402

ROOT = os.environ.get("KENSA_ROOT", os.getcwd())
DATA = os.path.join(SHARED, "data")
TD = os.path.join(ROOT, "tests", "data", "vulndb")
if not os.path.isdir(DATA):
    skip(f"no {DATA}")
DB = os.path.join(TMP, "k.db")


def q(id_, db=DB):
    return json.loads(kensa("db", "query", id_, "--json", "--db", db, check_rc=0).stdout)


# ---- no database yet
for args in (("db", "info"), ("db", "query", "CVE-2021-44228")):
    p = kensa(*args, "--db", DB)
    check(p.returncode == 3 and "kensa db update" in p.stderr, f"{args} without a database: {p.returncode} {p.stderr}")
check(kensa("db", "import", os.path.join(TD, "nvd-cves-2.0.json"), "--db", DB).returncode == 3,
      "import without a database must fail")
check(kensa("db", "build", "--db", DB).returncode == 2, "build without --from is a usage error")

# ---- inputs made here: a zip (one member too large, one broken) and a slice of EPSS
zpath = os.path.join(TMP, "npm-all.zip")
with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as z:
    for f in sorted(glob.glob(os.path.join(DATA, "osv", "npm", "*.json"))):
        z.write(f, os.path.basename(f))
    z.writestr("huge.json", b" " * (65 << 20))
    z.writestr("broken.json", b'{"id": "GHSA-xxxx", "affected": [')
    z.writestr("README.md", b"not a feed, ignored")
npm_records = len(glob.glob(os.path.join(DATA, "osv", "npm", "*.json")))
epss_src = glob.glob(os.path.join(DATA, "epss", "*.csv.gz"))[0]
epss_slice = os.path.join(TMP, "epss_scores-slice.csv.gz")
with gzip.open(epss_src, "rt") as fi, gzip.open(epss_slice, "wt") as fo:
    for i, line in enumerate(fi):
        if i >= 1002:
            break
        fo.write(line)
hostile = os.path.join(TMP, "hostile")
shutil.copytree(os.path.join(TD, "hostile", "osv"), hostile)
# enough real records beside the bad ones that the directory is read ahead by a second thread
for f in sorted(glob.glob(os.path.join(DATA, "osv", "PyPI", "PYSEC-2021-*.json")))[:20]:
    shutil.copy(f, hostile)
with open(os.path.join(hostile, "too-large-details.json"), "w") as f:
    json.dump({"id": "KENSA-TEST-2024-0002", "modified": "2024-05-01T00:00:00Z", "details": "x" * ((1 << 20) + 1)}, f)

inputs = [os.path.join(DATA, "kev", "known_exploited_vulnerabilities.json"), os.path.join(DATA, "cve"),
          os.path.join(DATA, "osv", "Maven"), zpath, hostile, os.path.join(TD, "nvd-cves-2.0.json"),
          os.path.join(TD, "openvex-debian-slim.json"), os.path.join(TD, "openvex-v001-legacy.json"),
          os.path.join(TD, "cdx-vex-app-multi.json")]
p = kensa("db", "build", "--db", DB, "--from", *inputs, check_rc=0)
info = json.loads(kensa("db", "info", "--json", "--db", DB, check_rc=0).stdout)
src = {(s["importer"], s["origin"]): s for s in info["sources"]}

# the zip: every real record, the huge and the broken member counted with their reasons
z = src.get(("osv", zpath), {})
check(z.get("records") == npm_records, f"zip records {z.get('records')} != {npm_records}")
check(z.get("skips") == {"too large": 1, "malformed JSON": 1}, f"zip skips {z.get('skips')}")
check("huge.json" in p.stderr and "broken.json" in p.stderr, "zip warnings do not name the members")

# the hostile directory: exactly the reasons expected-skips.tsv lists
want = {}
for line in open(os.path.join(TD, "hostile", "expected-skips.tsv"), encoding="utf-8"):
    if line.strip() and not line.startswith("#"):
        reason, n = line.rstrip("\n").split("\t")
        want[reason] = int(n)
want["too large"] = 1		# the file made above
h = src.get(("osv", hostile), {})
check(h.get("skips") == want, f"hostile skips {h.get('skips')} != {want}")
valid = [f for f in os.listdir(hostile) if f.startswith("PYSEC") or f.startswith("valid-")]
check(h.get("records") == len(valid) + 1, f"hostile records {h.get('records')}")
for f in ("truncated.json", "deep.json", "bad-id.json", "unknown-schema.json", "bad-parts.json"):
    check(f in p.stderr, f"no warning names {f}")
check("skipped:" in p.stdout and "malformed JSON 2" in p.stdout, "skip reasons not printed")
# what survived of the partly bad record: the good range, the good version
r = q("KENSA-TEST-2024-0001")
aff = r["records"][0]["affected"]
check([a["package"] for a in aff] == ["Kensa_Test.pkg", "kensa-test"], f"entries {aff}")
check(aff[0]["ranges"] == [{"type": "ECOSYSTEM", "events": [{"introduced": "2.0"}, {"fixed": "2.1"}]}]
      and aff[0]["versions"] == ["2.0"], f"kept parts {aff[0]}")
check("CVE-2024-3094" in r["ids"], "the alias of a partly bad record is kept")

# ---- NVD: values as the page says
page = json.load(open(os.path.join(TD, "nvd-cves-2.0.json"), encoding="utf-8"))
for v in page["vulnerabilities"]:
    c = v["cve"]
    r = q(c["id"])
    nvd = [x for x in r["records"] if x["feed"] == "nvd"]
    check(len(nvd) == 1, f"{c['id']}: nvd records {len(nvd)}")
    check(bool(nvd and nvd[0]["withdrawn"]) == (c["vulnStatus"] == "Rejected"), f"{c['id']}: withdrawn")
    for key, typ in (("cvssMetricV31", "CVSS_V3"), ("cvssMetricV2", "CVSS_V2")):
        for m in c["metrics"].get(key, []):
            prov = f"nvd:{m['type']}:{m['source']}"
            got = [s for s in r["severities"] if s["provider"] == prov and s["type"] == typ]
            check(len(got) == 1 and got[0]["vector"] == m["cvssData"]["vectorString"]
                  and got[0]["score"] == m["cvssData"]["baseScore"], f"{c['id']} {prov} {typ}: {got}")
    cwes = {d["value"] for w in c.get("weaknesses", []) for d in w["description"] if d["value"].startswith("CWE-")}
    check(cwes <= {x["cwe"] for x in r["cwes"]}, f"{c['id']}: CWEs {cwes} not all in {r['cwes']}")
    if "cisaExploitAdd" in c:
        k = [x for x in r["kev"] if x["provider"] == "nvd"]
        check(len(k) == 1 and k[0]["date_added"] == c["cisaExploitAdd"] and k[0]["due_date"] == c["cisaActionDue"],
              f"{c['id']}: NVD KEV fields {k}")

# ---- OpenVEX and CycloneDX VEX
doc = json.load(open(os.path.join(TD, "openvex-debian-slim.json"), encoding="utf-8"))
for st in doc["statements"]:
    name = st["vulnerability"]["name"]
    got = [x for x in q(name)["vex"] if x["document"] == doc["@id"]]
    prods = [(p_["@id"], s["@id"]) for p_ in st["products"] for s in p_.get("subcomponents", [])] or \
            [(p_["@id"], None) for p_ in st["products"]]
    check(sorted((x["product"], x["subcomponent"]) for x in got) == sorted(prods), f"{name}: VEX products {got}")
    check(all(x["status"] == st["status"] and x["justification"] == st.get("justification") for x in got),
          f"{name}: VEX status {got}")
legacy = q("CVE-2022-42889")["vex"]
check(len(legacy) == 1 and legacy[0]["status"] == "not_affected", f"OpenVEX 0.0.1 statement {legacy}")

bom = json.load(open(os.path.join(TD, "cdx-vex-app-multi.json"), encoding="utf-8"))
purls = {c["bom-ref"]: c["purl"] for c in bom["components"][0]["components"]}
states = {"not_affected": "not_affected", "resolved": "fixed", "in_triage": "under_investigation"}
for v in bom["vulnerabilities"]:
    r = q(v["id"])
    got = [x for x in r["vex"] if x["document"] == bom["serialNumber"]]
    if "analysis" not in v:
        check(not got, f"{v['id']}: a finding without analysis must not become a VEX statement")
    else:
        ref = v["affects"][0]["ref"]
        check(len(got) == 1 and got[0]["product"] == purls.get(ref, ref) and got[0]["raw_status"] == v["analysis"]["state"]
              and got[0]["status"] == states[v["analysis"]["state"]], f"{v['id']}: CycloneDX VEX {got}")
    for rt in v.get("ratings", []):
        check(any(s["vector"] == rt["vector"] and s["provider"].startswith("cdx-vex:") for s in r["severities"]),
              f"{v['id']}: rating {rt['vector']} missing")

# ---- import: a new file adds, the same origin again replaces
gen = info["generation"]
kensa("db", "import", epss_slice, "--db", DB, check_rc=0)
kensa("db", "import", os.path.join(DATA, "kev", "known_exploited_vulnerabilities.json"), "--db", DB, check_rc=0)
info2 = json.loads(kensa("db", "info", "--json", "--db", DB, check_rc=0).stdout)
check(info2["generation"] == gen + 2, f"generation {info2['generation']}")
check(info2["counts"]["epss"] == 1000, f"EPSS rows after import {info2['counts']['epss']}")
check(info2["counts"]["kev"] == info["counts"]["kev"] and info2["counts"]["advisories"] == info["counts"]["advisories"],
      "re-importing KEV changed the counts")
kev_sources = [s for s in info2["sources"] if s["importer"] == "kev"]
check(len(kev_sources) == 1 and kev_sources[0]["generation"] == gen + 2, f"KEV sources {kev_sources}")
e = q("CVE-1999-0001")["epss"]
check(len(e) == 1 and e[0]["model_version"] and e[0]["score_date"], f"EPSS with model/date {e}")

# ---- age: a database last checked 8 days ago draws a warning (and still exit 0)
old_db = os.path.join(TMP, "old.db")
shutil.copy(DB, old_db)
c = sqlite3.connect(old_db)
c.execute("UPDATE meta SET value = CAST(strftime('%s', 'now') AS INTEGER) - 8 * 86400 "
          "WHERE key IN ('updated', 'checked')")
c.commit()
c.close()
p = kensa("db", "info", "--db", old_db, check_rc=0)
check("8 days old" in p.stderr and "kensa db update" in p.stderr, f"no staleness warning: {p.stderr}")
check(json.loads(kensa("db", "info", "--json", "--db", old_db, check_rc=0).stdout)["stale"], "not stale in JSON")
check("warning" not in kensa("db", "info", "--db", DB, check_rc=0).stderr, "a fresh database draws a warning")

# ---- the same record twice in one fresh build: the later one replaces the earlier
rec = json.load(open(sorted(glob.glob(os.path.join(DATA, "osv", "npm", "*.json")))[0]))
first, second = os.path.join(TMP, "dup-a"), os.path.join(TMP, "dup-b")
os.makedirs(first)
os.makedirs(second)
json.dump(rec, open(os.path.join(first, "rec.json"), "w"))
later = dict(rec, summary="the later copy", aliases=["CVE-1999-0001"],
             affected=[dict(rec["affected"][0], package={"ecosystem": "npm", "name": "kensa-dup-test"})])
json.dump(later, open(os.path.join(second, "rec.json"), "w"))
dup_db = os.path.join(TMP, "dup.db")
p = kensa("db", "build", "--from", first, second, "--db", dup_db, check_rc=0)
got = q(rec["id"], dup_db)
text = json.dumps(got)
check("the later copy" in text and "kensa-dup-test" in text, f"the later copy did not replace the first: {text[:300]}")
c = sqlite3.connect(dup_db)
n_aff = c.execute("SELECT count(*) FROM affected").fetchone()[0]
names = {r[0] for r in c.execute("SELECT name FROM affected")}
aliases = {r[0] for r in c.execute("SELECT alias FROM alias")}
indexes = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
c.close()
check(n_aff == len(later["affected"]) and names == {"kensa-dup-test"},
      f"affected rows after the replacement: {n_aff} {names}, expected only the later copy's")
check(aliases == {"CVE-1999-0001"}, f"aliases after the replacement: {aliases}")
check("replaced" in p.stdout + p.stderr, f"the build does not report the replacement: {p.stdout}")
c = sqlite3.connect(DB)
want_indexes = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
c.close()
check({"affected_advisory", "alias_advisory", "advisory_source", "affected_pkg"} <= want_indexes,
      f"a fresh build lacks indexes: {sorted(want_indexes)}")
check(indexes == want_indexes, f"indexes differ after a replacement: {sorted(indexes ^ want_indexes)}")

# ---- bad files given as the database
good = open(DB, "rb").read()
cases = {"truncated.db": good[: len(good) // 3], "random.db": os.urandom(65536), "header.db": good[:100]}
for name, data in cases.items():
    path = os.path.join(TMP, name)
    open(path, "wb").write(data)
    for args in (("db", "info"), ("db", "query", "CVE-2021-44228")):
        p = kensa(*args, "--db", path)
        check(p.returncode == 3 and ("corrupt" in p.stderr or "not a kensa database" in p.stderr)
              and "Traceback" not in p.stderr and "AddressSanitizer" not in p.stderr,
              f"{name} {args[1]}: exit {p.returncode}: {p.stderr.strip()}")
foreign = os.path.join(TMP, "foreign.db")
c = sqlite3.connect(foreign)
c.execute("CREATE TABLE notes(x TEXT)")
c.execute("INSERT INTO notes VALUES ('mine')")
c.commit()
c.close()
before = open(foreign, "rb").read()
p = kensa("db", "info", "--db", foreign)
check(p.returncode == 3 and "is not a kensa database" in p.stderr, f"foreign info: {p.stderr}")
p = kensa("db", "build", "--from", os.path.join(TD, "nvd-cves-2.0.json"), "--db", foreign)
check(p.returncode == 3 and open(foreign, "rb").read() == before, "build overwrote someone else's SQLite file")

done()
