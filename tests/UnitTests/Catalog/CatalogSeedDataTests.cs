using Catalog.Service.Models;
using Catalog.Service.Providers;
using Catalog.Service.Seed;

namespace UnitTests.Catalog;

public class CatalogSeedDataTests
{
    private static readonly CatalogSeedData.ModelSeed[] Models = CatalogSeedData.Models;

    [Fact]
    public void Every_endpoint_names_a_seeded_provider()
    {
        var providers = CatalogSeedData.Providers.Select(provider => provider.Slug).ToHashSet();

        var orphans = Models
            .SelectMany(model => model.Endpoints.Select(endpoint => $"{model.Id} -> {endpoint.Provider}"))
            .Where(pair => !providers.Contains(pair.Split(" -> ")[1]))
            .ToList();

        Assert.Empty(orphans);
    }

    [Fact]
    public void Model_ids_are_unique_author_slash_slug_names()
    {
        var ids = Models.Select(model => model.Id).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^[a-z0-9-]+/[a-z0-9.:-]+$", id));
        Assert.All(ids, id => Assert.True(id.Length <= 128, id));
    }

    [Fact]
    public void The_seed_is_a_catalog_a_user_would_recognise()
    {
        Assert.True(Models.Length >= 40, $"{Models.Length} models");
        Assert.True(CatalogSeedData.Providers.Length >= 8, $"{CatalogSeedData.Providers.Length} providers");
        var authors = Models.Select(model => model.Id.Split('/')[0]).Distinct().ToList();
        Assert.True(authors.Count >= 8, string.Join(", ", authors));
        Assert.Superset(
            new HashSet<string>
            {
                "openai/gpt-4o", "openai/gpt-4o-mini", "openai/gpt-4.1", "openai/gpt-4.1-mini", "openai/o3-mini", "openai/o4-mini",
                "openai/text-embedding-3-small", "openai/text-embedding-3-large",
                "anthropic/claude-opus-4", "anthropic/claude-sonnet-4", "anthropic/claude-3.7-sonnet", "anthropic/claude-3.5-haiku",
                "google/gemini-2.5-pro", "google/gemini-2.5-flash", "google/gemini-2.0-flash-001",
                "meta-llama/llama-3.3-70b-instruct", "meta-llama/llama-3.1-8b-instruct", "meta-llama/llama-4-maverick", "meta-llama/llama-4-scout",
                "mistralai/mistral-large-2411", "mistralai/mistral-small-3.1-24b-instruct", "mistralai/mistral-nemo", "mistralai/codestral-2501",
                "deepseek/deepseek-chat", "deepseek/deepseek-r1",
                "qwen/qwen3-235b-a22b", "qwen/qwen-2.5-72b-instruct", "qwen/qwen-2.5-coder-32b-instruct",
                "x-ai/grok-3", "x-ai/grok-3-mini", "x-ai/grok-4",
            },
            Models.Select(model => model.Id).ToHashSet());
    }

    [Fact]
    public void Several_models_are_served_by_several_providers_at_different_prices()
    {
        var shared = Models
            .Where(model => model.Endpoints.Length > 1)
            .Where(model => model.Endpoints.Select(endpoint => (endpoint.PromptPerMillion, endpoint.CompletionPerMillion)).Distinct().Count() > 1)
            .ToList();

        Assert.True(shared.Count >= 10, $"{shared.Count} models with several differently priced providers");
    }

    [Fact]
    public void Paid_endpoints_have_a_positive_prompt_price_and_only_embeddings_have_no_completion_price()
    {
        Assert.All(Models.Where(model => !model.Id.EndsWith(Model.FreeSuffix, StringComparison.Ordinal)), model =>
        {
            Assert.NotEmpty(model.Endpoints);
            var embeddings = model.OutputModalities.SequenceEqual(["embeddings"]);
            Assert.All(model.Endpoints, endpoint =>
            {
                Assert.True(endpoint.PromptPerMillion > 0, $"{model.Id} at {endpoint.Provider} has no prompt price");
                Assert.True(embeddings ? endpoint.CompletionPerMillion == 0 : endpoint.CompletionPerMillion > 0,
                    $"{model.Id} at {endpoint.Provider}: completion price {endpoint.CompletionPerMillion}");
            });
            Assert.Equal(model.Endpoints.Length, model.Endpoints.Select(endpoint => endpoint.Provider).Distinct().Count());
        });
    }

