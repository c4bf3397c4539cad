#!/usr/bin/env bash
# OTLP codec throughput on one 10,000-sample export (tests/Collector.Benchmarks/EncodeBenchmark.cs):
# runs BenchmarkDotNet in Release with a short job (9 iterations rather than 3: this machine is shared, and
# the median needs a few more points to be steady) and prints samples/s = 10,000 / mean (and / median) time.
# Extra arguments go to BenchmarkDotNet (e.g. --job medium for tighter intervals).
set -euo pipefail
cd "$(dirname "$0")/.."

samples=10000
artifacts="${TMPDIR:-/tmp}/collector-bench-encode"
rm -rf "$artifacts"

dotnet run -c Release --project tests/Collector.Benchmarks -- \
  --filter '*EncodeBenchmark*' --job short --iterationCount 9 --artifacts "$artifacts" "$@"

csv=$(find "$artifacts/results" -name '*EncodeBenchmark-report.csv' -print -quit)
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
    printf "  %-22s mean %8.3f ms  %10.0f samples/s   median %8.3f ms  %10.0f samples/s\n", label,
      number($mean), samples / (number($mean) / 1000), number($median), samples / (number($median) / 1000)
  }' "$csv"
