#!/usr/bin/env bash
# Runs the BenchmarkDotNet micro-benchmarks (bench/Gateway.Benchmarks) and writes their summaries, with the machine
# and its load, to bench/results/micro-<date>-<time>.md and bench/results/micro-latest.md.
#   bench/micro.sh                       # every benchmark, short job (about 5 minutes on 2 cores)
#   bench/micro.sh --filter '*Routing*'  # other BenchmarkDotNet arguments replace the defaults
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
args=("$@"); [ ${#args[@]} -gt 0 ] || args=(--filter '*' --job short)

artifacts=$(mktemp -d /tmp/gateway-benchmarks.XXXXXX)
load_before=$(uptime)
dotnet run -c Release --project bench/Gateway.Benchmarks -- "${args[@]}" --artifacts "$artifacts" | tee "$artifacts/console.log"
load_after=$(uptime)

stamp=$(date -u +%Y-%m-%d-%H%M)
out=bench/results/micro-$stamp.md
{
  echo "# Gateway hot-path micro-benchmarks, $(date -u '+%Y-%m-%d %H:%M') UTC"
  echo
  echo "- Command: \`dotnet run -c Release --project bench/Gateway.Benchmarks -- ${args[*]}\`"
  echo "- Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM; commit $(git rev-parse --short HEAD)"
  echo "- Load before: \`$load_before\`"
  echo "- Load after:  \`$load_after\`"
  echo "- A shared machine: times (Mean, Error) move with other load, allocations (Allocated) do not."
  echo
  for report in "$artifacts"/results/*-report-github.md; do
    echo "## $(basename "$report" -report-github.md | sed 's/^Gateway\.Benchmarks\.//')"
    echo
    cat "$report"
    echo
  done
} >"$out"
cp "$out" bench/results/micro-latest.md
echo "wrote $out and bench/results/micro-latest.md (BenchmarkDotNet artifacts in $artifacts)"
