#!/usr/bin/env bash
# Soak: the whole system under moderate, steady load for a while (10 minutes by default), streaming and
# non-streaming calls side by side against an emulated provider with realistic latency. Samples the gateway's
# and billing's memory (RSS) and Redis's memory every interval, then checks the money once the usage stream has
# drained: every credit the ledger debited is the cost of a recorded generation (no drift), and the number of
# generations matches the calls served. Writes bench/results/soak-<date>-<time>.md and soak-latest.md.
#
#   bench/soak.sh                     # 600 s
#   SOAK_DURATION=120 bench/soak.sh   # a shorter run
#
# Environment (all optional): SOAK_DURATION (600 s), SOAK_INTERVAL (30 s between samples), SOAK_CONCURRENCY
# (connections per mode, 4), EMULATOR_TTFT_MS (40), EMULATOR_INTER_TOKEN_MS (4), plus bench/lib.sh's.
# Memory verdicts compare the end with the first sample after warm-up (a third of the run), so start-up
# growth (JIT, pools, caches) does not count: RSS, and the live managed heap (dotnet-gcdump, after a full GC) of
# the gateway and billing, which tells a leak from memory the GC keeps for later.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

DURATION=${SOAK_DURATION:-600}
INTERVAL=${SOAK_INTERVAL:-30}
CONCURRENCY=${SOAK_CONCURRENCY:-4}
export EMULATOR_TTFT_MS=${EMULATOR_TTFT_MS:-40} EMULATOR_INTER_TOKEN_MS=${EMULATOR_INTER_TOKEN_MS:-4}

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

wait_for_post "$GATEWAY/api/v1/chat/completions" $BODIES/gateway.json "$KEY"
wait_for_post "$GATEWAY/api/v1/chat/completions" $BODIES/gateway-stream.json "$KEY"

redis_field() { redis-cli -p "$redis_port" INFO "$1" | tr -d '\r' | sed -n "s/^$2://p"; }
rss_mb() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }
# Live managed objects (a full GC first, so only what is still referenced counts): tells a leak from the GC keeping
# freed memory for later, which RSS alone cannot. dotnet-gcdump is in the repository's tool manifest.
live_heap_mb() { # pid name
  local dump="$WORK/$2-$(date +%s).gcdump"
  if dotnet gcdump collect -p "$1" -o "$dump" >/dev/null 2>&1; then
    dotnet gcdump report "$dump" | awk 'NR <= 3 && /GC Heap bytes/ { gsub(",", "", $1); printf "%.1f", $1 / 1048576; exit }'
  else
    echo "?"
  fi
}
# RSS a few seconds after the dumps' full GCs: the verdicts judge this rather than the samples, which swing by tens of
# MB with where the GC is between collections (in-flight requests promoted at each gen0 GC pile up in gen1).
rss_after_full_gc() { sleep 5; echo "$(rss_mb "$gateway_pid") $(rss_mb "$BILLING_PID")"; }

SAMPLES=$WORK/samples.tsv; : >"$SAMPLES"
sample() { # elapsed seconds
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$(rss_mb "$gateway_pid")" "$(rss_mb "$BILLING_PID")" \
    "$(awk -v b="$(redis_field memory used_memory)" 'BEGIN {printf "%.2f", b/1048576}')" "$(usage_backlog)" >>"$SAMPLES"
}

log "soaking for ${DURATION}s: ${CONCURRENCY} streaming and ${CONCURRENCY} non-streaming connections, provider at ${EMULATOR_TTFT_MS} ms + ${EMULATOR_INTER_TOKEN_MS} ms/token"
soak_wrk() { # mode body
  WRK_BODY_FILE=$2 WRK_KEY=$KEY wrk -t1 -c"$CONCURRENCY" -d"${DURATION}s" --timeout 30s --latency -s bench/wrk/post.lua \
    "$GATEWAY/api/v1/chat/completions" >"$WORK/soak-$1.txt" 2>&1
}
soak_wrk nonstream $BODIES/gateway.json & NONSTREAM_PID=$!
soak_wrk stream $BODIES/gateway-stream.json & STREAM_PID=$!
started=$SECONDS
sample 0
HEAP_WARM=""
while kill -0 "$NONSTREAM_PID" 2>/dev/null || kill -0 "$STREAM_PID" 2>/dev/null; do
  sleep "$INTERVAL"
  sample $((SECONDS - started))
  if [ -z "$HEAP_WARM" ] && [ $((SECONDS - started)) -ge $((DURATION / 3)) ]; then
    HEAP_WARM="$(live_heap_mb "$gateway_pid" gateway) $(live_heap_mb "$BILLING_PID" billing)"
    RSS_AFTER_GC_WARM=$(rss_after_full_gc)
    # The sampled RSS growth (reported, not judged) counts from the next sample, after the dump's full GC.
    HEAP_AT=$((SECONDS - started))
    log "after warm-up: live managed heap $HEAP_WARM MB, RSS after that full GC $RSS_AFTER_GC_WARM MB (gateway, billing)"
  fi
  log "$(tail -n 1 "$SAMPLES" | awk -F'\t' '{printf "t=%ss gateway %s MB, billing %s MB, redis %s MB, usage backlog %s", $1, $2, $3, $4, $5}')"
done
wait "$NONSTREAM_PID" "$STREAM_PID" || true

log "waiting for billing to record every usage event"
wait_for_usage_drain 120
sleep 3
sample $((SECONDS - started))
HEAP_END="$(live_heap_mb "$gateway_pid" gateway) $(live_heap_mb "$BILLING_PID" billing)"
RSS_AFTER_GC_END=$(rss_after_full_gc)

CREDITS=$(curl -fsS "$BILLING/internal/accounts/$user/credits" -H "X-Internal-Key: $INTERNAL_KEY")
USAGE=$(curl -fsS "$BILLING/internal/accounts/$user/usage" -H "X-Internal-Key: $INTERNAL_KEY")

mkdir -p bench/results
stamp=$(date -u +%Y-%m-%d-%H%M)
export SOAK_DURATION_S=$DURATION SOAK_CONCURRENCY_N=$CONCURRENCY SOAK_CREDITS="$CREDITS" SOAK_USAGE="$USAGE" \
  SOAK_TTFT_MS=$EMULATOR_TTFT_MS SOAK_ITL_MS=$EMULATOR_INTER_TOKEN_MS SOAK_LOAD="$(uptime)" \
  SOAK_HEAP="${HEAP_WARM:-? ?} ${HEAP_END:-? ?}" SOAK_BASELINE_AFTER_S="${HEAP_AT:-$((DURATION / 3))}" \
  SOAK_RSS_AFTER_GC="${RSS_AFTER_GC_WARM:-? ?} ${RSS_AFTER_GC_END:-? ?}"
python3 bench/soak_report.py "$SAMPLES" "$WORK/soak-nonstream.txt" "$WORK/soak-stream.txt" >"$WORK/soak.md"
cp "$WORK/soak.md" "bench/results/soak-$stamp.md"
cp "$WORK/soak.md" bench/results/soak-latest.md
cat "$WORK/soak.md"
log "wrote bench/results/soak-$stamp.md and bench/results/soak-latest.md"
