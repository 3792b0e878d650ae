using System.Text.RegularExpressions;

namespace Emulators.Common;

/// <summary>
/// The emulators' deterministic stand-in for a tokenizer: one token per whitespace-separated word.
/// Each token keeps the whitespace in front of it, so the tokens of a text concatenate back to that text
/// without its trailing whitespace; streamed chunks carry exactly these tokens.
/// </summary>
public static partial class TokenCounter
{
    [GeneratedRegex(@"\s*\S+")]
    private static partial Regex TokenPattern();

    public static int Count(string? text) => string.IsNullOrEmpty(text) ? 0 : TokenPattern().Count(text);

    public static IReadOnlyList<string> Split(string? text) =>
        string.IsNullOrEmpty(text) ? [] : [.. TokenPattern().Matches(text).Select(match => match.Value)];
}
