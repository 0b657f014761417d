#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bench/run.sh — every benchmark in one go (`make bench`). Paste the output into
# bench/RESULTS.md with the date and the machine's load; numbers are medians and ratios of
# one run, so a noisy machine hurts both tools alike.
set -eu
cd "$(dirname "$0")/.."
echo "# kensa benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "## kensa sbom vs Trivy (bench/sbom.py)"
bench/sbom.py
echo
echo "## kensa scan vs Trivy's SBOM-only run (bench/scan.py)"
bench/scan.py
echo
echo "## vulnerability database (bench/db.sh)"
bench/db.sh
echo
echo "## version comparators (bench/vercmp.py)"
bench/vercmp.py
if [ -x bench/agent-overhead.sh ]; then
	echo
	echo "## runtime sensor overhead (bench/agent-overhead.sh)"
	bench/agent-overhead.sh
fi
