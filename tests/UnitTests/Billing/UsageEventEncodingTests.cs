using System.Text;
using OpenRouterClone.Shared.Credits;
using StackExchange.Redis;

namespace UnitTests.Billing;

/// <summary>
/// The usage event's form on the Redis Stream: one JSON field, read back whole, and refused (so dead-lettered, never
/// half-recorded) when anything the ledger needs is missing or null.
/// </summary>
public class UsageEventEncodingTests
{
    private static readonly UsageEvent Full = new()
    {
        GenerationId = "gen-1764160000-encoding",
        AccountId = Guid.Parse("0b8a4c1e-55d2-4a8f-9a51-3f1f4a7f0c11"),
        KeyId = Guid.Parse("7c2e0a93-1d4b-4e0f-8a6c-2b5d9e1f3a47"),
        Model = "anthropic/claude-sonnet-4",
        ProviderSlug = "anthropic",
        ProviderName = "Anthropic",
        EndpointId = 12,
        UpstreamId = "msg_01",
        PromptTokens = 1200,
        CompletionTokens = 300,
        CachedTokens = 1000,
        CacheWriteTokens = 100,
        ReasoningTokens = 50,
        CostNanos = 9_876_543_210,
        UpstreamCostNanos = 9_000_000_000,
        IsByok = true,
        SearchResults = 2,
        SearchFeeNanos = 8_000_000,
        Streamed = true,
        Cancelled = true,
        FinishReason = "length",
        NativeFinishReason = "max_tokens",
        LatencyMs = 2300,
        TimeToFirstTokenMs = 410,
        GenerationTimeMs = 1890,
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_764_160_000_123),
        AppReferer = "https://app.example",
        AppTitle = "Example — “quoted”",
        TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    };

    [Fact]
    public void The_event_travels_as_one_field_and_reads_back_equal()
    {
        var fields = Full.ToStreamFields();

        Assert.Single(fields);
        Assert.Equal(Full, UsageEvent.FromStreamFields(fields));
    }

    [Fact]
    public void Absent_optional_values_stay_absent()
    {
        var sparse = Full with { UpstreamId = null, FinishReason = null, TimeToFirstTokenMs = null, AppReferer = null, AppTitle = null, TraceParent = null };

        var json = Encoding.UTF8.GetString((byte[])sparse.ToStreamFields()[0].Value!);

        Assert.DoesNotContain("upstream_id", json);
        Assert.DoesNotContain("null", json);
        Assert.Equal(sparse, UsageEvent.FromStreamFields(sparse.ToStreamFields()));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("""{"generation_id":"gen-1","account_id":"0b8a4c1e-55d2-4a8f-9a51-3f1f4a7f0c11","key_id":"7c2e0a93-1d4b-4e0f-8a6c-2b5d9e1f3a47","provider_slug":"openai","provider_name":"OpenAI","created_at":"2025-11-26T12:00:00+00:00","cost_nanos":5}""")] // no model
    [InlineData("""{"generation_id":"gen-1","account_id":"0b8a4c1e-55d2-4a8f-9a51-3f1f4a7f0c11","key_id":"7c2e0a93-1d4b-4e0f-8a6c-2b5d9e1f3a47","model":null,"provider_slug":"openai","provider_name":"OpenAI","created_at":"2025-11-26T12:00:00+00:00","cost_nanos":5}""")]
    [InlineData("""{"generation_id":"gen-1","account_id":"not-a-guid","key_id":"7c2e0a93-1d4b-4e0f-8a6c-2b5d9e1f3a47","model":"m","provider_slug":"openai","provider_name":"OpenAI","created_at":"2025-11-26T12:00:00+00:00","cost_nanos":5}""")]
    public void A_malformed_event_is_a_format_error(string json)
    {
        NameValueEntry[] fields = [new("event", json)];

        Assert.Throws<FormatException>(() => UsageEvent.FromStreamFields(fields));
    }
}
