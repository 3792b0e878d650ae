using System.Text.Json;
using System.Text.Json.Serialization;

namespace Emulators.OpenAI;

/// <summary>The part of an OpenAI chat completion request the emulator reads; other fields are ignored.</summary>
public sealed record ChatCompletionRequest
{
    public string? Model { get; init; }

    public IReadOnlyList<ChatMessage>? Messages { get; init; }

    /// <summary>Deprecated by OpenAI in favour of <see cref="MaxCompletionTokens"/> but still sent by many clients.</summary>
    public int? MaxTokens { get; init; }

    public int? MaxCompletionTokens { get; init; }

    public bool Stream { get; init; }

    public StreamOptions? StreamOptions { get; init; }

    /// <summary>A string or an array of up to four strings.</summary>
    public JsonElement? Stop { get; init; }

    public IReadOnlyList<ChatTool>? Tools { get; init; }

    /// <summary><c>"none"</c>, <c>"auto"</c>, <c>"required"</c> or <c>{"type":"function","function":{"name":...}}</c>.</summary>
    public JsonElement? ToolChoice { get; init; }

    /// <summary>OpenAI's reasoning models: none, minimal, low, medium, high or xhigh.</summary>
    public string? ReasoningEffort { get; init; }

    /// <summary>OpenRouter's unified reasoning setting, which OpenAI-compatible hosts also receive.</summary>
    public ReasoningOptions? Reasoning { get; init; }

    /// <summary>The effective completion limit: OpenAI lets max_completion_tokens win when both are sent.</summary>
    [JsonIgnore]
    public int? CompletionTokenLimit => MaxCompletionTokens ?? MaxTokens;
}

public sealed record ChatMessage
{
    public string? Role { get; init; }

    /// <summary>The message text; an array of content parts arrives here as its text parts joined by newlines.</summary>
    [JsonConverter(typeof(MessageContentJsonConverter))]
    public string? Content { get; init; }

    /// <summary>The calls an earlier assistant turn made (their results follow as role "tool" messages).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ToolCall>? ToolCalls { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ToolCallId { get; init; }
}

public sealed record StreamOptions
{
    public bool IncludeUsage { get; init; }
}

public sealed record ChatTool
{
    public string Type { get; init; } = "function";

    public FunctionDefinition? Function { get; init; }
}

public sealed record FunctionDefinition
{
    public string? Name { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }

    /// <summary>The JSON schema of the arguments.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Parameters { get; init; }
}

public sealed record ReasoningOptions
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Effort { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxTokens { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Enabled { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Exclude { get; init; }
}
