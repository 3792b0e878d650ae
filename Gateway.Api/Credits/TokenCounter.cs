using System.Text.Json.Nodes;
using Gateway.Api.Translation;
using Microsoft.ML.Tokenizers;

namespace Gateway.Api.Credits;

/// <summary>
/// Counts tokens with a real tokenizer (tiktoken's <c>o200k_base</c>, the encoding of OpenAI's current models)
/// for the generations whose provider reported no usage: the caller left, the stream broke, or the provider
/// simply sends none. Other providers' tokenizers differ by a few percent; a count of what was actually sent
/// and relayed is still far closer than a guess from byte sizes. Only the no-usage path pays for it.
/// </summary>
public sealed class TokenCounter
{
    /// <summary>OpenAI's chat framing: each message is wrapped as <c>&lt;|start|&gt;role&lt;|message|&gt;…&lt;|end|&gt;</c>.</summary>
    public const int TokensPerMessage = 3;

    /// <summary>A message's <c>name</c> costs one token besides its text.</summary>
    public const int TokensPerName = 1;

    /// <summary>Every reply is primed with <c>&lt;|start|&gt;assistant&lt;|message|&gt;</c>.</summary>
    public const int ReplyPriming = 3;

    // Loading the vocabulary takes a while and some tens of MB: done once, never per request, at start by
    // TokenizerWarmup (or on the first count, if that comes first).
    private static readonly Lazy<TokenCounter> s_shared = new(() => new TokenCounter(TiktokenTokenizer.CreateForEncoding("o200k_base")));

    private readonly Tokenizer _tokenizer;

    public TokenCounter(Tokenizer tokenizer) => _tokenizer = tokenizer;

    /// <summary>The one instance the gateway uses (thread-safe; the tokenizer keeps no per-call state).</summary>
    public static TokenCounter Shared => s_shared.Value;

    public int Count(string? text) => string.IsNullOrEmpty(text) ? 0 : _tokenizer.CountTokens(text);

    /// <summary>
    /// The prompt of an upstream request in chat form (every endpoint's body is translated to it), or of an
    /// embeddings request (<c>input</c>), or a legacy <c>prompt</c>. Text is counted; images, audio and files
    /// are not (no text tokenizer can), so their share stays uncharged rather than guessed.
    /// </summary>
    public int CountPrompt(JsonObject request)
    {
        if (request["messages"] is JsonArray messages)
        {
            var tokens = ReplyPriming + CountTools(request["tools"]);
            foreach (var message in messages.OfType<JsonObject>())
            {
                tokens += CountMessage(message);
            }
            return tokens;
        }
        return CountInput(request["input"] ?? request["prompt"]);
    }

    private int CountMessage(JsonObject message)
    {
        var tokens = TokensPerMessage + Count(JsonRead.String(message["role"])) + CountContent(message["content"]);
        if (JsonRead.String(message["name"]) is { Length: > 0 } name)
        {
            tokens += TokensPerName + Count(name);
        }
        if (message["tool_calls"] is JsonArray toolCalls)
        {
            foreach (var call in toolCalls.OfType<JsonObject>())
            {
                if (call["function"] is JsonObject function)
                {
                    tokens += Count(JsonRead.String(function["name"])) + Count(JsonRead.String(function["arguments"]));
                }
            }
        }
        return tokens;
    }

    private int CountContent(JsonNode? content)
    {
        if (content is JsonArray parts)
        {
            var tokens = 0;
            foreach (var part in parts.OfType<JsonObject>())
            {
                tokens += Count(JsonRead.String(part["text"]));
            }
            return tokens;
        }
        return Count(JsonRead.String(content));
    }

    // Tool definitions reach the model as text too; their JSON is the closest text to count.
    private int CountTools(JsonNode? tools)
        => tools is JsonArray { Count: > 0 } definitions ? Count(definitions.ToJsonString()) : 0;

    // Embeddings take a string, strings, or already tokenized input (arrays of token ids).
    private int CountInput(JsonNode? input) => input switch
    {
        JsonArray items => items.Sum(item => item is JsonArray ids ? ids.Count : item is JsonValue value && !value.TryGetValue<string>(out _) ? 1 : CountInput(item)),
        _ => Count(JsonRead.String(input)),
    };
}

/// <summary>
/// Loads the tokenizer's vocabulary when the gateway starts, in the background: otherwise the first stream a caller
/// cuts off waits for the load, and the process's memory jumps by some 40 MB at an unpredictable moment (a soak saw
/// it as growth) instead of being there from the start.
/// </summary>
public sealed partial class TokenizerWarmup(ILogger<TokenizerWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Run(() => TokenCounter.Shared.Count("warm-up"), stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not a reason to stop the gateway: only answers without usage need the tokenizer, and they will say so.
            LogWarmupFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The tokenizer could not be loaded; answers without usage cannot be counted")]
    private static partial void LogWarmupFailed(ILogger logger, Exception exception);
}

/// <summary>
/// One request's prompt, counted with <see cref="TokenCounter"/> only when an answer comes without usage, and
/// at most once however many endpoints are tried.
/// </summary>
public sealed class PromptTokens(JsonObject request)
{
    private int? _count;

    public int Count => _count ??= TokenCounter.Shared.CountPrompt(request);
}
