using Gateway.Api.Routing;
using Gateway.Api.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OpenRouterClone.Catalog.Snapshot;
using OpenRouterClone.Shared.Credits;
using System.Diagnostics.Metrics;

namespace UnitTests.Gateway.Telemetry;

public sealed class GatewayMetricsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly GatewayMetrics _metrics;
    private readonly Meter _meter;

    public GatewayMetricsTests()
    {
        _metrics = new GatewayMetrics(_services.GetRequiredService<IMeterFactory>());
        // The factory hands out the one meter of that name and scope, so the collectors see the gateway's instruments.
        _meter = _services.GetRequiredService<IMeterFactory>().Create(GatewayMetrics.MeterName);
    }

    public void Dispose() => _services.Dispose();

    private MetricCollector<T> Collect<T>(string instrument) where T : struct => new(_meter, instrument);

    private static RouteCandidate Candidate(string provider, int endpointId)
    {
        var endpoint = new SnapshotEndpoint(endpointId, provider, "upstream", 128_000, 4096, null, null,
            new SnapshotPricing(0.000001m, 0.000002m, 0, 0, 0, null, 0, 0), [], 0, false, false, null);
        var model = new SnapshotModel("author/model", "Model", "author/model", 128_000, ["text"], ["text"], [endpoint]);
        return new RouteCandidate("author/model", model, endpoint, new SnapshotProvider(provider, provider, SnapshotWireFormats.OpenAIChat, "https://x", "Operational", 0, false, false, null));
    }

    private static UsageEvent Usage(int prompt, int completion, long costNanos, int latencyMs, int? firstTokenMs, string? finishReason = "stop", bool cancelled = false) => new()
    {
        GenerationId = "gen-1", AccountId = Guid.NewGuid(), KeyId = Guid.NewGuid(), Model = "author/model", ProviderSlug = "p", ProviderName = "P",
        PromptTokens = prompt, CompletionTokens = completion, CostNanos = costNanos, LatencyMs = latencyMs, TimeToFirstTokenMs = firstTokenMs,
        FinishReason = finishReason, Cancelled = cancelled, CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void A_finished_generation_counts_its_tokens_and_cost_and_times_its_endpoint()
    {
        using var tokens = Collect<long>("openrouter.tokens");
        using var cost = Collect<double>("openrouter.cost");
        using var firstToken = Collect<double>("openrouter.time_to_first_token");
        using var upstream = Collect<double>("openrouter.upstream.duration");

        _metrics.GenerationFinished(Candidate("deepinfra", 7), Usage(prompt: 120, completion: 30, costNanos: 1_500_000, latencyMs: 900, firstTokenMs: 250));
        _metrics.GenerationFinished(Candidate("together", 8), Usage(prompt: 10, completion: 5, costNanos: 0, latencyMs: 40, firstTokenMs: null, finishReason: "error"));

        var prompt = tokens.GetMeasurementSnapshot().Where(m => (string?)m.Tags["direction"] == "prompt").ToList();
        Assert.Equal([120L, 10L], prompt.Select(m => m.Value));
        Assert.Equal(["deepinfra", "together"], prompt.Select(m => (string?)m.Tags["provider"]));
        Assert.All(prompt, m => Assert.Equal("author/model", m.Tags["model"]));
        Assert.Equal([30L, 5L], tokens.GetMeasurementSnapshot().Where(m => (string?)m.Tags["direction"] == "completion").Select(m => m.Value));

        Assert.Equal([0.0015, 0.0], cost.GetMeasurementSnapshot().Select(m => m.Value));

        // A generation with no first token records no time to it.
        var ttft = Assert.Single(firstToken.GetMeasurementSnapshot());
        Assert.Equal(250, ttft.Value);
        Assert.Equal(7, ttft.Tags["endpoint_id"]);

        Assert.Equal([(900.0, "ok"), (40.0, "error")], upstream.GetMeasurementSnapshot().Select(m => (m.Value, (string?)m.Tags["outcome"])));
    }

    [Fact]
    public void Holds_outstanding_follow_placed_and_finished_holds()
    {
        using var holds = Collect<long>("openrouter.holds.outstanding");

        _metrics.HoldPlaced();
        _metrics.HoldPlaced();
        _metrics.HoldPlaced();
        _metrics.HoldFinished();
        holds.RecordObservableInstruments();
        Assert.Equal(2, holds.LastMeasurement!.Value);

        _metrics.HoldFinished();
        _metrics.HoldFinished();
        holds.RecordObservableInstruments();
        Assert.Equal(0, holds.LastMeasurement!.Value);
    }

    [Fact]
    public void Requests_are_counted_by_api_and_status_and_fallbacks_by_provider_and_status()
    {
        using var requests = Collect<long>("openrouter.requests");
        using var fallbacks = Collect<long>("openrouter.fallbacks");

        _metrics.RequestCompleted("/api/v1/chat/completions", 200);
        _metrics.RequestCompleted("/api/v1/chat/completions", 402);
        _metrics.EndpointFailed(Candidate("deepseek", 3), 503);

        Assert.Equal([("/api/v1/chat/completions", 200), ("/api/v1/chat/completions", 402)],
            requests.GetMeasurementSnapshot().Select(m => ((string?)m.Tags["api"], (int)m.Tags["status_code"]!)));
        var fallback = Assert.Single(fallbacks.GetMeasurementSnapshot());
        Assert.Equal(("deepseek", 503), ((string?)fallback.Tags["provider"], (int)fallback.Tags["status_code"]!));
    }
}
