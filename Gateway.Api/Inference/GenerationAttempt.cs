using System.Diagnostics;
using Gateway.Api.Credits;
using Gateway.Api.Keys;
using Gateway.Api.Routing;
using OpenRouterClone.Shared.Credits;

namespace Gateway.Api.Inference;

/// <summary>One request's generation as it unfolds: which endpoint answered, its meter, and how it ended.</summary>
public sealed class GenerationAttempt(GatewayKey key, string generationId, DateTimeOffset startedAt, bool streamed)
{
    // Attribution headers are the caller's free text: kept short and printable.
    private const int MaxAttributionLength = 256;

    public GatewayKey Key { get; } = key;
    public string GenerationId { get; } = generationId;
    public DateTimeOffset StartedAt { get; } = startedAt;
    public bool Streamed { get; } = streamed;

    /// <summary>The endpoint whose answer the caller gets; null while none has answered.</summary>
    public RouteCandidate? Candidate { get; private set; }
    public GenerationMeter? Meter { get; private set; }
    public DateTimeOffset? AnsweredAt { get; private set; }
    public bool Cancelled { get; set; }

    /// <summary>Charged with the answer on top of the tokens: the web search's fee, once it ran.</summary>
    public long SurchargeNanos { get; set; }

    /// <summary>How many web search results the model was given (what <see cref="SurchargeNanos"/> is the fee for).</summary>
    public int SearchResults { get; set; }

    /// <summary>Marks the endpoint that answered: from here the generation is charged, whatever happens.</summary>
    public void Begin(RouteCandidate candidate, GenerationMeter meter, DateTimeOffset answeredAt)
    {
        Candidate = candidate;
        Meter = meter;
        AnsweredAt = answeredAt;
    }

    public UsageEvent ToUsageEvent(RouteCandidate candidate, GenerationMeter meter, DateTimeOffset finishedAt, IHeaderDictionary requestHeaders)
    {
        var usage = meter.Usage;
        var cost = meter.CostNanos;
        var firstToken = meter.FirstTokenAt ?? AnsweredAt;
        return new UsageEvent
        {
            GenerationId = GenerationId,
            AccountId = Key.AccountId,
            KeyId = Key.KeyId,
            Model = candidate.ModelId,
            ProviderSlug = candidate.Provider.Slug,
            ProviderName = candidate.Provider.Name,
            EndpointId = candidate.Endpoint.Id,
            UpstreamId = meter.UpstreamId,
            PromptTokens = usage.PromptTokens,
            CompletionTokens = usage.CompletionTokens,
            CachedTokens = usage.CachedTokens,
            CacheWriteTokens = usage.CacheWriteTokens,
            ReasoningTokens = usage.ReasoningTokens ?? 0,
            CostNanos = cost,
            UpstreamCostNanos = meter.UpstreamCostNanos,
            IsByok = meter.IsByok,
            SearchResults = SearchResults,
            // The meter's surcharge, the one inside CostNanos: Billing books it apart from the tokens.
            SearchFeeNanos = meter.SurchargeNanos,
            Streamed = Streamed,
            Cancelled = Cancelled,
            FinishReason = Cancelled ? null : meter.FinishReason,
            NativeFinishReason = meter.FinishReason,
            LatencyMs = Milliseconds(finishedAt - StartedAt),
            TimeToFirstTokenMs = firstToken is { } first ? Milliseconds(first - StartedAt) : null,
            GenerationTimeMs = Milliseconds(finishedAt - (firstToken ?? StartedAt)),
            CreatedAt = StartedAt,
            AppReferer = Attribution(requestHeaders["HTTP-Referer"]),
            AppTitle = Attribution(requestHeaders["X-Title"]),
            TraceParent = Activity.Current?.Id,
        };
    }

    private static int Milliseconds(TimeSpan span) => (int)Math.Clamp(span.TotalMilliseconds, 0, int.MaxValue);

    private static string? Attribution(Microsoft.Extensions.Primitives.StringValues values)
    {
        var value = values.ToString();
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var printable = new string([.. value.Where(character => !char.IsControl(character)).Take(MaxAttributionLength)]).Trim();
        return printable.Length == 0 ? null : printable;
    }
}
