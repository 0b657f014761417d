#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tests/run.sh — run kensa's tests in one of three tiers (SQLite's idea: quick / full / sanitizers).
#
#   B=build     tests/run.sh quick   unit tests, fuzz corpus replay, analyzer cases, quick CLI tests
#   B=build     tests/run.sh full    quick + slow CLI tests (real images, Trivy, podman, eBPF, browser)
#   B=build-san tests/run.sh san     unit tests, fuzz replay, analyzer cases, quick CLI tests under ASan+UBSan
#
# A CLI test is an executable file in tests/cli/ whose header has a line "# tier: quick" or
# "# tier: full". Tests get: KENSA (the binary), KENSA_ROOT (this repo), SHARED (../shared),
# KENSA_CACHE (tests/.cache: decompressed images and reference tools, reused across runs),
# TEST_TMP (a fresh scratch directory). Exit 0 = pass, 77 = skipped (with a reason on stdout).
set -u
mode=${1:-quick}
B=${B:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
export KENSA_ROOT=$root
export KENSA=$root/$B/kensa
export SHARED=${SHARED:-$(cd "$root/../shared" 2>/dev/null && pwd)}
export KENSA_CACHE=${KENSA_CACHE:-$root/tests/.cache}
export KENSA_TIER=$mode
export PYTHONDONTWRITEBYTECODE=1
export PATH=/usr/bin:/bin:/usr/sbin:/sbin:$PATH	# Debian's python3 with its modules first
if [ "$mode" = san ]; then
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
fi
mkdir -p "$KENSA_CACHE"
logdir=$(mktemp -d /tmp/kensa-tests.XXXXXX)
pass=0 fail=0 skip=0
failed=()

run() {	# run NAME CMD...
	local name=$1 start end rc log
	shift
	log="$logdir/$(echo "$name" | tr '/ ' '__').log"
	start=$(date +%s.%N)
	TEST_TMP=$(mktemp -d /tmp/kensa-t.XXXXXX) "$@" >"$log" 2>&1
	rc=$?
	end=$(date +%s.%N)
	local secs
	secs=$(awk "BEGIN { printf \"%.1f\", $end - $start }")
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1))
		printf 'PASS %-55s %6ss\n' "$name" "$secs"
	elif [ $rc -eq 77 ]; then
		skip=$((skip + 1))
		printf 'SKIP %-55s %6ss  %s\n' "$name" "$secs" "$(tail -n 1 "$log")"
	else
		fail=$((fail + 1))
		failed+=("$name")
		printf 'FAIL %-55s %6ss (exit %d)\n' "$name" "$secs" $rc
		tail -n 40 "$log" | sed 's/^/    | /'
	fi
}

[ -x "$KENSA" ] || { echo "no $KENSA: build first (make, or make SAN=1)"; exit 2; }

# 1. unit tests
for t in "$B"/tests/test-*; do
	[ -x "$t" ] && run "unit/$(basename "$t")" "$t"
done

# 2. fuzz corpora and crash inputs, replayed through every fuzz target
for f in "$B"/fuzz-replay/*; do
	[ -x "$f" ] || continue
	n=$(basename "$f")
	dirs=()
	[ -d "fuzz/corpus/$n" ] && dirs+=("fuzz/corpus/$n")
	[ -d "fuzz/crashes/$n" ] && dirs+=("fuzz/crashes/$n")
	[ ${#dirs[@]} -gt 0 ] && run "fuzz/$n" "$f" "${dirs[@]}"
done

# 3. analyzer cases: tests/pkgdb/<case>/rootfs + expected.tsv
if [ -d tests/pkgdb ] && [ -n "$(ls tests/pkgdb 2>/dev/null)" ]; then
	run "pkgdb/cases" tests/lib/check_pkgdb.py tests/pkgdb
fi

# 4. CLI tests of this tier
for t in tests/cli/*; do
	[ -x "$t" ] || continue
	tier=$(sed -n 's/^# tier: *//p' "$t" | head -n 1)
	case "$mode:$tier" in
	quick:quick | san:quick | full:quick | full:full) run "cli/$(basename "$t")" "$t" ;;
	esac
done

echo "----"
echo "$pass passed, $fail failed, $skip skipped ($mode, $B); logs in $logdir"
if [ $fail -gt 0 ]; then
	printf 'failed: %s\n' "${failed[@]}"
	exit 1
fi
exit 0
