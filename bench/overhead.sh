#!/usr/bin/env bash
# What does profiling cost? WORKERS busy processes (default 4) of a C program built -O2 -fomit-frame-pointer
# (main -> worker_loop -> run_batch -> compress_block, with memcpy and qsort: no frame pointers anywhere, so only
# a DWARF/.eh_frame unwinder gets complete stacks) run for DURATION seconds (default 60) under each row:
#   (a) nothing (the baseline; always runs),
#   (b) perf record -F 19 -a -g                       (frame pointers: cheap, and broken stacks on this load),
#   (p) perf record -F 19 -a --call-graph dwarf       (copies 8 KB of user stack per sample, unwinds afterwards),
#   (f) the collector, ebpf_profiling at 19 Hz -> file, native_unwinding: frame_pointers,
#   (c) the collector, ebpf_profiling at 19 Hz -> file, native_unwinding: auto (the default),
#   (n) the same with python: {enabled: false} (under the Python workload, (C) minus (N) is the interpreter walk),
#   (d) the collector, ebpf_profiling (auto) -> pid_lifecycle -> symbolization -> file (the default pipeline
#       without its debug exporter; DESIGN.md states its target for this one),
# and, with a capital letter in ROWS, the same profiler under a CPython workload instead: WORKERS processes of
# Debian's /usr/bin/python3 (3.11, no frame pointers) running worker_loop -> run_batch -> compress_block in pure
# Python plus a zlib call, against (A), that workload alone. There the collector also walks the interpreter's
# frames in BPF (the Python walk's time is part of its BPF figure) and, in (D), names them in user space;
# and one table compares each profiler's own CPU time (whole run and during the workers' window), its peak RSS
# (VmHWM), the workers' throughput against (a), and the cost per sample: the profiler's own CPU in the window
# (user space and its system calls) and, for the collector, the BPF programs' run time (kernel.bpf_stats_enabled,
# run_time_ns / run_cnt of its perf_event program, which runs once per sample) divided by the samples taken in
# the window. perf's DWARF unwinding happens after recording, in `perf script`/`perf report`: row (p) also times
# `perf script` over its whole recording and reports that per sample. What neither figure holds: the kernel's
# own work in the sampling interrupt outside BPF (for perf: copying the registers and 8 KB of stack into its
# ring), which is charged to the interrupted worker and shows only in the `change` column.
#
# Each profiler runs in a cgroup of its own, so the CPU of every thread it ever had, exited ones included, is
# counted to the nanosecond (cgroup v1 cpuacct.usage, else cgroup v2 cpu.stat usage_usec). Without either, the
# main process's utime+stime from /proc/<pid>/stat is used, in CLK_TCK steps, and the output says so.
#
# Usage: bench/overhead.sh [seconds]     Needs root (or CAP_BPF + CAP_PERFMON and a writable cgroup), perf
#                                        (Debian: linux-perf), bpftool and clang-14. docs/ebpf.md explains the table.
#   SETTLE=30      seconds each profiler runs under the workers' load before its window (start-up, JIT warm-up)
#   RUNS=1         repeat the whole comparison; with more than one run, a median row per profiler follows
#   ROWS="b p f c d P C D" which profilers to measure ((a) always runs, (A) when a capital letter is asked for:
#                  the same profiler under the Python workload); a new row is one more case in row_command
#   WORKERS=4      busy processes (more than the CPUs, so the samples hit busy code, not the idle task)
#
# kernel.bpf_stats_enabled is switched on for the run and restored afterwards (it costs every BPF program on the
# machine two clock reads per run while on).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$repo/bench/collector-config.sh"
duration="${1:-60}"
settle="${SETTLE:-30}"
runs="${RUNS:-1}"
wanted="${ROWS:-b p f c d P C D}"
workers="${WORKERS:-4}"
ticks="$(getconf CLK_TCK)"
work="$(mktemp -d /tmp/overhead.XXXXXX)"

