namespace Emulators.Gemini;

/// <summary>
/// A generateContent response, and each chunk of a streamed one, field for field as Gemini sends it.
/// Unset fields are left out, as in Google's JSON.
/// </summary>
public sealed record GenerateContentResponse
{
    public required IReadOnlyList<Candidate> Candidates { get; init; }

    /// <summary>On the whole response; in a stream, only on the last chunk.</summary>
    public UsageMetadata? UsageMetadata { get; init; }

    public required string ModelVersion { get; init; }

    public required string ResponseId { get; init; }
}

public sealed record Candidate
{
    public required GeminiContent Content { get; init; }

    /// <summary>STOP or MAX_TOKENS; in a stream, only on the last chunk.</summary>
    public string? FinishReason { get; init; }

    public int Index { get; init; }
}

/// <summary>
/// Gemini's token counts: candidates exclude thoughts, and the total is prompt plus candidates plus thoughts.
/// The cached and thoughts counts appear only when they are not zero.
/// </summary>
public sealed record UsageMetadata
{
    public int PromptTokenCount { get; init; }

    public int CandidatesTokenCount { get; init; }

    public int TotalTokenCount { get; init; }

    public int? CachedContentTokenCount { get; init; }

    public int? ThoughtsTokenCount { get; init; }

    public IReadOnlyList<ModalityTokenCount>? PromptTokensDetails { get; init; }
}

public sealed record ModalityTokenCount(string Modality, int TokenCount);

/// <summary>The response of <c>:countTokens</c>.</summary>
public sealed record CountTokensResponse(int TotalTokens);

/// <summary>Google's error body: <c>{"error":{"code":400,"message":"...","status":"INVALID_ARGUMENT"}}</c>.</summary>
public sealed record GeminiErrorResponse(GeminiError Error);

public sealed record GeminiError(int Code, string Message, string Status);
