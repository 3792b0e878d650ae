namespace Billing.Service.Generations;

/// <summary>
/// One request answered through the gateway: the request log. Narrow on purpose (it grows fastest) and
/// written once, from the gateway's usage event, keyed by the generation id it returned to the caller.
/// </summary>
public sealed class Generation
{
    /// <summary><c>gen-&lt;unix&gt;-&lt;random&gt;</c>, as returned in the response's <c>id</c>.</summary>
    public required string Id { get; set; }
    public Guid AccountId { get; set; }
    public Guid ApiKeyId { get; set; }
    public required string Model { get; set; }
    public required string ProviderSlug { get; set; }
    public required string ProviderName { get; set; }
    public int EndpointId { get; set; }
    public string? UpstreamId { get; set; }

    public int PromptTokens { get; set; }
    public int CompletionTokens { get; set; }
    public int CachedTokens { get; set; }
    public int CacheWriteTokens { get; set; }
    public int ReasoningTokens { get; set; }

    /// <summary>Nano-dollars charged to the account.</summary>
    public long CostNanos { get; set; }

    /// <summary>Nano-dollars the provider charges for it.</summary>
    public long UpstreamCostNanos { get; set; }
    public bool IsByok { get; set; }

    /// <summary>Web search results the model was given (OpenRouter's <c>num_search_results</c>).</summary>
    public int SearchResults { get; set; }

    /// <summary>Nano-dollars of <see cref="CostNanos"/> that are the web search's fee.</summary>
    public long SearchFeeNanos { get; set; }
    public bool Streamed { get; set; }
    public bool Cancelled { get; set; }
    public string? FinishReason { get; set; }
    public string? NativeFinishReason { get; set; }
    public int LatencyMs { get; set; }
    public int? TimeToFirstTokenMs { get; set; }
    public int GenerationTimeMs { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The UTC day of <see cref="CreatedAt"/>: what daily activity and dashboards group by.</summary>
    public DateOnly CreatedDay { get; set; }
    public string? AppReferer { get; set; }
    public string? AppTitle { get; set; }
}
