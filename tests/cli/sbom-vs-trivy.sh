#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tier: full
# kensa lists every package Trivy lists on the shared images (issue 2, done-means 2); the
# comparison itself is bench/sbom-vs-trivy.py, which prints it.
exec "$KENSA_ROOT/bench/sbom-vs-trivy.py" --check
