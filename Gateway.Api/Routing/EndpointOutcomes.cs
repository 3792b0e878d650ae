using System.Collections.Concurrent;
using OpenRouterClone.Catalog.Snapshot;
using OpenRouterClone.Shared.Credits;
using StackExchange.Redis;

namespace Gateway.Api.Routing;

/// <summary>
/// Outcomes of upstream calls, collected in memory on the request path (no Redis there) and shipped to the
/// catalog's statistics by <see cref="EndpointOutcomePublisher"/>. Calls with the caller's own key and
/// rate-limit refusals say nothing about the endpoint, and are left out. Per endpoint and publish interval at
/// most <see cref="SamplesPerInterval"/> outcomes are kept, a uniform sample (reservoir) of all its calls,
/// each weighted by how many calls it stands for: at thousands of calls a second, one stream entry and one
/// catalog row per call cost the system more than the statistics are worth, while a quiet endpoint's
/// outcomes are all kept.
/// </summary>
public sealed class EndpointOutcomes(TimeProvider clock)
{
    public const int SamplesPerInterval = 16;

    private readonly ConcurrentDictionary<int, Reservoir> _reservoirs = new();

    public void RecordFailure(RouteCandidate candidate, bool rateLimited = false)
    {
        if (candidate.Byok is null && !rateLimited)
        {
            Add(new EndpointOutcome(candidate.Endpoint.Id, Succeeded: false, clock.GetUtcNow()));
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
            Add(new EndpointOutcome(candidate.Endpoint.Id, Succeeded: false, clock.GetUtcNow()));
            return;
        }
        double? throughput = usage.CompletionTokens > 1 && usage.GenerationTimeMs > 0
            ? usage.CompletionTokens * 1000.0 / usage.GenerationTimeMs
            : null;
        Add(new EndpointOutcome(candidate.Endpoint.Id, Succeeded: true, clock.GetUtcNow(), usage.TimeToFirstTokenMs, throughput));
    }

    private void Add(EndpointOutcome outcome)
        => _reservoirs.GetOrAdd(outcome.EndpointId, static _ => new Reservoir()).Add(outcome);

    /// <summary>Takes every endpoint's sample since the last call, each outcome weighted by the calls it stands for.</summary>
    public List<EndpointOutcome> Drain()
    {
        var drained = new List<EndpointOutcome>();
        foreach (var reservoir in _reservoirs.Values)
        {
            reservoir.DrainInto(drained);
        }
        return drained;
    }

    /// <summary>Algorithm R: after n calls, each has had the same chance, k/n, to be in the sample.</summary>
    private sealed class Reservoir
    {
        private readonly Lock _lock = new();
        private readonly EndpointOutcome[] _samples = new EndpointOutcome[SamplesPerInterval];
        private long _seen;

        public void Add(EndpointOutcome outcome)
        {
            lock (_lock)
            {
                _seen++;
                if (_seen <= _samples.Length)
                {
                    _samples[_seen - 1] = outcome;
                }
                else if (Random.Shared.NextInt64(_seen) is var slot && slot < _samples.Length)
                {
                    _samples[slot] = outcome;
                }
            }
        }

        public void DrainInto(List<EndpointOutcome> drained)
        {
            lock (_lock)
            {
                var kept = (int)Math.Min(_seen, _samples.Length);
                var weight = (double)_seen / Math.Max(kept, 1);
                for (var i = 0; i < kept; i++)
                {
                    drained.Add(weight == 1 ? _samples[i] : _samples[i] with { Weight = weight });
                }
                _seen = 0;
                Array.Clear(_samples);
            }
        }
    }
}

/// <summary>Appends the sampled outcomes to the Redis stream the catalog aggregates, once a second, pipelined.</summary>
public sealed partial class EndpointOutcomePublisher(
    IConnectionMultiplexer redis, EndpointOutcomes outcomes, ILogger<EndpointOutcomePublisher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

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
        var batch = outcomes.Drain();
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
