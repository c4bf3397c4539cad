#!/usr/bin/env bash
# What does profiling cost? Two busy workers run for DURATION seconds (default 60) under
#   (a) nothing,
#   (b) perf record -F 19 -a -g,
#   (c) the collector, ebpf_profiling at 19 Hz -> file (the issue's configuration),
#   (d) the collector, ebpf_profiling at 19 Hz -> pid_lifecycle -> symbolization -> file (the default pipeline
#       without its debug exporter; DESIGN.md states its target for this one),
# and one table compares each profiler's own CPU time (whole run and during the workers' window), its peak RSS
# (VmHWM) and the workers' throughput against (a). Target (DESIGN.md): (c) and (d) below (b), under 1% of one
# core, under 100 MB resident.
#
# Each profiler runs in a cgroup of its own, so the CPU of every thread it ever had, exited ones included, is
# counted to the nanosecond (cgroup v1 cpuacct.usage, else cgroup v2 cpu.stat usage_usec). Without either, the
# main process's utime+stime from /proc/<pid>/stat is used, in CLK_TCK steps, and the output says so.
#
# Usage: bench/overhead.sh [seconds]     Needs root (or CAP_BPF + CAP_PERFMON and a writable cgroup), perf
#                                        (Debian: linux-perf) and clang-14. docs/ebpf.md explains the table.
#   SETTLE=30    seconds each profiler runs under the workers' load before its window (start-up, JIT warm-up)
#   RUNS=1       repeat the whole comparison; with more than one run, a median row per profiler follows
#   ROWS="b c d" which profilers to measure ((a) always runs)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="${1:-60}"
settle="${SETTLE:-30}"
runs="${RUNS:-1}"
wanted="${ROWS:-b c d}"
ticks="$(getconf CLK_TCK)"
work="$(mktemp -d /tmp/overhead.XXXXXX)"

for tool in perf clang-14; do
  command -v "$tool" >/dev/null || { echo "overhead.sh: $tool is missing (see docs/ebpf.md)" >&2; exit 2; }
done

# Where each profiler's CPU is counted.
cgroup_root=""; cgroup_kind=""
accounting="main process utime+stime from /proc/<pid>/stat, $((1000 / ticks)) ms steps (no writable cpuacct or cgroup v2 found)"
if [ -f /sys/fs/cgroup/cpuacct/cpuacct.usage ] && [ -w /sys/fs/cgroup/cpuacct ]; then
  cgroup_root=/sys/fs/cgroup/cpuacct; cgroup_kind=v1
  accounting="cgroup v1 cpuacct.usage (ns) of a cgroup per profiler"
else
  v2="$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)"
  if [ -n "$v2" ] && [ -f "$v2/cpu.stat" ] && [ -w "$v2" ]; then
    cgroup_root="$v2"; cgroup_kind=v2
    accounting="cgroup v2 cpu.stat usage_usec of a cgroup per profiler"
  fi
