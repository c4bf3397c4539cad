#!/usr/bin/env bash
# Idle cost of the collector with default self-telemetry: CPU and wake-ups of every thread over a window, read
# from /proc/<pid>/task/*/schedstat (run time in ns, and the number of times each thread was scheduled in),
# after the replay pipeline (otlp_json_file -> file, as examples/replay.yaml) has gone quiet. Self-telemetry is
# the default endpoint on a port of its own (PORT, default 18888), so another collector on :8888 cannot answer
# in its place. No scraper calls the
# endpoint, so what is measured is what its server costs while nobody asks (timers, heartbeats).
#
#   bench/idle.sh [collector command...]     # default: the Release build, host/bin/Release/net10.0/collector
#   SETTLE=30 WINDOW=60 bench/idle.sh
# Prints one line: CPU ms in the window, per minute, % of one core, and wake-ups per second.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
settle="${SETTLE:-30}"
port="${PORT:-18888}"
window="${WINDOW:-60}"
work="$(mktemp -d /tmp/idle.XXXXXX)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
if [ $# -eq 0 ]; then set -- "$repo/host/bin/Release/net10.0/collector"; fi
cd "$work"
cat >"$work/idle.yaml" <<YAML
receivers:
  otlp_json_file:
    include: ["$repo/samples/sample-profiles.jsonl"]
exporters:
  file:
    path: $work/out.jsonl
service:
  pipelines:
    profiles: {receivers: [otlp_json_file], exporters: [file]}
  telemetry:
    metrics:
      readers: [{pull: {exporter: {prometheus: {host: localhost, port: $port}}}}]
YAML
"$@" --config "$work/idle.yaml" >"$work/log" 2>&1 &
pid=$!
sleep "$settle"
owner=$(ss -ltnpH "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[ "$owner" = "$pid" ] || { echo "idle.sh: :$port is not served by the collector (pid $pid, owner ${owner:-none})" >&2; cat "$work/log" >&2; exit 1; }
curl -sf -o /dev/null "http://localhost:$port/metrics" || { echo "idle.sh: no self-telemetry on :$port" >&2; cat "$work/log" >&2; exit 1; }
sleep 2
# Sum run time (field 1, ns) and times scheduled (field 3) over the threads alive now.
snapshot() { cat /proc/"$pid"/task/*/schedstat | awk '{ ns += $1; n += $3 } END { printf "%d %d\n", ns, n }'; }
read -r ns0 n0 < <(snapshot)
threads0=$(ls /proc/"$pid"/task | wc -l)
sleep "$window"
read -r ns1 n1 < <(snapshot)
threads1=$(ls /proc/"$pid"/task | wc -l)
awk -v ns=$((ns1 - ns0)) -v n=$((n1 - n0)) -v w="$window" -v t0="$threads0" -v t1="$threads1" 'BEGIN {
  ms = ns / 1e6
  printf "idle %d s: CPU %.1f ms (%.1f ms/min, %.4f%% of one core), %d wake-ups (%.2f/s), threads %d -> %d\n",
    w, ms, ms * 60 / w, ms / (w * 10), n, n / w, t0, t1 }'
