#!/usr/bin/env bash
# End-to-end benchmark: the emulator directly, a bare YARP proxy in front of it, and the gateway (real keys,
# credit holds and settlement in Redis), all against the same emulated provider at zero latency, in one run.
# Prints a markdown table and writes it to bench/results/<date>-<time>.md and bench/results/latest.md.
#
#   bench/run.sh                 # full: 3 repetitions x 10 s per target, mode and concurrency
#   BENCH_QUICK=1 bench/run.sh   # quick: 1 repetition x 3 s
#
# Environment (all optional):
#   BENCH_DURATION      seconds per wrk run                       (10; quick 3)
#   BENCH_REPS          repetitions of the whole matrix           (3;  quick 1)
#   BENCH_WARMUP        seconds of warm-up per target and mode    (30; quick 2: each service's JIT needs about a minute of load to settle)
#   BENCH_TTFB_REQUESTS streamed requests per target and repetition for time to first byte (1000; quick 200)
#   BENCH_BARE_PORT     port of the bare YARP proxy               (5090)
#   BENCH_GATEWAY_VIA_DCP=1  measure the gateway through its DCP proxy (http://localhost:5080) instead of its own port
#   BENCH_DATA_DIR      where the AppHost's local Postgres/Redis keep data (/var/tmp/openrouterclone-bench; emptied first)
#   BENCH_KEEP_DATA=1   keep the data of earlier runs instead of starting from an empty system
#   BENCH_NO_BUILD=1    skip the Release build
#   BENCH_TRACE_SAMPLE_RATIO share of requests traced (0.01, as a production deployment would; empty: every request, Aspire's dev default)
# Needs: the .NET SDK, wrk (apt-get install -y wrk), curl, python3. Ports 5080-5084, 15080, 19080, 20080 must be free.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

if [ "${BENCH_QUICK:-0}" = 1 ]; then
  DURATION=${BENCH_DURATION:-3}; REPS=${BENCH_REPS:-1}; WARMUP=${BENCH_WARMUP:-2}; TTFB_N=${BENCH_TTFB_REQUESTS:-200}
else
  DURATION=${BENCH_DURATION:-10}; REPS=${BENCH_REPS:-3}; WARMUP=${BENCH_WARMUP:-30}; TTFB_N=${BENCH_TTFB_REQUESTS:-1000}
fi
# The system, a funded account and a key (bench/lib.sh).
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

log "starting bare YARP on :$BARE_PORT -> $EMULATOR"
bench/BareProxy/bin/Release/net10.0/BareProxy --urls "http://127.0.0.1:$BARE_PORT" --Destination "$EMULATOR" >"$WORK/bareproxy.log" 2>&1 &
BARE_PID=$!
wait_for_post "$EMULATOR$UPSTREAM_PATH" $BODIES/upstream.json
wait_for_post "http://127.0.0.1:$BARE_PORT$UPSTREAM_PATH" $BODIES/upstream.json
wait_for_post "$GATEWAY/api/v1/chat/completions" $BODIES/gateway.json "$KEY"
wait_for_post "$GATEWAY/api/v1/chat/completions" $BODIES/gateway-stream.json "$KEY"

# target -> url, body (per mode), key
url_of() { case $1 in direct) echo "$EMULATOR$UPSTREAM_PATH" ;; yarp) echo "http://127.0.0.1:$BARE_PORT$UPSTREAM_PATH" ;; gateway) echo "$GATEWAY/api/v1/chat/completions" ;; esac; }
body_of() { # target mode
  local base=upstream; [ "$1" = gateway ] && base=gateway
  if [ "$2" = stream ]; then echo "$BODIES/$base-stream.json"; else echo "$BODIES/$base.json"; fi
}
key_of() { [ "$1" = gateway ] && echo "$KEY" || echo ""; }

TARGETS="direct yarp gateway"
RESULTS=$WORK/wrk.tsv; : >"$RESULTS"
TTFB=$WORK/ttfb.tsv; : >"$TTFB"
run_wrk() { # target mode conc seconds -> BENCH_RESULT line
  local threads=1; [ "$3" -gt 1 ] && threads=2
  WRK_BODY_FILE=$(body_of "$1" "$2") WRK_KEY=$(key_of "$1") \
    wrk -t"$threads" -c"$3" -d"${4}s" --timeout 10s --latency -s bench/wrk/post.lua "$(url_of "$1")"
}

