using Catalog.Service.Admin;
using Catalog.Service.Models;
using Catalog.Service.Providers;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Service.Data;

public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    public DbSet<Provider> Providers => Set<Provider>();
    public DbSet<Model> Models => Set<Model>();
    public DbSet<ModelEndpoint> ModelEndpoints => Set<ModelEndpoint>();
    public DbSet<EndpointStats> EndpointStats => Set<EndpointStats>();

    /// <summary>The audit trail; its highest <see cref="CatalogChange.Version"/> is the catalog version.</summary>
    public DbSet<CatalogChange> Changes => Set<CatalogChange>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.ApplyConfigurationsFromAssembly(typeof(CatalogDbContext).Assembly);
}
