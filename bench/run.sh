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
#   BENCH_WARMUP        seconds of warm-up per target and mode    (5;  quick 2)
#   BENCH_TTFB_REQUESTS streamed requests per target and repetition for time to first byte (1000; quick 200)
#   BENCH_BARE_PORT     port of the bare YARP proxy               (5090)
#   BENCH_GATEWAY_VIA_DCP=1  measure the gateway through its DCP proxy (http://localhost:5080) instead of its own port
#   BENCH_DATA_DIR      where the AppHost's local Postgres/Redis keep data (/var/tmp/openrouterclone-bench)
#   BENCH_NO_BUILD=1    skip the Release build
# Needs: the .NET SDK, wrk (apt-get install -y wrk), curl, python3. Ports 5080-5084, 15080, 19080, 20080 must be free.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

if [ "${BENCH_QUICK:-0}" = 1 ]; then
  DURATION=${BENCH_DURATION:-3}; REPS=${BENCH_REPS:-1}; WARMUP=${BENCH_WARMUP:-2}; TTFB_N=${BENCH_TTFB_REQUESTS:-200}
else
  DURATION=${BENCH_DURATION:-10}; REPS=${BENCH_REPS:-3}; WARMUP=${BENCH_WARMUP:-5}; TTFB_N=${BENCH_TTFB_REQUESTS:-1000}
fi
BARE_PORT=${BENCH_BARE_PORT:-5090}
DATA_DIR=${BENCH_DATA_DIR:-/var/tmp/openrouterclone-bench}
PROVIDER=deepseek                       # emulated provider (OpenAI wire format) the gateway is forced to use
UPSTREAM_PATH=/providers/$PROVIDER/v1/chat/completions
BILLING=http://localhost:5082           # billing's pinned launchSettings address (a DCP proxy)
INTERNAL_KEY="bench-internal-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
ADMIN_KEY="bench-admin-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"

for tool in wrk curl python3 dotnet; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (wrk: apt-get install -y wrk)" >&2; exit 1; }
done
for port in 5080 5081 5082 5083 5084 15080 19080 20080 "$BARE_PORT"; do
  if ss -Hltn "sport = :$port" | grep -q .; then
    echo "bench: port $port is in use (another AppHost or bench running?); stop it first" >&2
    exit 1
  fi
done

WORK=$(mktemp -d /tmp/openrouterclone-bench.XXXXXX)
APPHOST_PID=""; BARE_PID=""
cleanup() {
  local status=$?
  set +e
  if [ -n "$BARE_PID" ]; then kill "$BARE_PID" 2>/dev/null; fi
  if [ -n "$APPHOST_PID" ]; then
    # The AppHost runs in its own process group (setsid); DCP stops every service it started when it exits.
    kill -TERM -- "-$APPHOST_PID" 2>/dev/null
    for _ in $(seq 1 30); do kill -0 "$APPHOST_PID" 2>/dev/null || break; sleep 1; done
    kill -KILL -- "-$APPHOST_PID" 2>/dev/null
    # DCP then stops the services and data stores it started, within some seconds.
    for _ in $(seq 1 30); do ss -Hltn "sport = :5080" | grep -q . || break; sleep 1; done
  fi
  wait 2>/dev/null
  echo "bench: stopped everything it started; logs and raw output in $WORK" >&2
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "bench: $*" >&2; }

if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  log "building Release (AppHost and the services, BareProxy, TtfbProbe)"
  dotnet build -c Release AppHost -v q -nologo >"$WORK/build.log" 2>&1 || { tail -n 30 "$WORK/build.log" >&2; exit 1; }
  dotnet build -c Release bench/BareProxy -v q -nologo >>"$WORK/build.log" 2>&1 || { tail -n 30 "$WORK/build.log" >&2; exit 1; }
  dotnet build -c Release bench/TtfbProbe -v q -nologo >>"$WORK/build.log" 2>&1 || { tail -n 30 "$WORK/build.log" >&2; exit 1; }
fi

LOAD_BEFORE=$(uptime)
log "starting the system (dotnet run -c Release --project AppHost, data in $DATA_DIR)"
# Environment variables reach the AppHost's parameters; names with '-' need env(1).
setsid env \
  "Parameters__billing-internal-key=$INTERNAL_KEY" \
  "Parameters__catalog-admin-key=$ADMIN_KEY" \
  "Infrastructure__DataDirectory=$DATA_DIR" \
  dotnet run -c Release --no-build --project AppHost >"$WORK/apphost.log" 2>&1 &
APPHOST_PID=$!

wait_for() { # url seconds
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; do
    kill -0 "$APPHOST_PID" 2>/dev/null || { tail -n 40 "$WORK/apphost.log" >&2; log "the AppHost exited"; exit 1; }
    [ "$SECONDS" -lt "$deadline" ] || { log "timed out waiting for $1"; exit 1; }
    sleep 1
  done
}
wait_for http://localhost:5080/health 300
wait_for $BILLING/health 60
log "gateway healthy after ${SECONDS}s"

