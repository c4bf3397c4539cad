#!/usr/bin/env bash
# How much does a perf map that the collector turned on grow while a busy .NET program keeps running?
# A .NET program spending its time in framework code (Dictionary lookups, string formatting: tier-0, tier-1 and
# OSR code, precompiled ReadyToRun code re-jitted when hot) is started WITHOUT any DOTNET_* variable; then the
# collector (ebpf_profiling -> pid_lifecycle -> symbolization -> file, 19 Hz) samples it, which makes the
# symbolization processor ask its runtime over the diagnostics IPC channel to write /tmp/perf-<pid>.map.
# The script prints the map's lines and bytes at fixed times after the collector started, then stops both.
#
# Usage: bench/perfmap-growth.sh [seconds]   default 600 (10 minutes); root (or CAP_BPF + CAP_PERFMON).
#   docs/symbolization.md ("Cost of turning perf maps on") has the measured figures.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$repo/bench/collector-config.sh"
duration="${1:-600}"
work="$(mktemp -d /tmp/perfmap-growth.XXXXXX)"
app=""; collector=""
cleanup() {
  if [ -n "$collector" ]; then kill -TERM "$collector" 2>/dev/null || true; wait "$collector" 2>/dev/null || true; fi
  if [ -n "$app" ]; then kill -TERM "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Build the program with the SDK's own compiler against the reference pack (no project, no restore).
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
runtime="$(dotnet --list-runtimes | awk '$1 == "Microsoft.NETCore.App" { print $2 }' | sort -V | tail -1)"
framework="${runtime%.*}"
csc="$(find "$dotnet_root/sdk" -path '*/Roslyn/bincore/csc.dll' | sort -V | tail -1)"
refs="$(find "$dotnet_root/packs/Microsoft.NETCore.App.Ref" -maxdepth 4 -type d -path "*/$framework.*/ref/net$framework" | sort -V | tail -1)"
cp "$repo/samples/dotnet/DictionaryChurn.cs" "$work/busy.cs"   # the workload RuntimePerfMapTests names too
dotnet exec "$csc" -nologo -noconfig -nostdlib -optimize+ -target:exe -out:"$work/busy.dll" "$work/busy.cs" \
  $(printf -- '-r:%s ' "$refs"/*.dll) >/dev/null
echo "{\"runtimeOptions\":{\"tfm\":\"net$framework\",\"framework\":{\"name\":\"Microsoft.NETCore.App\",\"version\":\"$framework.0\"}}}" \
  >"$work/busy.runtimeconfig.json"
# A command name of its own, so the collector samples this program and nothing else.
ln -s "$dotnet_root/dotnet" "$work/perfgrow-app"

"$repo/run.sh" components >/dev/null   # build first, so the build is not part of the timeline
env $(env | awk -F= '/^(DOTNET_|COMPlus_)/ { printf "-u %s ", $1 }') "$work/perfgrow-app" "$work/busy.dll" $((duration + 120)) &
app=$!
sleep 3
map="/tmp/perf-$app.map"
[ ! -e "$map" ] || { echo "perfmap-growth.sh: $map exists before the collector asked for it" >&2; exit 1; }

collector_config "$work/collector.yaml" "$work/profiles.jsonl" processors="pid_lifecycle symbolization" names="^perfgrow-app\$"
"$repo/run.sh" --config "$work/collector.yaml" >"$work/collector.log" 2>&1 &
collector=$!
started=$SECONDS

echo "perfmap-growth.sh: .NET $runtime program pid $app, collector pid $collector, ${duration}s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%8s %8s %10s %12s\n' "seconds" "lines" "bytes" "app CPU s"
report() {
  local lines=- bytes=- cpu
  if [ -e "$map" ]; then lines="$(wc -l <"$map")"; bytes="$(stat -c %s "$map")"; fi
  cpu="$(awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.1f", ($12 + $13) / hz }' "/proc/$app/stat")"
  printf '%8s %8s %10s %12s\n' "$1" "$lines" "$bytes" "$cpu"
}
for at in 10 30 60 120 180 240 300 360 420 480 540 600 900 1200 1800 3600; do
  [ "$at" -le "$duration" ] || break
  sleep $((at - (SECONDS - started)))
  report "$at"
done
grep -o "Perf map of dotnet process $app: [a-z_]*" "$work/collector.log" | sort | uniq -c | sed 's/^/perfmap-growth.sh: collector log: /' || true
echo "perfmap-growth.sh: load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
