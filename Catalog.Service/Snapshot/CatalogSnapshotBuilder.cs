using Catalog.Service.Models;
using Catalog.Service.Providers;
using OpenRouterClone.Catalog.Snapshot;

namespace Catalog.Service.Snapshot;

/// <summary>Turns catalog rows into the router's compact snapshot: only what is enabled, in a stable order.</summary>
public static class CatalogSnapshotBuilder
{
    public static CatalogSnapshot Build(
        long version, DateTimeOffset generatedAt, IEnumerable<Provider> providers, IEnumerable<Model> models)
    {
        var enabledProviders = providers
            .Where(provider => provider.IsEnabled)
            .OrderBy(provider => provider.Slug, StringComparer.Ordinal)
            .ToList();
        var routable = enabledProviders.Select(provider => provider.Slug).ToHashSet(StringComparer.Ordinal);

        var snapshotModels = models
            .Where(model => model.IsEnabled)
            .OrderBy(model => model.Id, StringComparer.Ordinal)
            .Select(model => ToSnapshot(model, RoutableEndpoints(model, routable)))
            .Where(model => model.Endpoints.Count > 0)
            .ToList();

        return new CatalogSnapshot(version, generatedAt, [.. enabledProviders.Select(ToSnapshot)], snapshotModels);
    }

    /// <summary>The endpoints a router may use, cheapest (prompt + completion) first, ties by provider slug.</summary>
    internal static IEnumerable<ModelEndpoint> RoutableEndpoints(Model model, IReadOnlySet<string> enabledProviders)
        => model.Endpoints
            .Where(endpoint => endpoint.IsEnabled && enabledProviders.Contains(endpoint.ProviderSlug))
            .OrderBy(endpoint => endpoint.PromptPrice + endpoint.CompletionPrice)
            .ThenBy(endpoint => endpoint.ProviderSlug, StringComparer.Ordinal);

    private static SnapshotProvider ToSnapshot(Provider provider) => new(
        Slug: provider.Slug,
        Name: provider.Name,
        WireFormat: provider.WireFormat.ToString(),
        BaseUrl: provider.BaseUrl.ToString(),
        Status: provider.Status.ToString(),
        DataRetentionDays: provider.DataRetentionDays,
        TrainsOnData: provider.TrainsOnData,
        ZeroDataRetention: provider.ZeroDataRetention,
        Headquarters: provider.Headquarters);

    private static SnapshotModel ToSnapshot(Model model, IEnumerable<ModelEndpoint> endpoints) => new(
        Id: model.Id,
        CanonicalSlug: model.CanonicalSlug,
        Name: model.Name,
        ContextLength: model.ContextLength,
        InputModalities: model.InputModalities,
        OutputModalities: model.OutputModalities,
        Endpoints: [.. endpoints.Select(ToSnapshot)]);

    private static SnapshotEndpoint ToSnapshot(ModelEndpoint endpoint) => new(
        Id: endpoint.Id,
        Provider: endpoint.ProviderSlug,
        UpstreamModel: endpoint.UpstreamModelName,
        ContextLength: endpoint.ContextLength,
        MaxCompletionTokens: endpoint.MaxCompletionTokens,
        MaxPromptTokens: endpoint.MaxPromptTokens,
        Quantization: endpoint.Quantization,
        Pricing: new SnapshotPricing(
            Prompt: Normalize(endpoint.PromptPrice),
            Completion: Normalize(endpoint.CompletionPrice),
            Request: Normalize(endpoint.RequestPrice),
            Image: Normalize(endpoint.ImagePrice),
            InputCacheRead: endpoint.InputCacheReadPrice is { } read ? Normalize(read) : null,
            InputCacheWrite: endpoint.InputCacheWritePrice is { } write ? Normalize(write) : null,
            InternalReasoning: Normalize(endpoint.InternalReasoningPrice),
            Discount: Normalize(endpoint.Discount)),
        SupportedParameters: endpoint.SupportedParameters,
        Status: (int)endpoint.Status,
        IsModerated: endpoint.IsModerated,
        SupportsImplicitCaching: endpoint.SupportsImplicitCaching,
        Stats: endpoint.Stats is { } stats
            ? new SnapshotEndpointStats(stats.LatencyP50Last30m, stats.ThroughputP50Last30m, stats.UptimeLast30m, stats.UptimeLast1d)
            : null);

    /// <summary>Drops the trailing zeros a <c>numeric(20,12)</c> column brings back (0.000002500000 -> 0.0000025).</summary>
    internal static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;
}
