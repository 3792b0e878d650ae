using Catalog.Service.Data;
using Catalog.Service.Models;
using Catalog.Service.Seed;
using OpenRouterClone.Shared;

namespace Catalog.Service.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<CatalogDbContext>("catalogdb");
        builder.Services.AddMigration<CatalogDbContext>(CatalogSeeder.SeedAsync);
        builder.AddRedisClient("redis");

        builder.Services.AddOpenRouterJson(CatalogJsonContext.Default);
    }
}
