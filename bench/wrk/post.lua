-- POSTs one JSON body to the target, optionally with a bearer key, and prints one parseable line at the end.
-- Environment: WRK_BODY_FILE (required), WRK_KEY (optional bearer key).
-- Used by bench/run.sh; by hand: WRK_BODY_FILE=bench/wrk/bodies/direct.json wrk -t1 -c1 -d10s --latency -s bench/wrk/post.lua http://localhost:5084/providers/deepseek/v1/chat/completions

local path = os.getenv("WRK_BODY_FILE")
assert(path, "set WRK_BODY_FILE to the JSON body to POST")
local f = assert(io.open(path, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("WRK_KEY")
if key and key ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. key
end

-- wrk counts non-2xx/3xx answers in errors.status; run.sh refuses a run with any of them (a fast 4xx is not a result).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f connect_err=%d read_err=%d write_err=%d timeout_err=%d non2xx=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.timeout, e.status))
end
