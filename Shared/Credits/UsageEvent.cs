using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using StackExchange.Redis;

namespace OpenRouterClone.Shared.Credits;

/// <summary>
/// One finished (or cancelled) generation, as the gateway settles it and Billing.Service records it: the
/// generation row and its ledger entries are written from this, once per <see cref="GenerationId"/>.
/// </summary>
public sealed record UsageEvent
{
    public required string GenerationId { get; init; }
    public required Guid AccountId { get; init; }
    public required Guid KeyId { get; init; }

    /// <summary>The OpenRouter model id that answered (<c>author/slug</c>, variant included).</summary>
    public required string Model { get; init; }
    public required string ProviderSlug { get; init; }
    public required string ProviderName { get; init; }
    public int EndpointId { get; init; }
    public string? UpstreamId { get; init; }

    public int PromptTokens { get; init; }
    public int CompletionTokens { get; init; }
    public int CachedTokens { get; init; }
    public int CacheWriteTokens { get; init; }
    public int ReasoningTokens { get; init; }

    /// <summary>What the account is charged, in nano-dollars.</summary>
    public long CostNanos { get; init; }

    /// <summary>What the provider charges for it (equal to the cost unless the user brought their own key).</summary>
    public long UpstreamCostNanos { get; init; }
    public bool IsByok { get; init; }

    /// <summary>Web search results the answer was given (0 without the web plugin).</summary>
    public int SearchResults { get; init; }

    /// <summary>
    /// The web search's fee, in nano-dollars: part of <see cref="CostNanos"/> (owed to the search provider, not to
    /// the model's provider).
    /// </summary>
    public long SearchFeeNanos { get; init; }

    public bool Streamed { get; init; }
    public bool Cancelled { get; init; }
    public string? FinishReason { get; init; }
    public string? NativeFinishReason { get; init; }

    /// <summary>From the request's arrival to the last byte, in milliseconds.</summary>
    public int LatencyMs { get; init; }

