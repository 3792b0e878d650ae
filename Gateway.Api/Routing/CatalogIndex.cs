using System.Collections.Frozen;
using OpenRouterClone.Catalog.Snapshot;

namespace Gateway.Api.Routing;

/// <summary>One catalog snapshot indexed for the hot path: models by id and providers by slug, O(1) each.</summary>
public sealed class CatalogIndex
{
    private readonly FrozenDictionary<string, SnapshotModel> _models;
    private readonly FrozenDictionary<string, SnapshotProvider> _providers;

    public CatalogIndex(CatalogSnapshot snapshot)
    {
        Snapshot = snapshot;
        _models = snapshot.Models
            .DistinctBy(model => model.Id, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(model => model.Id, StringComparer.OrdinalIgnoreCase);
        _providers = snapshot.Providers
            .DistinctBy(provider => provider.Slug, StringComparer.OrdinalIgnoreCase)
            .ToFrozenDictionary(provider => provider.Slug, StringComparer.OrdinalIgnoreCase);
    }

    public CatalogSnapshot Snapshot { get; }

    public long Version => Snapshot.Version;

    public SnapshotModel? FindModel(string id) => _models.GetValueOrDefault(id);

    public SnapshotProvider? FindProvider(string slug) => _providers.GetValueOrDefault(slug);
}