# The gateway's own address (DCP's proxy on :5080 sits in front of it) and the emulator address it calls.
gateway_pid=$(pgrep -f "^$ROOT/Gateway.Api/bin/Release/net10.0/Gateway.Api" | head -n 1)
proc_env() { tr '\0' '\n' <"/proc/$gateway_pid/environ" | sed -n "s/^$1=//p" | head -n 1; }
EMULATOR=$(proc_env services__emulators__http__0); EMULATOR=${EMULATOR:-http://localhost:5084}
if [ "${BENCH_GATEWAY_VIA_DCP:-0}" = 1 ]; then
  GATEWAY=http://localhost:5080
else
  GATEWAY=$(proc_env ASPNETCORE_URLS | cut -d';' -f1); GATEWAY=${GATEWAY:-http://localhost:5080}
fi
log "gateway at $GATEWAY (pid $gateway_pid), emulator at $EMULATOR"

# Processes whose CPU time is counted per run (a measure that suffers less from other load than latency does).
pid_of() { pgrep -f "^$ROOT/$1/bin/Release/net10.0/$1" | head -n 1; }
EMULATOR_PID=$(pid_of Emulators); BILLING_PID=$(pid_of Billing.Service)
redis_port=$(proc_env ConnectionStrings__redis | sed -n 's/^[^:]*:\([0-9]*\).*/\1/p')
REDIS_PID=$(ss -Hltnp "sport = :${redis_port:-0}" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { # pid -> user + system clock ticks so far (0 when unknown)
  if [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ]; then
    sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
  else
    echo 0
  fi
}
cpu_snapshot() { echo "$(cpu_ticks "$BARE_PID") $(cpu_ticks "$gateway_pid") $(cpu_ticks "$EMULATOR_PID") $(cpu_ticks "$REDIS_PID") $(cpu_ticks "$BILLING_PID")"; }
log "CPU accounting: gateway $gateway_pid, emulator ${EMULATOR_PID:-?}, redis ${REDIS_PID:-?}, billing ${BILLING_PID:-?}"

log "setting emulated provider '$PROVIDER' to zero latency"
curl -fsS -X PUT "$EMULATOR/emulator/providers/$PROVIDER" -H 'Content-Type: application/json' \
  -d '{"timeToFirstTokenMs":0,"interTokenDelayMs":0}' >/dev/null

log "creating a funded account and an inference key through billing's internal API"
user="bench-$(date +%s)-$$"
internal() { curl -fsS -X "$1" "$BILLING/internal/accounts/$user$2" -H "X-Internal-Key: $INTERNAL_KEY" -H 'Content-Type: application/json' -d "$3"; }
internal PUT "" "{\"email\":\"$user@example.com\"}" >/dev/null
internal POST /adjustments '{"amount_usd":1000,"reason":"benchmark credits","actor":"bench"}' >/dev/null
KEY=$(internal POST /keys '{"name":"bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')

log "starting bare YARP on :$BARE_PORT -> $EMULATOR"
bench/BareProxy/bin/Release/net10.0/BareProxy --urls "http://127.0.0.1:$BARE_PORT" --Destination "$EMULATOR" >"$WORK/bareproxy.log" 2>&1 &
BARE_PID=$!
wait_for_post() { # url body [key]: until the target answers 200 (the gateway answers 503 until its catalog snapshot loads)
  local deadline=$((SECONDS + 60)) code
  while :; do
    code=$(curl -s -o "$WORK/last-answer" -w '%{http_code}' --max-time 5 -H 'Content-Type: application/json' \
      ${3:+-H "Authorization: Bearer $3"} --data-binary "@$2" "$1" || true)
    [ "$code" = 200 ] && return 0
    [ "$SECONDS" -lt "$deadline" ] || { log "no 200 from $1 (last $code: $(head -c 300 "$WORK/last-answer"))"; exit 1; }
    sleep 1
  done
}
BODIES=bench/wrk/bodies
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
        line=$(grep '^BENCH_RESULT' "$out" || echo "BENCH_RESULT failed=1")
        # CPU milliseconds each process used during the run: bare YARP, gateway, emulator, Redis, billing.
        line="$line $(echo "$before $after" | awk -v hz="$CLK_TCK" '{ printf "cpu_yarp_ms=%d cpu_gateway_ms=%d cpu_emulator_ms=%d cpu_redis_ms=%d cpu_billing_ms=%d", ($6-$1)*1000/hz, ($7-$2)*1000/hz, ($8-$3)*1000/hz, ($9-$4)*1000/hz, ($10-$5)*1000/hz }')"
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
done
LOAD_AFTER=$(uptime)

# Gateway memory and what the run cost, for the record.
GATEWAY_RSS_MB=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$gateway_pid/status" 2>/dev/null || echo "?")
BALANCE=$(curl -fsS "$BILLING/internal/accounts/$user/credits" -H "X-Internal-Key: $INTERNAL_KEY" 2>/dev/null | head -c 300 || true)

mkdir -p bench/results
stamp=$(date -u +%Y-%m-%d-%H%M)
export BENCH_DURATION_S=$DURATION BENCH_REPS_N=$REPS BENCH_TTFB_N=$TTFB_N BENCH_WARMUP_S=$WARMUP \
  BENCH_LOAD_BEFORE="$LOAD_BEFORE" BENCH_LOAD_AFTER="$LOAD_AFTER" BENCH_GATEWAY_URL="$GATEWAY" BENCH_EMULATOR_URL="$EMULATOR" \
  BENCH_GATEWAY_RSS_MB="$GATEWAY_RSS_MB" BENCH_BALANCE="$BALANCE" BENCH_PROVIDER=$PROVIDER
python3 bench/report.py "$RESULTS" "$TTFB" >"$WORK/report.md"
cp "$WORK/report.md" "bench/results/$stamp.md"
cp "$WORK/report.md" bench/results/latest.md
cat "$WORK/report.md"
log "wrote bench/results/$stamp.md and bench/results/latest.md"
