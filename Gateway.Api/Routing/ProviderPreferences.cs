namespace Gateway.Api.Routing;

/// <summary>OpenRouter's <c>provider</c> request object (the fields this gateway honours).</summary>
public sealed class ProviderPreferences
{
    /// <summary>Provider slugs (or names) to try first, in this order.</summary>
    public IReadOnlyList<string>? Order { get; init; }

    /// <summary>Only these providers.</summary>
    public IReadOnlyList<string>? Only { get; init; }

    /// <summary>Never these providers.</summary>
    public IReadOnlyList<string>? Ignore { get; init; }

    /// <summary>Default true. False: only the providers in <see cref="Order"/>, or only the top provider without one.</summary>
    public bool? AllowFallbacks { get; init; }

    /// <summary>Skip endpoints whose supported parameters lack one the request uses.</summary>
    public bool? RequireParameters { get; init; }

    /// <summary><c>allow</c> (default) or <c>deny</c>: skip providers that keep prompts or train on them.</summary>
    public string? DataCollection { get; init; }

    /// <summary>Only zero-data-retention providers.</summary>
    public bool? Zdr { get; init; }

    /// <summary>Only endpoints with one of these quantizations (<c>unknown</c> matches endpoints without one).</summary>
    public IReadOnlyList<string>? Quantizations { get; init; }

    /// <summary><c>price</c>, <c>throughput</c> or <c>latency</c>.</summary>
    public string? Sort { get; init; }

    /// <summary>Highest acceptable prices, USD per million tokens.</summary>
    public MaxPrice? MaxPrice { get; init; }

    public const string SortPrice = "price";
    public const string SortThroughput = "throughput";
    public const string SortLatency = "latency";

    /// <summary>Null when acceptable, else a message for a 400 answer.</summary>
    public string? Validate()
    {
        if (Sort is not (null or SortPrice or SortThroughput or SortLatency))
        {
            return "'provider.sort' must be one of price, throughput, latency";
        }
        if (DataCollection is not (null or "allow" or "deny"))
        {
            return "'provider.data_collection' must be allow or deny";
        }
        if (MaxPrice is { Prompt: < 0 } or { Completion: < 0 })
        {
            return "'provider.max_price' values must not be negative";
        }
        foreach (var (name, list) in new[] { ("order", Order), ("only", Only), ("ignore", Ignore), ("quantizations", Quantizations) })
        {
            if (list is not null && list.Any(string.IsNullOrWhiteSpace))
            {
                return $"'provider.{name}' must hold non-empty strings";
            }
        }
        return null;
    }
}

/// <summary>USD per million tokens.</summary>
public sealed class MaxPrice
{
    public decimal? Prompt { get; init; }
    public decimal? Completion { get; init; }
}
