#!/usr/bin/env bash
# What does profiling cost? Two busy workers run for DURATION seconds (default 60) under
#   (a) nothing,
#   (b) perf record -F 19 -a -g,
#   (c) the collector with the ebpf_profiling receiver writing to a file at 19 Hz (./run.sh --config ...),
# and one table compares each profiler's own CPU seconds (utime+stime from /proc/<pid>/stat, whole run and
# during the workers' window), its peak RSS (VmHWM) and the workers' throughput against (a).
# Target (DESIGN.md): (c) below (b), and under 1% of one core.
#
# Usage: bench/overhead.sh [seconds]     Needs root (or CAP_BPF + CAP_PERFMON), perf (Debian: linux-perf)
#                                        and clang-14. docs/ebpf.md explains the table.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="${1:-60}"
settle="${SETTLE:-30}"  # seconds each profiler runs under the workers' load before the measured window
ticks="$(getconf CLK_TCK)"
work="$(mktemp -d /tmp/overhead.XXXXXX)"
trap 'rm -rf "$work"' EXIT

for tool in perf clang-14; do
  command -v "$tool" >/dev/null || { echo "overhead.sh: $tool is missing (see docs/ebpf.md)" >&2; exit 2; }
done

# A worker spins on arithmetic until its deadline and prints how many rounds it managed.
cat >"$work/worker.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(int argc, char **argv)
{
    double end = now() + atof(argv[1]);
    volatile unsigned long x = 1;
    unsigned long rounds = 0;
    while (now() < end) {
        for (int i = 0; i < 10000; i++)
            x = x * 6364136223846793005UL + 1442695040888963407UL;
        rounds++;
    }
    printf("%lu\n", rounds);
    return 0;
}
C
clang-14 -O2 -fno-omit-frame-pointer -o "$work/worker" "$work/worker.c"

# utime+stime of a live process in seconds, or nothing once it is gone.
cpu_seconds() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
  # Fields after the parenthesised name: utime and stime are the 12th and 13th.
  echo "${stat##*) }" | awk -v hz="$ticks" '{ printf "%.2f", ($12 + $13) / hz }'
}

peak_rss_mb() {
  awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || true
}

# Runs the two workers for the whole duration and prints their summed rounds.
run_workers() {
  "$work/worker" "$duration" >"$work/w1" &
  local first=$!
  "$work/worker" "$duration" >"$work/w2" &
  wait "$first" "$!"
  echo $(( $(cat "$work/w1") + $(cat "$work/w2") ))
}

# Stops a profiler and follows it until it is gone, so the work it does on the way out is counted too.
# Prints "cpu_seconds peak_rss_mb" as last seen.
stop_and_follow() {
  local pid=$1 signal=$2 cpu rss last_cpu="" last_rss=""
  kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 1 600); do
    cpu="$(cpu_seconds "$pid")"; rss="$(peak_rss_mb "$pid")"
    [ -n "$cpu" ] && last_cpu="$cpu"
    [ -n "$rss" ] && last_rss="$rss"
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  wait "$pid" 2>/dev/null || true
  echo "${last_cpu:-?} ${last_rss:-?}"
}

# Measures one profiler: $1 = label, $2 = signal that stops it, the rest = its command line.
measure() {
  local label=$1 signal=$2; shift 2
  "$@" >"$work/tool.log" 2>&1 &
  local pid=$!
  # Warm-up under the same load, so the profiler's sample path is compiled and its buffers sized before counting.
  "$work/worker" "$settle" >/dev/null &
  local warm1=$!
  "$work/worker" "$settle" >/dev/null &
  wait "$warm1" "$!"
  if ! kill -0 "$pid" 2>/dev/null; then
    rows+=("$(printf '%-34s %s' "$label" "not measured: it exited during start-up; last lines of its log:")")
    rows+=("$(tail -n 5 "$work/tool.log" | sed 's/^/    /')")
    return
  fi
  local before after rounds final rss
  before="$(cpu_seconds "$pid")"
  rounds="$(run_workers)"
  after="$(cpu_seconds "$pid")"
  read -r final rss < <(stop_and_follow "$pid" "$signal")
  local window share change
  window="$(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.2f", a - b }')"
  share="$(awk -v w="$window" -v d="$duration" 'BEGIN { printf "%.2f%%", 100 * w / d }')"
  change="$(awk -v r="$rounds" -v b="$baseline" 'BEGIN { printf "%+.2f%%", 100 * (r - b) / b }')"
  rows+=("$(printf '%-34s %12s %14s %12s %12s %14s %9s' "$label" "$final" "$window" "$share" "$rss" "$rounds" "$change")")
}

echo "overhead.sh: 2 busy workers for ${duration}s on $(nproc) CPUs, kernel $(uname -r), after ${settle}s of warm-up per profiler" >&2

# (c) needs the built collector; build it now so the build is not measured.
"$repo/run.sh" components >/dev/null
cat >"$work/collector.yaml" <<YAML
receivers:
  ebpf_profiling:
    samples_per_second: 19
exporters:
  file:
    path: $work/profiles.jsonl
service:
  pipelines:
    profiles:
      receivers: [ebpf_profiling]
      exporters: [file]
YAML

rows=()
echo "overhead.sh: (a) workers alone" >&2
baseline="$(run_workers)"
rows+=("$(printf '%-34s %12s %14s %12s %12s %14s %9s' "(a) nothing" "-" "-" "-" "-" "$baseline" "baseline")")

echo "overhead.sh: (b) perf record -F 19 -a -g" >&2
measure "(b) perf record -F 19 -a -g" INT perf record -F 19 -a -g -q -o "$work/perf.data"

echo "overhead.sh: (c) collector, ebpf_profiling -> file" >&2
measure "(c) collector ebpf_profiling->file" TERM "$repo/run.sh" --config "$work/collector.yaml"

printf '\n%-34s %12s %14s %12s %12s %14s %9s\n' "profiler" "CPU s (run)" "CPU s (window)" "% of 1 core" "peak RSS MB" "worker rounds" "change"
printf '%s\n' "${rows[@]}"
