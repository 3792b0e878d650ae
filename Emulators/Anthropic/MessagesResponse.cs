using System.Text.Json;
using System.Text.Json.Serialization;

namespace Emulators.Anthropic;

/// <summary>A Messages API response, field for field as Anthropic sends it.</summary>
public sealed record MessagesResponse
{
    public required string Id { get; init; }

    public string Type { get; init; } = "message";

    public string Role { get; init; } = "assistant";

    public required string Model { get; init; }

    public required IReadOnlyList<ResponseBlock> Content { get; init; }

    /// <summary>end_turn, max_tokens, stop_sequence or tool_use; null only in message_start.</summary>
    public required string? StopReason { get; init; }

    public string? StopSequence { get; init; }

    public required AnthropicUsage Usage { get; init; }
}

/// <summary>
/// A content block of a response: text (text), thinking (thinking, signature) or tool_use (id, name, input).
/// Fields of the other types are left out.
/// </summary>
public sealed record ResponseBlock
{
    public required string Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Text { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Thinking { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Signature { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Input { get; init; }
}

/// <summary>
/// Anthropic's token counts. input_tokens excludes the cached parts: the whole prompt is input_tokens plus
/// cache_creation_input_tokens plus cache_read_input_tokens. output_tokens includes thinking.
/// </summary>
public sealed record AnthropicUsage
{
    public int InputTokens { get; init; }

    public int CacheCreationInputTokens { get; init; }

    public int CacheReadInputTokens { get; init; }

    public int OutputTokens { get; init; }
}

/// <summary>The response of <c>POST /v1/messages/count_tokens</c>.</summary>
public sealed record TokenCountResponse(int InputTokens);

/// <summary>Every event of a Messages stream; each carries its own name in <c>type</c>, as the SSE event line does.</summary>
public sealed record MessageStartEvent(MessagesResponse Message)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = "message_start";
}

public sealed record ContentBlockStartEvent(int Index, ResponseBlock ContentBlock)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = "content_block_start";
}

public sealed record PingEvent
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = "ping";
}

public sealed record ContentBlockDeltaEvent(int Index, BlockDelta Delta)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = "content_block_delta";
}

/// <summary>text_delta (text), thinking_delta (thinking), signature_delta (signature) or input_json_delta (partial_json).</summary>
public sealed record BlockDelta
{
    public required string Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Text { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Thinking { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Signature { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PartialJson { get; init; }
}

public sealed record ContentBlockStopEvent(int Index)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = "content_block_stop";
}

public sealed record MessageDeltaEvent(MessageDelta Delta, MessageDeltaUsage Usage)
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = "message_delta";
}

public sealed record MessageDelta(string StopReason, string? StopSequence);

/// <summary>The final (cumulative) output token count.</summary>
public sealed record MessageDeltaUsage(int OutputTokens);

public sealed record MessageStopEvent
{
    [JsonPropertyOrder(-1)]
    public string Type { get; init; } = "message_stop";
}
