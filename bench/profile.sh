#!/usr/bin/env bash
# CPU profile of the gateway under load: starts the system as bench/run.sh does (bench/lib.sh), with the .NET
# runtime writing perf maps (DOTNET_PerfMapEnabled, inherited by every service the AppHost starts), puts wrk load
# on the gateway and samples its CPU with `perf record` meanwhile, then prints where the CPU went (managed and
# native frames, self and with callees) and keeps perf.data for `perf report`.
#
#   bench/profile.sh                       # non-streaming, concurrency 64, 15 s
#   PROFILE_MODE=stream PROFILE_CONCURRENCY=1 bench/profile.sh
#
# Needs perf (`apt-get install -y linux-perf`).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
MODE=${PROFILE_MODE:-nonstream}
CONCURRENCY=${PROFILE_CONCURRENCY:-64}
SECONDS_UNDER_LOAD=${PROFILE_SECONDS:-15}
command -v perf >/dev/null || { echo "profile: perf is missing (apt-get install -y linux-perf)" >&2; exit 1; }
# Perf maps name JIT-compiled code; without W^X double mapping perf finds that code in the process's own memory,
# and without ReadyToRun every hot framework method is JIT-compiled too, so it is named as well.
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 DOTNET_ReadyToRun=0

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

body=$BODIES/gateway.json; [ "$MODE" = stream ] && body=$BODIES/gateway-stream.json
wait_for_post "$GATEWAY/api/v1/chat/completions" "$body" "$KEY"
load() { # seconds
  local threads=1; [ "$CONCURRENCY" -gt 1 ] && threads=2
  WRK_BODY_FILE=$body WRK_KEY=$KEY wrk -t"$threads" -c"$CONCURRENCY" -d"${1}s" --timeout 10s --latency \
    -s bench/wrk/post.lua "$GATEWAY/api/v1/chat/completions"
}
# Long enough for tiered compilation to finish with the hot path (JIT time would otherwise show up).
log "warming up ${PROFILE_WARMUP:-40} s ($MODE, c=$CONCURRENCY)"
load "${PROFILE_WARMUP:-40}" >/dev/null

data="$WORK/perf-gateway-$MODE-c$CONCURRENCY.data"
log "profiling the gateway (pid $gateway_pid) for ${SECONDS_UNDER_LOAD}s under load"
perf record -F 499 -g -p "$gateway_pid" -o "$data" -- sleep "$((SECONDS_UNDER_LOAD + 1))" >"$WORK/perf.log" 2>&1 &
perf_pid=$!
load "$SECONDS_UNDER_LOAD" | grep -E '^BENCH_RESULT' || true
wait "$perf_pid" || { cat "$WORK/perf.log" >&2; exit 1; }

report() { perf report -i "$data" --stdio "$@" 2>/dev/null | grep -E '^ +[0-9]' || true; }
echo "## CPU by module"
report --no-children --sort dso | sed -n 1,25p
echo "## Self CPU (top 60)"
report --no-children --sort symbol -g none | sed -n 1,60p
echo "## With callees (top 100)"
report --children --sort symbol -g none | sed -n 1,100p
mkdir -p /tmp/openrouterclone-profiles
cp "$data" /tmp/openrouterclone-profiles/
cp "/tmp/perf-$gateway_pid.map" /tmp/openrouterclone-profiles/ 2>/dev/null || true
log "perf data kept in /tmp/openrouterclone-profiles/$(basename "$data") (perf report -i ...)"
