using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Api.Translation;
using OpenRouterClone.Shared.Credits;

namespace Gateway.Api.WebSearch;

/// <summary>
/// What the web plugin does to a request and costs: the query (the last user message's text), the results added
/// to that message after its text, the most prompt the addition can be (for the credit hold), and the fee.
/// </summary>
public static class WebSearchPrompt
{
    /// <summary>Longer last messages are searched by their beginning.</summary>
    public const int MaxQueryLength = 1000;

    // Per result: the "[n] ", "URL: " and line breaks around the three fields.
    private const int ResultFramingLength = 32;

    // UTF-16 to UTF-8 is at most three bytes per char, and a token is at least one byte (byte-level BPE).
    private const int MaxTokensPerChar = 3;

    /// <summary>OpenRouter's default prompt, dated with the day of the search.</summary>
    public static string DefaultPrompt(DateOnly date)
        => $"A web search was conducted on {date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}. Incorporate the following web search results into your response.\n\n"
            + "IMPORTANT: Cite them using markdown links named using the domain of the source.\n"
            + "Example: [nytimes.com](https://nytimes.com/some-page).";

    /// <summary>The last user message's text (string content or its text parts), or null when it has none.</summary>
    public static string? QueryFrom(JsonObject request)
    {
        if (LastUserMessage(request) is not { } message)
        {
            return null;
        }
        var text = message["content"] switch
        {
            JsonValue value when value.TryGetValue<string>(out var content) => content,
            JsonArray parts => string.Join('\n', parts.OfType<JsonObject>()
                .Where(part => JsonRead.String(part["type"]) == "text")
                .Select(part => JsonRead.String(part["text"]))
                .OfType<string>()),
            _ => null,
        };
        text = text?.Trim();
        return string.IsNullOrEmpty(text) ? null : text.Length <= MaxQueryLength ? text : text[..MaxQueryLength];
    }

    /// <summary>The text the model is given: the prompt (the caller's <c>search_prompt</c> or the default), then each result.</summary>
    public static string Context(WebPluginRequest web, IReadOnlyList<WebSearchResult> results, DateOnly date)
    {
        var text = new StringBuilder(web.SearchPrompt ?? DefaultPrompt(date));
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            text.Append("\n\n[").Append(i + 1).Append("] ").Append(result.Title)
                .Append("\nURL: ").Append(result.Url)
                .Append('\n').Append(result.Snippet);
        }
        return text.ToString();
    }

    /// <summary>
    /// Adds the search context to the last user message, after its text (a text part for multi-part content):
    /// the model reads the results with the question they answer.
    /// </summary>
    public static void Inject(JsonObject request, string context)
    {
        if (LastUserMessage(request) is not { } message)
        {
            return;
        }
        switch (message["content"])
        {
            case JsonArray parts:
                parts.Add(new JsonObject { ["type"] = "text", ["text"] = context });
                break;
            case JsonValue value when value.TryGetValue<string>(out var content):
                message["content"] = content + "\n\n" + context;
                break;
        }
    }

    /// <summary>
    /// Request bytes that stand for the most prompt tokens the context can add, for the credit hold (which bounds
    /// the prompt at a token per two request bytes): every char of the prompt and the bounded results counted as
    /// three tokens.
    /// </summary>
    public static int ExtraRequestBytes(WebPluginRequest web)
    {
        var promptLength = web.SearchPrompt?.Length ?? DefaultPrompt(DateOnly.MaxValue).Length;
        var perResult = WebSearchResult.MaxTitleLength + WebSearchResult.MaxUrlLength + WebSearchResult.MaxSnippetLength + ResultFramingLength;
        // Two chars of "\n\n" join the context to the message.
        var chars = 2 + promptLength + web.MaxResults * perResult;
        return 2 * MaxTokensPerChar * chars;
    }

    /// <summary>The fee for <paramref name="results"/> results: charged with the answer, on top of the tokens, BYOK or not.</summary>
    public static long FeeNanos(int results, WebSearchOptions options) => results * Nanos.FromUsd(options.PricePerResultUsd);

    /// <summary>The most the search can cost (every result asked for), held before it runs.</summary>
    public static long MaxFeeNanos(WebPluginRequest web, WebSearchOptions options) => FeeNanos(web.MaxResults, options);

    private static JsonObject? LastUserMessage(JsonObject request)
        => (request["messages"] as JsonArray)?.OfType<JsonObject>().LastOrDefault(message => JsonRead.String(message["role"]) == "user");

}
