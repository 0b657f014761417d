#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
# tier: full
"""Every package of ../shared/images/truth/<image>.tsv is in kensa's SBOM of the image, with
the right version and ecosystem (100% recall), read from the gzip'd docker-archive, the
uncompressed one and an OCI archive made from it. Extras must be explained: each extra is
listed with the reason it is real."""
import os
import sys

sys.path.insert(0, os.path.join(os.environ["KENSA_ROOT"], "tests", "lib"))
from kensa_test import (IMAGES, check, done, image_gz, image_oci, image_tar, sbom_json,  # noqa: E402
                        truth)


def explain_extra(image, pkg):
    """Why an extra package (not in the truth TSV) is real, or None if unexplained."""
    eco, name, loc = pkg["ecosystem"], pkg["name"], pkg.get("location") or ""
    if eco == "npm" and "main" in (pkg.get("flags") or []):
        return "the project itself (its package.json beside node_modules; Trivy lists it too)"
    if pkg.get("flags") and "lockfile" in pkg["flags"]:
        return "declared by a lock file"
    if eco == "Maven" and loc.startswith("/usr/share/java/"):
        return "jar without pom.properties, identified by MANIFEST.MF / file name"
    if eco == "npm" and "/usr/share/nodejs/" in loc:
        return "Debian node module"
    if eco == "PyPI" and loc.startswith("/usr/lib/python3"):
        return "Python distribution shipped by a Debian package"
    return None


for image in IMAGES:
    want = {(r["ecosystem"], r["name"], r["version"]) for r in truth(image)}
    targets = [("docker-archive gz", "docker-archive:" + image_gz(image)),
               ("docker-archive", "docker-archive:" + image_tar(image))]
    oci = image_oci(image)
    if oci:
        targets.append(("oci-archive", "oci-archive:" + oci))
    for label, target in targets:
        doc = sbom_json(target)
        got = {(p["ecosystem"], p["name"], p["version"]) for p in doc["packages"]}
        missing = sorted(want - got)
        check(not missing, f"{image} ({label}): {len(missing)} truth packages missing: {missing[:10]}")
        # Debian rows carry "<source> <source version>": check the source identity too
        src = {(r["name"], r["version"]): r["path_or_source"] for r in truth(image) if r["ecosystem"] == "Debian"}
        for p in doc["packages"]:
            if p["ecosystem"] == "Debian" and (p["name"], p["version"]) in src:
                have = f"{p['source']['name']} {p['source']['version']}"
                check(have == src[(p["name"], p["version"])],
                      f"{image} ({label}): {p['name']} source {have}, truth {src[(p['name'], p['version'])]}")
        extras = [p for p in doc["packages"] if (p["ecosystem"], p["name"], p["version"]) not in want]
        unexplained = [(p["ecosystem"], p["name"], p["version"], p.get("location")) for p in extras
                       if not explain_extra(image, p)]
        check(not unexplained, f"{image} ({label}): unexplained extra packages: {unexplained[:10]}")
        print(f"{image} ({label}): {len(want)} truth packages, {len(got)} reported, "
              f"{len(missing)} missing, {len(extras)} extras ({len(unexplained)} unexplained)")
done()
