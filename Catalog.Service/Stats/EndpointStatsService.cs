using System.Text.Json;
using Catalog.Service.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenRouterClone.Catalog.Snapshot;
using StackExchange.Redis;

namespace Catalog.Service.Stats;

/// <summary>
/// Turns the gateways' outcome stream into each endpoint's statistics: outcomes are read with a consumer group
/// (each catalog replica gets its share) into <c>endpoint_outcomes</c>; every refresh computes time to first
/// token and throughput percentiles over 30 minutes (over the sampled outcomes) and uptime over 30 minutes and
/// a day (weighted by the calls each outcome stands for) into
/// <c>model_endpoint_stats</c> (served by the model APIs), drops outcomes older than a day, and publishes the
/// statistics to gateways (<see cref="EndpointStatsRedis"/>), which sort and route by them.
/// </summary>
public sealed partial class EndpointStatsService(
    IConnectionMultiplexer redis, IServiceScopeFactory scopes, IOptions<EndpointStatsOptions> options, TimeProvider clock,
    ILogger<EndpointStatsService> logger) : BackgroundService
{
    private const string Group = "catalog";
    private static readonly TimeSpan RecentWindow = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan DayWindow = TimeSpan.FromDays(1);

    private readonly string _consumer = $"{Environment.MachineName}-{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var nextRefresh = DateTimeOffset.MinValue;
        // Entries this consumer read before a restart but never acknowledged come first.
        var position = StreamPosition.Beginning;
        var groupReady = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var read = 0;
            try
            {
                if (!groupReady)
                {
                    await EnsureGroupAsync();
                    groupReady = true;
                }
                read = await ConsumeAsync(position, settings.BatchSize, stoppingToken);
                if (read == 0)
                {
                    position = StreamPosition.NewMessages;
                }
                if (clock.GetUtcNow() >= nextRefresh)
                {
                    await RefreshAsync(stoppingToken);
                    nextRefresh = clock.GetUtcNow() + settings.RefreshInterval;
                }
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException or NpgsqlException or DbUpdateException)
            {
                LogFailed(exception);
            }
            if (read < settings.BatchSize)
            {
                try
                {
                    await Task.Delay(settings.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task EnsureGroupAsync()
    {
        try
        {
            await redis.GetDatabase().StreamCreateConsumerGroupAsync(EndpointStatsRedis.OutcomeStream, Group, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another replica (or an earlier run) made it.
        }
    }

    /// <summary>Stores a batch of outcomes, then acknowledges and trims them; returns how many entries were read.</summary>
    private async Task<int> ConsumeAsync(RedisValue position, int batchSize, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        var entries = await database.StreamReadGroupAsync(EndpointStatsRedis.OutcomeStream, Group, _consumer, position, batchSize);
        if (entries.Length == 0)
        {
            return 0;
        }
        var records = entries
            .Select(entry => EndpointOutcome.FromStreamFields(entry.Values))
            .OfType<EndpointOutcome>()
            .Select(outcome => new EndpointOutcomeRecord
            {
                EndpointId = outcome.EndpointId,
                At = outcome.At,
                Succeeded = outcome.Succeeded,
                LatencyMs = outcome.LatencyMs,
                TokensPerSecond = outcome.TokensPerSecond,
                Weight = outcome.Weight,
            })
            .ToList();
        if (records.Count > 0)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();
            db.AddRange(records);
            await db.SaveChangesAsync(cancellationToken);
        }
        var ids = entries.Select(entry => entry.Id).ToArray();
        await database.StreamAcknowledgeAsync(EndpointStatsRedis.OutcomeStream, Group, ids);
        await database.StreamDeleteAsync(EndpointStatsRedis.OutcomeStream, ids);
        return entries.Length;
    }

    /// <summary>Recomputes every endpoint's statistics from the last day of outcomes and publishes them.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var recent = now - RecentWindow;
        var day = now - DayWindow;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatalogDbContext>();

        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO model_endpoint_stats ("EndpointId",
                "LatencyP50Last30m", "LatencyP75Last30m", "LatencyP90Last30m", "LatencyP99Last30m",
                "ThroughputP50Last30m", "ThroughputP75Last30m", "ThroughputP90Last30m", "ThroughputP99Last30m",
                "UptimeLast30m", "UptimeLast1d", "UpdatedAt")
            SELECT a."EndpointId",
                a.latency[1], a.latency[2], a.latency[3], a.latency[4],
                a.throughput[1], a.throughput[2], a.throughput[3], a.throughput[4],
                a.uptime_recent, a.uptime_day, {now}
            FROM (
                -- One sort per measure for all four percentiles, not one per percentile.
                SELECT o."EndpointId",
                    percentile_cont(ARRAY[0.50, 0.75, 0.90, 0.99]::double precision[]) WITHIN GROUP (ORDER BY o."LatencyMs"::double precision)
                        FILTER (WHERE o."Succeeded" AND o."At" >= {recent}) AS latency,
                    percentile_cont(ARRAY[0.50, 0.75, 0.90, 0.99]::double precision[]) WITHIN GROUP (ORDER BY o."TokensPerSecond")
                        FILTER (WHERE o."Succeeded" AND o."At" >= {recent}) AS throughput,
                    100.0 * coalesce(sum(o."Weight") FILTER (WHERE o."Succeeded" AND o."At" >= {recent}), 0) / NULLIF(sum(o."Weight") FILTER (WHERE o."At" >= {recent}), 0) AS uptime_recent,
                    100.0 * coalesce(sum(o."Weight") FILTER (WHERE o."Succeeded"), 0) / sum(o."Weight") AS uptime_day
                FROM endpoint_outcomes o
                JOIN model_endpoints e ON e."Id" = o."EndpointId"
                WHERE o."At" >= {day}
                GROUP BY o."EndpointId") a
            ON CONFLICT ("EndpointId") DO UPDATE SET
                "LatencyP50Last30m" = EXCLUDED."LatencyP50Last30m", "LatencyP75Last30m" = EXCLUDED."LatencyP75Last30m",
                "LatencyP90Last30m" = EXCLUDED."LatencyP90Last30m", "LatencyP99Last30m" = EXCLUDED."LatencyP99Last30m",
                "ThroughputP50Last30m" = EXCLUDED."ThroughputP50Last30m", "ThroughputP75Last30m" = EXCLUDED."ThroughputP75Last30m",
                "ThroughputP90Last30m" = EXCLUDED."ThroughputP90Last30m", "ThroughputP99Last30m" = EXCLUDED."ThroughputP99Last30m",
                "UptimeLast30m" = EXCLUDED."UptimeLast30m", "UptimeLast1d" = EXCLUDED."UptimeLast1d", "UpdatedAt" = EXCLUDED."UpdatedAt"
            """, cancellationToken);
        // Endpoints nobody called for a day have no statistics any more, rather than stale ones.
        await db.EndpointStats.Where(stats => stats.UpdatedAt < day).ExecuteDeleteAsync(cancellationToken);
        await db.Set<EndpointOutcomeRecord>().Where(outcome => outcome.At < day).ExecuteDeleteAsync(cancellationToken);

        var stats = await db.EndpointStats.AsNoTracking().ToListAsync(cancellationToken);
        var snapshot = new EndpointStatsSnapshot(now, stats.ToDictionary(
            row => row.EndpointId,
            row => new SnapshotEndpointStats(row.LatencyP50Last30m, row.ThroughputP50Last30m, row.UptimeLast30m, row.UptimeLast1d)));
        var database = redis.GetDatabase();
        await database.StringSetAsync(EndpointStatsRedis.StatsKey, JsonSerializer.SerializeToUtf8Bytes(snapshot, EndpointStatsJsonContext.Default.EndpointStatsSnapshot));
        await database.PublishAsync(RedisChannel.Literal(EndpointStatsRedis.StatsChangedChannel), now.ToUnixTimeMilliseconds());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Endpoint statistics could not be updated; retrying")]
    private partial void LogFailed(Exception exception);
}
