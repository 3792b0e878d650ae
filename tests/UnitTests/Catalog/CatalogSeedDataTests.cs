using Catalog.Service.Seed;

namespace UnitTests.Catalog;

public class CatalogSeedDataTests
{
    [Fact]
    public void Every_endpoint_names_a_seeded_provider()
    {
        var providers = CatalogSeedData.Providers.Select(provider => provider.Slug).ToHashSet();

        var orphans = CatalogSeedData.Models
            .SelectMany(model => model.Endpoints.Select(endpoint => $"{model.Id} -> {endpoint.Provider}"))
            .Where(pair => !providers.Contains(pair.Split(" -> ")[1]))
            .ToList();

        Assert.Empty(orphans);
    }

    [Fact]
    public void Model_ids_are_unique_author_slash_slug_names()
    {
        var ids = CatalogSeedData.Models.Select(model => model.Id).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^[a-z0-9-]+/[a-z0-9.:-]+$", id));
    }

    [Fact]
    public void Every_model_has_an_endpoint_with_a_positive_price_and_no_provider_twice()
    {
        Assert.All(CatalogSeedData.Models, model =>
        {
            Assert.NotEmpty(model.Endpoints);
            Assert.All(model.Endpoints, endpoint =>
            {
                Assert.True(endpoint.PromptPerMillion > 0, $"{model.Id} at {endpoint.Provider} has no prompt price");
                Assert.True(endpoint.CompletionPerMillion > 0, $"{model.Id} at {endpoint.Provider} has no completion price");
            });
            Assert.Equal(model.Endpoints.Length, model.Endpoints.Select(endpoint => endpoint.Provider).Distinct().Count());
        });
    }
}
