#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# demo.sh — the README's main job on a real image: inventory the shared app-multi image.
# (Grows with the project: vulnerability data and the prioritized scan join as they land.)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$root/../shared}
image=$shared/images/app-multi.docker.tar.gz
[ -f "$image" ] || { echo "demo: $image not found (../shared beside the repository)" >&2; exit 3; }
"$root/build/kensa" sbom -f json "docker-archive:$image" -o /tmp/kensa-demo-sbom.json
echo "SBOM written to /tmp/kensa-demo-sbom.json"
