using Catalog.Service.Models;
using Catalog.Service.Providers;
using Microsoft.EntityFrameworkCore;

namespace Catalog.Service.Data;

public sealed class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
{
    public DbSet<Provider> Providers => Set<Provider>();
    public DbSet<Model> Models => Set<Model>();
    public DbSet<ModelEndpoint> ModelEndpoints => Set<ModelEndpoint>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.ApplyConfigurationsFromAssembly(typeof(CatalogDbContext).Assembly);
}
