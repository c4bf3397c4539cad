#!/usr/bin/env bash
# Gateway benchmark: a load generator (bench/LoadGen, ours) pushes OTLP profiles over gRPC to a collector running
# `otlp` receiver -> `otlp_grpc` exporter, which forwards them to a sink inside the load generator; all on
# 127.0.0.1. Prints samples/s and requests/s forwarded, ack and end-to-end latency p50/p99, and the collector's
# CPU and peak RSS, as a Markdown table.
#
#   bench/gateway.sh                     # 8 streams x 1000 samples, 15 s measured after 60 s warm-up, collector on CPU 0
#   SECONDS_MEASURED=30 CONCURRENCY=16 SAMPLES=2000 COLLECTOR_CPU= bench/gateway.sh   # unpinned
#   RATE=330000 CONCURRENCY=256 bench/gateway.sh                # open loop: 330k samples/s offered, whatever the answers
#   RATE=330000 CONCURRENCY=256 LIMIT_MIB=200 bench/gateway.sh  # with memory_limiter (check_interval 1s) in the pipeline
#   RUNS=3 ... bench/gateway.sh          # several runs, then the medians of the main figures
#
# Open loop (RATE, samples/s) is how to offer more than the gateway forwards: refused requests are not sent again
# (each next request is new data), and at most CONCURRENCY requests wait for an answer (beyond: skipped, counted).
# LIMIT_MIB (and SPIKE_LIMIT_MIB, default 20% of it; CHECK_INTERVAL, default 1s) put memory_limiter in front of
# the exporter.
#
# Why 60 s of warm-up: the target is steady-state forwarding. A process that sees one CPU (taskset, or a container
# limited to one) makes .NET wait 10x longer before tiering hot code up (TC_DelaySingleProcMultiplier: 1 s after
# the last first-time compilation, instead of 100 ms), and dynamic PGO adds an instrumented stage, so the pinned
# collector forwards at about a third of its rate for its first 25-40 s. The table's warm-up row shows that ramp:
# if its last steps still climb, the measured window is not steady state.
# When the collector is pinned, the load generator is kept off its CPU, so the two do not share the core measured.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

seconds="${SECONDS_MEASURED:-15}"
warmup="${WARMUP:-60}"
concurrency="${CONCURRENCY:-8}"
samples="${SAMPLES:-1000}"
cpu="${COLLECTOR_CPU-0}"
rate="${RATE:-0}"
limit="${LIMIT_MIB:-0}"
spike="${SPIKE_LIMIT_MIB:-0}"
check="${CHECK_INTERVAL:-1s}"
runs="${RUNS:-1}"

echo "gateway.sh: building (Release)" >&2
dotnet build host/Collector.Host.csproj -c Release -nologo -v quiet -clp:ErrorsOnly >&2
dotnet build bench/LoadGen/LoadGen.csproj -c Release -nologo -v quiet -clp:ErrorsOnly >&2

args=(--collector "$repo/host/bin/Release/net10.0/collector.dll" --seconds "$seconds" --warmup "$warmup"
      --concurrency "$concurrency" --samples "$samples" --clock-ticks "$(getconf CLK_TCK)"
      --rate "$rate" --limit-mib "$limit" --spike-limit-mib "$spike" --check-interval "$check")
loadgen=(dotnet bench/LoadGen/bin/Release/net10.0/loadgen.dll)
others=""
if [ -n "$cpu" ] && command -v taskset >/dev/null; then
  args+=(--cpu "$cpu")
  # Every other CPU this script may use, when the collector has a single one.
  if [[ "$cpu" =~ ^[0-9]+$ ]]; then
    for c in $(taskset -pc $$ | sed 's/.*: //' | tr ',' '\n' | awk -F- '{ for (i = $1; i <= ($2 == "" ? $1 : $2); i++) print i }'); do
      if [ "$c" != "$cpu" ]; then others="${others:+$others,}$c"; fi
    done
  fi
  if [ -n "$others" ]; then loadgen=(taskset -c "$others" "${loadgen[@]}"); fi
fi
results=()
status=0
for run in $(seq 1 "$runs"); do
  echo "gateway.sh: run $run/$runs: $seconds s (+$warmup s warm-up)${others:+, load generator on CPU $others}" >&2
  out="$("${loadgen[@]}" "${args[@]}")" || status=1
  grep -v '^result ' <<<"$out"
  results+=("$(grep '^result ' <<<"$out")")
done
if [ "$runs" -gt 1 ]; then
  # Medians of each figure over the runs (each figure on its own: they need not come from the same run).
  printf '%s\n' "${results[@]}" | python3 -c '
import statistics, sys
runs = [dict(kv.split("=") for kv in line.split()[1:]) for line in sys.stdin if line.strip()]
print(f"\n| figure | median of {len(runs)} runs | runs |")
print("|---|---|---|")
for key in runs[0]:
    values = [float(r[key]) for r in runs]
    shown = " / ".join(f"{v:,.0f}" for v in values)
    print(f"| {key} | {statistics.median(values):,.0f} | {shown} |")
'
fi
exit "$status"
