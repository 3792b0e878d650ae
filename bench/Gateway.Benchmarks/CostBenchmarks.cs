using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Gateway.Api.Credits;
using Gateway.Api.Translation;
using OpenRouterClone.Catalog.Snapshot;

namespace Gateway.Benchmarks;

/// <summary>Cost math in decimal nano-dollars: the exact charge, the tokens a hold pays for, and reading usage.</summary>
[MemoryDiagnoser]
public class CostBenchmarks
{
    private static readonly SnapshotPricing Plain = new(0.27m / 1_000_000m, 1.10m / 1_000_000m, 0, 0, null, null, 0, 0);
    private static readonly SnapshotPricing Cached = new(3m / 1_000_000m, 15m / 1_000_000m, 0, 0, 0.3m / 1_000_000m, 3.75m / 1_000_000m, 2m / 1_000_000m, 0.1m);
    private static readonly TokenUsage Usage = new(1_200, 350, CachedTokens: 1_024, CacheWriteTokens: 0, ReasoningTokens: 64);
    private JsonObject _usage = null!;

    [GlobalSetup]
    public void Setup() => _usage = JsonNode.Parse("""{"prompt_tokens":1200,"completion_tokens":350,"total_tokens":1550,"prompt_tokens_details":{"cached_tokens":1024},"completion_tokens_details":{"reasoning_tokens":64}}""")!.AsObject();

    [Benchmark(Baseline = true)]
    public long Compute_plain() => UsageCost.Compute(Plain, Usage);

    [Benchmark]
    public long Compute_cached_reasoning_discount() => UsageCost.Compute(Cached, Usage);

    [Benchmark]
    public long? Affordable_completion_tokens() => UsageCost.AffordableCompletionTokens(Cached, 1_200, 5_000_000);

    [Benchmark]
    public TokenUsage Usage_from_chat_json() => TokenUsage.FromChat(_usage);
}
