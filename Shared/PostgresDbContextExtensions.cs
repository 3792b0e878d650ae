using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace OpenRouterClone.Shared;

/// <summary>
/// Registers a service's DbContext on its Aspire Postgres connection with statements prepared automatically.
/// Without it Postgres parses and plans every statement anew, though each service runs a handful of query shapes
/// (the usage consumer's checks, key and preference lookups, the stats refresh) over and over. Linked into each
/// service that owns a database, like <see cref="MigrateDbContextExtensions"/>.
/// </summary>
internal static class PostgresDbContextExtensions
{
    // Statements a connection keeps prepared, and how often one runs before it is: enough for a service's hot
    // queries and inserts, while one-off queries (admin reports) are never prepared.
    private const int PreparedStatementsPerConnection = 64;
    private const int UsesBeforePreparing = 2;

    public static void AddPostgresDbContext<TContext>(this IHostApplicationBuilder builder, string connectionName)
        where TContext : DbContext
        => builder.AddNpgsqlDbContext<TContext>(connectionName, settings =>
        {
            if (settings.ConnectionString is { Length: > 0 } connectionString)
            {
                settings.ConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
                {
                    MaxAutoPrepare = PreparedStatementsPerConnection,
                    AutoPrepareMinUsages = UsesBeforePreparing,
                }.ConnectionString;
            }
        });
}
