using System.Collections.Concurrent;
using OpenRouterClone.Catalog.Snapshot;
using OpenRouterClone.Shared.Credits;
using StackExchange.Redis;

namespace Gateway.Api.Routing;

/// <summary>
/// Outcomes of upstream calls, collected in memory on the request path (no Redis there) and shipped to the
/// catalog's statistics in batches by <see cref="EndpointOutcomePublisher"/>. Calls with the caller's own key
/// and rate-limit refusals say nothing about the endpoint, and are left out.
/// </summary>
public sealed class EndpointOutcomes(TimeProvider clock)
{
    // Should Redis be away for long, outcomes beyond this are dropped rather than piling up in memory.
    private const int MaxQueued = 100_000;

    private readonly ConcurrentQueue<EndpointOutcome> _queue = new();

    public void RecordFailure(RouteCandidate candidate, bool rateLimited = false)
    {
        if (candidate.Byok is null && !rateLimited)
        {
            Enqueue(new EndpointOutcome(candidate.Endpoint.Id, Succeeded: false, clock.GetUtcNow()));
        }
    }

    /// <summary>A finished generation: answered (with its latency and throughput), or broken off by an upstream error.</summary>
    public void RecordGeneration(RouteCandidate candidate, UsageEvent usage)
    {
        if (candidate.Byok is not null || usage.Cancelled)
        {
            return;
        }
        if (usage.FinishReason == "error")
        {
            Enqueue(new EndpointOutcome(candidate.Endpoint.Id, Succeeded: false, clock.GetUtcNow()));
            return;
        }
        double? throughput = usage.CompletionTokens > 1 && usage.GenerationTimeMs > 0
            ? usage.CompletionTokens * 1000.0 / usage.GenerationTimeMs
            : null;
        Enqueue(new EndpointOutcome(candidate.Endpoint.Id, Succeeded: true, clock.GetUtcNow(), usage.TimeToFirstTokenMs, throughput));
    }

    private void Enqueue(EndpointOutcome outcome)
    {
        if (_queue.Count < MaxQueued)
        {
            _queue.Enqueue(outcome);
        }
    }

    /// <summary>Takes up to <paramref name="max"/> queued outcomes.</summary>
    public List<EndpointOutcome> Drain(int max)
    {
        var drained = new List<EndpointOutcome>(Math.Min(max, _queue.Count));
        while (drained.Count < max && _queue.TryDequeue(out var outcome))
        {
            drained.Add(outcome);
        }
        return drained;
    }
}

/// <summary>Appends the collected outcomes to the Redis stream the catalog aggregates, once a second, pipelined.</summary>
public sealed partial class EndpointOutcomePublisher(
    IConnectionMultiplexer redis, EndpointOutcomes outcomes, ILogger<EndpointOutcomePublisher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private const int BatchSize = 5_000;

    // The catalog trims what it has read; this cap only bounds the stream if no catalog reads it.
    private const int MaxStreamLength = 1_000_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await PublishAsync();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await PublishAsync();
    }

    private async Task PublishAsync()
    {
        var batch = outcomes.Drain(BatchSize);
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            var database = redis.GetDatabase();
            await Task.WhenAll(batch.Select(outcome => database.StreamAddAsync(EndpointStatsRedis.OutcomeStream, outcome.ToStreamFields(),
                maxLength: MaxStreamLength, useApproximateMaxLength: true)));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // Statistics, not money: a lost batch only thins the sample.
            LogPublishFailed(exception, batch.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} endpoint outcomes could not be published")]
    private partial void LogPublishFailed(Exception exception, int count);
}
