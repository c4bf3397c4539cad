#!/usr/bin/env bash
# Memory of native unwinding with many processes: PROCESSES processes (default 1,000) of EXECUTABLES distinct
# executables (default 10; C programs built -O2 -fomit-frame-pointer, each compiled separately, so ten files with
# tables of their own) run under the collector (ebpf_profiling with native_unwinding: auto -> pid_lifecycle ->
# symbolization -> file, following only these processes). Once the unwinder holds every process, the script reports
#   - the BPF maps' kernel memory (bpftool map show: bytes_memlock) of the collector's unwinder: every table (the
#     inner maps of unwind_tables) and process_mappings, with the collector's own gauges beside them;
#   - how many tables are loaded against how many processes map each file: a table per file, shared by every
#     process that maps it (distinct inner map ids in unwind_tables vs files mapped);
#   - the collector's resident memory (VmRSS, VmHWM).
#
# Usage: bench/unwind-memory.sh     root (or CAP_BPF + CAP_PERFMON), clang-14, bpftool, python3, curl
#   PROCESSES=1000 EXECUTABLES=10 SETTLE=20 (seconds after the last start before measuring)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$repo/bench/collector-config.sh"
processes="${PROCESSES:-1000}"
executables="${EXECUTABLES:-10}"
settle="${SETTLE:-20}"
port="${PORT:-18889}"
work="$(mktemp -d /tmp/unwind-memory.XXXXXX)"
collector=""; children=()
cleanup() {
  if [ ${#children[@]} -gt 0 ]; then kill -TERM "${children[@]}" 2>/dev/null || true; wait "${children[@]}" 2>/dev/null || true; fi
  if [ -n "$collector" ]; then kill -TERM "$collector" 2>/dev/null || true; wait "$collector" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
for tool in clang-14 bpftool python3 curl; do
  command -v "$tool" >/dev/null || { echo "unwind-memory.sh: $tool is missing" >&2; exit 2; }
done

# A program that works for 5 ms (so it is sampled too), then sleeps until it is told to stop.
cat >"$work/idle.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
static volatile unsigned long sink;
__attribute__((noinline)) void variant_work(unsigned long n)
{
    for (unsigned long i = 0; i < n; i++)
        sink = sink * 6364136223846793005UL + i + VARIANT;
}
__attribute__((noinline)) void start_up(void)
{
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do {
        variant_work(10000);
        clock_gettime(CLOCK_MONOTONIC, &t);
    } while ((t.tv_sec - t0.tv_sec) * 1000000000L + t.tv_nsec - t0.tv_nsec < 5000000L);
}
int main(int argc, char **argv)
{
    start_up();
    sleep(atoi(argv[1]));
    printf("%lu\n", sink);
    return 0;
}
C
for k in $(seq 0 $((executables - 1))); do
  clang-14 -O2 -fomit-frame-pointer -momit-leaf-frame-pointer -DVARIANT="$k" -o "$work/unwmem-$k" "$work/idle.c"
done

"$repo/run.sh" components >/dev/null   # build first
collector_config "$work/collector.yaml" "$work/profiles.jsonl" unwinding=auto processors="pid_lifecycle symbolization" \
  names="^unwmem-[0-9]+\$" port="$port"
"$repo/run.sh" --config "$work/collector.yaml" >"$work/collector.log" 2>&1 &
collector=$!
for _ in $(seq 1 120); do grep -q "Everything is ready" "$work/collector.log" && break; sleep 0.5; done
metric() { curl -s "http://localhost:$port/metrics" | awk -v n="$1" -v l="${2:-}" 'index($0, n) == 1 && (l == "" || index($0, l)) { v = $NF } END { print v + 0 }'; }

echo "unwind-memory.sh: collector pid $collector; starting $processes processes of $executables executables; load average $(cut -d' ' -f1-3 /proc/loadavg)"
rss_before="$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' /proc/$collector/status)"
for i in $(seq 0 $((processes - 1))); do
  "$work/unwmem-$((i % executables))" 3600 >/dev/null &
  children+=($!)
done
started=$SECONDS
while [ "$(metric otelcol_receiver_unwind_processes)" -lt "$processes" ] && [ $((SECONDS - started)) -lt 120 ]; do sleep 1; done
echo "unwind-memory.sh: the unwinder holds $(metric otelcol_receiver_unwind_processes) processes after $((SECONDS - started)) s; settling ${settle} s"
sleep "$settle"

# The collector's unwinder maps, by the descriptors it holds (fdinfo: map_id), and the tables inside unwind_tables.
python3 - "$collector" "$processes" "$work" <<'PY'
import glob, json, re, subprocess, sys
pid, processes, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def bpftool(*args):
    return json.loads(subprocess.run(["bpftool", "-j", *args], check=True, capture_output=True, text=True).stdout)
ids = set()
for info in glob.glob(f"/proc/{pid}/fdinfo/*"):
    try:
        m = re.search(r"^map_id:\s*(\d+)", open(info).read(), re.M)
    except OSError:
        continue
    if m:
        ids.add(int(m.group(1)))
# Kernel map names keep 15 characters: process_mappings shows as process_mapping.
maps = {m["name"]: m for m in (bpftool("map", "show", "id", str(i)) for i in ids)}
outer, procs = maps["unwind_tables"], maps["process_mapping"]
# Each entry's value is the inner map's id, a little-endian u32 printed as hex bytes; empty slots of the array of
# maps have none.
inner = sorted({int.from_bytes(bytes(int(b, 16) for b in e["value"]), "little") for e in bpftool("map", "dump", "id", str(outer["id"])) if "value" in e})
tables = [bpftool("map", "show", "id", str(i)) for i in inner]
table_bytes = sum(t["bytes_memlock"] for t in tables)
print(f"unwind tables (inner maps of unwind_tables): {len(tables)}, {sum(t['max_entries'] for t in tables)} slots (rows and index buckets), bytes_memlock {table_bytes / 2**20:.2f} MiB")
print(f"unwind_tables (outer map): bytes_memlock {outer['bytes_memlock'] / 2**20:.2f} MiB; process_mappings: bytes_memlock {procs['bytes_memlock'] / 2**20:.2f} MiB (max_entries {procs['max_entries']}, allocated on insert)")
others = sum(m["bytes_memlock"] for n, m in maps.items() if n not in ("unwind_tables", "process_mapping"))
print(f"the collector's other BPF maps: bytes_memlock {others / 2**20:.2f} MiB ({', '.join(sorted(n for n in maps if n not in ('unwind_tables', 'process_mapping')))})")
print(f"all the collector's BPF maps, tables included: {(table_bytes + outer['bytes_memlock'] + procs['bytes_memlock'] + others) / 2**20:.2f} MiB")
PY
echo "collector gauges: processes $(metric otelcol_receiver_unwind_processes), tables $(metric otelcol_receiver_unwind_tables), table memory $(metric otelcol_receiver_unwind_table_memory_bytes 'kind="tables"') B, process mappings $(metric otelcol_receiver_unwind_table_memory_bytes 'kind="process_mappings"') B, failures $(metric otelcol_receiver_unwind_table_failures_total), tracked by pid_lifecycle $(metric otelcol_processor_tracked_processes)"
# Sharing: the files these processes map (executable mappings, by device and inode) against the tables loaded.
echo "files mapped executable by the $processes processes: $(for p in "${children[@]}"; do awk '$2 ~ /x/ && $6 ~ /^\// { print $4 " " $5 }' "/proc/$p/maps" 2>/dev/null; done | sort -u | wc -l) distinct (device, inode)"
echo "collector RSS: $rss_before MB before the processes started; now $(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' /proc/$collector/status) MB, peak (VmHWM) $(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' /proc/$collector/status) MB"
echo "unwind-memory.sh: load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
