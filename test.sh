#!/usr/bin/env bash
# Installs what the tests need, builds everything, runs every test project, and prints one closing line:
#   tests: N passed, N failed, N skipped
# Tests that need a tool the machine lacks skip with a visible reason, except under CI=true where they fail.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$repo"

# Debian packages the tests use: independent peers (protoc and Python's protobuf for interop, zcat for gzip,
# grpcio for gRPC interop, curl for OTLP/HTTP, prometheus whose promtool lints our expositions and whose server
# scrapes a running collector) and the BPF toolchain the staleness and layout tests rebuild with (clang-14,
# llvm-14, libbpf-dev, kernel headers); the ELF reader's tests compile with gcc and (for 32-bit and big-endian
# targets) clang-14 + lld-14, the symbolizer's tests compile a C++ program with g++ to check demangled names, and
# the symbolization benchmark compares with elfutils' eu-addr2line; libc6-dbg holds the debug file that names the
# dynamic loader's frames (.dynsym lists few of them), which the process-churn acceptance counts. golang-go brings
# `go tool pprof`, the reader of our pprof files and endpoint; chromium (driven by puppeteer-core from npm, hence
# nodejs and npm) opens the flame graph page. podman and runc run the collector image as sidecar, node agent and
# gateway in real containers (the tests give podman a containers.conf of their own: runc, no default ulimits;
# catatonit is the init of the pod's pause container, only recommended by podman, which we install without), and
# debootstrap builds, once, the Debian base image those containers use (there is no registry).
packages=(protobuf-compiler python3-protobuf python3-dev gzip python3-grpcio curl prometheus clang-14 llvm-14 libbpf-dev libbpf1 linux-libc-dev libc6-dev libc6-dbg binutils make gcc g++ lld-14 elfutils golang-go chromium bpftool podman runc catatonit debootstrap)
# Node's npm comes with nodejs from NodeSource, whose package conflicts with Debian's npm: ask for them only when missing.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "test.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || true
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "test.sh: not root, cannot install ${missing[*]}; tests that need them will skip (or fail under CI=true)"
  fi
fi

echo "test.sh: building (Release)"
dotnet build Collector.sln -c Release -nologo -v quiet -clp:ErrorsOnly
# The end-to-end tests run the collector users get from run.sh: the Native AOT executable where a C toolchain
# links it (gcc is in the list above), else the ReadyToRun build beside the tests.
echo "test.sh: publishing the collector as run.sh does"
"$repo/run.sh" components >/dev/null
if [ "$(cat "$repo/artifacts/collector/build-kind" 2>/dev/null)" = aot ]; then
  export COLLECTOR_BINARY="$repo/artifacts/collector/collector"
  echo "test.sh: end-to-end tests run $COLLECTOR_BINARY (Native AOT)"
fi

results="$repo/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"
status=0
for project in tests/*.Tests/*.Tests.csproj; do
  name="$(basename "$project" .csproj)"
  echo "test.sh: $name"
  if ! dotnet test "$project" -c Release --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
      --logger "console;verbosity=minimal" 2>&1 | tee "$results/$name.log"; then
    status=1
  fi
done

# One closing line summed over every project, read from the TRX files: one UnitTestResult per test, whose outcome
# is Passed, NotExecuted (a skip: xunit's Assert.Skip, e.g. a missing tool) or a failure. The <Counters> summary
# is not used because VSTest leaves skipped tests out of its notExecuted counter.
read -r passed failed skipped < <(python3 - "$results" <<'PY'
import glob, re, sys
totals = [0, 0, 0]
for path in glob.glob(sys.argv[1] + "/*.trx"):
    text = open(path, encoding="utf-8").read()
    for outcome in re.findall(r'<UnitTestResult [^>]*?outcome="(\w+)"', text):
        if outcome == "Passed":
            totals[0] += 1
        elif outcome == "NotExecuted":
            totals[2] += 1
        else:
            totals[1] += 1
print(*totals)
PY
)
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ]; then status=1; fi
exit $status
