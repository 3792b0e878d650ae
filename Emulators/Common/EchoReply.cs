namespace Emulators.Common;

/// <summary>
/// The deterministic reply every emulated model gives: "Echo: " followed by the last user message,
/// cut at the first stop sequence and to the caller's token limit.
/// </summary>
public sealed class EchoReply
{
    public const string Prefix = "Echo: ";

    private EchoReply(IReadOnlyList<string> tokens, bool isTruncated, string? stopSequence)
    {
        Tokens = tokens;
        IsTruncated = isTruncated;
        StopSequence = stopSequence;
    }

    public IReadOnlyList<string> Tokens { get; }

    /// <summary>True when the token limit cut the reply short (OpenAI's finish_reason "length").</summary>
    public bool IsTruncated { get; }

    /// <summary>The stop sequence the reply ended at (it is not part of the reply), or null.</summary>
    public string? StopSequence { get; }

    public string Text => string.Concat(Tokens);

    public int TokenCount => Tokens.Count;

    public static EchoReply For(string? lastUserMessage, int? maxTokens, IReadOnlyList<string>? stopSequences = null) =>
        Generate(Prefix + lastUserMessage, maxTokens, stopSequences);

    /// <summary>
    /// A reply of exactly <paramref name="text"/> as a model would generate it: token by token, stopping at the
    /// earliest stop sequence or when the limit is reached, whichever comes first.
    /// </summary>
    public static EchoReply Generate(string text, int? maxTokens, IReadOnlyList<string>? stopSequences = null)
    {
        string? stopSequence = null;
        var stopAt = text.Length;
        foreach (var candidate in stopSequences ?? [])
        {
            if (string.IsNullOrEmpty(candidate))
            {
                continue;
            }
            var index = text.IndexOf(candidate, StringComparison.Ordinal);
            if (index >= 0 && index < stopAt)
            {
                (stopAt, stopSequence) = (index, candidate);
            }
        }

        var tokens = TokenCounter.Split(text[..stopAt]);
        return maxTokens is { } limit && tokens.Count > limit
            ? new EchoReply([.. tokens.Take(Math.Max(0, limit))], isTruncated: true, stopSequence: null)
            : new EchoReply(tokens, isTruncated: false, stopSequence);
    }
}
