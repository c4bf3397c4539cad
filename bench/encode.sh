#!/usr/bin/env bash
# OTLP codec throughput on one 10,000-sample export (tests/Collector.Benchmarks/EncodeBenchmark.cs):
# runs BenchmarkDotNet in Release with a short job and prints samples/s = 10,000 / mean time per operation.
# Extra arguments go to BenchmarkDotNet (e.g. --job medium for tighter intervals).
set -euo pipefail
cd "$(dirname "$0")/.."

samples=10000
artifacts="${TMPDIR:-/tmp}/collector-bench-encode"
rm -rf "$artifacts"

dotnet run -c Release --project tests/Collector.Benchmarks -- \
  --filter '*EncodeBenchmark*' --job short --artifacts "$artifacts" "$@"

csv=$(find "$artifacts/results" -name '*EncodeBenchmark-report.csv' | head -n 1)
if [[ -z "$csv" ]]; then
  echo "encode.sh: no BenchmarkDotNet report under $artifacts/results" >&2
  exit 1
fi

echo
echo "OTLP codec, ${samples} samples per export (${csv}):"
awk -F';' -v samples="$samples" '
  function number(text) { gsub(/[",]/, "", text); return text + 0 }
  NR == 1 {
    for (i = 1; i <= NF; i++) {
      name = $i; gsub(/"/, "", name)
      if (name == "Method") method = i
      if (name == "Mean [ms]") mean = i
      if (name == "Median [ms]") median = i
    }
    if (!method || !mean || !median) { print "encode.sh: unexpected report columns" > "/dev/stderr"; exit 1 }
    next
  }
  {
    label = $method; gsub(/["\x27]/, "", label)
    printf "  %-22s mean %8.3f ms   median %8.3f ms   %12.0f samples/s\n", label, number($mean), number($median), samples / (number($mean) / 1000)
  }' "$csv"