    /// <summary>From the request's arrival to the first output token (streams) or the answer (otherwise).</summary>
    public int? TimeToFirstTokenMs { get; init; }
    public int GenerationTimeMs { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>App attribution from the <c>HTTP-Referer</c> and <c>X-Title</c> headers.</summary>
    public string? AppReferer { get; init; }
    public string? AppTitle { get; init; }

    /// <summary>The W3C <c>traceparent</c> of the request that generated it, so its recording joins the same trace.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The field names of the one-field-per-value form.</summary>
    private static class Fields
    {
        public const string GenerationId = "gen";
        public const string AccountId = "acct";
        public const string KeyId = "key";
        public const string Model = "model";
        public const string ProviderSlug = "provider";
        public const string ProviderName = "provider_name";
        public const string EndpointId = "endpoint";
        public const string UpstreamId = "upstream_id";
        public const string PromptTokens = "prompt";
        public const string CompletionTokens = "completion";
        public const string CachedTokens = "cached";
        public const string CacheWriteTokens = "cache_write";
        public const string ReasoningTokens = "reasoning";
        public const string CostNanos = "cost";
        public const string UpstreamCostNanos = "upstream_cost";
        public const string IsByok = "byok";
        public const string SearchResults = "search_results";
        public const string SearchFeeNanos = "search_fee";
        public const string Streamed = "streamed";
        public const string Cancelled = "cancelled";
        public const string FinishReason = "finish";
        public const string NativeFinishReason = "native_finish";
        public const string LatencyMs = "latency_ms";
        public const string TimeToFirstTokenMs = "ttft_ms";
        public const string GenerationTimeMs = "generation_ms";
        public const string CreatedAt = "created_ms";
        public const string AppReferer = "referer";
        public const string AppTitle = "title";
        public const string TraceParent = "traceparent";
    }

    // One field holding the whole event as JSON: a settlement passes it to Redis as a single script argument and
    // stream field instead of ~25 name/value pairs (each encoded by the client, copied into the script's ARGV and
    // the stream entry, and parsed back by Billing.Service).
    private const string EventField = "event";

    /// <summary>The event as a Redis Stream entry's fields.</summary>
    public NameValueEntry[] ToStreamFields() => [new(EventField, JsonSerializer.SerializeToUtf8Bytes(this, UsageEventJsonContext.Default.UsageEvent))];

    /// <summary>
    /// Reads an event written by <see cref="ToStreamFields"/>, or by a gateway that wrote one field per value (events
    /// still queued from before); throws <see cref="FormatException"/> on a malformed one.
    /// </summary>
    public static UsageEvent FromStreamFields(NameValueEntry[] entries)
    {
        var usage = Array.Find(entries, entry => entry.Name == EventField) is { Value.IsNull: false } json ? FromJson(json.Value) : FromFieldPerValue(entries);
        // The fee is booked apart from the rest of the cost, so it must be a part of it.
        if (usage.SearchResults < 0 || usage.SearchFeeNanos < 0 || usage.SearchFeeNanos > Math.Max(usage.CostNanos, 0))
        {
            throw new FormatException($"Usage event with search results {usage.SearchResults} and fee {usage.SearchFeeNanos} for a cost of {usage.CostNanos}");
        }
        return usage;
    }

    private static UsageEvent FromJson(RedisValue json)
    {
        try
        {
            return JsonSerializer.Deserialize((byte[])json!, UsageEventJsonContext.Default.UsageEvent)
                ?? throw new FormatException("Usage event is null");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Malformed usage event: {ex.Message}", ex);
        }
    }

    private static UsageEvent FromFieldPerValue(NameValueEntry[] entries)
    {
        var values = new Dictionary<string, string>(entries.Length, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            values[entry.Name.ToString()] = entry.Value.ToString();
        }

        string Required(string name) => values.TryGetValue(name, out var value) ? value : throw new FormatException($"Usage event without '{name}'");
        string? Optional(string name) => values.GetValueOrDefault(name);
        int Int(string name) => int.Parse(Required(name), CultureInfo.InvariantCulture);
        long Long(string name) => long.Parse(Required(name), CultureInfo.InvariantCulture);
        bool Flag(string name) => Required(name) == "1";
        // Absent in events queued before the gateway sent them (and in events without a search): 0.
        long OptionalLong(string name) => Optional(name) is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : 0;

        var searchResults = OptionalLong(Fields.SearchResults);
        if (searchResults is < 0 or > int.MaxValue)
        {
            throw new FormatException($"Usage event with {searchResults} search results");
        }

        return new UsageEvent
        {
            GenerationId = Required(Fields.GenerationId),
            AccountId = Guid.ParseExact(Required(Fields.AccountId), "N"),
            KeyId = Guid.ParseExact(Required(Fields.KeyId), "N"),
            Model = Required(Fields.Model),
            ProviderSlug = Required(Fields.ProviderSlug),
            ProviderName = Required(Fields.ProviderName),
            EndpointId = Int(Fields.EndpointId),
            UpstreamId = Optional(Fields.UpstreamId),
            PromptTokens = Int(Fields.PromptTokens),
            CompletionTokens = Int(Fields.CompletionTokens),
            CachedTokens = Int(Fields.CachedTokens),
            CacheWriteTokens = Int(Fields.CacheWriteTokens),
            ReasoningTokens = Int(Fields.ReasoningTokens),
            CostNanos = Long(Fields.CostNanos),
            UpstreamCostNanos = Long(Fields.UpstreamCostNanos),
            IsByok = Flag(Fields.IsByok),
            SearchResults = (int)searchResults,
            SearchFeeNanos = OptionalLong(Fields.SearchFeeNanos),
            Streamed = Flag(Fields.Streamed),
            Cancelled = Flag(Fields.Cancelled),
            FinishReason = Optional(Fields.FinishReason),
            NativeFinishReason = Optional(Fields.NativeFinishReason),
            LatencyMs = Int(Fields.LatencyMs),
            TimeToFirstTokenMs = Optional(Fields.TimeToFirstTokenMs) is { } ttft ? int.Parse(ttft, CultureInfo.InvariantCulture) : null,
            GenerationTimeMs = Int(Fields.GenerationTimeMs),
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(Long(Fields.CreatedAt)),
            AppReferer = Optional(Fields.AppReferer),
            AppTitle = Optional(Fields.AppTitle),
            TraceParent = Optional(Fields.TraceParent),
        };
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(UsageEvent))]
internal sealed partial class UsageEventJsonContext : JsonSerializerContext;
