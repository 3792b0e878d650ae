namespace Gateway.Api.WebSearch;

/// <summary>One page the search found, as it is shown to the model and cited back to the caller.</summary>
public sealed record WebSearchResult(string Title, string Url, string Snippet)
{
    // Bounds per field, so the prompt a search adds (and the credit hold for it) is known before the search runs.
    public const int MaxTitleLength = 200;
    public const int MaxUrlLength = 500;
    public const int MaxSnippetLength = 1000;

    /// <summary>A result with each field cut to its bound.</summary>
    public static WebSearchResult Bounded(string? title, string url, string? snippet)
        => new(Cut(title, MaxTitleLength), Cut(url, MaxUrlLength), Cut(snippet, MaxSnippetLength));

    private static string Cut(string? text, int length)
    {
        text = text?.Trim() ?? "";
        if (text.Length <= length)
        {
            return text;
        }
        // Never split a surrogate pair.
        var end = char.IsHighSurrogate(text[length - 1]) ? length - 1 : length;
        return text[..end];
    }
}
