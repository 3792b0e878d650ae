using System.Data;
using System.Globalization;
using System.Text.Json;
using Catalog.Service.Data;
using Microsoft.EntityFrameworkCore;
using OpenRouterClone.Catalog.Snapshot;
using StackExchange.Redis;

namespace Catalog.Service.Snapshot;

/// <summary>
/// Builds the snapshot from Postgres and publishes it to Redis: the snapshot and its version are written and
/// the version announced on <see cref="CatalogSnapshotRedis.ChangedChannel"/> in one Lua call, which refuses to
/// replace a newer version with an older one (two publishers racing never move gateways backwards).
/// </summary>
public sealed partial class CatalogSnapshotPublisher(
    IServiceScopeFactory scopes, IConnectionMultiplexer redis, TimeProvider time, ILogger<CatalogSnapshotPublisher> logger)
{
    // KEYS[1] snapshot, KEYS[2] version; ARGV[1] snapshot JSON, ARGV[2] version, ARGV[3] channel.
    // The same version is written again only when the snapshot itself went missing.
    private const string PublishScript = """
        local current = tonumber(redis.call('GET', KEYS[2]) or '0')
        local incoming = tonumber(ARGV[2])
        if incoming < current then return 0 end
        if incoming == current and redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('SET', KEYS[1], ARGV[1])
        redis.call('SET', KEYS[2], ARGV[2])
        redis.call('PUBLISH', ARGV[3], ARGV[2])
        return 1
        """;

    private static readonly RedisKey[] Keys = [CatalogSnapshotRedis.SnapshotKey, CatalogSnapshotRedis.VersionKey];

    /// <summary>Publishes the current catalog; returns its version and whether Redis took it (false: it had it or newer).</summary>
    public async Task<(long Version, bool Published)> PublishAsync(CancellationToken cancellationToken)
    {
        var snapshot = await LoadAsync(cancellationToken);
        var json = JsonSerializer.SerializeToUtf8Bytes(snapshot, CatalogSnapshotJsonContext.Default.CatalogSnapshot);
        var result = await redis.GetDatabase().ScriptEvaluateAsync(PublishScript, Keys,
            [json, snapshot.Version.ToString(CultureInfo.InvariantCulture), CatalogSnapshotRedis.ChangedChannel]);
        var published = (int)result == 1;
        if (published)
        {
            LogPublished(snapshot.Version, snapshot.Models.Count, json.Length);
        }
        return (snapshot.Version, published);
    }

    /// <summary>Publishes after an admin change; a Redis failure is logged and left to the periodic check.</summary>
    public async Task<bool> TryPublishAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PublishAsync(cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogPublishFailed(exception);
            return false;
        }
    }

    /// <summary>Republishes when Redis lacks the catalog's current version (Redis was flushed, or a publish failed).</summary>
    public async Task EnsurePublishedAsync(CancellationToken cancellationToken)
    {
        long databaseVersion;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            databaseVersion = await CurrentVersionAsync(db, cancellationToken);
        }

        var redisDatabase = redis.GetDatabase();
        var published = await redisDatabase.StringGetAsync(CatalogSnapshotRedis.VersionKey);
        var hasSnapshot = await redisDatabase.KeyExistsAsync(CatalogSnapshotRedis.SnapshotKey);
        if (!hasSnapshot || !long.TryParse(published.ToString(), CultureInfo.InvariantCulture, out var redisVersion) || redisVersion < databaseVersion)
        {
            await PublishAsync(cancellationToken);
        }
    }

    public static async Task<long> CurrentVersionAsync(CatalogDbContext db, CancellationToken cancellationToken)
        => await db.Changes.MaxAsync(change => (long?)change.Version, cancellationToken) ?? 0;

    private async Task<CatalogSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();

        // One repeatable-read transaction: the version read matches the rows read. Writers hold a lock until
        // they commit, so a version is never visible before the changes of every lower version.
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            var version = await CurrentVersionAsync(db, cancellationToken);
            var providers = await db.Providers.AsNoTracking().ToListAsync(cancellationToken);
            var models = await db.Models.AsNoTracking()
                .Where(model => model.IsEnabled)
                .Include(model => model.Endpoints).ThenInclude(endpoint => endpoint.Stats)
                .AsSplitQuery()
                .ToListAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return CatalogSnapshotBuilder.Build(version, time.GetUtcNow(), providers, models);
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published catalog snapshot version {Version} ({ModelCount} models, {Bytes} bytes)")]
    private partial void LogPublished(long version, int modelCount, int bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing the catalog snapshot failed; the periodic check will retry")]
    private partial void LogPublishFailed(Exception exception);
}

/// <summary>Publishes the snapshot at start (after migrations and seed) and then checks it periodically.</summary>
internal sealed partial class CatalogSnapshotPublisherService(
    CatalogSnapshotPublisher publisher, ILogger<CatalogSnapshotPublisherService> logger) : BackgroundService
{
    internal static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(15);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the host serves requests, so a healthy catalog has a snapshot in Redis.
        try
        {
            await publisher.PublishAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogCheckFailed(exception);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await publisher.EnsurePublishedAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogCheckFailed(exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing the catalog snapshot failed; retrying later")]
    private partial void LogCheckFailed(Exception exception);
}
