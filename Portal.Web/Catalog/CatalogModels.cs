using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Web.Catalog;

// The catalog's public, OpenRouter-compatible shapes (GET /api/v1/models and
// /api/v1/models/{author}/{slug}/endpoints). Prices arrive as decimal strings in USD per token.

public sealed record CatalogModel(
    string Id,
    string CanonicalSlug,
    string Name,
    long Created,
    string Description,
    int ContextLength,
    ModelArchitecture Architecture,
    ModelPricing Pricing,
    TopProvider? TopProvider,
    IReadOnlyList<string> SupportedParameters)
{
    public DateTimeOffset CreatedAt => DateTimeOffset.FromUnixTimeSeconds(Created);

    /// <summary>The author part of the id (<c>openai</c> in <c>openai/gpt-4o-mini</c>).</summary>
    public string Author => Id.Split('/', 2)[0];

    /// <summary>The model page's path: <c>models/{author}/{slug}</c>.</summary>
    public string PagePath => $"models/{Id}";
}

public sealed record ModelArchitecture(
    string Modality,
    IReadOnlyList<string> InputModalities,
    IReadOnlyList<string> OutputModalities,
    string Tokenizer,
    string? InstructType);

public sealed record ModelPricing(
    string Prompt,
    string Completion,
    string? Request = null,
    string? Image = null,
    string? InternalReasoning = null,
    string? InputCacheRead = null,
    string? InputCacheWrite = null,
    decimal? Discount = null)
{
    public decimal PromptPerToken => Prices.Parse(Prompt);
    public decimal CompletionPerToken => Prices.Parse(Completion);
    public bool IsFree => PromptPerToken == 0 && CompletionPerToken == 0;
}

public sealed record TopProvider(int ContextLength, int? MaxCompletionTokens, bool IsModerated);

public sealed record ModelEndpoints(
    string Id,
    string Name,
    long Created,
    string Description,
    ModelArchitecture Architecture,
    IReadOnlyList<ModelEndpoint> Endpoints);

public sealed record ModelEndpoint(
    string Name,
    string ModelId,
    string ModelName,
    int ContextLength,
    ModelPricing Pricing,
    string ProviderName,
    string Tag,
    string Quantization,
    int? MaxCompletionTokens,
    int? MaxPromptTokens,
    IReadOnlyList<string> SupportedParameters,
    int Status,
    [property: JsonPropertyName("uptime_last_30m")] double? UptimeLast30m,
    [property: JsonPropertyName("uptime_last_1d")] double? UptimeLast1d,
    bool SupportsImplicitCaching,
    [property: JsonPropertyName("latency_last_30m")] PercentileStats? LatencyLast30m,
    [property: JsonPropertyName("throughput_last_30m")] PercentileStats? ThroughputLast30m);

public sealed record PercentileStats(double? P50, double? P75, double? P90, double? P99);

/// <summary>Price strings from the catalog, and how the portal shows them.</summary>
public static class Prices
{
    private const decimal PerMillion = 1_000_000m;

    /// <summary>USD per token from the catalog's decimal string; missing or unreadable prices count as 0.</summary>
    public static decimal Parse(string? price)
        => decimal.TryParse(price, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value) ? value : 0m;

    /// <summary>USD per million tokens, e.g. <c>$0.15/M</c>, or <c>Free</c>.</summary>
    public static string FormatPerMillion(string? pricePerToken)
    {
        var perMillion = Parse(pricePerToken) * PerMillion;
        return perMillion == 0
            ? "Free"
            : "$" + perMillion.ToString("#,##0.00####", CultureInfo.InvariantCulture) + "/M";
    }

    /// <summary>A context length such as <c>128K</c> or <c>1.05M</c> tokens.</summary>
    public static string FormatContext(int tokens) => tokens switch
    {
        >= 1_000_000 => (tokens / 1_000_000m).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (tokens / 1_000m).ToString("0.#", CultureInfo.InvariantCulture) + "K",
        _ => tokens.ToString(CultureInfo.InvariantCulture),
    };
}

internal sealed record ModelListEnvelope(IReadOnlyList<CatalogModel> Data);

internal sealed record ModelEndpointsEnvelope(ModelEndpoints Data);

/// <summary>A provider from /api/v1/providers.</summary>
public sealed record CatalogProvider(string Name, string Slug, string? PrivacyPolicyUrl, string? Headquarters);

internal sealed record ProviderListEnvelope(IReadOnlyList<CatalogProvider> Data);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ProviderListEnvelope))]
[JsonSerializable(typeof(ModelListEnvelope))]
[JsonSerializable(typeof(ModelEndpointsEnvelope))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
