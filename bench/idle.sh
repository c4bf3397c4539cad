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
# CPU is counted in a cgroup of its own (cgroup v1 cpuacct, nanoseconds), so threads that exit during the window
# (thread-pool workers retire after a while) still count.
cg=/sys/fs/cgroup/cpuacct/collector-idle-$$
mkdir "$cg"
trap 'kill "$pid" 2>/dev/null || true; sleep 1; rmdir "$cg" 2>/dev/null || true; rm -rf "$work"' EXIT
sh -c 'echo $$ > "$0/cgroup.procs"; shift; exec "$@"' "$cg" x "$@" --config "$work/idle.yaml" >"$work/log" 2>&1 &
pid=$!
sleep "$settle"
owner=$(ss -ltnpH "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[ "$owner" = "$pid" ] || { echo "idle.sh: :$port is not served by the collector (pid $pid, owner ${owner:-none})" >&2; cat "$work/log" >&2; exit 1; }
curl -sf -o /dev/null "http://localhost:$port/metrics" || { echo "idle.sh: no self-telemetry on :$port" >&2; cat "$work/log" >&2; exit 1; }
sleep 2
# Times each thread was scheduled in (schedstat field 3), by thread id; wake-ups are the growth over the window of
# the threads alive at both ends, plus all of those of threads born in it (threads that exit are missed).
slices() { for t in /proc/"$pid"/task/*; do echo "${t##*/} $(awk '{ print $3 }' "$t/schedstat")"; done; }
ns0=$(cat "$cg/cpuacct.usage"); slices >"$work/s0"
threads0=$(ls /proc/"$pid"/task | wc -l)
sleep "$window"
ns1=$(cat "$cg/cpuacct.usage"); slices >"$work/s1"
threads1=$(ls /proc/"$pid"/task | wc -l)
n0=0; n1=$(awk 'NR == FNR { before[$1] = $2; next } { total += $2 - ($1 in before ? before[$1] : 0) } END { print total }' "$work/s0" "$work/s1")
awk -v ns=$((ns1 - ns0)) -v n=$((n1 - n0)) -v w="$window" -v t0="$threads0" -v t1="$threads1" 'BEGIN {
  ms = ns / 1e6
  printf "idle %d s: CPU %.1f ms (%.1f ms/min, %.4f%% of one core), %d wake-ups (%.2f/s), threads %d -> %d\n",
    w, ms, ms * 60 / w, ms / (w * 10), n, n / w, t0, t1 }'
