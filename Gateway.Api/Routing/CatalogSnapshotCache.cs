using System.Globalization;
using System.Text.Json;
using OpenRouterClone.Catalog.Snapshot;
using StackExchange.Redis;

namespace Gateway.Api.Routing;

/// <summary>
/// The catalog snapshot this replica routes with, held in memory. <see cref="CatalogSnapshotLoader"/> fills it
/// from Redis at start and whenever <see cref="CatalogSnapshotRedis.ChangedChannel"/> announces a newer version;
/// versions only move forward. The endpoints' live statistics (<see cref="EndpointStatsSnapshot"/>) come
/// separately and more often; the index routes with the newest of both.
/// </summary>
public sealed class CatalogSnapshotCache
{
    private readonly Lock _gate = new();
    private volatile CatalogIndex? _current;
    private CatalogSnapshot? _snapshot;
    private EndpointStatsSnapshot? _stats;

    /// <summary>The newest snapshot loaded, or null before the first load.</summary>
    public CatalogIndex? Current => _current;

    /// <summary>When the statistics in use were computed, or null before any arrived.</summary>
    public DateTimeOffset? StatsGeneratedAt => _stats?.GeneratedAt;

    /// <summary>Takes the snapshot when it is newer than the current one; returns whether it did.</summary>
    public bool TryUpdate(CatalogSnapshot snapshot)
    {
        lock (_gate)
        {
            if (_snapshot is { } current && current.Version >= snapshot.Version)
            {
                return false;
            }
            _snapshot = snapshot;
            _current = new CatalogIndex(WithStats(snapshot, _stats));
            return true;
        }
    }

    /// <summary>Takes newer endpoint statistics; returns whether it did.</summary>
    public bool TryUpdateStats(EndpointStatsSnapshot stats)
    {
        lock (_gate)
        {
            if (_stats is { } current && current.GeneratedAt >= stats.GeneratedAt)
            {
                return false;
            }
            _stats = stats;
            if (_snapshot is { } snapshot)
            {
                _current = new CatalogIndex(WithStats(snapshot, stats));
            }
            return true;
        }
    }

    /// <summary>The snapshot with each endpoint's statistics replaced by the live ones, where there are any.</summary>
    private static CatalogSnapshot WithStats(CatalogSnapshot snapshot, EndpointStatsSnapshot? stats)
        => stats is null || stats.Endpoints.Count == 0
            ? snapshot
            : snapshot with
            {
                Models = [.. snapshot.Models.Select(model => model with
                {
                    Endpoints = [.. model.Endpoints.Select(endpoint =>
                        stats.Endpoints.TryGetValue(endpoint.Id, out var live) ? endpoint with { Stats = live } : endpoint)],
                })],
            };

    public static CatalogSnapshot? Parse(ReadOnlySpan<byte> json)
        => JsonSerializer.Deserialize(json, CatalogSnapshotJsonContext.Default.CatalogSnapshot);
}

/// <summary>Loads the snapshot at start (retrying until the catalog has published one) and on every announced change.</summary>
public sealed partial class CatalogSnapshotLoader(
    IConnectionMultiplexer redis, CatalogSnapshotCache cache, ILogger<CatalogSnapshotLoader> logger) : BackgroundService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(CatalogSnapshotRedis.ChangedChannel);
    private static readonly RedisChannel StatsChannel = RedisChannel.Literal(EndpointStatsRedis.StatsChangedChannel);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(30);

    // A lost message is caught up by this periodic version check.
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim _loading = new(1, 1);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await redis.GetSubscriber().SubscribeAsync(Channel, (channel, message) =>
        {
            if (long.TryParse(message.ToString(), CultureInfo.InvariantCulture, out var version)
                && (cache.Current?.Version ?? -1) < version)
            {
                _ = LoadSafelyAsync(CancellationToken.None);
            }
        });
        await redis.GetSubscriber().SubscribeAsync(StatsChannel, (_, _) => _ = LoadStatsSafelyAsync());

        // Before the host serves requests when possible: the catalog publishes at its own start, and the
        // AppHost starts the gateway after the catalog. Past the wait, loading goes on in the background.
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(StartWait);
        while (cache.Current is null && !wait.IsCancellationRequested)
        {
            if (!await LoadSafelyAsync(wait.Token))
            {
                try
                {
                    await Task.Delay(RetryDelay, wait.Token);
                }
                catch (OperationCanceledException)
                {
                    // Start-up wait over (or the host stops): ExecuteAsync keeps trying.
                }
            }
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var loaded = cache.Current is not null;
            try
            {
                await Task.Delay(loaded ? CheckInterval : RetryDelay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await LoadSafelyAsync(stoppingToken);
            await LoadStatsSafelyAsync();
        }
    }

    /// <summary>Loads the endpoints' live statistics; they only steer routing, so a failure is just logged.</summary>
    private async Task LoadStatsSafelyAsync()
    {
        try
        {
            var json = await redis.GetDatabase().StringGetAsync(EndpointStatsRedis.StatsKey);
            if (!json.IsNullOrEmpty
                && JsonSerializer.Deserialize((byte[])json!, EndpointStatsJsonContext.Default.EndpointStatsSnapshot) is { } stats)
            {
                cache.TryUpdateStats(stats);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or JsonException)
        {
            LogStatsFailed(exception);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await redis.GetSubscriber().UnsubscribeAsync(Channel);
        await redis.GetSubscriber().UnsubscribeAsync(StatsChannel);
        await base.StopAsync(cancellationToken);
    }

    /// <summary>Loads the snapshot if Redis has a newer one; false when there is none yet or Redis failed.</summary>
    private async Task<bool> LoadSafelyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _loading.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        try
        {
            var database = redis.GetDatabase();
            var version = await database.StringGetAsync(CatalogSnapshotRedis.VersionKey);
            if (cache.Current is { } current && long.TryParse(version.ToString(), CultureInfo.InvariantCulture, out var published)
                && published <= current.Version)
            {
                return true;
            }
            var json = await database.StringGetAsync(CatalogSnapshotRedis.SnapshotKey);
            if (json.IsNullOrEmpty)
            {
                LogMissing();
                return false;
            }
            var snapshot = CatalogSnapshotCache.Parse((byte[])json!);
            if (snapshot is null)
            {
                return false;
            }
            if (cache.TryUpdate(snapshot))
            {
                LogLoaded(snapshot.Version, snapshot.Models.Count);
            }
            return true;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or System.Text.Json.JsonException)
        {
            LogFailed(exception);
            return false;
        }
        finally
        {
            _loading.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded catalog snapshot version {Version} ({ModelCount} models)")]
    private partial void LogLoaded(long version, int modelCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "No catalog snapshot in Redis yet; retrying")]
    private partial void LogMissing();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loading the catalog snapshot failed; retrying")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loading the endpoint statistics failed; routing goes on with the previous ones")]
    private partial void LogStatsFailed(Exception exception);
}
