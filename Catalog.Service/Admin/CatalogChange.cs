using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Catalog.Service.Admin;

/// <summary>
/// One committed change of the catalog. Its <see cref="Version"/> (an identity column) is the catalog version:
/// every change inserts one row in the same transaction as the change itself, so versions only grow and
/// each version says who changed what, when.
/// </summary>
public sealed class CatalogChange
{
    public long Version { get; set; }
    public DateTimeOffset ChangedAt { get; set; }

    /// <summary>Who made the change: the <c>X-Admin-Actor</c> header, or "seed" for the start-up seed.</summary>
    public required string Actor { get; set; }

    /// <summary>"provider", "model", "endpoint" or "catalog".</summary>
    public required string EntityType { get; set; }
    public required string EntityId { get; set; }

    /// <summary>"create", "update", "disable", "enable", "seed".</summary>
    public required string Action { get; set; }

    /// <summary>Human-readable list of the fields that changed, with old and new values.</summary>
    public required string Summary { get; set; }
}

internal sealed class CatalogChangeEntityTypeConfiguration : IEntityTypeConfiguration<CatalogChange>
{
    public void Configure(EntityTypeBuilder<CatalogChange> builder)
    {
        builder.ToTable("catalog_changes");
        builder.HasKey(change => change.Version);
        builder.Property(change => change.Version).UseIdentityAlwaysColumn();
        builder.Property(change => change.Actor).HasMaxLength(128);
        builder.Property(change => change.EntityType).HasMaxLength(16);
        builder.Property(change => change.EntityId).HasMaxLength(256);
        builder.Property(change => change.Action).HasMaxLength(16);
        builder.HasIndex(change => change.ChangedAt);
    }
}

/// <summary>The words <see cref="CatalogChange"/> rows use.</summary>
public static class CatalogChanges
{
    public const string Provider = "provider";
    public const string Model = "model";
    public const string Endpoint = "endpoint";
    public const string Catalog = "catalog";

    public const string Create = "create";
    public const string Update = "update";
    public const string Disable = "disable";
    public const string Enable = "enable";
    public const string Seed = "seed";
}
