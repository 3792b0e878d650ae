using System.Text.Json.Nodes;

namespace Gateway.Api.Credits;

/// <summary>The tokens a generation used, as the OpenAI-format <c>usage</c> block reports them.</summary>
public sealed record TokenUsage(int PromptTokens, int CompletionTokens, int CachedTokens = 0, int CacheWriteTokens = 0, int ReasoningTokens = 0)
{
    public static readonly TokenUsage None = new(0, 0);

    /// <summary>
    /// Reads <c>prompt_tokens</c>, <c>completion_tokens</c>, <c>prompt_tokens_details.cached_tokens</c> and
    /// <c>cache_write_tokens</c>, and <c>completion_tokens_details.reasoning_tokens</c>; null when the block
    /// lacks the two counts.
    /// </summary>
    public static TokenUsage? FromOpenAI(JsonObject usage)
    {
        if (Count(usage["prompt_tokens"]) is not { } prompt || Count(usage["completion_tokens"]) is not { } completion)
        {
            return null;
        }
        var promptDetails = usage["prompt_tokens_details"] as JsonObject;
        var completionDetails = usage["completion_tokens_details"] as JsonObject;
        return new TokenUsage(
            prompt,
            completion,
            Count(promptDetails?["cached_tokens"]) ?? 0,
            Count(promptDetails?["cache_write_tokens"]) ?? 0,
            Count(completionDetails?["reasoning_tokens"]) ?? 0);
    }

    private static int? Count(JsonNode? node)
        => node is JsonValue value && value.TryGetValue<long>(out var count) && count is >= 0 and <= int.MaxValue ? (int)count : null;
}
