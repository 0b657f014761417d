#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""Every SBOM format validates: CycloneDX 1.6 against the official schema (bom-1.6 with its
spdx and jsf sub-schemas, from the CycloneDX project's npm package, fetched once into the
cache), kensa's JSON against docs/schemas/sbom.schema.json, SPDX 2.3 against the required
fields of the specification; and each format reads back (sbom:FILE) into the same packages."""
import json
import os
import sys

import jsonschema

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import ROOT, TMP, check, done, image_gz, image_tar, kensa  # noqa: E402
from schemas import cyclonedx_validator, errors  # noqa: E402

cdx = cyclonedx_validator()
# the validator must be able to fail: a license id outside the SPDX list is invalid
bad = {"bomFormat": "CycloneDX", "specVersion": "1.6",
       "components": [{"type": "library", "name": "x", "licenses": [{"license": {"id": "NOT-A-LICENSE"}}]}]}
check(errors(cdx, bad), "the CycloneDX validator rejects an invalid document")
native = jsonschema.Draft7Validator(json.load(open(os.path.join(ROOT, "docs", "schemas", "sbom.schema.json"))),
                                    format_checker=jsonschema.FormatChecker())

targets = ["docker-archive:" + image_tar("app-multi"), "docker-archive:" + image_gz("debian-slim"),
           "dir:" + os.path.join(ROOT, "tests", "pkgdb", "dpkg-status", "rootfs")]
for target in targets:
    keys = {}
    for fmt in ("cyclonedx", "spdx", "json"):
        out = os.path.join(TMP, f"sbom.{fmt}.json")
        kensa("-q", "sbom", "-f", fmt, "-o", out, target, check_rc=0)
        doc = json.load(open(out))
        if fmt == "cyclonedx":
            e = errors(cdx, doc)
            check(not e, f"{target}: CycloneDX 1.6 schema errors: {e}")
            check(doc["specVersion"] == "1.6", "CycloneDX specVersion 1.6")
        elif fmt == "json":
            e = errors(native, doc)
            check(not e, f"{target}: kensa JSON schema errors: {e}")
        else:
            check(doc.get("spdxVersion") == "SPDX-2.3" and doc.get("SPDXID") == "SPDXRef-DOCUMENT",
                  "SPDX header")
            for k in ("dataLicense", "name", "documentNamespace", "creationInfo", "packages", "relationships"):
                check(k in doc, f"SPDX: required field {k}")
            ids = set()
            for p in doc["packages"]:
                for k in ("name", "SPDXID", "downloadLocation"):
                    check(k in p, f"SPDX package field {k}: {p.get('name')}")
                check(p["SPDXID"] not in ids, f"SPDX ids unique: {p['SPDXID']}")
                ids.add(p["SPDXID"])
            for r in doc["relationships"]:
                check(r["spdxElementId"] in ids | {"SPDXRef-DOCUMENT"} and r["relatedSpdxElement"] in ids,
                      f"SPDX relationship refers to known ids: {r}")
        # read it back and compare the package set and the owned files
        back = json.loads(kensa("-q", "sbom", "-f", "json", "sbom:" + out, check_rc=0).stdout)
        keys[fmt] = ({(p["ecosystem"], p["name"], p["version"]) for p in back["packages"]},
                     sum(len(p["files"]) for p in back["packages"]))
    check(keys["cyclonedx"] == keys["json"] == keys["spdx"],
          f"{target}: the three formats read back to the same packages and files: "
          f"{[(k, len(v[0]), v[1]) for k, v in keys.items()]}")
    print(f"{target}: valid; {len(keys['json'][0])} packages, {keys['json'][1]} owned files round-trip")
done()