for tool in perf bpftool clang-14 python3; do
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
bpf_stats_before="$(cat /proc/sys/kernel/bpf_stats_enabled)"
cleanup() {
  if [ -n "$group" ]; then rmdir "$group" 2>/dev/null || true; fi
  sysctl -q -w "kernel.bpf_stats_enabled=$bpf_stats_before" >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
sysctl -q -w kernel.bpf_stats_enabled=1 >/dev/null

# A worker: three levels of its own plus libc, no frame pointers; spins until its deadline and prints its rounds.
cat >"$work/worker.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static unsigned char buffer[1 << 16], copy[1 << 16];
static volatile unsigned long sink;
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static int compare(const void *a, const void *b) { return *(const unsigned char *)a - *(const unsigned char *)b; }
__attribute__((noinline)) void compress_block(unsigned long n)
{
    unsigned long x = sink;
    for (unsigned long i = 0; i < n; i++)
        x = x * 6364136223846793005UL + buffer[i & 0xffff];
    memcpy(copy, buffer, sizeof(buffer));
    sink = x;
}
__attribute__((noinline)) void run_batch(unsigned long round)
{
    for (int i = 0; i < 8; i++)
        compress_block(20000);
    buffer[round & 0xffff] = (unsigned char)round;
    qsort(buffer, 4096, 1, compare);
}
__attribute__((noinline)) unsigned long worker_loop(double seconds)
{
    double end = now() + seconds;
    unsigned long rounds = 0;
    while (now() < end)
        run_batch(rounds++);
    return rounds;
}
int main(int argc, char **argv)
{
    printf("%lu\n", worker_loop(atof(argv[1])));
    return 0;
}
C
clang-14 -O2 -fomit-frame-pointer -momit-leaf-frame-pointer -o "$work/worker" "$work/worker.c"

# The Python worker: the same shape in pure Python, plus a zlib call (native code under a Python caller).
python=/usr/bin/python3
cat >"$work/worker.py" <<'PY'
import sys, time, zlib
data = bytes(range(256)) * 64
def compress_block(n):
    x = 0
    for i in range(n):
        x = (x * 31 + i) & 0xffffffff
    return x
def run_batch(rounds):
    total = 0
    for _ in range(8):
        total ^= compress_block(2000)
    return total ^ zlib.crc32(zlib.compress(data, 1))
def worker_loop(seconds):
    end = time.monotonic() + seconds
    rounds = 0
    while time.monotonic() < end:
        run_batch(rounds)
        rounds += 1
    return rounds
print(worker_loop(float(sys.argv[1])))
PY
case " $wanted " in
  *[[:upper:]]*) [ -x "$python" ] || { echo "overhead.sh: $python is missing for the Python rows (Debian: python3)" >&2; exit 2; } ;;
esac
worker_cmd=("$work/worker")

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

