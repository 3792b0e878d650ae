using Catalog.Service.Data;
using Catalog.Service.Models;
using Catalog.Service.Providers;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Service.Seed;

/// <summary>Inserts the seed providers and models that are missing; never overwrites an administrator's edits.</summary>
public static class CatalogSeeder
{
    private const decimal TokensPerMillion = 1_000_000m;

    public static async Task SeedAsync(CatalogDbContext db, IServiceProvider services, CancellationToken cancellationToken)
    {
        var knownProviders = await db.Providers.Select(provider => provider.Slug).ToHashSetAsync(cancellationToken);
        db.Providers.AddRange(CatalogSeedData.Providers
            .Where(seed => !knownProviders.Contains(seed.Slug))
            .Select(seed => new Provider
            {
                Slug = seed.Slug,
                Name = seed.Name,
                BaseUrl = new Uri(seed.BaseUrl),
                WireFormat = seed.WireFormat,
            }));

        var knownModels = await db.Models.Select(model => model.Id).ToHashSetAsync(cancellationToken);
        db.Models.AddRange(CatalogSeedData.Models
            .Where(seed => !knownModels.Contains(seed.Id))
            .Select(ToModel));

        await db.SaveChangesAsync(cancellationToken);
    }

    private static Model ToModel(CatalogSeedData.ModelSeed seed) => new()
    {
        Id = seed.Id,
        Name = seed.Name,
        Description = seed.Description,
        CreatedAt = new DateTimeOffset(seed.Created.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        ContextLength = seed.ContextLength,
        Tokenizer = seed.Tokenizer,
        InputModalities = seed.InputModalities,
        OutputModalities = ["text"],
        Endpoints = [.. seed.Endpoints.Select(endpoint => new ModelEndpoint
        {
            ModelId = seed.Id,
            ProviderSlug = endpoint.Provider,
            UpstreamModelName = endpoint.UpstreamModelName,
            ContextLength = seed.ContextLength,
            MaxCompletionTokens = endpoint.MaxCompletionTokens,
            Quantization = endpoint.Quantization,
            PromptPrice = endpoint.PromptPerMillion / TokensPerMillion,
            CompletionPrice = endpoint.CompletionPerMillion / TokensPerMillion,
            SupportedParameters = endpoint.SupportedParameters,
            IsModerated = endpoint.IsModerated,
        })],
    };
}
