namespace Catalog.Service.Models;

/// <summary>
/// The query filters of <c>GET /api/v1/models</c> (and <c>/count</c>, <c>/user</c>), as OpenRouter reads them:
/// <list type="bullet">
/// <item><c>supported_parameters</c>: comma list; a model must support every one (on at least one endpoint).</item>
/// <item><c>output_modalities</c>: comma list; a model must produce at least one. Defaults to <c>text</c>;
/// <c>all</c> turns the filter off.</item>
/// <item><c>category</c>: a use-case tag such as <c>programming</c> or <c>roleplay</c>.</item>
/// </list>
/// </summary>
public sealed record ModelFilter(
    IReadOnlyList<string> SupportedParameters, IReadOnlyList<string>? OutputModalities, string? Category)
{
    public const string AllModalities = "all";
    public const string DefaultOutputModality = "text";

    public static ModelFilter Parse(string? supportedParameters, string? outputModalities, string? category)
    {
        var modalities = Split(outputModalities);
        return new ModelFilter(
            Split(supportedParameters),
            modalities.Count == 0 ? [DefaultOutputModality]
                : modalities.Contains(AllModalities, StringComparer.OrdinalIgnoreCase) ? null
                : modalities,
            string.IsNullOrWhiteSpace(category) ? null : category.Trim());
    }

    public bool Matches(Model model)
    {
        if (OutputModalities is not null
            && !model.OutputModalities.Any(output => OutputModalities.Contains(output, StringComparer.OrdinalIgnoreCase)))
        {
            return false;
        }
        if (Category is not null && !model.Categories.Contains(Category, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }
        if (SupportedParameters.Count > 0)
        {
            var supported = model.Endpoints.SelectMany(endpoint => endpoint.SupportedParameters).ToHashSet(StringComparer.Ordinal);
            if (!SupportedParameters.All(supported.Contains))
            {
                return false;
            }
        }
        return true;
    }

    private static List<string> Split(string? list)
        => string.IsNullOrWhiteSpace(list)
            ? []
            : [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
