using System.Text.Json.Serialization;

namespace Emulators.OpenAI;

/// <summary>A non-streaming chat completion, field for field as OpenAI sends it.</summary>
public sealed record ChatCompletionResponse
{
    public required string Id { get; init; }

    public string Object { get; init; } = "chat.completion";

    public required long Created { get; init; }

    public required string Model { get; init; }

    public required IReadOnlyList<ChatCompletionChoice> Choices { get; init; }

    public required ChatCompletionUsage Usage { get; init; }

    public required string SystemFingerprint { get; init; }
}

public sealed record ChatCompletionChoice
{
    public int Index { get; init; }

    public required AssistantMessage Message { get; init; }

    /// <summary>Always null: the emulator does not produce log probabilities.</summary>
    public object? Logprobs { get; init; }

    public required string FinishReason { get; init; }
}

public sealed record AssistantMessage
{
    public string Role { get; init; } = "assistant";

    /// <summary>The reply text; null when the model calls tools instead.</summary>
    public required string? Content { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ToolCall>? ToolCalls { get; init; }

    public string? Refusal { get; init; }
}

/// <summary>One function call of an assistant message; the arguments are JSON text, as OpenAI sends them.</summary>
public sealed record ToolCall
{
    public required string Id { get; init; }

    public string Type { get; init; } = "function";

    public required FunctionCall Function { get; init; }
}

public sealed record FunctionCall
{
    public required string Name { get; init; }

    public required string Arguments { get; init; }
}

/// <summary>One event of a streamed chat completion.</summary>
public sealed record ChatCompletionChunk
{
    public required string Id { get; init; }

    public string Object { get; init; } = "chat.completion.chunk";

    public required long Created { get; init; }

    public required string Model { get; init; }

    public required string SystemFingerprint { get; init; }

    /// <summary>One choice per chunk, except the closing usage chunk whose list is empty.</summary>
    public required IReadOnlyList<ChatCompletionChunkChoice> Choices { get; init; }

    /// <summary>Only on the closing chunk, and only when the request asked for stream_options.include_usage.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ChatCompletionUsage? Usage { get; init; }

    /// <summary>
    /// Whether this chunk carries a generated token (content, a tool call's name or a piece of its arguments),
    /// as opposed to the role, finish or usage chunks.
    /// </summary>
    [JsonIgnore]
    public bool CarriesToken => Choices is [{ Delta: var delta }] && (delta.Content is { Length: > 0 } || delta.ToolCalls is { Count: > 0 });
}

public sealed record ChatCompletionChunkChoice
{
    public int Index { get; init; }

    public required ChatCompletionDelta Delta { get; init; }

    /// <summary>Always null: the emulator does not produce log probabilities.</summary>
    public object? Logprobs { get; init; }

    /// <summary>Null until the last choice chunk.</summary>
    public string? FinishReason { get; init; }
}

/// <summary>
/// What a chunk adds to the message: the role once at the start, then content or tool call pieces; the last
/// delta is empty.
/// </summary>
public sealed record ChatCompletionDelta
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Role { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Content { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ToolCallDelta>? ToolCalls { get; init; }
}

/// <summary>
/// A piece of a streamed tool call: the first carries its id, type and name with empty arguments; the rest
/// carry only pieces of the arguments, to be appended by index.
/// </summary>
public sealed record ToolCallDelta
{
    public int Index { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; init; }

    public required FunctionCallDelta Function { get; init; }
}

public sealed record FunctionCallDelta
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Arguments { get; init; }
}

public sealed record ChatCompletionUsage
{
    public int PromptTokens { get; init; }

    public int CompletionTokens { get; init; }

    public int TotalTokens => PromptTokens + CompletionTokens;

    public PromptTokensDetails PromptTokensDetails { get; init; } = new();

    public CompletionTokensDetails CompletionTokensDetails { get; init; } = new();
}

/// <summary>Cached prompt tokens, by the rule of <see cref="Common.PromptCaching"/>.</summary>
public sealed record PromptTokensDetails
{
    public int CachedTokens { get; init; }
}

/// <summary>Hidden reasoning tokens, part of the completion tokens; non-zero only when reasoning was asked for.</summary>
public sealed record CompletionTokensDetails
{
    public int ReasoningTokens { get; init; }
}
