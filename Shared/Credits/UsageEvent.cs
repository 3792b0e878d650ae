using System.Globalization;
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

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The event as Redis Stream fields; absent optional values are left out.</summary>
    public NameValueEntry[] ToStreamFields()
    {
        var fields = new List<NameValueEntry>(29)
        {
            new(Fields.GenerationId, GenerationId),
            new(Fields.AccountId, AccountId.ToString("N")),
            new(Fields.KeyId, KeyId.ToString("N")),
            new(Fields.Model, Model),
            new(Fields.ProviderSlug, ProviderSlug),
            new(Fields.ProviderName, ProviderName),
            new(Fields.EndpointId, Format(EndpointId)),
            new(Fields.PromptTokens, Format(PromptTokens)),
            new(Fields.CompletionTokens, Format(CompletionTokens)),
            new(Fields.CachedTokens, Format(CachedTokens)),
            new(Fields.CacheWriteTokens, Format(CacheWriteTokens)),
            new(Fields.ReasoningTokens, Format(ReasoningTokens)),
            new(Fields.CostNanos, Format(CostNanos)),
            new(Fields.UpstreamCostNanos, Format(UpstreamCostNanos)),
            new(Fields.IsByok, IsByok ? "1" : "0"),
            new(Fields.Streamed, Streamed ? "1" : "0"),
            new(Fields.Cancelled, Cancelled ? "1" : "0"),
            new(Fields.LatencyMs, Format(LatencyMs)),
            new(Fields.GenerationTimeMs, Format(GenerationTimeMs)),
            new(Fields.CreatedAt, Format(CreatedAt.ToUnixTimeMilliseconds())),
        };
        AddOptional(Fields.UpstreamId, UpstreamId);
        AddOptional(Fields.FinishReason, FinishReason);
        AddOptional(Fields.NativeFinishReason, NativeFinishReason);
        AddOptional(Fields.TimeToFirstTokenMs, TimeToFirstTokenMs is { } ttft ? Format(ttft) : null);
        AddOptional(Fields.AppReferer, AppReferer);
        AddOptional(Fields.AppTitle, AppTitle);
        AddOptional(Fields.TraceParent, TraceParent);
        // Only with a search: events without one stay as they were.
        if (SearchResults != 0 || SearchFeeNanos != 0)
        {
            fields.Add(new NameValueEntry(Fields.SearchResults, Format(SearchResults)));
            fields.Add(new NameValueEntry(Fields.SearchFeeNanos, Format(SearchFeeNanos)));
        }
        return [.. fields];

        void AddOptional(string name, string? value)
        {
            if (value is not null)
            {
                fields.Add(new NameValueEntry(name, value));
            }
        }
    }

    /// <summary>Reads an event written by <see cref="ToStreamFields"/>; throws <see cref="FormatException"/> on a malformed one.</summary>
    public static UsageEvent FromStreamFields(NameValueEntry[] entries)
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

        var cost = Long(Fields.CostNanos);
        var searchResults = OptionalLong(Fields.SearchResults);
        var searchFee = OptionalLong(Fields.SearchFeeNanos);
        // The fee is booked apart from the rest of the cost, so it must be a part of it.
        if (searchResults is < 0 or > int.MaxValue || searchFee < 0 || searchFee > Math.Max(cost, 0))
        {
            throw new FormatException($"Usage event with search results {searchResults} and fee {searchFee} for a cost of {cost}");
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
            CostNanos = cost,
            UpstreamCostNanos = Long(Fields.UpstreamCostNanos),
            IsByok = Flag(Fields.IsByok),
            SearchResults = (int)searchResults,
            SearchFeeNanos = searchFee,
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
