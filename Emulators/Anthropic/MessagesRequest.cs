using System.Text.Json;
using System.Text.Json.Serialization;

namespace Emulators.Anthropic;

/// <summary>The part of an Anthropic Messages request the emulator reads; other fields are ignored.</summary>
public sealed record MessagesRequest
{
    public string? Model { get; init; }

    /// <summary>Required by Anthropic, and it includes the thinking budget.</summary>
    public int? MaxTokens { get; init; }

    public IReadOnlyList<AnthropicMessage>? Messages { get; init; }

    /// <summary>A string or an array of text blocks; either way it arrives here as blocks.</summary>
    [JsonConverter(typeof(ContentBlocksJsonConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ContentBlock>? System { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AnthropicTool>? Tools { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AnthropicToolChoice? ToolChoice { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? StopSequences { get; init; }

    public bool Stream { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ThinkingConfig? Thinking { get; init; }
}

public sealed record AnthropicMessage
{
    public string? Role { get; init; }

    /// <summary>A string or an array of content blocks; either way it arrives here as blocks.</summary>
    [JsonConverter(typeof(ContentBlocksJsonConverter))]
    public IReadOnlyList<ContentBlock>? Content { get; init; }
}

/// <summary>
/// Any content block of a request, flattened: text, image (source), tool_use (id, name, input),
/// tool_result (tool_use_id, content, is_error), thinking (thinking, signature) and others by their type.
/// </summary>
public sealed record ContentBlock
{
    public string? Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Text { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Source { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Input { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ToolUseId { get; init; }

    /// <summary>A tool result's content: a string or an array of blocks.</summary>
    [JsonConverter(typeof(ContentBlocksJsonConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ContentBlock>? Content { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? IsError { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Thinking { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Signature { get; init; }

    /// <summary>A prompt-cache breakpoint: <c>{"type":"ephemeral"}</c>, optionally with a ttl.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? CacheControl { get; init; }
}

public sealed record AnthropicTool
{
    /// <summary>Absent for client tools; set (e.g. web_search_20250305) for Anthropic's server tools.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; init; }

    public string? Name { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? InputSchema { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? CacheControl { get; init; }
}

/// <summary><c>{"type":"auto"|"any"|"tool"|"none", "name": ...}</c>.</summary>
public sealed record AnthropicToolChoice
{
    public string? Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }
}

/// <summary><c>{"type":"enabled","budget_tokens":N}</c>, <c>{"type":"disabled"}</c> or <c>{"type":"adaptive"}</c>.</summary>
public sealed record ThinkingConfig
{
    public string? Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? BudgetTokens { get; init; }
}

/// <summary>Reads Anthropic's two content forms, a plain string (one text block) or an array of blocks.</summary>
public sealed class ContentBlocksJsonConverter : JsonConverter<IReadOnlyList<ContentBlock>>
{
    public override IReadOnlyList<ContentBlock>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => [new ContentBlock { Type = "text", Text = reader.GetString() }],
            JsonTokenType.StartArray => JsonSerializer.Deserialize(ref reader, BlocksTypeInfo(options)),
            _ => throw new JsonException("Content must be a string or an array of content blocks."),
        };

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<ContentBlock> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, [.. value], BlocksTypeInfo(options));

    private static System.Text.Json.Serialization.Metadata.JsonTypeInfo<List<ContentBlock>> BlocksTypeInfo(JsonSerializerOptions options) =>
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<List<ContentBlock>>)options.GetTypeInfo(typeof(List<ContentBlock>));
}
