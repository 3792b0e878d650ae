using System.Text.Json.Nodes;

namespace Gateway.Api.Translation;

/// <summary>One Anthropic SSE event: its <c>event:</c> name and its <c>data:</c> (whose <c>type</c> repeats the name).</summary>
public readonly record struct AnthropicSseEvent(string Name, JsonObject Data);

/// <summary>
/// Turns an OpenAI chunk stream into an Anthropic Messages event stream (the <c>/v1/messages</c> surface):
/// message_start on the first chunk; a content block per run of reasoning (thinking), content (text) or tool call
/// (tool_use with input_json_delta), each opened with content_block_start and closed with content_block_stop before
/// the next; then message_delta (stop_reason, usage) and message_stop once both the finish reason and the usage
/// chunk have arrived, or on <see cref="Complete"/>. An error chunk becomes an <c>error</c> event.
/// One instance per stream; not thread-safe.
/// </summary>
public sealed class ChatChunkToAnthropicEvents
{
    private readonly Dictionary<int, int> _blockByToolIndex = [];
    private (string Kind, int Index)? _open;
    private int _nextBlock;
    private bool _started;
    private string? _finishReason;
    private string? _nativeFinishReason;
    private TokenUsage? _usage;

    public bool IsComplete { get; private set; }

    public IReadOnlyList<AnthropicSseEvent> OnChunk(JsonObject chunk)
    {
        var events = new List<AnthropicSseEvent>();
        if (IsComplete)
        {
            return events;
        }
        if (chunk["error"] is JsonObject error)
        {
            IsComplete = true;
            var code = JsonRead.Int(error["code"]);
            events.Add(Event("error", new JsonObject
            {
                ["error"] = new JsonObject { ["type"] = ErrorType(code), ["message"] = JsonRead.String(error["message"]) ?? "The provider reported an error" },
            }));
            return events;
        }
        if (!_started)
        {
            _started = true;
            events.Add(Event("message_start", new JsonObject
            {
                ["message"] = new JsonObject
                {
                    ["id"] = JsonRead.String(chunk["id"]),
                    ["type"] = "message",
                    ["role"] = "assistant",
                    ["model"] = JsonRead.String(chunk["model"]),
                    ["content"] = new JsonArray(),
                    ["stop_reason"] = null,
                    ["stop_sequence"] = null,
                    // OpenAI reports usage only at the end; message_delta carries the real counts.
                    ["usage"] = new JsonObject { ["input_tokens"] = 0, ["output_tokens"] = 0 },
                },
            }));
        }

        var choice = (chunk["choices"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(candidate => (JsonRead.Int(candidate["index"]) ?? 0) == 0);
        if (choice?["delta"] is JsonObject delta)
        {
            Translate(delta, events);
        }
        if (JsonRead.String(choice?["finish_reason"]) is { } finishReason)
        {
            _finishReason = finishReason;
            _nativeFinishReason = JsonRead.String(choice!["native_finish_reason"]);
            CloseBlock(events);
        }
        if (chunk["usage"] is JsonObject usage)
        {
            _usage = TokenUsage.FromChat(usage);
        }
        if (_finishReason is not null && _usage is not null)
        {
            Finish(events);
        }
        return events;
    }

    /// <summary>Called when the chunk stream ends: closes the message if the usage chunk never came.</summary>
    public IReadOnlyList<AnthropicSseEvent> Complete()
    {
        var events = new List<AnthropicSseEvent>();
        if (!IsComplete)
        {
            if (!_started)
            {
                OnChunk([]).ToList().ForEach(events.Add);
            }
            Finish(events);
        }
        return events;
    }

    private void Translate(JsonObject delta, List<AnthropicSseEvent> events)
    {
        if (JsonRead.String(delta["reasoning"]) is { Length: > 0 } reasoning)
        {
            var index = OpenBlock("thinking", events, () => new JsonObject { ["type"] = "thinking", ["thinking"] = "", ["signature"] = "" });
            events.Add(BlockDelta(index, new JsonObject { ["type"] = "thinking_delta", ["thinking"] = reasoning }));
        }
        foreach (var detail in (delta["reasoning_details"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (_open is ("thinking", var index) && JsonRead.String(detail["signature"]) is { Length: > 0 } signature)
            {
                events.Add(BlockDelta(index, new JsonObject { ["type"] = "signature_delta", ["signature"] = signature }));
            }
        }
        if (JsonRead.String(delta["content"]) is { Length: > 0 } text)
        {
            var index = OpenBlock("text", events, () => new JsonObject { ["type"] = "text", ["text"] = "" });
            events.Add(BlockDelta(index, new JsonObject { ["type"] = "text_delta", ["text"] = text }));
        }
        foreach (var call in (delta["tool_calls"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var toolIndex = JsonRead.Int(call["index"]) ?? 0;
            var function = call["function"] as JsonObject;
            if (!_blockByToolIndex.ContainsKey(toolIndex))
            {
                CloseBlock(events);
                var index = _nextBlock++;
                _blockByToolIndex[toolIndex] = index;
                _open = ("tool_use", index);
                events.Add(Event("content_block_start", new JsonObject
                {
                    ["index"] = index,
                    ["content_block"] = new JsonObject
                    {
                        ["type"] = "tool_use",
                        ["id"] = JsonRead.String(call["id"]) ?? $"toolu_{toolIndex}",
                        ["name"] = JsonRead.String(function?["name"]) ?? "",
                        ["input"] = new JsonObject(),
                    },
                }));
            }
            // Anthropic blocks cannot be reopened: fragments of a tool call whose block was closed are dropped.
            if (JsonRead.String(function?["arguments"]) is { Length: > 0 } fragment && _open == ("tool_use", _blockByToolIndex[toolIndex]))
            {
                events.Add(BlockDelta(_blockByToolIndex[toolIndex], new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = fragment }));
            }
        }
    }

    private int OpenBlock(string kind, List<AnthropicSseEvent> events, Func<JsonObject> contentBlock)
    {
        if (_open is { } open && open.Kind == kind)
        {
            return open.Index;
        }
        CloseBlock(events);
        var index = _nextBlock++;
        _open = (kind, index);
        events.Add(Event("content_block_start", new JsonObject { ["index"] = index, ["content_block"] = contentBlock() }));
        return index;
    }

    private void CloseBlock(List<AnthropicSseEvent> events)
    {
        if (_open is { } open)
        {
            events.Add(Event("content_block_stop", new JsonObject { ["index"] = open.Index }));
            _open = null;
        }
    }

    private void Finish(List<AnthropicSseEvent> events)
    {
        CloseBlock(events);
        IsComplete = true;
        events.Add(Event("message_delta", new JsonObject
        {
            ["delta"] = new JsonObject
            {
                ["stop_reason"] = FinishReasons.ToAnthropic(_finishReason, _nativeFinishReason),
                ["stop_sequence"] = null,
            },
            ["usage"] = (_usage ?? new TokenUsage(0, 0)).ToAnthropicUsage(),
        }));
        events.Add(Event("message_stop", []));
    }

    private static AnthropicSseEvent BlockDelta(int index, JsonObject delta) =>
        Event("content_block_delta", new JsonObject { ["index"] = index, ["delta"] = delta });

    private static AnthropicSseEvent Event(string name, JsonObject data)
    {
        // Anthropic puts the type first; a fresh object keeps that order.
        var ordered = new JsonObject { ["type"] = name };
        foreach (var (key, value) in data.ToList())
        {
            data.Remove(key);
            ordered[key] = value;
        }
        return new AnthropicSseEvent(name, ordered);
    }

    /// <summary>Anthropic's error type for an HTTP-like status (the inverse of the translator's mapping).</summary>
    private static string ErrorType(int? code) => code switch
    {
        400 => "invalid_request_error",
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        503 or 529 => "overloaded_error",
        504 or 408 => "timeout_error",
        _ => "api_error",
    };
}
