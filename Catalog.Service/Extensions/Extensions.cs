using Catalog.Service.Admin;
using Catalog.Service.Data;
using Catalog.Service.Models;
using Catalog.Service.Seed;
using Catalog.Service.Snapshot;
using Catalog.Service.Stats;
using OpenRouterClone.Shared;

namespace Catalog.Service.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPostgresDbContext<CatalogDbContext>("catalogdb");
        builder.AddRedisClient("redis");

        // Hosted services start in order: migrations and seed first, then the first snapshot publication.
        builder.Services.AddMigration<CatalogDbContext>(CatalogSeeder.SeedAsync);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CatalogSnapshotPublisher>();
        builder.Services.AddHostedService<CatalogSnapshotPublisherService>();

        builder.Services.AddOptions<EndpointStatsOptions>()
            .Bind(builder.Configuration.GetSection(EndpointStatsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHostedService<EndpointStatsService>();

        builder.Services.Configure<CatalogAdminOptions>(builder.Configuration.GetSection(CatalogAdminOptions.SectionName));
        builder.Services.AddScoped<CatalogEditor>();

        builder.Services.AddOpenRouterJson(CatalogJsonContext.Default);
        builder.Services.AddApiErrorHandling();
    }
}
