#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/agent-overhead.sh — what `kensa agent` costs the workloads it watches.
#
#   sudo bench/agent-overhead.sh [-r ROUNDS] [-n OPENS] [-s SPAWNS] [-R RATE] [-o RESULT.md] [--host]
#
# Workloads (bench/overhead-loop.c, built static): a syscall-heavy loop (open/read 4 KiB/close
# of one file), a fork/exec loop (posix_spawn of /bin/true), and an event-rate run (RATE
# distinct new files per second, every one a new event for the sensor). By default they run
# inside a podman container of the shared app-multi image, the agent's real job; --host runs
# them on the host instead (the agent then runs with --host and inventories the host, which
# is slow and large: see docs/profile.md).
#
# KENSA_AGENT_ARGS adds agent options (e.g. "--ring-mb 8 --max-files 32768").
#
# One run, four phases: baseline × ROUNDS, the floor × ROUNDS (an empty BPF program on the
# sensor's hook, bench/sysexit-floor.bpf.c: the part of the cost that belongs to the kernel's
# traced system call path, not to kensa), with the agent × ROUNDS, baseline × ROUNDS again;
# slowdown = median(with) / median(both baselines) - 1, and the same for the fastest round of
# each (CPU time). Also reported: the events the agent
# lost during the rate run (target: 0 at 100k events/s), its peak RSS (target <= 64 MB) and
# the slowdown (target <= 5%). Times are measured inside the workload, so container start-up
# is not counted. Needs root, podman, cc with static glibc. The machine should be quiet:
# the numbers are only as good as the noise allows (that is why the baselines bracket).
set -euo pipefail

rounds=5 opens=200000 spawns=2000 rate=100000 rate_secs=5 result="" where=container
while [ $# -gt 0 ]; do
	case "$1" in
	-r) rounds=$2; shift 2 ;;
	-n) opens=$2; shift 2 ;;
	-s) spawns=$2; shift 2 ;;
	-R) rate=$2; shift 2 ;;
	-o) result=$2; shift 2 ;;
	--host) where=host; shift ;;
	-h|--help) sed -n '3,22p' "$0"; exit 0 ;;
	*) echo "agent-overhead.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[ "$(id -u)" -eq 0 ] || { echo "agent-overhead.sh: run as root (the agent needs eBPF)" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
kensa=${KENSA:-$root/build/kensa}
image=localhost/kensa-test/app-multi:1
work=$(mktemp -d /tmp/kensa-overhead.XXXXXX)
agent_pid="" floor_pid=""
cleanup() {
	[ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null || true
	[ -n "$floor_pid" ] && kill "$floor_pid" 2>/dev/null && wait "$floor_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
[ -x "$kensa" ] || { echo "agent-overhead.sh: build kensa first (make)" >&2; exit 2; }
cc -O2 -static -o "$work/loop" "$root/bench/overhead-loop.c"
# the floor: an empty program on the sensor's hook (see bench/sysexit-floor.bpf.c)
clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -I"$root/build/gen" -c "$root/bench/sysexit-floor.bpf.c" \
	-o "$work/floor.bpf.o"
cc -O2 -o "$work/floor" "$root/bench/sysexit-floor.c" -lbpf

if [ "$where" = container ]; then
	if ! podman image exists "$image"; then
		tar=${KENSA_CACHE:-$root/tests/.cache}/images/app-multi.docker.tar
		[ -f "$tar" ] || { mkdir -p "$(dirname "$tar")"; gunzip -c "$root/../shared/images/app-multi.docker.tar.gz" >"$tar"; }
		podman load -q -i "$tar" >/dev/null
	fi
	run() { podman run --rm --network none -v "$work/loop:/loop:ro" "$image" /loop "$@"; }
	target=/etc/hostname tmpdir=/dev/shm	# tmpfs: every O_TMPFILE is a new inode (ext4/overlay reuse them)
else
	run() { "$work/loop" "$@"; }
	target=/etc/hostname tmpdir=/dev/shm
fi

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v c="$1" '{ print $c }'; }

phase() {	# phase LABEL: ROUNDS of each loop, appended to $work/LABEL.{open,spawn}
	for _ in $(seq "$rounds"); do
		run open "$opens" "$target" >>"$work/$1.open"
		run spawn "$spawns" /bin/true >>"$work/$1.spawn"
	done
}

echo "agent-overhead: $rounds rounds, $opens opens, $spawns spawns, $rate events/s ($where)" >&2
phase base
"$work/floor" "$work/floor.bpf.o" >"$work/floor.log" &
floor_pid=$!
for _ in $(seq 100); do grep -q attached "$work/floor.log" 2>/dev/null && break; sleep 0.05; done
grep -q attached "$work/floor.log" || { echo "agent-overhead.sh: the floor program did not attach" >&2; exit 1; }
phase floor
kill "$floor_pid"
wait "$floor_pid" 2>/dev/null || true
floor_pid=""
agent_args=(agent --flush 5 --store "$work/profiles.db" -o "$work/agent.json")
[ "$where" = host ] && agent_args+=(--host)
# shellcheck disable=SC2206
agent_args+=(${KENSA_AGENT_ARGS:-})	# extra agent options to try (--ring-mb, --max-files)
"$kensa" "${agent_args[@]}" 2>"$work/agent.log" &
agent_pid=$!
for _ in $(seq 100); do grep -q "agent running" "$work/agent.log" 2>/dev/null && break; sleep 0.1; done
grep -q "agent running" "$work/agent.log" || { cat "$work/agent.log" >&2; exit 1; }
run open 1000 "$target" >/dev/null	# the first container of the image: its inventory is made now
sleep 3
phase agent
# The programs' own cost, steadier than the workload's times on a noisy machine: one more open
# round with the kernel's BPF run-time statistics on (not during the timed rounds: counting
# adds two clock reads to every program run). Per program: the mean ns per run over every
# system call made meanwhile (ks_sys_exit runs at the exit of every system call of every task,
# three per open/read/close iteration; most return after comparing the call number).
stats_was=$(sysctl -n kernel.bpf_stats_enabled)
sysctl -q kernel.bpf_stats_enabled=1
run open "$opens" "$target" >/dev/null
bpftool prog show 2>/dev/null | awk -v opens="$opens" '$2 == "tracing" || $2 == "tracepoint" || $2 == "raw_tracepoint" {
	name = $4; t = c = 0
	for (i = 1; i <= NF; i++) { if ($i == "run_time_ns") t = $(i + 1); if ($i == "run_cnt") c = $(i + 1) }
	if (name ~ /^ks_/ && c >= opens)
		printf "- program %s: %.0f ns per run, %d runs (bpf_stats, during one extra open round)\n", name, t / c, c
}' >"$work/progstats"
sysctl -q kernel.bpf_stats_enabled="$stats_was"
achieved=$(run rate "$rate" "$rate_secs" "$tmpdir")
sleep 1
rss_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$agent_pid/status")
kill -TERM "$agent_pid"
wait "$agent_pid" || true
agent_pid=""
phase base