log "warming up (${WARMUP}s per target and mode at concurrency 64)"
for mode in nonstream stream; do
  for target in $TARGETS; do run_wrk "$target" "$mode" 64 "$WARMUP" >/dev/null; done
done
wait_for_usage_drain

total=$((REPS * 2 * 2 * 3)); n=0
for rep in $(seq 1 "$REPS"); do
  # Targets are interleaved within each repetition so that load from elsewhere on the machine hits all three alike.
  for mode in nonstream stream; do
    for conc in 1 64; do
      for target in $TARGETS; do
        n=$((n + 1))
        out="$WORK/wrk-$target-$mode-c$conc-r$rep.txt"
        before=$(cpu_snapshot)
        run_wrk "$target" "$mode" "$conc" "$DURATION" >"$out" 2>&1 || true
        after=$(cpu_snapshot)
        # The run's usage events are recorded before the next run, and Redis, billing and Postgres are counted until
        # then: the work a run causes is counted against it and loads nothing else.
        wait_for_usage_drain
        drained=$(cpu_snapshot)
        after="$(echo "$after" | cut -d' ' -f1-3) $(echo "$drained" | cut -d' ' -f4-6)"
        line=$(grep '^BENCH_RESULT' "$out" || echo "BENCH_RESULT failed=1")
        # CPU milliseconds each process used during the run: bare YARP, gateway, emulator, Redis, billing, Postgres.
        line="$line $(echo "$before $after" | awk -v hz="$CLK_TCK" '{ printf "cpu_yarp_ms=%d cpu_gateway_ms=%d cpu_emulator_ms=%d cpu_redis_ms=%d cpu_billing_ms=%d cpu_postgres_ms=%d", ($7-$1)*1000/hz, ($8-$2)*1000/hz, ($9-$3)*1000/hz, ($10-$4)*1000/hz, ($11-$5)*1000/hz, ($12-$6)*1000/hz }')"
        log "[$n/$total] rep $rep $mode c=$conc $target: ${line#BENCH_RESULT }"
        printf '%s\t%s\t%s\t%s\t%s\n' "$target" "$mode" "$conc" "$rep" "${line#BENCH_RESULT }" >>"$RESULTS"
      done
    done
  done
  for target in $TARGETS; do
    line=$(bench/TtfbProbe/bin/Release/net10.0/TtfbProbe "$(url_of "$target")" "$(body_of "$target" stream)" "$TTFB_N" "$(key_of "$target")" 2>"$WORK/ttfb-$target-r$rep.err" || true)
    log "rep $rep ttfb $target: ${line#TTFB }"
    printf '%s\t%s\t%s\n' "$target" "$rep" "${line#TTFB }" >>"$TTFB"
  done
  wait_for_usage_drain
done
LOAD_AFTER=$(uptime)

# Gateway memory and what the run cost, for the record.
GATEWAY_RSS_MB=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$gateway_pid/status" 2>/dev/null || echo "?")
BALANCE=$(curl -fsS --max-time 30 "$BILLING/internal/accounts/$user/credits" -H "X-Internal-Key: $INTERNAL_KEY" 2>/dev/null | head -c 300 || true)

mkdir -p bench/results
stamp=$(date -u +%Y-%m-%d-%H%M)
export BENCH_DURATION_S=$DURATION BENCH_REPS_N=$REPS BENCH_TTFB_N=$TTFB_N BENCH_WARMUP_S=$WARMUP \
  BENCH_LOAD_BEFORE="$LOAD_BEFORE" BENCH_LOAD_AFTER="$LOAD_AFTER" BENCH_GATEWAY_URL="$GATEWAY" BENCH_EMULATOR_URL="$EMULATOR" \
  BENCH_GATEWAY_RSS_MB="$GATEWAY_RSS_MB" BENCH_BALANCE="$BALANCE" BENCH_PROVIDER=$PROVIDER BENCH_TRACE_SAMPLE_RATIO="$TRACE_SAMPLE_RATIO"
python3 bench/report.py "$RESULTS" "$TTFB" >"$WORK/report.md"
cp "$WORK/report.md" "bench/results/$stamp.md"
cp "$WORK/report.md" bench/results/latest.md
cat "$WORK/report.md"
log "wrote bench/results/$stamp.md and bench/results/latest.md"
