namespace Portal.Web.Catalog;

public enum ModelSort
{
    Newest,
    Name,
    PriceLowToHigh,
    PriceHighToLow,
    ContextHighToLow,
}

/// <summary>The model list's search, filters and order; null or empty fields do not filter.</summary>
public sealed record ModelFilter(
    string? Search = null,
    string? Provider = null,
    string? InputModality = null,
    string? OutputModality = null,
    int? MinContextLength = null,
    decimal? MaxPromptPricePerMillion = null,
    string? SupportedParameter = null,
    ModelSort Sort = ModelSort.Newest);

/// <summary>Filters and sorts the catalog's models for the model browser (the catalog is small: it is done in memory).</summary>
public static class ModelBrowser
{
    public static IReadOnlyList<CatalogModel> Apply(IEnumerable<CatalogModel> models, ModelFilter filter)
    {
        var query = models;
        if (filter.Search?.Trim() is { Length: > 0 } search)
        {
            query = query.Where(model => model.Id.Contains(search, StringComparison.OrdinalIgnoreCase)
                || model.Name.Contains(search, StringComparison.OrdinalIgnoreCase)
                || model.Description.Contains(search, StringComparison.OrdinalIgnoreCase));
        }
        if (!string.IsNullOrEmpty(filter.Provider))
        {
            query = query.Where(model => string.Equals(model.Author, filter.Provider, StringComparison.OrdinalIgnoreCase));
        }
        if (!string.IsNullOrEmpty(filter.InputModality))
        {
            query = query.Where(model => model.Architecture.InputModalities.Contains(filter.InputModality, StringComparer.OrdinalIgnoreCase));
        }
        if (!string.IsNullOrEmpty(filter.OutputModality))
        {
            query = query.Where(model => model.Architecture.OutputModalities.Contains(filter.OutputModality, StringComparer.OrdinalIgnoreCase));
        }
        if (filter.MinContextLength is { } minContext)
        {
            query = query.Where(model => model.ContextLength >= minContext);
        }
        if (filter.MaxPromptPricePerMillion is { } maxPrice)
        {
            query = query.Where(model => model.Pricing.PromptPerToken * 1_000_000m <= maxPrice);
        }
        if (!string.IsNullOrEmpty(filter.SupportedParameter))
        {
            query = query.Where(model => model.SupportedParameters.Contains(filter.SupportedParameter, StringComparer.OrdinalIgnoreCase));
        }

        var byName = StringComparer.OrdinalIgnoreCase;
        return filter.Sort switch
        {
            ModelSort.Name => [.. query.OrderBy(model => model.Name, byName).ThenBy(model => model.Id, StringComparer.Ordinal)],
            ModelSort.PriceLowToHigh => [.. query.OrderBy(BlendedPrice).ThenBy(model => model.Name, byName)],
            ModelSort.PriceHighToLow => [.. query.OrderByDescending(BlendedPrice).ThenBy(model => model.Name, byName)],
            ModelSort.ContextHighToLow => [.. query.OrderByDescending(model => model.ContextLength).ThenBy(model => model.Name, byName)],
            _ => [.. query.OrderByDescending(model => model.Created).ThenBy(model => model.Name, byName)],
        };
    }

    /// <summary>Prompt plus completion price per token: what "price" sorts by.</summary>
    public static decimal BlendedPrice(CatalogModel model) => model.Pricing.PromptPerToken + model.Pricing.CompletionPerToken;

    public static IReadOnlyList<string> Providers(IEnumerable<CatalogModel> models)
        => [.. models.Select(model => model.Author).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)];

    public static IReadOnlyList<string> InputModalities(IEnumerable<CatalogModel> models)
        => [.. models.SelectMany(model => model.Architecture.InputModalities).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];

    public static IReadOnlyList<string> OutputModalities(IEnumerable<CatalogModel> models)
        => [.. models.SelectMany(model => model.Architecture.OutputModalities).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];

    public static IReadOnlyList<string> SupportedParameters(IEnumerable<CatalogModel> models)
        => [.. models.SelectMany(model => model.SupportedParameters).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];
}
