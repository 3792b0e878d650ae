using Catalog.Service.Admin;
using Catalog.Service.Data;
using Catalog.Service.Models;
using Catalog.Service.Providers;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Service.Seed;

/// <summary>
/// Inserts the seed providers, models and endpoints that are missing; never overwrites an administrator's
/// edits. Anything inserted is recorded as one catalog change, so the seed has a version like any edit.
/// </summary>
public static class CatalogSeeder
{
    public const string Actor = "seed";
    private const decimal TokensPerMillion = 1_000_000m;

    public static async Task SeedAsync(CatalogDbContext db, IServiceProvider services, CancellationToken cancellationToken)
    {
        var knownProviders = await db.Providers.Select(provider => provider.Slug).ToHashSetAsync(cancellationToken);
        var newProviders = CatalogSeedData.Providers.Where(seed => !knownProviders.Contains(seed.Slug)).Select(ToProvider).ToList();
        db.Providers.AddRange(newProviders);

        var knownModels = await db.Models.Select(model => model.Id).ToHashSetAsync(cancellationToken);
        var newModels = CatalogSeedData.Models.Where(seed => !knownModels.Contains(seed.Id)).Select(ToModel).ToList();
        db.Models.AddRange(newModels);

        // Models that exist already get the seed's endpoints they lack (a provider added to the seed later).
        var knownEndpoints = (await db.ModelEndpoints
                .Select(endpoint => new { endpoint.ModelId, endpoint.ProviderSlug })
                .ToListAsync(cancellationToken))
            .Select(pair => (pair.ModelId, pair.ProviderSlug))
            .ToHashSet();
        var newEndpoints = CatalogSeedData.Models
            .Where(seed => knownModels.Contains(seed.Id))
            .SelectMany(seed => seed.Endpoints
                .Where(endpoint => !knownEndpoints.Contains((seed.Id, endpoint.Provider)))
                .Select(endpoint => ToEndpoint(seed, endpoint)))
            .ToList();
        db.ModelEndpoints.AddRange(newEndpoints);

        var endpointCount = newEndpoints.Count + newModels.Sum(model => model.Endpoints.Count);
        if (newProviders.Count + newModels.Count + endpointCount == 0)
        {
            return;
        }

        db.Changes.Add(new CatalogChange
        {
            ChangedAt = TimeProvider.System.GetUtcNow(),
            Actor = Actor,
            EntityType = CatalogChanges.Catalog,
            EntityId = "*",
            Action = CatalogChanges.Seed,
            Summary = $"inserted {newProviders.Count} providers, {newModels.Count} models, {endpointCount} endpoints",
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    internal static Provider ToProvider(CatalogSeedData.ProviderSeed seed) => new()
    {
        Slug = seed.Slug,
        Name = seed.Name,
        BaseUrl = new Uri(seed.BaseUrl),
        WireFormat = seed.WireFormat,
        Headquarters = seed.Headquarters,
        Datacenters = seed.Datacenters,
        DataRetentionDays = seed.DataRetentionDays,
        TrainsOnData = seed.TrainsOnData,
        ZeroDataRetention = seed.ZeroDataRetention,
        PrivacyPolicyUrl = seed.PrivacyPolicyUrl,
        TermsOfServiceUrl = seed.TermsOfServiceUrl,
        StatusPageUrl = seed.StatusPageUrl,
    };

    internal static Model ToModel(CatalogSeedData.ModelSeed seed) => new()
    {
        Id = seed.Id,
        CanonicalSlug = seed.CanonicalSlug ?? seed.Id,
        Name = seed.Name,
        Description = seed.Description,
        HuggingFaceId = seed.HuggingFaceId,
        CreatedAt = new DateTimeOffset(seed.Created.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        ContextLength = seed.ContextLength,
        Tokenizer = seed.Tokenizer,
        InstructType = seed.InstructType,
        InputModalities = seed.InputModalities,
        OutputModalities = seed.OutputModalities,
        Categories = seed.Categories,
        Endpoints = [.. seed.Endpoints.Select(endpoint => ToEndpoint(seed, endpoint))],
    };

    internal static ModelEndpoint ToEndpoint(CatalogSeedData.ModelSeed model, CatalogSeedData.EndpointSeed seed) => new()
    {
        ModelId = model.Id,
        ProviderSlug = seed.Provider,
        UpstreamModelName = seed.UpstreamModelName,
        ContextLength = seed.ContextLength ?? model.ContextLength,
        MaxCompletionTokens = seed.MaxCompletionTokens,
        Quantization = seed.Quantization,
        PromptPrice = PerToken(seed.PromptPerMillion),
        CompletionPrice = PerToken(seed.CompletionPerMillion),
        ImagePrice = seed.ImagePrice,
        InputCacheReadPrice = seed.CacheReadPerMillion is { } read ? PerToken(read) : null,
        InputCacheWritePrice = seed.CacheWritePerMillion is { } write ? PerToken(write) : null,
        SupportedParameters = seed.SupportedParameters,
        IsModerated = seed.IsModerated,
        SupportsImplicitCaching = seed.ImplicitCaching,
    };

    internal static decimal PerToken(decimal perMillion) => perMillion / TokensPerMillion;
}