report() {	# report NAME FILE-SUFFIX: medians of wall (column 1) and CPU time (column 2)
	local b f a bc fc ac bm fm am
	b=$(col 1 <"$work/base.$2" | median)
	f=$(col 1 <"$work/floor.$2" | median)
	a=$(col 1 <"$work/agent.$2" | median)
	bc=$(col 2 <"$work/base.$2" | median)
	fc=$(col 2 <"$work/floor.$2" | median)
	ac=$(col 2 <"$work/agent.$2" | median)
	# the fastest round of each: noise here only ever adds time, so the minimum is the
	# steadier estimate of what the work itself costs
	bm=$(col 2 <"$work/base.$2" | sort -g | head -1)
	fm=$(col 2 <"$work/floor.$2" | sort -g | head -1)
	am=$(col 2 <"$work/agent.$2" | sort -g | head -1)
	awk -v n="$1" -v b="$b" -v f="$f" -v a="$a" -v bc="$bc" -v fc="$fc" -v ac="$ac" \
	    -v bm="$bm" -v fm="$fm" -v am="$am" 'BEGIN {
		printf "| %s | %.3f s | %.3f s (%+.1f%%) | %.3f s (%+.1f%%) | %.3f s | %.3f s (%+.1f%%) | %.3f s (%+.1f%%) | %.3f s | %.3f s (%+.1f%%) | %.3f s (%+.1f%%) |\n",
		       n, b, f, (f / b - 1) * 100, a, (a / b - 1) * 100,
		       bc, fc, (fc / bc - 1) * 100, ac, (ac / bc - 1) * 100,
		       bm, fm, (fm / bm - 1) * 100, am, (am / bm - 1) * 100 }'
}
dropped=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['dropped_events'], d['events'])" \
	"$work/agent.json")
{
	echo "## kensa agent overhead ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $where)"
	echo
	echo "Medians of $rounds rounds (wall, CPU) and the fastest round (CPU). \"floor\": an empty program"
	echo "on the sensor's hook (raw tracepoint sys_exit), what any sensor there costs."
	echo
	echo "| workload | wall: none | floor | agent | CPU: none | floor | agent | fastest CPU: none | floor | agent |"
	echo "|---|---|---|---|---|---|---|---|---|---|"
	report "open/read/close × $opens" open
	report "posix_spawn(/bin/true) × $spawns" spawn
	echo
	echo "- event-rate run: asked $rate new files/s for ${rate_secs}s, achieved $achieved/s;" \
		"agent lost ${dropped% *} of ${dropped#* } events"
	echo "- agent peak RSS: $((rss_kb / 1024)) MB (VmHWM)"
	cat "$work/progstats"
	echo "- targets: slowdown <= 5%, 0 lost at 100k events/s, RSS <= 64 MB"
} | tee ${result:+"$result"}
