using System.Text.Json;

namespace Emulators.Gemini;

/// <summary>The part of a Gemini generateContent request the emulator reads; other fields are ignored.</summary>
public sealed record GenerateContentRequest
{
    public IReadOnlyList<GeminiContent>? Contents { get; init; }

    public GeminiContent? SystemInstruction { get; init; }

    public GenerationConfig? GenerationConfig { get; init; }

    public IReadOnlyList<GeminiTool>? Tools { get; init; }

    public ToolConfig? ToolConfig { get; init; }
}

/// <summary>A turn of the conversation (role user or model; the API takes a missing role as user), also used in responses.</summary>
public sealed record GeminiContent
{
    public IReadOnlyList<GeminiPart>? Parts { get; init; }

    public string? Role { get; init; }
}

/// <summary>One part of a turn, holding exactly one kind of data: text, inline data, a function call or a function response.</summary>
public sealed record GeminiPart
{
    public string? Text { get; init; }

    /// <summary>Marks text as a thought summary (only sent when thinkingConfig.includeThoughts is true).</summary>
    public bool? Thought { get; init; }

    public GeminiBlob? InlineData { get; init; }

    public JsonElement? FileData { get; init; }

    public GeminiFunctionCall? FunctionCall { get; init; }

    public GeminiFunctionResponse? FunctionResponse { get; init; }

    public string? ThoughtSignature { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasData => Text is not null || InlineData is not null || FileData is not null || FunctionCall is not null || FunctionResponse is not null;
}

public sealed record GeminiBlob(string? MimeType, string? Data);

/// <summary>A call the model makes; args is a JSON object (not text, unlike OpenAI).</summary>
public sealed record GeminiFunctionCall
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public JsonElement? Args { get; init; }
}

public sealed record GeminiFunctionResponse
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public JsonElement? Response { get; init; }
}

public sealed record GenerationConfig
{
    public int? MaxOutputTokens { get; init; }

    public double? Temperature { get; init; }

    public IReadOnlyList<string>? StopSequences { get; init; }

    /// <summary><c>application/json</c> makes the reply a JSON object (built from responseSchema when one is given).</summary>
    public string? ResponseMimeType { get; init; }

    public JsonElement? ResponseSchema { get; init; }

    public JsonElement? ResponseJsonSchema { get; init; }

    public ThinkingConfig? ThinkingConfig { get; init; }
}

/// <summary>thinkingBudget (-1 dynamic, 0 off, else tokens) or thinkingLevel (Gemini 3), and whether thought summaries are sent.</summary>
public sealed record ThinkingConfig
{
    public int? ThinkingBudget { get; init; }

    public string? ThinkingLevel { get; init; }

    public bool? IncludeThoughts { get; init; }
}

public sealed record GeminiTool
{
    public IReadOnlyList<FunctionDeclaration>? FunctionDeclarations { get; init; }
}

public sealed record FunctionDeclaration
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    /// <summary>An OpenAPI-style schema (types in capitals, e.g. OBJECT, STRING).</summary>
    public JsonElement? Parameters { get; init; }

    /// <summary>The same as a JSON schema, which newer clients send instead.</summary>
    public JsonElement? ParametersJsonSchema { get; init; }
}

public sealed record ToolConfig
{
    public FunctionCallingConfig? FunctionCallingConfig { get; init; }
}

/// <summary>mode AUTO (default), ANY (must call; allowedFunctionNames narrows the choice), NONE or VALIDATED.</summary>
public sealed record FunctionCallingConfig
{
    public string? Mode { get; init; }

    public IReadOnlyList<string>? AllowedFunctionNames { get; init; }
}
