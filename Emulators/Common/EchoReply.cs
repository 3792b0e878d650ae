namespace Emulators.Common;

/// <summary>
/// The deterministic reply every emulated model gives: "Echo: " followed by the last user message,
/// cut to the caller's token limit.
/// </summary>
public sealed class EchoReply
{
    public const string Prefix = "Echo: ";

    private EchoReply(IReadOnlyList<string> tokens, bool isTruncated)
    {
        Tokens = tokens;
        IsTruncated = isTruncated;
    }

    public IReadOnlyList<string> Tokens { get; }

    /// <summary>True when the token limit cut the reply short (OpenAI's finish_reason "length").</summary>
    public bool IsTruncated { get; }

    public string Text => string.Concat(Tokens);

    public int TokenCount => Tokens.Count;

    public static EchoReply For(string? lastUserMessage, int? maxTokens)
    {
        var tokens = TokenCounter.Split(Prefix + lastUserMessage);
        return maxTokens is { } limit && tokens.Count > limit
            ? new EchoReply([.. tokens.Take(limit)], isTruncated: true)
            : new EchoReply(tokens, isTruncated: false);
    }
}
