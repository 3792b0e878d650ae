#!/usr/bin/env python3
"""Turns bench/run.sh's raw results into the markdown report (stdout).

usage: report.py <wrk.tsv> <ttfb.tsv>   (the rest comes from BENCH_* environment variables set by run.sh)

wrk.tsv rows:  target  mode  concurrency  rep  key=value ... (the BENCH_RESULT line of bench/wrk/post.lua)
ttfb.tsv rows: target  rep   key=value ...                 (the TTFB line of bench/TtfbProbe)
Each figure is the median over the repetitions.
"""
import os
import platform
import re
import statistics
import subprocess
import sys
from datetime import datetime, timezone

TARGETS = ["direct", "yarp", "gateway"]
NAMES = {"direct": "emulator (direct)", "yarp": "bare YARP", "gateway": "gateway"}
ADDED_P50_MS, ADDED_P99_MS, ADDED_TTFB_MS, MIN_THROUGHPUT = 0.3, 1.0, 1.0, 0.5


def fields(text):
    return dict(part.split("=", 1) for part in text.split() if "=" in part)


def read_tsv(path, keys):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < len(keys):
                continue
            row = dict(zip(keys, parts))
            row.update(fields(parts[len(keys)] if len(parts) > len(keys) else ""))
            rows.append(row)
    return rows


def num(row, key):
    try:
        return float(row[key])
    except (KeyError, ValueError):
        return None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ms(us):
    return "n/a" if us is None else f"{us / 1000:.2f}"


def added(us):
    return "n/a" if us is None else f"{us / 1000:+.2f}"


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=10).stdout.strip()
    except Exception:  # noqa: BLE001 - a missing tool only leaves a blank in the report
        return ""


def wrk_errors(row):
    if "rps" not in row:
        return 1
    return sum(int(row.get(k, 0)) for k in ("connect_err", "read_err", "write_err", "timeout_err", "non2xx"))


def cpu_per_request(row, process):
    """Microseconds of CPU (user + system) the process used per request completed in the run, or None."""
    cpu, requests = num(row, f"cpu_{process}_ms"), num(row, "requests")
    return None if cpu is None or not requests else cpu * 1000 / requests


