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
}

public sealed record StreamOptions
{
    public bool IncludeUsage { get; init; }
}
