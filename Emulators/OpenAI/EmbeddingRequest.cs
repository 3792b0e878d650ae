using System.Text.Json;

namespace Emulators.OpenAI;

/// <summary>The part of an OpenAI embeddings request the emulator reads.</summary>
public sealed record EmbeddingRequest
{
    public string? Model { get; init; }

    /// <summary>A string, an array of strings, an array of token ids, or an array of token id arrays.</summary>
    public JsonElement? Input { get; init; }

    /// <summary>Shortens the vectors (text-embedding-3 models only).</summary>
    public int? Dimensions { get; init; }

    /// <summary><c>float</c> (default) or <c>base64</c>, which the official OpenAI SDKs ask for.</summary>
    public string? EncodingFormat { get; init; }
}

/// <summary>One input to embed: its text, or the token ids a client tokenized itself.</summary>
public sealed record EmbeddingInput(string? Text, IReadOnlyList<int>? TokenIds)
{
    public int TokenCount => TokenIds?.Count ?? Common.TokenCounter.Count(Text);
}
