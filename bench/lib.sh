# Shared by bench/run.sh and bench/soak.sh (sourced, not run): starts the whole system the way
# `dotnet run -c Release --project AppHost` does, finds each process, creates a funded account and an
# inference key, and stops everything it started on exit. Expects ROOT and the caller's `set -euo pipefail`.
#
# Sets: WORK (logs and raw output), GATEWAY, EMULATOR, BILLING, INTERNAL_KEY, KEY, user, gateway_pid, EMULATOR_PID,
# BILLING_PID, REDIS_PID, redis_port; functions log, wait_for, wait_for_post, proc_env, cpu_ticks, internal.
# Reads: BENCH_DATA_DIR, BENCH_KEEP_DATA, BENCH_NO_BUILD, BENCH_GATEWAY_VIA_DCP, BENCH_BARE_PORT, EMULATOR_TTFT_MS and
# EMULATOR_INTER_TOKEN_MS (the emulated provider's latency, 0 by default).
BARE_PORT=${BENCH_BARE_PORT:-5090}
DATA_DIR=${BENCH_DATA_DIR:-/var/tmp/openrouterclone-bench}
# Traced share of requests: a production deployment samples traces; every request traced (empty) loads the
# dashboard on these same two cores with a few spans per call.
TRACE_SAMPLE_RATIO=${BENCH_TRACE_SAMPLE_RATIO-0.01}
PROVIDER=deepseek                       # emulated provider (OpenAI wire format) the gateway is forced to use
UPSTREAM_PATH=/providers/$PROVIDER/v1/chat/completions
BILLING=http://localhost:5082           # billing's pinned launchSettings address (a DCP proxy)
INTERNAL_KEY="bench-internal-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
ADMIN_KEY="bench-admin-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"

for tool in wrk curl python3 dotnet redis-cli; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (wrk: apt-get install -y wrk; redis-cli: redis-server)" >&2; exit 1; }
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

# A fresh system each run: earlier runs' ledgers (millions of rows) would make billing's start-up rebuild of every
# account's credits run through the measurements, and a bigger database makes every run slower than the last.
if [ "${BENCH_KEEP_DATA:-0}" != 1 ]; then
  rm -rf "$DATA_DIR"
fi

LOAD_BEFORE=$(uptime)
log "starting the system (dotnet run -c Release --project AppHost, data in $DATA_DIR)"
# Environment variables reach the AppHost's parameters; names with '-' need env(1).
setsid env \
  "Parameters__billing-internal-key=$INTERNAL_KEY" \
  "Parameters__catalog-admin-key=$ADMIN_KEY" \
  "Infrastructure__DataDirectory=$DATA_DIR" \
  ${TRACE_SAMPLE_RATIO:+"Telemetry__TraceSampleRatio=$TRACE_SAMPLE_RATIO"} \
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
# Postgres: the postmaster (listening on billing's database port) with its children, the backends; a backend that
# ended left its time in the postmaster's children's counters.
pg_port=$(tr '\0' '\n' <"/proc/$BILLING_PID/environ" 2>/dev/null | sed -n 's/^ConnectionStrings__billingdb=.*[Pp]ort=\([0-9]*\).*/\1/p' | head -n 1)
POSTGRES_PID=$(ss -Hltnp "sport = :${pg_port:-0}" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)
postgres_ticks() {
  [ -n "${POSTGRES_PID:-}" ] && [ -r "/proc/$POSTGRES_PID/stat" ] || { echo 0; return; }
  local total child
  total=$(sed 's/^.*) //' "/proc/$POSTGRES_PID/stat" | awk '{ print $12 + $13 + $14 + $15 }')
  for child in $(pgrep -P "$POSTGRES_PID"); do total=$((total + $(cpu_ticks "$child"))); done
  echo "$total"
}
# Redis's password is in the gateway's connection string ("host:port,password=...").
REDISCLI_AUTH=$(proc_env ConnectionStrings__redis | sed -n 's/.*password=\([^,]*\).*/\1/p'); export REDISCLI_AUTH
# Usage events billing has not recorded yet (it deletes each one it recorded from the stream).
usage_backlog() { redis-cli -p "$redis_port" XLEN usage:events | tr -d '\r'; }
# Waits (at most $1 seconds, 120 by default) until billing has recorded every usage event: the gateway's runs leave
# billing and Postgres work behind them, which would otherwise load whatever runs next and be counted against it.
wait_for_usage_drain() {
  local deadline=$((SECONDS + ${1:-120}))
  while [ "$(usage_backlog)" != 0 ]; do
    [ "$SECONDS" -lt "$deadline" ] || { log "billing still has $(usage_backlog) usage events to record; going on"; return 0; }
    sleep 0.2
  done
}
cpu_snapshot() { echo "$(cpu_ticks "$BARE_PID") $(cpu_ticks "$gateway_pid") $(cpu_ticks "$EMULATOR_PID") $(cpu_ticks "$REDIS_PID") $(cpu_ticks "$BILLING_PID") $(postgres_ticks)"; }
log "CPU accounting: gateway $gateway_pid, emulator ${EMULATOR_PID:-?}, redis ${REDIS_PID:-?}, billing ${BILLING_PID:-?}, postgres ${POSTGRES_PID:-?} (port ${pg_port:-?})"

EMULATOR_TTFT_MS=${EMULATOR_TTFT_MS:-0}; EMULATOR_INTER_TOKEN_MS=${EMULATOR_INTER_TOKEN_MS:-0}
log "setting emulated provider '$PROVIDER' to ${EMULATOR_TTFT_MS} ms to the first token, ${EMULATOR_INTER_TOKEN_MS} ms between tokens"
curl -fsS -X PUT "$EMULATOR/emulator/providers/$PROVIDER" -H 'Content-Type: application/json' \
  -d "{\"timeToFirstTokenMs\":$EMULATOR_TTFT_MS,\"interTokenDelayMs\":$EMULATOR_INTER_TOKEN_MS}" >/dev/null

log "creating a funded account and an inference key through billing's internal API"
user="bench-$(date +%s)-$$"
internal() { curl -fsS -X "$1" "$BILLING/internal/accounts/$user$2" -H "X-Internal-Key: $INTERNAL_KEY" -H 'Content-Type: application/json' -d "$3"; }
internal PUT "" "{\"email\":\"$user@example.com\"}" >/dev/null
internal POST /adjustments '{"amount_usd":1000,"reason":"benchmark credits","actor":"bench"}' >/dev/null
KEY=$(internal POST /keys '{"name":"bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
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