    [Fact]
    public void Free_variants_are_models_of_their_own_at_price_zero_sharing_the_base_permaslug()
    {
        var byId = Models.ToDictionary(model => model.Id);
        var free = Models.Where(model => model.Id.EndsWith(Model.FreeSuffix, StringComparison.Ordinal)).ToList();

        Assert.True(free.Count >= 3, $"{free.Count} free variants");
        Assert.All(free, variant =>
        {
            var baseModel = byId[variant.Id[..^Model.FreeSuffix.Length]];
            Assert.Equal(baseModel.CanonicalSlug ?? baseModel.Id, variant.CanonicalSlug);
            Assert.EndsWith("(free)", variant.Name);
            Assert.All(variant.Endpoints, endpoint =>
            {
                Assert.Equal(0m, endpoint.PromptPerMillion);
                Assert.Equal(0m, endpoint.CompletionPerMillion);
            });
            Assert.Null(variant.FreeEndpoints);
        });
    }

    [Fact]
    public void Embedding_models_output_embeddings()
    {
        var embeddings = Models.Where(model => model.OutputModalities.Contains("embeddings")).Select(model => model.Id).ToList();

        Assert.Contains("openai/text-embedding-3-small", embeddings);
        Assert.Contains("openai/text-embedding-3-large", embeddings);
        Assert.True(embeddings.Count >= 3);
    }

    [Fact]
    public void Providers_speak_their_real_wire_formats()
    {
        var formats = CatalogSeedData.Providers.ToDictionary(provider => provider.Slug, provider => provider.WireFormat);

        Assert.Equal(WireFormat.AnthropicMessages, formats["anthropic"]);
        Assert.Equal(WireFormat.GeminiGenerateContent, formats["google-ai-studio"]);
        Assert.All(formats.Where(pair => pair.Key is not ("anthropic" or "google-ai-studio")),
            pair => Assert.Equal(WireFormat.OpenAIChat, pair.Value));
        Assert.All(CatalogSeedData.Providers, provider =>
        {
            Assert.StartsWith("https://", provider.BaseUrl);
            Assert.Matches("^[A-Z]{2}$", provider.Headquarters);
            Assert.StartsWith("https://", provider.PrivacyPolicyUrl);
        });
    }

    [Fact]
    public void Seed_prices_convert_to_exact_per_token_decimals()
    {
        var gpt4o = CatalogSeeder.ToModel(Models.Single(model => model.Id == "openai/gpt-4o"));
        var endpoint = Assert.Single(gpt4o.Endpoints);

        Assert.Equal(0.0000025m, endpoint.PromptPrice);
        Assert.Equal(0.00001m, endpoint.CompletionPrice);
        Assert.Equal(0.00000125m, endpoint.InputCacheReadPrice);
        Assert.Null(endpoint.InputCacheWritePrice);
        Assert.Equal(128_000, endpoint.ContextLength);
        Assert.Equal("openai/gpt-4o", gpt4o.CanonicalSlug);
    }

    [Fact]
    public void DeepInfra_is_the_cheapest_provider_of_deepseek_chat()
    {
        // The gateway integration test asserts DeepInfra's 0.38/0.89 speaks for deepseek/deepseek-chat.
        var model = CatalogSeeder.ToModel(Models.Single(model => model.Id == "deepseek/deepseek-chat"));

        var top = ModelsApi.ByPrice(model.Endpoints).First();

        Assert.Equal("deepinfra", top.ProviderSlug);
        Assert.Equal(3, model.Endpoints.Count);
    }
}
