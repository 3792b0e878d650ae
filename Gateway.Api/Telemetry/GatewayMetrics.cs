using System.Diagnostics.Metrics;
using Gateway.Api.Routing;
using OpenRouterClone.Shared.Credits;

namespace Gateway.Api.Telemetry;

/// <summary>
/// The gateway's OpenTelemetry metrics (meter <c>OpenRouterClone.Gateway</c>, exported with the service
/// defaults to the Aspire dashboard or any OTLP collector): inference requests by API and status, tokens,
/// cost, time to first token and upstream latency per provider endpoint, fallbacks, and holds outstanding.
/// Tags are bounded sets (APIs, status codes, catalog ids), never caller text, keys or prompts.
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "OpenRouterClone.Gateway";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _tokens;
    private readonly Counter<double> _cost;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Histogram<double> _upstreamDuration;
    private readonly Counter<long> _fallbacks;
    private long _holdsOutstanding;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("openrouter.requests", "{request}",
            "Inference requests by API and the status code the caller got");
        _tokens = meter.CreateCounter<long>("openrouter.tokens", "{token}",
            "Tokens billed, by direction (prompt or completion), model and provider");
        _cost = meter.CreateCounter<double>("openrouter.cost", "USD",
            "What callers were charged, by model and provider");
        _timeToFirstToken = meter.CreateHistogram<double>("openrouter.time_to_first_token", "ms",
            "From the request's arrival to the first token, per provider endpoint");
        _upstreamDuration = meter.CreateHistogram<double>("openrouter.upstream.duration", "ms",
            "Upstream calls from sending the request until the answer ended, per provider endpoint and outcome");
        _fallbacks = meter.CreateCounter<long>("openrouter.fallbacks", "{fallback}",
            "Endpoints given up on before one answered, by provider and the status that made the gateway move on");
        meter.CreateObservableUpDownCounter("openrouter.holds.outstanding", () => Interlocked.Read(ref _holdsOutstanding), "{hold}",
            "Credit holds this gateway has placed and not yet settled or released (requests in flight)");
    }

    /// <summary>One inference request answered with <paramref name="statusCode"/> (200 also for streams that ended in an error chunk).</summary>
    public void RequestCompleted(string api, int statusCode)
        => _requests.Add(1, new KeyValuePair<string, object?>("api", api), new KeyValuePair<string, object?>("status_code", statusCode));

    public void HoldPlaced() => Interlocked.Increment(ref _holdsOutstanding);

    public void HoldFinished() => Interlocked.Decrement(ref _holdsOutstanding);

    /// <summary>An endpoint failed before answering and the next one is tried (or none is left).</summary>
    public void EndpointFailed(RouteCandidate candidate, int status)
        => _fallbacks.Add(1, new KeyValuePair<string, object?>("provider", candidate.Provider.Slug), new KeyValuePair<string, object?>("status_code", status));

    /// <summary>A generation that was answered and is being billed.</summary>
    public void GenerationFinished(RouteCandidate candidate, UsageEvent usage)
    {
        var model = new KeyValuePair<string, object?>("model", candidate.ModelId);
        var provider = new KeyValuePair<string, object?>("provider", candidate.Provider.Slug);
        _tokens.Add(usage.PromptTokens, model, provider, new KeyValuePair<string, object?>("direction", "prompt"));
        _tokens.Add(usage.CompletionTokens, model, provider, new KeyValuePair<string, object?>("direction", "completion"));
        _cost.Add((double)Nanos.ToUsd(usage.CostNanos), model, provider);

        var endpoint = new KeyValuePair<string, object?>("endpoint_id", candidate.Endpoint.Id);
        if (usage.TimeToFirstTokenMs is { } firstToken)
        {
            _timeToFirstToken.Record(firstToken, model, provider, endpoint);
        }
        var outcome = new KeyValuePair<string, object?>("outcome", usage.FinishReason == "error" ? "error" : usage.Cancelled ? "cancelled" : "ok");
        _upstreamDuration.Record(usage.LatencyMs, model, provider, endpoint, outcome);
    }
}
