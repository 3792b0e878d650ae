using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Emulators.Exa;

/// <summary>Exa's <c>POST /search</c> body: the fields the gateway sends (others are accepted and ignored).</summary>
public sealed class ExaSearchRequest
{
    public string? Query { get; init; }
    public int? NumResults { get; init; }
    public string? Type { get; init; }
}

/// <summary>Exa's search answer: the results with their text, the search type that ran and what it cost.</summary>
public sealed record ExaSearchResponse(string RequestId, string ResolvedSearchType, IReadOnlyList<ExaSearchResult> Results, ExaCost CostDollars);

public sealed record ExaSearchResult(string Id, string Title, string Url, string PublishedDate, string? Author, double Score, string Text);

public sealed record ExaCost(decimal Total);

/// <summary>Exa's error body.</summary>
public sealed record ExaError(string RequestId, string Error, string Tag);

/// <summary>
/// Deterministic search results: the same query always finds the same pages, whose URLs carry the query's slug
/// (<c>https://example-news.test/&lt;slug&gt;/&lt;n&gt;</c>) so tests can tell which query produced them.
/// </summary>
public static class ExaSearch
{
    /// <summary>Exa's default when <c>numResults</c> is left out, and the most one search returns.</summary>
    public const int DefaultResults = 10;
    public const int MaxResults = 100;

    // Exa's published price for a neural search with up to 25 results.
    private const decimal SearchPriceUsd = 0.005m;
    private const int MaxSlugLength = 60;

    public static string? Validate(ExaSearchRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Query))
        {
            return "query is required";
        }
        if (request.NumResults is < 1 or > MaxResults)
        {
            return $"numResults must be between 1 and {MaxResults}";
        }
        return null;
    }

    public static ExaSearchResponse Search(ExaSearchRequest request, DateTimeOffset now)
    {
        var query = request.Query!.Trim();
        var slug = Slug(query);
        var count = request.NumResults ?? DefaultResults;
        var results = Enumerable.Range(1, count).Select(rank =>
        {
            var url = $"https://example-news.test/{slug}/{rank}";
            return new ExaSearchResult(
                Id: url,
                Title: $"{Capitalized(query)} — result {rank}",
                Url: url,
                // A day older per rank: stable for a given day, recent like real news results.
                PublishedDate: now.UtcDateTime.Date.AddDays(-rank).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                Author: rank % 2 == 0 ? "Example Newsroom" : null,
                Score: Math.Round(1.0 - rank * 0.01, 2),
                Text: $"Result {rank} about {query}: what the page at example-news.test says on the subject.");
        }).ToList();
        return new ExaSearchResponse(RequestId(query, count), request.Type is "keyword" ? "keyword" : "neural", results, new ExaCost(SearchPriceUsd));
    }

    /// <summary>Lower-case letters and digits, words joined by hyphens; "search" when nothing is left.</summary>
    public static string Slug(string query)
    {
        var slug = new StringBuilder();
        foreach (var character in query.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(character))
            {
                slug.Append(character);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
            if (slug.Length >= MaxSlugLength)
            {
                break;
            }
        }
        var text = slug.ToString().Trim('-');
        return text.Length == 0 ? "search" : text;
    }

    private static string Capitalized(string query) => query.Length == 0 ? query : char.ToUpperInvariant(query[0]) + query[1..];

    private static string RequestId(string query, int count)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{count}:{query}")))[..32];
}
