#!/usr/bin/env bash
# Symbolization benchmark: the same addresses (100,000 by default), spread over the function symbols of libc and
# libcoreclr.so, resolved by our ELF symbol tables (bench/Symbolize), llvm-symbolizer (llvm-14) and eu-addr2line
# (elfutils). Both peers run once per file as whole processes with the addresses on stdin and their debug-file
# search switched off, so all three name functions from the files' own symbol tables. Prints a Markdown table of
# addresses/s (medians of RUNS runs) with the ratios, and how often the names agree.
#
#   bench/symbolize.sh                         # 100,000 addresses, 5 runs
#   COUNT=20000 RUNS=3 bench/symbolize.sh /path/to/lib.so ...
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

count="${COUNT:-100000}"
runs="${RUNS:-5}"
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
  coreclr="$(ls -d "$dotnet_root"/shared/Microsoft.NETCore.App/*/libcoreclr.so | sort -V | tail -1)"
  files=(/lib/x86_64-linux-gnu/libc.so.6 "$coreclr")
fi

args=(--count "$count" --runs "$runs")
llvm="$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)"
if [ -n "$llvm" ]; then args+=(--llvm-symbolizer "$llvm"); else echo "symbolize.sh: no llvm-symbolizer (Debian package llvm-14)" >&2; fi
eu="$(command -v eu-addr2line || true)"
if [ -n "$eu" ]; then args+=(--eu-addr2line "$eu"); else echo "symbolize.sh: no eu-addr2line (Debian package elfutils)" >&2; fi

echo "symbolize.sh: building (Release)" >&2
dotnet build bench/Symbolize/Symbolize.csproj -c Release -nologo -v quiet -clp:ErrorsOnly >&2
dotnet bench/Symbolize/bin/Release/net10.0/symbolize-bench.dll "${args[@]}" "${files[@]}"
