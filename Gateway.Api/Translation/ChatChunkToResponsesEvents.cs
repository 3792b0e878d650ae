using System.Text;
using System.Text.Json.Nodes;
using static Gateway.Api.Translation.ResponsesEndpointTranslation;

namespace Gateway.Api.Translation;

/// <summary>One Responses SSE event: its <c>event:</c> name and its <c>data:</c> (whose <c>type</c> repeats the name).</summary>
public readonly record struct ResponsesSseEvent(string Name, JsonObject Data);

/// <summary>
/// Turns an OpenAI chunk stream into a Responses event stream: response.created and response.in_progress on the
/// first chunk; an output item per run of reasoning, text or function call (output_item.added, its deltas, its
/// done events, output_item.done), one open at a time; then response.completed (or response.incomplete at the
/// token limit) with the whole response and its usage, once both the finish reason and the usage have arrived, or
/// on <see cref="Complete"/>. An error chunk becomes <c>error</c> and <c>response.failed</c>. Every event carries
/// a <c>sequence_number</c>. One instance per stream; not thread-safe.
/// </summary>
public sealed class ChatChunkToResponsesEvents
{
    private readonly JsonArray _output = [];
    private readonly Dictionary<int, OpenItem> _callsByToolIndex = [];
    private OpenItem? _open;
    // The stream's id, created, model and provider, from its first chunk.
    private JsonObject? _first;
    private string _id = "";
    private int _sequence;
    private string? _finishReason;
    private JsonObject? _usage;

    private sealed class OpenItem(string kind, int outputIndex, JsonObject item)
    {
        public string Kind { get; } = kind;
        public int OutputIndex { get; } = outputIndex;
        public JsonObject Item { get; } = item;
        public StringBuilder Text { get; } = new();
    }

    public bool IsComplete { get; private set; }