def main():
    wrk = read_tsv(sys.argv[1], ["target", "mode", "conc", "rep"])
    ttfb = read_tsv(sys.argv[2], ["target", "rep"])
    env = os.environ.get

    agg = {}
    for target in TARGETS:
        for mode in ("nonstream", "stream"):
            for conc in ("1", "64"):
                runs = [r for r in wrk if r["target"] == target and r["mode"] == mode and r["conc"] == conc]
                agg[(target, mode, conc)] = {
                    "rps": median(num(r, "rps") for r in runs),
                    "p50": median(num(r, "p50_us") for r in runs),
                    "p99": median(num(r, "p99_us") for r in runs),
                    "errors": sum(wrk_errors(r) for r in runs),
                    **{f"cpu_{p}": median(cpu_per_request(r, p) for r in runs) for p in ("yarp", "gateway", "emulator", "redis", "billing", "postgres")},
                    "runs": len(runs),
                }
    tt = {}
    for target in TARGETS:
        runs = [r for r in ttfb if r["target"] == target]
        tt[target] = {k: median(num(r, f"{k}_us") for r in runs) for k in ("p50", "p90", "p99", "headers_p50", "full_p50")}
        tt[target]["n"] = sum(int(r.get("n", 0)) for r in runs)
        tt[target]["failed"] = sum(int(r.get("failed", 1)) for r in runs) if runs else 1

    def diff(a, b):
        return None if a is None or b is None else a - b

    out = []
    w = out.append
    now = datetime.now(timezone.utc)
    w(f"# Gateway benchmark, {now:%Y-%m-%d %H:%M} UTC")
    w("")
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    ram = sh("awk '/MemTotal/ {printf \"%.1f GiB\", $2/1048576}' /proc/meminfo")
    w(f"- Machine: {sh('nproc')} cores, {cpu}, {ram} RAM, {platform.system()} {platform.release()}")
    w(f"- Software: .NET SDK {sh('dotnet --version')}, {sh('wrk -v 2>&1 | head -n1').split(' [')[0]}, "
      f"commit {sh('git rev-parse --short HEAD')} ({sh('git rev-parse --abbrev-ref HEAD')})")
    w(f"- Load before: `{env('BENCH_LOAD_BEFORE', '?').strip()}`")
    w(f"- Load after:  `{env('BENCH_LOAD_AFTER', '?').strip()}`")
    w("- Note: a shared 2-core machine. wrk, the emulator, YARP, the gateway, Redis, billing and the Aspire dashboard "
      "all share the same two cores (and other engineers may be building or testing at the same time: see the load), "
      "so absolute numbers are noisy; the three targets are interleaved within each repetition so they see alike load.")
    w(f"- Run: {env('BENCH_REPS_N', '?')} repetition(s) x {env('BENCH_DURATION_S', '?')} s per row "
      f"(after {env('BENCH_WARMUP_S', '?')} s warm-up per target and mode), figures are medians over repetitions; "
      f"TTFB: {env('BENCH_TTFB_N', '?')} sequential streamed requests per target and repetition.")
    w(f"- Upstream: emulated provider `{env('BENCH_PROVIDER', '?')}` (OpenAI wire format) at zero latency, "
      f"`POST {env('BENCH_EMULATOR_URL', '?')}/providers/{env('BENCH_PROVIDER', '?')}/v1/chat/completions`, "
      "the same call the gateway makes for `deepseek/deepseek-chat` with `provider: {only: [deepseek]}`; "
      f"gateway measured at `{env('BENCH_GATEWAY_URL', '?')}` (its own port, not DCP's proxy), with a real key, "
      "credit hold and settlement in Redis and the usage stream.")
    ratio = env('BENCH_TRACE_SAMPLE_RATIO', '')
    sampler = (f"a sampled {float(ratio) * 100:g}% of requests traced (`Telemetry__TraceSampleRatio={ratio}`, as in production)"
               if ratio else "every request traced (Aspire's development default, sampler always_on)")
    w("- Services run as `dotnet run -c Release --project AppHost` runs them: Development environment, OpenTelemetry "
      f"traces ({sampler}) and metrics exported to the Aspire dashboard every second, Information logging. The "
      f"emulator address ({env('BENCH_EMULATOR_URL', '?')}) is DCP's proxy in front of the emulator; all three targets "
      "go through it, as the gateway does.")
    w("")
    w("## Latency and throughput (wrk, full responses)")
    w("")
    w("| Target | Mode | Concurrency | Requests/s | p50 (ms) | p99 (ms) | Added p50 vs direct (ms) | Added p99 vs direct (ms) | Throughput vs bare YARP | Errors |")
    w("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for mode in ("nonstream", "stream"):
        for conc in ("1", "64"):
            base = agg[("direct", mode, conc)]
            yarp = agg[("yarp", mode, conc)]
            for target in TARGETS:
                a = agg[(target, mode, conc)]
                ratio = "n/a" if not a["rps"] or not yarp["rps"] else f"{a['rps'] / yarp['rps']:.1%}"
                rps = "n/a" if a["rps"] is None else f"{a['rps']:,.0f}"
                add50 = "-" if target == "direct" else added(diff(a["p50"], base["p50"]))
                add99 = "-" if target == "direct" else added(diff(a["p99"], base["p99"]))
                w(f"| {NAMES[target]} | {'streaming' if mode == 'stream' else 'non-streaming'} | {conc} | {rps} | "
                  f"{ms(a['p50'])} | {ms(a['p99'])} | {add50} | {add99} | {'-' if target == 'yarp' else ratio} | {a['errors']} |")
    w("")
    w("## CPU per request (from /proc, user + system)")
    w("")
    w("CPU time each process used during a wrk run divided by the requests completed in it (median over repetitions), "
      "in microseconds. Less sensitive to other load on the machine than latency, though not immune (caches, "
      "frequency). Billing consumes the usage stream asynchronously: Redis, billing and Postgres (the postmaster and its "
      "backends) are counted until billing has recorded the run's last usage event, and the next run starts only then, "
      "so each run is charged with the work it caused and loaded by no other's. The proxy and the emulator are counted "
      "for the wrk run alone.")
    w("")
    w("| Target | Mode | Concurrency | Proxy process (us/req) | Emulator (us/req) | Redis (us/req) | Billing (us/req) | Postgres (us/req) |")
    w("|---|---|---:|---:|---:|---:|---:|---:|")

    def us(v):
        return "n/a" if v is None else f"{v:,.0f}"
    for mode in ("nonstream", "stream"):
        for conc in ("1", "64"):
            for target in TARGETS:
                a = agg[(target, mode, conc)]
                proxy = "-" if target == "direct" else us(a["cpu_yarp"] if target == "yarp" else a["cpu_gateway"])
                w(f"| {NAMES[target]} | {'streaming' if mode == 'stream' else 'non-streaming'} | {conc} | {proxy} | "
                  f"{us(a['cpu_emulator'])} | {us(a['cpu_redis'])} | {us(a['cpu_billing'])} | {us(a['cpu_postgres'])} |")
    w("")
    w("## Streaming time to first byte (TtfbProbe, concurrency 1)")
    w("")
    w("Time from sending the request to the first byte of the first `data:` event (so SSE comments and early headers "
      "do not count), one request at a time over a kept-alive connection.")
    w("")
    w("| Target | Requests | TTFB p50 (ms) | p90 (ms) | p99 (ms) | Added p50 vs direct (ms) | Added p99 vs direct (ms) | Headers p50 (ms) | Full stream p50 (ms) | Failed |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for target in TARGETS:
        t = tt[target]
        add50 = "-" if target == "direct" else added(diff(t["p50"], tt["direct"]["p50"]))
        add99 = "-" if target == "direct" else added(diff(t["p99"], tt["direct"]["p99"]))
        w(f"| {NAMES[target]} | {t['n']} | {ms(t['p50'])} | {ms(t['p90'])} | {ms(t['p99'])} | {add50} | {add99} | "
          f"{ms(t['headers_p50'])} | {ms(t['full_p50'])} | {t['failed']} |")
    w("")

    checks = []

    def check(name, value, limit, unit, higher_is_better=False):
        if value is None:
            checks.append((name, "n/a", f"{limit}{unit}", "NO DATA"))
            return
        ok = value >= limit if higher_is_better else value <= limit
        shown = f"{value:.1%}" if unit == "%" else f"{value:+.2f} ms"
        bound = f">= {limit:.0%}" if unit == "%" else f"<= {limit} ms"
        checks.append((name, shown, bound, "PASS" if ok else "FAIL"))

    g, d = agg, agg
    for mode, label in (("nonstream", "non-streaming"), ("stream", "streaming (whole response)")):
        a50 = diff(g[("gateway", mode, "1")]["p50"], d[("direct", mode, "1")]["p50"])
        a99 = diff(g[("gateway", mode, "1")]["p99"], d[("direct", mode, "1")]["p99"])
        check(f"Added p50 at c=1, {label}", None if a50 is None else a50 / 1000, ADDED_P50_MS, " ms")
        check(f"Added p99 at c=1, {label}", None if a99 is None else a99 / 1000, ADDED_P99_MS, " ms")
    ttfb_added = diff(tt["gateway"]["p50"], tt["direct"]["p50"])
    check("Streaming added TTFB (p50)", None if ttfb_added is None else ttfb_added / 1000, ADDED_TTFB_MS, " ms")
    for mode, label in (("nonstream", "non-streaming"), ("stream", "streaming")):
        gr, yr = g[("gateway", mode, "64")]["rps"], g[("yarp", mode, "64")]["rps"]
        check(f"Throughput at c=64 vs bare YARP, {label}", None if not gr or not yr else gr / yr, MIN_THROUGHPUT, "%", True)
    errors = sum(a["errors"] for a in agg.values()) + sum(t["failed"] for t in tt.values())

    loads = [float(m.group(1)) for text in (env("BENCH_LOAD_BEFORE", ""), env("BENCH_LOAD_AFTER", ""))
             for m in [re.search(r"load average: ([0-9.]+)", text)] if m]
    cores = os.cpu_count() or 1
    busy = max(loads, default=0) > cores
    w("## Targets (issue 8)")
    w("")
    if busy:
        w(f"The machine was busy (1-minute load average up to {max(loads):.1f} on {cores} cores, mostly from other work), "
          "so the latency checks are indicative only: scheduling delays dominate the tails, and a p99 can even come out "
          "lower than the direct baseline's. The CPU-per-request table above is the steadier guide.")
        w("")
    w("| Check | Gateway | Target | Result |")
    w("|---|---:|---:|---|")
    for name, value, bound, result in checks:
        w(f"| {name} | {value} | {bound} | **{result}**{' (busy machine)' if busy and 'ms' in bound else ''} |")
    w("")
    if errors:
        w(f"**{errors} failed request(s) or run(s)**: rows with errors are not trustworthy (see the raw output).")
        w("")
    w(f"Gateway RSS at the end: {env('BENCH_GATEWAY_RSS_MB', '?')} MB. Bench account after the run: "
      f"`{env('BENCH_BALANCE', '?')}`.")
    w("")
    w("<details><summary>Every run</summary>")
    w("")
    w("| Target | Mode | c | Rep | Requests/s | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | Errors |")
    w("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in wrk:
        rps = num(r, "rps")
        w(f"| {NAMES.get(r['target'], r['target'])} | {r['mode']} | {r['conc']} | {r['rep']} | "
          f"{'n/a' if rps is None else f'{rps:,.0f}'} | {ms(num(r, 'p50_us'))} | {ms(num(r, 'p90_us'))} | "
          f"{ms(num(r, 'p99_us'))} | {ms(num(r, 'max_us'))} | {wrk_errors(r)} |")
    w("")
    w("| Target | Rep | Requests | TTFB p50 (ms) | p90 (ms) | p99 (ms) | Failed |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    for r in ttfb:
        w(f"| {NAMES.get(r['target'], r['target'])} | {r['rep']} | {r.get('n', '0')} | {ms(num(r, 'p50_us'))} | "
          f"{ms(num(r, 'p90_us'))} | {ms(num(r, 'p99_us'))} | {r.get('failed', '?')} |")
    w("")
    w("</details>")
    print("\n".join(out))


if __name__ == "__main__":
    main()
