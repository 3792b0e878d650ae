using System.Text.Json.Nodes;

namespace Gateway.Api.Translation;

/// <summary>
/// Turns one Anthropic Messages stream, event by event, into OpenAI <c>chat.completion.chunk</c>s: the role on
/// message_start, content and <c>reasoning</c> deltas, a tool call's id and name on its block start and then its
/// argument fragments, a finish chunk on message_delta and the usage chunk (empty choices) on message_stop.
/// An <c>error</c> event ends the stream with an error chunk. One instance per stream; not thread-safe.
/// </summary>
public sealed class AnthropicStreamTranslator(long? created = null)
{
    private readonly ChatChunks _chunks = new() { Created = ChatChunks.Now(created) };
    private readonly Dictionary<int, int> _toolIndexByBlock = [];
    private JsonObject _usage = [];
    private bool _finishSent;

    /// <summary>True once message_stop or an error event has ended the stream.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>The token counts so far (input from message_start, output from message_delta).</summary>
    public TokenUsage Usage => TokenUsage.FromAnthropic(_usage);

    /// <param name="eventName">The SSE <c>event:</c> name; when empty, the data's <c>type</c> is used.</param>
    /// <param name="data">The SSE <c>data:</c> payload (JSON).</param>
    /// <exception cref="TranslationException">The data is not a JSON object.</exception>
    public IReadOnlyList<JsonObject> OnEvent(string? eventName, string data)
    {
        if (IsComplete)
        {
            return [];
        }
        var payload = JsonRead.ParseEvent(data, "An Anthropic stream event");
        var name = string.IsNullOrEmpty(eventName) ? JsonRead.String(payload["type"]) : eventName;
        return name switch
        {
            "message_start" => MessageStart(payload["message"] as JsonObject),
            "content_block_start" => BlockStart(JsonRead.Int(payload["index"]) ?? 0, payload["content_block"] as JsonObject),
            "content_block_delta" => BlockDelta(JsonRead.Int(payload["index"]) ?? 0, payload["delta"] as JsonObject),
            "message_delta" => MessageDelta(payload),
            "message_stop" => MessageStop(),
            "error" => Error(payload["error"] as JsonObject),
            // ping, content_block_stop and future event types carry nothing for OpenAI clients.
            _ => [],
        };
    }

    /// <summary>
    /// Called when the upstream stream ends: nothing when it ended properly, else a terminal error chunk,
    /// since a client must not take a cut-off answer for a whole one.
    /// </summary>
    public IReadOnlyList<JsonObject> Complete()
    {
        if (IsComplete)
        {
            return [];
        }
        IsComplete = true;
        return _finishSent
            ? [_chunks.Usage(Usage)]
            : [_chunks.Error(502, "The provider's stream ended before the message was complete", null)];
    }

    private List<JsonObject> MessageStart(JsonObject? message)
    {
        _chunks.Id = JsonRead.String(message?["id"]) ?? "";
        _chunks.Model = JsonRead.String(message?["model"]) ?? "";
        MergeUsage(message?["usage"] as JsonObject);
        return [_chunks.Delta(new JsonObject { ["role"] = "assistant", ["content"] = "" })];
    }

    private List<JsonObject> BlockStart(int index, JsonObject? block)
    {
        switch (JsonRead.String(block?["type"]))
        {
            case "tool_use":
                var toolIndex = _toolIndexByBlock.Count;
                _toolIndexByBlock[index] = toolIndex;
                return [_chunks.Delta(ChatChunks.ToolCallStart(toolIndex, JsonRead.String(block!["id"]) ?? "", JsonRead.String(block["name"]) ?? ""))];
            case "text" when JsonRead.String(block!["text"]) is { Length: > 0 } text:
                return [_chunks.Delta(new JsonObject { ["content"] = text })];
            case "redacted_thinking":
                return [_chunks.Delta(new JsonObject
                {
                    ["reasoning_details"] = new JsonArray(AnthropicResponses.EncryptedDetail(index, JsonRead.String(block!["data"]) ?? "")),
                })];
            default:
                return [];
        }
    }

    private List<JsonObject> BlockDelta(int index, JsonObject? delta)
    {
        switch (JsonRead.String(delta?["type"]))
        {
            case "text_delta":
                return [_chunks.Delta(new JsonObject { ["content"] = JsonRead.String(delta!["text"]) ?? "" })];
            case "thinking_delta":
                var thinking = JsonRead.String(delta!["thinking"]) ?? "";
                return [_chunks.Delta(new JsonObject
                {
                    ["reasoning"] = thinking,
                    ["reasoning_details"] = new JsonArray(AnthropicResponses.ReasoningDetail(index, thinking, null)),
                })];
            case "signature_delta":
                // The signature lets the client replay the thinking block in a later turn.
                return [_chunks.Delta(new JsonObject
                {
                    ["reasoning_details"] = new JsonArray(AnthropicResponses.ReasoningDetail(index, "", JsonRead.String(delta!["signature"]))),
                })];
            case "input_json_delta" when _toolIndexByBlock.TryGetValue(index, out var toolIndex)
                                      && JsonRead.String(delta!["partial_json"]) is { Length: > 0 } fragment:
                return [_chunks.Delta(ChatChunks.ToolCallArguments(toolIndex, fragment))];
            default:
                return [];
        }
    }

    private List<JsonObject> MessageDelta(JsonObject payload)
    {
        // message_delta's usage is cumulative and may repeat any of message_start's counts.
        MergeUsage(payload["usage"] as JsonObject);
        if (JsonRead.String((payload["delta"] as JsonObject)?["stop_reason"]) is not { } native || _finishSent)
        {
            return [];
        }
        _finishSent = true;
        return [_chunks.Delta([], FinishReasons.Normalize(native), native)];
    }

    private List<JsonObject> MessageStop()
    {
        IsComplete = true;
        return _finishSent
            ? [_chunks.Usage(Usage)]
            : [_chunks.Delta([], FinishReasons.Stop, null), _chunks.Usage(Usage)];
    }

    private List<JsonObject> Error(JsonObject? error)
    {
        IsComplete = true;
        var type = JsonRead.String(error?["type"]);
        return [_chunks.Error(StatusFor(type), JsonRead.String(error?["message"]) ?? "The provider reported an error", type)];
    }

    private void MergeUsage(JsonObject? usage)
    {
        foreach (var (key, value) in usage ?? [])
        {
            if (value is not null)
            {
                _usage[key] = value.DeepClone();
            }
        }
    }

    /// <summary>The HTTP status Anthropic documents for each error type (overloaded's 529 is reported as 503).</summary>
    internal static int StatusFor(string? errorType) => errorType switch
    {
        "invalid_request_error" => 400,
        "authentication_error" => 401,
        "billing_error" => 402,
        "permission_error" => 403,
        "not_found_error" => 404,
        "request_too_large" => 413,
        "rate_limit_error" => 429,
        "timeout_error" => 504,
        "overloaded_error" => 503,
        _ => 500,
    };
}
