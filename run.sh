#!/usr/bin/env bash
# Builds the collector when its sources changed, then runs it with every argument passed through:
#   ./run.sh                                 the embedded default pipeline
#   ./run.sh --config my.yaml                your pipeline
#   ./run.sh validate --config my.yaml       check a config (exit 0 valid, 1 invalid)
#   ./run.sh components                      list component types
#
# The build is Native AOT (one self-contained executable, nothing compiled at run time) when a C toolchain
# (clang or gcc) is there to link it, and ReadyToRun on the shared .NET runtime otherwise. An agent pays its
# start-up and any JIT on every machine it runs on: Native AOT starts in a seventh of the CPU and keeps no
# compiler around (docs/ebpf.md, "Overhead"). COLLECTOR_BUILD=readytorun forces the fallback.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$repo/artifacts/collector"

mode="${COLLECTOR_BUILD:-}"
if [ -z "$mode" ]; then
  if command -v clang >/dev/null || command -v gcc >/dev/null; then mode=aot; else mode=readytorun; fi
fi
case "$mode" in
  aot) binary="$out/collector"; launch=("$binary") ;;
  readytorun) binary="$out/collector.dll"; launch=(dotnet "$binary") ;;
  *) echo "run.sh: COLLECTOR_BUILD must be aot or readytorun, not '$mode'" >&2; exit 2 ;;
esac

needs_build() {
  [ -f "$binary" ] || return 0
  # The kind of the last build, so that switching kinds rebuilds.
  [ "$(cat "$out/build-kind" 2>/dev/null)" = "$mode" ] || return 0
  # Any source, project or config newer than the build means a rebuild.
  [ -n "$(find "$repo"/core "$repo"/telemetry "$repo"/otlp "$repo"/protocol "$repo"/config "$repo"/receiver "$repo"/processors \
        "$repo"/exporters "$repo"/extensions "$repo"/unwinding "$repo"/procmaps "$repo"/bpf "$repo"/host \
        "$repo"/collector.yaml "$repo"/samples "$repo"/Directory.Build.props "$repo"/Directory.Packages.props \
        -newer "$binary" \( -name '*.cs' -o -name '*.csproj' -o -name '*.proto' -o -name '*.yaml' -o -name '*.props' \
        -o -name '*.jsonl' -o -name '*.c' -o -name '*.h' -o -name '*.js' -o -name '*.html' -o -name '*.css' \) -not -path '*/obj/*' -not -path '*/bin/*' -not -path '*/node_modules/*' -print -quit)" ]
}

publish() {
  rm -rf "$out"
  if [ "$mode" = aot ]; then
    echo "run.sh: building the collector (Release, Native AOT) into artifacts/collector ..." >&2
    dotnet publish "$repo/host/Collector.Host.csproj" -c Release -r linux-x64 -p:PublishAot=true \
      -o "$out" -nologo -v quiet -clp:ErrorsOnly >&2
  else
    # ReadyToRun: our assemblies and their dependencies are compiled ahead of time, so start-up JITs little
    # (tiered compilation is off in the project; see docs/ebpf.md, "Overhead").
    why="${COLLECTOR_BUILD:+COLLECTOR_BUILD=readytorun}"
    echo "run.sh: building the collector (Release, ReadyToRun: ${why:-no clang or gcc to link Native AOT}) into artifacts/collector ..." >&2
    dotnet publish "$repo/host/Collector.Host.csproj" -c Release -r linux-x64 --self-contained false \
      -p:PublishReadyToRun=true -p:UseAppHost=false -o "$out" -nologo -v quiet -clp:ErrorsOnly >&2
  fi
  echo "$mode" >"$out/build-kind"
}

if needs_build; then publish; fi
exec "${launch[@]}" "$@"
