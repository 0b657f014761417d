#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# demo.sh — the README's main job: load the vulnerability data (offline, from the shared
# mirror) into the default database, then scan a real image and print the prioritized report.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$root/../shared}
kensa=$root/build/kensa
image=$shared/images/app-multi.docker.tar.gz
[ -d "$shared/data" ] && [ -f "$image" ] ||
	{ echo "demo: $shared (feeds and images) must be beside the repository" >&2; exit 3; }

echo "== kensa db update --mirror $shared/data"
"$kensa" db update --mirror "$shared/data"
echo
echo "== kensa scan docker-archive:$image"
# exit 0 whatever the findings: the demo shows the report, it is not a CI gate
"$kensa" scan "docker-archive:$image"
