#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/db.sh — how fast the vulnerability database is built and queried, on ../shared/data.
#
#   bench/db.sh            (after `make`; uses build/kensa and build/libkensa.a)
#
# Prints, without recording anything (run it on a quiet machine):
#   1. `kensa db build --from ../shared/data`: wall time and database size;
#   2. JSON import speed: a build from the JSON feeds only (OSV directories, CVE JSON 5, the
#      KEV catalog), their total bytes divided by the median wall time of ROUNDS builds
#      (ROUNDS=9 by default: this machine's noise moves single runs by ±20%);
#   3. EPSS alone (313k CSV rows): wall time;
#   4. the matcher's hot path: 1,000 package look-ups (the packages of the shared images'
#      truth files, repeated) and the enrichment of every advisory they return
#      (bench/db-query.c, best of five).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$root/../shared}
data=$shared/data
kensa=$root/build/kensa
[ -x "$kensa" ] || { echo "bench/db.sh: build first (make)" >&2; exit 2; }
[ -d "$data" ] || { echo "bench/db.sh: no $data" >&2; exit 2; }
tmp=$(mktemp -d /tmp/kensa-bench-db.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

secs() {	# secs CMD... — wall seconds of one run
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >/dev/null
	t1=$(date +%s.%N)
	awk "BEGIN { printf \"%.2f\", $t1 - $t0 }"
}

echo "== build from $data"
s=$(secs "$kensa" -q db build --from "$data" --db "$tmp/all.db")
size=$(stat -c %s "$tmp/all.db")
echo "build: ${s} s, database $(awk "BEGIN { printf \"%.1f\", $size / 1e6 }") MB"

echo "== JSON import speed (OSV, CVE JSON 5, KEV JSON)"
json_inputs=("$data"/osv/* "$data/cve" "$data/kev/known_exploited_vulnerabilities.json")
bytes=$(find "${json_inputs[@]}" -name '*.json' -printf '%s\n' | awk '{ s += $1 } END { print s }')
runs=$(for _ in $(seq "${ROUNDS:-9}"); do
	rm -f "$tmp/json.db"
	secs "$kensa" -q db build --from "${json_inputs[@]}" --db "$tmp/json.db"
	echo
done | sort -g)
s=$(echo "$runs" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
echo "json: $(awk "BEGIN { printf \"%.1f\", $bytes / 1e6 }") MB in ${s} s (median of ${ROUNDS:-9};" \
	"fastest $(echo "$runs" | head -1) s) = $(awk "BEGIN { printf \"%.1f\", $bytes / 1e6 / $s }") MB/s"

echo "== EPSS (CSV)"
s=$(secs "$kensa" -q db build --from "$data"/epss --db "$tmp/epss.db")
echo "epss: ${s} s"

echo "== matcher hot path"
pkgs=$tmp/packages.tsv
for t in "$shared"/images/truth/*.tsv; do
	case $t in *secrets*) continue ;; esac
	# Debian packages are matched by source package, in the release's ecosystem
	awk -F'\t' 'NR > 1 && $1 == "Debian" { split($4, s, " "); print "Debian:12\t" s[1]; next }
		    NR > 1 && $1 != "" { print $1 "\t" $2 }' "$t"
done | sort -u >"$pkgs"
cc -O2 -std=c11 -D_GNU_SOURCE -I"$root/include" -o "$tmp/db-query" "$root/bench/db-query.c" \
	"$root/build/libkensa.a" $(pkg-config --libs libarchive sqlite3 libcurl libcrypto yaml-0.1 libcjson zlib \
	libpcre2-8 libbpf libelf) -ldb-5.3 -lm -lpthread
"$tmp/db-query" "$tmp/all.db" "$pkgs" 1000
