#!/usr/bin/env bash
# Gateway benchmark: a load generator (bench/LoadGen, ours) pushes OTLP profiles over gRPC to a collector running
# `otlp` receiver -> `otlp_grpc` exporter, which forwards them to a sink inside the load generator; all on
# 127.0.0.1. Prints samples/s and requests/s forwarded, ack and end-to-end latency p50/p99, and the collector's
# CPU and peak RSS, as a Markdown table.
#
#   bench/gateway.sh                     # 8 streams x 1000 samples, 15 s measured after 5 s warm-up, collector on CPU 0
#   SECONDS_MEASURED=30 CONCURRENCY=16 SAMPLES=2000 COLLECTOR_CPU= bench/gateway.sh   # unpinned
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

seconds="${SECONDS_MEASURED:-15}"
warmup="${WARMUP:-5}"
concurrency="${CONCURRENCY:-8}"
samples="${SAMPLES:-1000}"
cpu="${COLLECTOR_CPU-0}"

echo "gateway.sh: building (Release)" >&2
dotnet build host/Collector.Host.csproj -c Release -nologo -v quiet -clp:ErrorsOnly >&2
dotnet build bench/LoadGen/LoadGen.csproj -c Release -nologo -v quiet -clp:ErrorsOnly >&2

args=(--collector "$repo/host/bin/Release/net10.0/collector.dll" --seconds "$seconds" --warmup "$warmup"
      --concurrency "$concurrency" --samples "$samples" --clock-ticks "$(getconf CLK_TCK)")
if [ -n "$cpu" ] && command -v taskset >/dev/null; then args+=(--cpu "$cpu"); fi
echo "gateway.sh: running $seconds s (+$warmup s warm-up)" >&2
dotnet bench/LoadGen/bin/Release/net10.0/loadgen.dll "${args[@]}"
