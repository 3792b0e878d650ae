using System.ComponentModel.DataAnnotations;

namespace Gateway.Api.WebSearch;

/// <summary>
/// The search service behind the web plugin (Exa's <c>/search</c> API, or the emulator's <c>/exa</c> stand-in),
/// how long a search may take, and what each result costs the caller.
/// </summary>
public sealed class WebSearchOptions
{
    public const string SectionName = "WebSearch";

    /// <summary>Exa's API base, e.g. <c>https://api.exa.ai</c>; <c>/search</c> is appended.</summary>
    [Required]
    public Uri? BaseUrl { get; set; }

    /// <summary>Sent as <c>x-api-key</c> when set (the emulator needs none).</summary>
    public string? ApiKey { get; set; }

    /// <summary>A search that takes longer fails the request before any model is called.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>OpenRouter's price: $4 per 1000 results.</summary>
    [Range(typeof(decimal), "0", "1")]
    public decimal PricePerResultUsd { get; set; } = 0.004m;
}
