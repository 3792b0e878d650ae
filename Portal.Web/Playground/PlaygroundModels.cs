using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Web.Playground;

/// <summary>One turn of the conversation as the chat completions API takes it.</summary>
public sealed record ChatTurn(string Role, string Content);

/// <summary>What the playground sends: the conversation so far and the chosen parameters.</summary>
public sealed record PlaygroundRequest(string Model, IReadOnlyList<ChatTurn> Messages, double? Temperature = null, int? MaxTokens = null,
    ProviderRouting? Provider = null);

/// <summary>
/// The request's <c>provider</c> object (OpenRouter's routing preferences); null members are left out so the
/// gateway's defaults and the account's saved preferences apply.
/// </summary>
public sealed record ProviderRouting(
    string? Sort = null,
    IReadOnlyList<string>? Only = null,
    IReadOnlyList<string>? Ignore = null,
    bool? AllowFallbacks = null)
{
    /// <summary>The sort orders the gateway understands.</summary>
    public static readonly IReadOnlyList<string> SortOrders = ["price", "throughput", "latency"];

    /// <summary>Preferences from the page's controls, or null when none differs from the defaults (no <c>provider</c> sent).</summary>
    public static ProviderRouting? From(string? sort, IEnumerable<string> only, IEnumerable<string> ignore, bool allowFallbacks)
    {
        var routing = new ProviderRouting(
            string.IsNullOrEmpty(sort) ? null : sort,
            NullIfEmpty(only),
            NullIfEmpty(ignore),
            // Fallbacks are the gateway's default: only turning them off needs saying.
            allowFallbacks ? null : false);
        return routing == new ProviderRouting() ? null : routing;
    }

    private static string[]? NullIfEmpty(IEnumerable<string> slugs)
    {
        string[] list = [.. slugs.Order(StringComparer.Ordinal)];
        return list.Length == 0 ? null : list;
    }
}

/// <summary>One event read from the gateway's stream.</summary>
public abstract record ChatStreamEvent;

/// <summary>More text of the reply.</summary>
public sealed record ChatDelta(string Content) : ChatStreamEvent;

/// <summary>The final usage chunk: tokens, cost in USD and who answered.</summary>
public sealed record ChatUsage(int PromptTokens, int CompletionTokens, decimal? CostUsd, string? Provider, string? Model, string? GenerationId)
    : ChatStreamEvent;

/// <summary>An error in OpenRouter's format, before the stream began (the HTTP status) or inside it (an error chunk).</summary>
public sealed record ChatError(int Code, string Message) : ChatStreamEvent;

internal sealed record StreamOptions(bool IncludeUsage);

/// <summary>The body of POST /api/v1/chat/completions; nulls are left out so the gateway's defaults apply.</summary>
internal sealed record ChatCompletionBody(
    string Model,
    IReadOnlyList<ChatTurn> Messages,
    bool Stream,
    StreamOptions StreamOptions,
    double? Temperature,
    int? MaxTokens,
    ProviderRouting? Provider);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChatCompletionBody))]
internal sealed partial class PlaygroundJsonContext : JsonSerializerContext;
