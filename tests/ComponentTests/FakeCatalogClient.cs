using Portal.Web.Catalog;

namespace ComponentTests;

/// <summary>An in-memory catalog behind <see cref="ICatalogClient"/>.</summary>
public sealed class FakeCatalogClient : ICatalogClient
{
    public List<CatalogModel> Models { get; } = [];

    public Dictionary<string, ModelEndpoints> Endpoints { get; } = [];

    public List<string> Calls { get; } = [];

    public Task<IReadOnlyList<CatalogModel>> ListModelsAsync(CancellationToken cancellationToken = default)
    {
        Calls.Add("models");
        return Task.FromResult<IReadOnlyList<CatalogModel>>([.. Models]);
    }

    public Task<ModelEndpoints?> GetEndpointsAsync(string author, string slug, CancellationToken cancellationToken = default)
    {
        Calls.Add($"endpoints {author}/{slug}");
        return Task.FromResult(Endpoints.GetValueOrDefault($"{author}/{slug}"));
    }

    public List<CatalogProvider> Providers { get; } = [];

    public Task<IReadOnlyList<CatalogProvider>> ListProvidersAsync(CancellationToken cancellationToken = default)
    {
        Calls.Add("providers");
        return Task.FromResult<IReadOnlyList<CatalogProvider>>([.. Providers]);
    }

    public static CatalogModel Model(string id, string name, string prompt, string completion, int context = 128_000, long created = 1_700_000_000,
        string[]? input = null, string[]? output = null, string[]? parameters = null, string description = "A model.")
        => new(id, id, name, created, description, context,
            new ModelArchitecture("text->text", input ?? ["text"], output ?? ["text"], "GPT", null),
            new ModelPricing(prompt, completion, "0", "0", "0"),
            new TopProvider(context, 16_384, false),
            parameters ?? ["max_tokens", "temperature"]);
}