    public IReadOnlyList<ResponsesSseEvent> OnChunk(JsonObject chunk)
    {
        var events = new List<ResponsesSseEvent>();
        if (IsComplete)
        {
            return events;
        }
        if (_first is null)
        {
            _id = JsonRead.String(chunk["id"]) ?? "";
            _first = new JsonObject
            {
                ["id"] = _id, ["created"] = JsonRead.Copy(chunk["created"]), ["model"] = JsonRead.Copy(chunk["model"]), ["provider"] = JsonRead.Copy(chunk["provider"]),
            };
            events.Add(Event("response.created", new JsonObject { ["response"] = Envelope(_first, "in_progress", [], null) }));
            events.Add(Event("response.in_progress", new JsonObject { ["response"] = Envelope(_first, "in_progress", [], null) }));
        }
        if (chunk["error"] is JsonObject error)
        {
            IsComplete = true;
            var message = JsonRead.String(error["message"]) ?? "The provider reported an error";
            var code = JsonRead.Int(error["code"])?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "server_error";
            events.Add(Event("error", new JsonObject { ["code"] = code, ["message"] = message, ["param"] = null }));
            var failed = Envelope(_first, "failed", (JsonArray)_output.DeepClone(), _usage);
            failed["error"] = new JsonObject { ["code"] = "server_error", ["message"] = message };
            events.Add(Event("response.failed", new JsonObject { ["response"] = failed }));
            return events;
        }

        var choice = (chunk["choices"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(candidate => (JsonRead.Int(candidate["index"]) ?? 0) == 0);
        if (choice?["delta"] is JsonObject delta)
        {
            Translate(delta, events);
        }
        if (JsonRead.String(choice?["finish_reason"]) is { } finishReason)
        {
            _finishReason = finishReason;
            CloseItem(events);
        }
        if (chunk["usage"] is JsonObject usage)
        {
            _usage = usage;
        }
        if (_finishReason is not null && _usage is not null)
        {
            Finish(events);
        }
        return events;
    }

    /// <summary>Called when the chunk stream ends: closes the response if the usage chunk never came.</summary>
    public IReadOnlyList<ResponsesSseEvent> Complete()
    {
        var events = new List<ResponsesSseEvent>();
        if (!IsComplete)
        {
            if (_first is null)
            {
                events.AddRange(OnChunk([]));
            }
            Finish(events);
        }
        return events;
    }

    private void Translate(JsonObject delta, List<ResponsesSseEvent> events)
    {
        if (JsonRead.String(delta["reasoning"]) is { Length: > 0 } reasoning)
        {
            var item = Open("reasoning", events, () => new JsonObject { ["type"] = "reasoning", ["id"] = $"rs_{_id}", ["summary"] = new JsonArray() });
            item.Text.Append(reasoning);
            events.Add(Event("response.reasoning_summary_text.delta", new JsonObject
            {
                ["item_id"] = $"rs_{_id}", ["output_index"] = item.OutputIndex, ["summary_index"] = 0, ["delta"] = reasoning,
            }));
        }
        if (JsonRead.String(delta["content"]) is { Length: > 0 } text)
        {
            var item = Open("message", events, () => new JsonObject
            {
                ["type"] = "message", ["id"] = $"msg_{_id}", ["status"] = "in_progress", ["role"] = "assistant", ["content"] = new JsonArray(),
            });
            if (item.Text.Length == 0)
            {
                events.Add(Event("response.content_part.added", new JsonObject
                {
                    ["item_id"] = $"msg_{_id}", ["output_index"] = item.OutputIndex, ["content_index"] = 0, ["part"] = OutputText(""),
                }));
            }
            item.Text.Append(text);
            events.Add(Event("response.output_text.delta", new JsonObject
            {
                ["item_id"] = $"msg_{_id}", ["output_index"] = item.OutputIndex, ["content_index"] = 0, ["delta"] = text,
            }));
        }
        foreach (var call in (delta["tool_calls"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var toolIndex = JsonRead.Int(call["index"]) ?? 0;
            var function = call["function"] as JsonObject;
            if (!_callsByToolIndex.TryGetValue(toolIndex, out var item))
            {
                CloseItem(events);
                var callId = JsonRead.String(call["id"]) ?? $"call_{toolIndex}";
                item = new OpenItem("function_call", _output.Count, FunctionCallItem(callId, JsonRead.String(function?["name"]) ?? "", "", "in_progress"));
                _output.Add(null);
                _callsByToolIndex[toolIndex] = item;
                _open = item;
                events.Add(Event("response.output_item.added", new JsonObject { ["output_index"] = item.OutputIndex, ["item"] = item.Item.DeepClone() }));
            }
            // Items cannot be reopened: fragments of a call whose item was closed are dropped.
            if (JsonRead.String(function?["arguments"]) is { Length: > 0 } fragment && ReferenceEquals(_open, item))
            {
                item.Text.Append(fragment);
                events.Add(Event("response.function_call_arguments.delta", new JsonObject
                {
                    ["item_id"] = JsonRead.String(item.Item["id"]), ["output_index"] = item.OutputIndex, ["delta"] = fragment,
                }));
            }
        }
    }

    private OpenItem Open(string kind, List<ResponsesSseEvent> events, Func<JsonObject> item)
    {
        if (_open is { } open && open.Kind == kind)
        {
            return open;
        }
        CloseItem(events);
        _open = new OpenItem(kind, _output.Count, item());
        _output.Add(null);
        events.Add(Event("response.output_item.added", new JsonObject { ["output_index"] = _open.OutputIndex, ["item"] = _open.Item.DeepClone() }));
        return _open;
    }

    private void CloseItem(List<ResponsesSseEvent> events)
    {
        if (_open is not { } open)
        {
            return;
        }
        _open = null;
        var text = open.Text.ToString();
        JsonObject done;
        switch (open.Kind)
        {
            case "message":
                var itemId = $"msg_{_id}";
                events.Add(Event("response.output_text.done", new JsonObject
                {
                    ["item_id"] = itemId, ["output_index"] = open.OutputIndex, ["content_index"] = 0, ["text"] = text,
                }));
                events.Add(Event("response.content_part.done", new JsonObject
                {
                    ["item_id"] = itemId, ["output_index"] = open.OutputIndex, ["content_index"] = 0, ["part"] = OutputText(text),
                }));
                done = MessageItem(_id, text, "completed");
                break;
            case "reasoning":
                events.Add(Event("response.reasoning_summary_text.done", new JsonObject
                {
                    ["item_id"] = $"rs_{_id}", ["output_index"] = open.OutputIndex, ["summary_index"] = 0, ["text"] = text,
                }));
                done = ReasoningItem(_id, text);
                break;
            default:
                events.Add(Event("response.function_call_arguments.done", new JsonObject
                {
                    ["item_id"] = JsonRead.String(open.Item["id"]), ["output_index"] = open.OutputIndex, ["arguments"] = text,
                }));
                done = FunctionCallItem(JsonRead.String(open.Item["call_id"]) ?? "", JsonRead.String(open.Item["name"]) ?? "", text, "completed");
                break;
        }
        _output[open.OutputIndex] = done;
        events.Add(Event("response.output_item.done", new JsonObject { ["output_index"] = open.OutputIndex, ["item"] = done.DeepClone() }));
    }

    private void Finish(List<ResponsesSseEvent> events)
    {
        CloseItem(events);
        IsComplete = true;
        var status = StatusFor(_finishReason);
        var response = Envelope(_first!, status, (JsonArray)_output.DeepClone(), _usage);
        events.Add(Event(status == "incomplete" ? "response.incomplete" : "response.completed", new JsonObject { ["response"] = response }));
    }

    private ResponsesSseEvent Event(string name, JsonObject data)
    {
        // The type comes first and the sequence number second, as OpenAI writes them.
        var ordered = new JsonObject { ["type"] = name, ["sequence_number"] = _sequence++ };
        foreach (var (key, value) in data.ToList())
        {
            data.Remove(key);
            ordered[key] = value;
        }
        return new ResponsesSseEvent(name, ordered);
    }
}
