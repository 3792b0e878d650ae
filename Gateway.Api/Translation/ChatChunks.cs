using System.Text.Json.Nodes;

namespace Gateway.Api.Translation;

/// <summary>Builds the OpenAI <c>chat.completion.chunk</c> objects of one translated stream (same id, model, created).</summary>
internal sealed class ChatChunks
{
    public string Id { get; set; } = "";
    public string Model { get; set; } = "";
    public long Created { get; init; }

    /// <summary>A chunk with one choice whose delta is <paramref name="delta"/>.</summary>
    public JsonObject Delta(JsonObject delta, string? finishReason = null, string? nativeFinishReason = null) =>
        Chunk(new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["delta"] = delta,
            ["finish_reason"] = finishReason,
            ["native_finish_reason"] = nativeFinishReason,
        }));

    /// <summary>The closing chunk: no choices, only the usage (as OpenAI sends with stream_options.include_usage).</summary>
    public JsonObject Usage(TokenUsage usage)
    {
        var chunk = Chunk([]);
        chunk["usage"] = usage.ToChatUsage();
        return chunk;
    }

    /// <summary>
    /// A terminal error chunk as OpenRouter sends one mid-stream: the error at the top level and a choice
    /// finishing with "error". <paramref name="code"/> is an HTTP-like status.
    /// </summary>
    public JsonObject Error(int code, string message, string? nativeFinishReason)
    {
        var chunk = Delta([], FinishReasons.Error, nativeFinishReason);
        chunk["error"] = new JsonObject { ["code"] = code, ["message"] = message };
        return chunk;
    }

    /// <summary>
    /// The assistant message of a whole completion: text (null when the model only called tools, as OpenAI
    /// sends it), OpenRouter's <c>reasoning</c> and <c>reasoning_details</c>, and the tool calls.
    /// </summary>
    public static JsonObject AssistantMessage(string text, string reasoning, JsonArray toolCalls, JsonArray? reasoningDetails = null)
    {
        var message = new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = text.Length == 0 && toolCalls.Count > 0 ? null : text,
        };
        if (reasoning.Length > 0)
        {
            message["reasoning"] = reasoning;
        }
        if (reasoningDetails is { Count: > 0 })
        {
            message["reasoning_details"] = reasoningDetails;
        }
        if (toolCalls.Count > 0)
        {
            message["tool_calls"] = toolCalls;
        }
        return message;
    }

    private JsonObject Chunk(JsonArray choices) => new()
    {
        ["id"] = Id,
        ["object"] = "chat.completion.chunk",
        ["created"] = Created,
        ["model"] = Model,
        ["choices"] = choices,
    };

    /// <summary>A tool call's first delta: index, id, type and name with empty arguments, as OpenAI streams it.</summary>
    public static JsonObject ToolCallStart(int index, string id, string name, string arguments = "") => new()
    {
        ["tool_calls"] = new JsonArray(new JsonObject
        {
            ["index"] = index,
            ["id"] = id,
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = name, ["arguments"] = arguments },
        }),
    };

    public static JsonObject ToolCallArguments(int index, string fragment) => new()
    {
        ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = index, ["function"] = new JsonObject { ["arguments"] = fragment } }),
    };

    public static long Now(long? created) => created ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