fi
group=""
cleanup() {
  if [ -n "$group" ]; then rmdir "$group" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

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

# Nanoseconds of CPU the current profiler has used: its cgroup's total, or its main process's utime+stime.
cpu_nanos() {
  if [ -n "$group" ]; then
    if [ "$cgroup_kind" = v1 ]; then cat "$group/cpuacct.usage"
    else awk '$1 == "usage_usec" { print $2 * 1000 }' "$group/cpu.stat"; fi
    return
  fi
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
  # Fields after the parenthesised name: utime and stime are the 12th and 13th.
  echo "${stat##*) }" | awk -v hz="$ticks" '{ printf "%d", ($12 + $13) * 1e9 / hz }'
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
# Prints "cpu_nanos peak_rss_mb" as last seen.
stop_and_follow() {
  local pid=$1 signal=$2 cpu rss last_cpu="" last_rss=""
  # Read before the signal too: a profiler that exits within the first 0.1 s leaves nothing to read after it.
  last_rss="$(peak_rss_mb "$pid")"
  kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 1 600); do
    cpu="$(cpu_nanos "$pid")"; rss="$(peak_rss_mb "$pid")"
    [ -n "$cpu" ] && last_cpu="$cpu"
    [ -n "$rss" ] && last_rss="$rss"
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  wait "$pid" 2>/dev/null || true
  # Every task of the cgroup has exited now: its counter is final.
  if [ -n "$group" ]; then last_cpu="$(cpu_nanos "$pid")"; fi
  echo "${last_cpu:-?} ${last_rss:-?}"
}

row() { printf '%-36s %13s %15s %12s %12s %14s %9s\n' "$@"; }

# Measures one profiler: $1 = label, $2 = signal that stops it, the rest = its command line.
# Appends "label|run ms|window ms|share|rss|rounds|change" to $work/results.
measure() {
  local label=$1 signal=$2; shift 2
  if [ -n "$cgroup_root" ]; then
    group="$cgroup_root/overhead-$$"
    mkdir "$group"
    # The wrapper joins the cgroup and then becomes the profiler, so nothing the profiler does escapes it.
    sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$group" "$@" >"$work/tool.log" 2>&1 &
  else
    "$@" >"$work/tool.log" 2>&1 &
  fi
  local pid=$!
  # Warm-up under the same load, so the profiler's sample path is compiled and its buffers sized before counting.
  "$work/worker" "$settle" >/dev/null &
  local warm1=$!
  "$work/worker" "$settle" >/dev/null &
  wait "$warm1" "$!"
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "overhead.sh: $label exited during start-up; last lines of its log:" >&2
    tail -n 5 "$work/tool.log" | sed 's/^/    /' >&2
    wait "$pid" 2>/dev/null || true
    if [ -n "$group" ]; then rmdir "$group"; group=""; fi
    return
  fi
  local before after rounds final rss
  before="$(cpu_nanos "$pid")"
  rounds="$(run_workers)"
  after="$(cpu_nanos "$pid")"
  read -r final rss < <(stop_and_follow "$pid" "$signal")
  if [ -n "$group" ]; then rmdir "$group"; group=""; fi
  awk -v l="$label" -v f="$final" -v a="$after" -v b="$before" -v d="$duration" -v r="$rounds" -v base="$baseline" -v m="$rss" \
    'BEGIN { w = (a - b) / 1e6; printf "%s|%.1f|%.1f|%.3f%%|%s|%d|%+.2f%%\n", l, f / 1e6, w, w / (10 * d), m, r, 100 * (r - base) / base }' \
    >>"$work/results"
}

echo "overhead.sh: 2 busy workers for ${duration}s on $(nproc) CPUs, kernel $(uname -r), ${settle}s of warm-up per profiler, ${runs} run(s)" >&2
echo "overhead.sh: CPU counted by $accounting" >&2

# The collector rows need the built collector; build it now so the build is not measured.
"$repo/run.sh" components >/dev/null
cat >"$work/file.yaml" <<YAML
receivers:
  ebpf_profiling:
    samples_per_second: 19
exporters:
  file:
    path: $work/profiles-c.jsonl
service:
  pipelines:
    profiles:
      receivers: [ebpf_profiling]
      exporters: [file]
YAML
cat >"$work/full.yaml" <<YAML
receivers:
  ebpf_profiling:
    samples_per_second: 19
processors:
  pid_lifecycle: {}
  symbolization: {}
exporters:
  file:
    path: $work/profiles-d.jsonl
service:
  pipelines:
    profiles:
      receivers: [ebpf_profiling]
      processors: [pid_lifecycle, symbolization]
      exporters: [file]
YAML

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq 1 "$runs"); do
  echo "overhead.sh: run $run: (a) workers alone" >&2
  baseline="$(run_workers)"
  echo "(a) nothing|-|-|-|-|$baseline|baseline" >>"$work/results"
  for r in $wanted; do
    case "$r" in
      b) echo "overhead.sh: run $run: (b) perf record -F 19 -a -g" >&2
         measure "(b) perf record -F 19 -a -g" INT perf record -F 19 -a -g -q -o "$work/perf.data" ;;
      c) echo "overhead.sh: run $run: (c) collector ebpf_profiling -> file" >&2
         measure "(c) collector ebpf->file" TERM "$repo/run.sh" --config "$work/file.yaml" ;;
      d) echo "overhead.sh: run $run: (d) collector full pipeline -> file" >&2
         measure "(d) collector ebpf->pid->sym->file" TERM "$repo/run.sh" --config "$work/full.yaml" ;;
      *) echo "overhead.sh: unknown row '$r' in ROWS (b, c, d)" >&2; exit 2 ;;
    esac
  done
done

echo
echo "CPU: $accounting; load average $load_start at start, $(cut -d' ' -f1-3 /proc/loadavg) at end"
row "profiler" "CPU ms (run)" "CPU ms (window)" "% of 1 core" "peak RSS MB" "worker rounds" "change"
while IFS='|' read -r l f w s m r c; do row "$l" "$f" "$w" "$s" "$m" "$r" "$c"; done <"$work/results"
if [ "$runs" -gt 1 ]; then
  echo "median of $runs runs:"
  # Median per column, per profiler, in first-seen order.
  awk -F'|' '
    { if (!($1 in n)) order[++k] = $1; n[$1]++; for (i = 2; i <= 7; i++) v[$1, i, n[$1]] = $i }
    function median(l, i,   m, j, a, t, x, y) {
      m = n[l]; for (j = 1; j <= m; j++) a[j] = v[l, i, j]
      if (a[1] == "-" || a[1] == "baseline") return a[1]
      for (x = 1; x <= m; x++) for (y = x + 1; y <= m; y++) if (a[y] + 0 < a[x] + 0) { t = a[x]; a[x] = a[y]; a[y] = t }
      if (m % 2) return a[(m + 1) / 2]
      x = (a[m / 2] + a[m / 2 + 1]) / 2
      return sprintf(a[1] ~ /^[+-]/ ? "%+.10g" : "%.10g", x) (a[1] ~ /%$/ ? "%" : "")
    }
    END { for (j = 1; j <= k; j++) { l = order[j]; printf "%s", l; for (i = 2; i <= 7; i++) printf "|%s", median(l, i); print "" } }
  ' "$work/results" | while IFS='|' read -r l f w s m r c; do row "$l" "$f" "$w" "$s" "$m" "$r" "$c"; done
fi
