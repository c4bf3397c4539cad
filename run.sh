#!/usr/bin/env bash
# Builds the collector when its sources changed, then runs it with every argument passed through:
#   ./run.sh                                 the embedded default pipeline
#   ./run.sh --config my.yaml                your pipeline
#   ./run.sh validate --config my.yaml       check a config (exit 0 valid, 1 invalid)
#   ./run.sh components                      list component types
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$repo/artifacts/collector"
binary="$out/collector.dll"

needs_build() {
  [ -f "$binary" ] || return 0
  # Any source, project or config newer than the build means a rebuild.
  [ -n "$(find "$repo"/core "$repo"/config "$repo"/receiver "$repo"/processors "$repo"/exporters "$repo"/bpf "$repo"/host \
        "$repo"/collector.yaml "$repo"/samples "$repo"/Directory.Build.props "$repo"/Directory.Packages.props \
        -newer "$binary" \( -name '*.cs' -o -name '*.csproj' -o -name '*.proto' -o -name '*.yaml' -o -name '*.props' \
        -o -name '*.jsonl' -o -name '*.c' -o -name '*.h' \) -not -path '*/obj/*' -not -path '*/bin/*' -print -quit)" ]
}

if needs_build; then
  # ReadyToRun: our assemblies and their dependencies are compiled ahead of time, so start-up JITs little
  # (tiered compilation is off in the project; see docs/ebpf.md, "Overhead").
  echo "run.sh: building the collector (Release, ReadyToRun) into artifacts/collector ..." >&2
  dotnet publish "$repo/host/Collector.Host.csproj" -c Release -r linux-x64 --self-contained false \
    -p:PublishReadyToRun=true -o "$out" -nologo -v quiet -clp:ErrorsOnly >&2
fi
exec dotnet "$binary" "$@"
