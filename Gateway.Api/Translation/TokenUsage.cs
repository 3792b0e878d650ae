using System.Text.Json.Nodes;

namespace Gateway.Api.Translation;

/// <summary>
/// Token counts in OpenAI's terms, the common ground of every provider's usage report: prompt tokens include the
/// cached and cache-written ones, completion tokens include reasoning.
/// </summary>
/// <param name="CacheWriteTokens">Prompt tokens written to the cache (Anthropic bills them above the input price).</param>
/// <param name="ReasoningTokens">Null when the provider does not say.</param>
public sealed record TokenUsage(int PromptTokens, int CompletionTokens, int CachedTokens = 0, int CacheWriteTokens = 0, int? ReasoningTokens = null)
{
    public int TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>Anthropic's input_tokens excludes the cache reads and writes, so all three add up to the prompt.</summary>
    public static TokenUsage FromAnthropic(JsonObject? usage)
    {
        var input = JsonRead.Int(usage?["input_tokens"]) ?? 0;
        var read = JsonRead.Int(usage?["cache_read_input_tokens"]) ?? 0;
        var write = JsonRead.Int(usage?["cache_creation_input_tokens"]) ?? 0;
        return new TokenUsage(input + read + write, JsonRead.Int(usage?["output_tokens"]) ?? 0, read, write);
    }

    /// <summary>Gemini's candidatesTokenCount excludes thoughts; promptTokenCount already includes the cached content.</summary>
    public static TokenUsage FromGemini(JsonObject? usageMetadata)
    {
        var thoughts = JsonRead.Int(usageMetadata?["thoughtsTokenCount"]);
        return new TokenUsage(
            JsonRead.Int(usageMetadata?["promptTokenCount"]) ?? 0,
            (JsonRead.Int(usageMetadata?["candidatesTokenCount"]) ?? 0) + (thoughts ?? 0),
            JsonRead.Int(usageMetadata?["cachedContentTokenCount"]) ?? 0,
            ReasoningTokens: thoughts);
    }

    public static TokenUsage FromChat(JsonObject? usage)
    {
        var prompt = usage?["prompt_tokens_details"] as JsonObject;
        return new TokenUsage(
            JsonRead.Int(usage?["prompt_tokens"]) ?? 0,
            JsonRead.Int(usage?["completion_tokens"]) ?? 0,
            JsonRead.Int(prompt?["cached_tokens"]) ?? 0,
            JsonRead.Int(prompt?["cache_write_tokens"]) ?? 0,
            JsonRead.Int((usage?["completion_tokens_details"] as JsonObject)?["reasoning_tokens"]));
    }

    /// <summary>OpenAI's usage object; cache writes go in prompt_tokens_details.cache_write_tokens, as OpenRouter reports them.</summary>
    public JsonObject ToChatUsage()
    {
        var completionDetails = new JsonObject();
        if (ReasoningTokens is { } reasoning)
        {
            completionDetails["reasoning_tokens"] = reasoning;
        }
        return new JsonObject
        {
            ["prompt_tokens"] = PromptTokens,
            ["completion_tokens"] = CompletionTokens,
            ["total_tokens"] = TotalTokens,
            ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = CachedTokens, ["cache_write_tokens"] = CacheWriteTokens },
            ["completion_tokens_details"] = completionDetails,
        };
    }

    /// <summary>Anthropic's usage object (the /v1/messages surface): input_tokens without the cached parts.</summary>
    public JsonObject ToAnthropicUsage() => new()
    {
        ["input_tokens"] = Math.Max(0, PromptTokens - CachedTokens - CacheWriteTokens),
        ["cache_creation_input_tokens"] = CacheWriteTokens,
        ["cache_read_input_tokens"] = CachedTokens,
        ["output_tokens"] = CompletionTokens,
    };
}