# "run_time_ns run_cnt" of the perf_event programs (one run per sample) that process $1 holds, 0 0 for none. Its
# programs are found by the descriptors it holds (fdinfo names each BPF program's id and type; 7 is perf_event),
# their statistics read with bpftool.
bpf_sample_stats() {
  local id ns=0 runs=0 stats
  for id in $(awk '$1 == "prog_type:" { type = $2 } $1 == "prog_id:" && type == 7 { print $2; type = "" }' /proc/"$1"/fdinfo/* 2>/dev/null | sort -u); do
    stats="$(bpftool prog show id "$id" -j | python3 -c 'import json, sys; p = json.load(sys.stdin); print(p.get("run_time_ns", 0), p.get("run_cnt", 0))')"
    ns=$((ns + ${stats% *})); runs=$((runs + ${stats#* }))
  done
  echo "$ns $runs"
}

# Seconds of CLOCK_MONOTONIC, the clock perf is told to stamp its samples with.
monotonic() { python3 -c 'import time; print("%.6f" % time.monotonic())'; }

# Runs the workers for the whole duration and prints their summed rounds.
run_workers() {
  local pids=() i total=0
  for i in $(seq 1 "$workers"); do "${worker_cmd[@]}" "$duration" >"$work/w$i" & pids+=($!); done
  wait "${pids[@]}"
  for i in $(seq 1 "$workers"); do total=$((total + $(cat "$work/w$i"))); done
  echo "$total"
}

# The same load for the warm-up, output discarded.
warm_up() {
  local pids=() i
  for i in $(seq 1 "$workers"); do "${worker_cmd[@]}" "$settle" >/dev/null & pids+=($!); done
  wait "${pids[@]}"
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

# Removes a cgroup once its last task is gone: the kernel may still hold an exited task for a moment (rmdir says
# "busy"), so it is retried for up to 2 s; a cgroup that stays is left behind with a warning, not a failed run.
remove_cgroup() {
  for _ in $(seq 1 20); do rmdir "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "overhead.sh: could not remove $1 (still busy)" >&2
}

# CPU nanoseconds a command uses, counted like a profiler's (a cgroup of its own when there is one).
command_cpu_nanos() {
  if [ -n "$cgroup_root" ]; then
    local g="$cgroup_root/overhead-post-$$" used
    mkdir "$g"
    sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$g" "$@" >/dev/null 2>&1 || true
    if [ "$cgroup_kind" = v1 ]; then used="$(cat "$g/cpuacct.usage")"; else used="$(awk '$1 == "usage_usec" { print $2 * 1000 }' "$g/cpu.stat")"; fi
    remove_cgroup "$g"
    echo "$used"
  else
    local t0 t1
    t0="$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)"
    "$@" >/dev/null 2>&1 || true
    t1="$(awk '{ print $14 + $15 + $16 + $17 }' /proc/$$/stat)"
    echo $(( (t1 - t0) * 1000000000 / ticks ))
  fi
}

# The rows. Each sets label, signal (what stops it), kind (perf or collector: how its samples are counted) and
# cmd (its command line). A new row is one more case here and a letter in ROWS.
row_command() {
  case "$1" in
    b) label="(b) perf record -F 19 -a -g"; signal=INT; kind=perf
       cmd=(perf record -F 19 -a -g -k mono -q -o "$work/perf.data") ;;
    p) label="(p) perf record -F 19 -a --call-graph dwarf"; signal=INT; kind=perf-dwarf
       cmd=(perf record -F 19 -a --call-graph dwarf -k mono -q -o "$work/perf.data") ;;
    f) label="(f) collector ebpf->file, frame_pointers"; signal=TERM; kind=collector
       cmd=("$repo/run.sh" --config "$work/file-fp.yaml") ;;
    c) label="(c) collector ebpf->file, auto"; signal=TERM; kind=collector
       cmd=("$repo/run.sh" --config "$work/file-auto.yaml") ;;
    d) label="(d) collector ebpf->pid->sym->file, auto"; signal=TERM; kind=collector
       cmd=("$repo/run.sh" --config "$work/full.yaml") ;;
    n) label="(n) collector ebpf->file, auto, python off"; signal=TERM; kind=collector
       cmd=("$repo/run.sh" --config "$work/file-nopython.yaml") ;;
    *) echo "overhead.sh: unknown row '$1' in ROWS (b, p, f, c, n, d, or a capital for the Python workload)" >&2; exit 2 ;;
  esac
}

# Row $1 in lower case is the C workload; in capitals, the same profiler under the Python one. Sets worker_cmd,
# the row's baseline, and (for capitals) relabels the row.
row_setup() {
  row_command "${1,,}"
  if [ "$1" = "${1,,}" ]; then
    worker_cmd=("$work/worker"); baseline="$baseline_c"
  else
    worker_cmd=("$python" "$work/worker.py"); baseline="$baseline_py"
    label="(${1}) python: ${label#(*) }"
  fi
}

# Samples perf stamped between two CLOCK_MONOTONIC instants, and all it recorded (perf script reads the
# recording without unwinding when no call-chain field is asked for).
perf_samples() {
  perf script -i "$work/perf.data" -F time 2>/dev/null | awk -v from="$1" -v to="$2" '
    { t = $1 + 0; all++; if (t >= from && t < to) window++ } END { printf "%d %d\n", window, all }'
}

row() { printf '%-52s %9s %10s %8s %8s %11s %8s %8s %8s %8s %9s\n' "$@"; }

# Measures one row ($1). Appends
# "label|run ms|window ms|rss|rounds|change|samples|user us/sample|bpf us/sample|total us/sample|post us/sample"
# to $work/results ("-" where a figure does not apply).
measure() {
  local label signal kind cmd
  row_setup "$1"
  echo "overhead.sh: run $run: $label" >&2
  rm -f "$work/perf.data"
  if [ -n "$cgroup_root" ]; then
    group="$cgroup_root/overhead-$$"
    mkdir "$group"
    # The wrapper joins the cgroup and then becomes the profiler, so nothing the profiler does escapes it.
    sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$group" "${cmd[@]}" >"$work/tool.log" 2>&1 &
  else
    "${cmd[@]}" >"$work/tool.log" 2>&1 &
  fi
  local pid=$!
  # Warm-up under the same load, so the profiler's sample path is compiled and its buffers sized before counting.
  warm_up
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "overhead.sh: $label exited during start-up; last lines of its log:" >&2
    tail -n 5 "$work/tool.log" | sed 's/^/    /' >&2
    wait "$pid" 2>/dev/null || true
    if [ -n "$group" ]; then remove_cgroup "$group"; group=""; fi
    return
  fi
  # The collector's BPF programs belong to run.sh's exec'd binary, i.e. to $pid itself.
  local before after rounds final rss t0 t1 bpf0=(0 0) bpf1=(0 0)
  [ "$kind" = collector ] && read -r -a bpf0 < <(bpf_sample_stats "$pid")
  t0="$(monotonic)"
  before="$(cpu_nanos "$pid")"
  rounds="$(run_workers)"
  after="$(cpu_nanos "$pid")"
  t1="$(monotonic)"
  [ "$kind" = collector ] && read -r -a bpf1 < <(bpf_sample_stats "$pid")
  read -r final rss < <(stop_and_follow "$pid" "$signal")
  if [ -n "$group" ]; then remove_cgroup "$group"; group=""; fi

  local samples=0 all=0 bpf_ns=0 post_ns=-1
  if [ "$kind" = collector ]; then
    samples=$((bpf1[1] - bpf0[1])); bpf_ns=$((bpf1[0] - bpf0[0]))
  else
    read -r samples all < <(perf_samples "$t0" "$t1")
    # perf's DWARF mode unwinds here, after the fact: every recorded sample, with the call chains and symbols.
    if [ "$kind" = perf-dwarf ]; then post_ns="$(command_cpu_nanos perf script -i "$work/perf.data" -F comm,pid,ip,sym)"; fi
  fi
  awk -v l="$label" -v f="$final" -v a="$after" -v b="$before" -v r="$rounds" -v base="$baseline" -v m="$rss" \
      -v n="$samples" -v all="$all" -v bpf="$bpf_ns" -v post="$post_ns" -v k="$kind" '
    BEGIN {
      w = (a - b) / 1e6
      user = n > 0 ? sprintf("%.2f", w * 1000 / n) : "-"
      bpfs = k == "collector" && n > 0 ? sprintf("%.2f", bpf / 1000 / n) : "-"
      total = n > 0 ? sprintf("%.2f", w * 1000 / n + (k == "collector" ? bpf / 1000 / n : 0)) : "-"
      posts = post >= 0 && all > 0 ? sprintf("%.2f", post / 1000 / all) : "-"
      printf "%s|%.1f|%.1f|%s|%d|%+.2f%%|%d|%s|%s|%s|%s\n", l, f / 1e6, w, m, r, 100 * (r - base) / base, n, user, bpfs, total, posts
    }' >>"$work/results"
}

echo "overhead.sh: $workers busy non-frame-pointer workers for ${duration}s on $(nproc) CPUs, kernel $(uname -r), ${settle}s of warm-up per profiler, ${runs} run(s)" >&2
echo "overhead.sh: CPU counted by $accounting" >&2

# The collector rows need the built collector; build it now so the build is not measured.
"$repo/run.sh" components >/dev/null
collector_config "$work/file-fp.yaml" "$work/profiles-f.jsonl" unwinding=frame_pointers
collector_config "$work/file-auto.yaml" "$work/profiles-c.jsonl" unwinding=auto
collector_config "$work/full.yaml" "$work/profiles-d.jsonl" unwinding=auto processors="pid_lifecycle symbolization"
collector_config "$work/file-nopython.yaml" "$work/profiles-n.jsonl" unwinding=auto python=false

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq 1 "$runs"); do
  echo "overhead.sh: run $run: (a) workers alone" >&2
  worker_cmd=("$work/worker")
  baseline_c="$(run_workers)"
  echo "(a) nothing|-|-|-|$baseline_c|baseline|-|-|-|-|-" >>"$work/results"
  case " $wanted " in
    *[[:upper:]]*)
      echo "overhead.sh: run $run: (A) python workers alone" >&2
      worker_cmd=("$python" "$work/worker.py")
      baseline_py="$(run_workers)"
      echo "(A) python: nothing|-|-|-|$baseline_py|baseline|-|-|-|-|-" >>"$work/results" ;;
  esac
  for r in $wanted; do measure "$r"; done
done

echo
echo "CPU: $accounting; BPF: run_time_ns / run_cnt of the collector's perf_event program (kernel.bpf_stats_enabled)"
echo "load average $load_start at start, $(cut -d' ' -f1-3 /proc/loadavg) at end; $workers workers, ${duration}s window"
row "profiler" "CPU ms" "CPU ms" "peak RSS" "worker" "change" "samples" "user" "BPF" "total" "post"
row "" "(run)" "(window)" "MB" "rounds" "" "(window)" "us/smp" "us/smp" "us/smp" "us/smp"
while IFS='|' read -r -a v; do row "${v[@]}"; done <"$work/results"
if [ "$runs" -gt 1 ]; then
  echo "median of $runs runs:"
  # Median per column, per profiler, in first-seen order.
  awk -F'|' '
    { if (!($1 in n)) order[++k] = $1; n[$1]++; for (i = 2; i <= 11; i++) v[$1, i, n[$1]] = $i }
    function median(l, i,   m, j, a, t, x, y) {
      m = n[l]; for (j = 1; j <= m; j++) a[j] = v[l, i, j]
      if (a[1] == "-" || a[1] == "baseline") return a[1]
      for (x = 1; x <= m; x++) for (y = x + 1; y <= m; y++) if (a[y] + 0 < a[x] + 0) { t = a[x]; a[x] = a[y]; a[y] = t }
      if (m % 2) return a[(m + 1) / 2]
      x = (a[m / 2] + a[m / 2 + 1]) / 2
      return sprintf(a[1] ~ /^[+-]/ ? "%+.10g" : "%.10g", x) (a[1] ~ /%$/ ? "%" : "")
    }
    END { for (j = 1; j <= k; j++) { l = order[j]; printf "%s", l; for (i = 2; i <= 11; i++) printf "|%s", median(l, i); print "" } }
  ' "$work/results" | while IFS='|' read -r -a v; do row "${v[@]}"; done
fi
