using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenRouterClone.Shared;

/// <summary>
/// Applies a service's committed EF Core migrations, then its seed, before the service starts taking
/// requests. Linked into each service that owns a database (the eShop pattern), so that a service only
/// reports healthy once its schema is current.
/// </summary>
internal static class MigrateDbContextExtensions
{
    private const string ActivitySourceName = "OpenRouterClone.DbMigrations";
    private static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    public static IServiceCollection AddMigration<TContext>(this IServiceCollection services)
        where TContext : DbContext
        => services.AddMigration<TContext>((_, _, _) => Task.CompletedTask);

    public static IServiceCollection AddMigration<TContext>(
        this IServiceCollection services,
        Func<TContext, IServiceProvider, CancellationToken, Task> seeder)
        where TContext : DbContext
        => services.AddHostedService(sp => new MigrationHostedService<TContext>(sp, seeder));

    private static async Task MigrateAndSeedAsync<TContext>(
        IServiceProvider services,
        Func<TContext, IServiceProvider, CancellationToken, Task> seeder,
        CancellationToken cancellationToken)
        where TContext : DbContext
    {
        await using var scope = services.CreateAsyncScope();
        var scopedServices = scope.ServiceProvider;
        var logger = scopedServices.GetRequiredService<ILogger<TContext>>();
        var context = scopedServices.GetRequiredService<TContext>();

        using var activity = ActivitySource.StartActivity($"Migrating {typeof(TContext).Name}");
        try
        {
            logger.LogInformation("Migrating database for {DbContext}", typeof(TContext).Name);
            var strategy = context.Database.CreateExecutionStrategy();
            await strategy.ExecuteAsync(async () =>
            {
                await context.Database.MigrateAsync(cancellationToken);
                await seeder(context, scopedServices, cancellationToken);
            });
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Migrating the database for {DbContext} failed", typeof(TContext).Name);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }

    private sealed class MigrationHostedService<TContext>(
        IServiceProvider services,
        Func<TContext, IServiceProvider, CancellationToken, Task> seeder) : BackgroundService
        where TContext : DbContext
    {
        // Runs in StartAsync on purpose: the host does not start serving until the schema is current.
        public override Task StartAsync(CancellationToken cancellationToken)
            => MigrateAndSeedAsync(services, seeder, cancellationToken);

        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
    }
}
