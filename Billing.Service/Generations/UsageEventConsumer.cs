using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenRouterClone.Shared.Credits;
using StackExchange.Redis;

namespace Billing.Service.Generations;

/// <summary>
/// Drains the gateways' usage stream into Postgres through a consumer group (at-least-once): each event is
/// recorded (idempotently, <see cref="UsageRecorder"/>), then acknowledged and deleted. An event that fails
/// for a passing reason (Postgres down) stays pending and is claimed again later, by this replica or another;
/// one that can never be recorded goes to <see cref="DeadLetterStream"/> for an operator.
/// </summary>
public sealed partial class UsageEventConsumer(
    IConnectionMultiplexer redis,
    IServiceScopeFactory scopes,
    IOptions<UsageConsumerOptions> options,
    ILogger<UsageEventConsumer> logger) : BackgroundService
{
    public const string DeadLetterStream = CreditStore.UsageStream + ":dead";

    /// <summary>Recording a generation continues the trace of the request that produced it.</summary>
    public static readonly ActivitySource Tracing = new("OpenRouterClone.Billing.Usage");

    private static readonly RedisKey Stream = CreditStore.UsageStream;
    private readonly string _consumer = $"{Environment.MachineName}-{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await EnsureGroupAsync(settings.Group);
                var handled = await DrainOnceAsync(settings, stoppingToken);
                if (handled < settings.BatchSize)
                {
                    await Task.Delay(settings.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
            {
                // Redis came back without its data (the stream and its group with it): make the group again.
                _groupExists = false;
                LogRedisUnavailable(logger, ex);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogRedisUnavailable(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private bool _groupExists;

    private async Task EnsureGroupAsync(string group)
    {
        if (_groupExists)
        {
            return;
        }
        try
        {
            await redis.GetDatabase().StreamCreateConsumerGroupAsync(Stream, group, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another replica (or an earlier start) made it.
        }
        _groupExists = true;
    }

    private long _nextClaimCheck;

    /// <summary>
    /// Records one batch: stale pending events first (when a check for them is due), then new ones. Returns how
    /// many were handled.
    /// </summary>
    internal async Task<int> DrainOnceAsync(UsageConsumerOptions settings, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        StreamEntry[] entries = [];
        if (Environment.TickCount64 >= _nextClaimCheck)
        {
            var claimed = await database.StreamAutoClaimAsync(
                Stream, settings.Group, _consumer, (long)settings.ClaimAfter.TotalMilliseconds, "0-0", settings.BatchSize);
            entries = claimed.ClaimedEntries.Where(entry => !entry.IsNull).ToArray();
            // While claims come back there may be more: look again on the next read.
            _nextClaimCheck = entries.Length > 0 ? 0 : Environment.TickCount64 + (long)settings.ClaimCheckInterval.TotalMilliseconds;
        }
        if (entries.Length == 0)
        {
            entries = await database.StreamReadGroupAsync(Stream, settings.Group, _consumer, StreamPosition.NewMessages, settings.BatchSize);
        }
        if (entries.Length == 0)
        {
            return 0;
        }

        var done = await RecordAsync(entries, cancellationToken);
        if (done.Count > 0)
        {
            RedisValue[] ids = [.. done];
            // One round trip: both go out before either is awaited.
            await Task.WhenAll(
                database.StreamAcknowledgeAsync(Stream, settings.Group, ids),
                database.StreamDeleteAsync(Stream, ids));
        }
        return entries.Length;
    }

    /// <summary>
    /// Records a batch and returns the entries finished with: recorded, or dead-lettered because they never can
    /// be. When Postgres fails none is finished: they stay pending and are claimed again.
    /// </summary>
    private async Task<List<RedisValue>> RecordAsync(StreamEntry[] entries, CancellationToken cancellationToken)
    {
        var done = new List<RedisValue>(entries.Length);
        var batch = new List<(StreamEntry Entry, UsageEvent Usage)>(entries.Length);
        foreach (var entry in entries)
        {
            try
            {
                batch.Add((entry, UsageEvent.FromStreamFields(entry.Values)));
            }
            catch (Exception ex) when (ex is FormatException or OverflowException)
            {
                LogMalformed(logger, ex, entry.Id.ToString());
                await DeadLetterAsync(entry, ex.Message);
                done.Add(entry.Id);
            }
        }
        if (batch.Count == 0)
        {
            return done;
        }

        using var activity = StartRecording([.. batch.Select(item => item.Usage)]);
        IReadOnlyList<UsageEvent> unrecordable;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            unrecordable = await scope.ServiceProvider.GetRequiredService<UsageRecorder>().RecordBatchAsync([.. batch.Select(item => item.Usage)], cancellationToken);
        }
        catch (Exception ex) when (ex is DbUpdateException or PostgresException { IsTransient: false })
        {
            // Postgres refused something in the data, or another consumer raced us to a row: one bad event must
            // not hold back its whole batch, and each event on its own is recorded once.
            LogRecordFailed(logger, ex, batch.Count, batch[0].Usage.GenerationId);
            return await RecordOneByOneAsync(batch, done, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not RedisException)
        {
            LogRecordFailed(logger, ex, batch.Count, batch[0].Usage.GenerationId);
            return done;
        }
        foreach (var (entry, usage) in batch)
        {
            if (unrecordable.Contains(usage))
            {
                // Retrying cannot help.
                LogUnrecordable(logger, usage.GenerationId, usage.AccountId);
                await DeadLetterAsync(entry, $"No billing account {usage.AccountId}", usage.GenerationId);
            }
            done.Add(entry.Id);
        }
        return done;
    }

    /// <summary>Each event on its own: what Postgres still refuses stays pending (and is retried), the rest is done.</summary>
    private async Task<List<RedisValue>> RecordOneByOneAsync(List<(StreamEntry Entry, UsageEvent Usage)> batch, List<RedisValue> done, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var recorder = scope.ServiceProvider.GetRequiredService<UsageRecorder>();
        foreach (var (entry, usage) in batch)
        {
            try
            {
                await recorder.RecordAsync(usage, cancellationToken);
                done.Add(entry.Id);
            }
            catch (UnknownAccountException)
            {
                LogUnrecordable(logger, usage.GenerationId, usage.AccountId);
                await DeadLetterAsync(entry, $"No billing account {usage.AccountId}", usage.GenerationId);
                done.Add(entry.Id);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && ex is not RedisException)
            {
                LogRecordFailed(logger, ex, 1, usage.GenerationId);
            }
        }
        return done;
    }

    /// <summary>
    /// The span of recording a batch of generations, linked to each request's trace; for a batch of one (the
    /// usual case unless billing is catching up) it is also a child of that request's span.
    /// </summary>
    internal static Activity? StartRecording(IReadOnlyList<UsageEvent> batch)
    {
        var traces = batch
            .Select(usage => ActivityContext.TryParse(usage.TraceParent, null, isRemote: true, out var trace) ? trace : (ActivityContext?)null)
            .OfType<ActivityContext>()
            .ToList();
        var parent = batch.Count == 1 && traces.Count == 1 ? traces[0] : default;
        var activity = Tracing.StartActivity(ActivityKind.Consumer, parent, links: traces.Select(trace => new ActivityLink(trace)), name: "record usage");
        activity?.SetTag("openrouter.usage.batch_size", batch.Count);
        if (batch.Count == 1)
        {
            activity?.SetTag("openrouter.generation_id", batch[0].GenerationId);
        }
        return activity;
    }

    // The generation id beside the event, when it could be read, so an operator can find a dead letter by it.
    private Task DeadLetterAsync(StreamEntry entry, string reason, string? generationId = null)
        => redis.GetDatabase().StreamAddAsync(DeadLetterStream,
            [.. entry.Values, new NameValueEntry("dead_reason", reason), .. generationId is null ? Array.Empty<NameValueEntry>() : [new NameValueEntry("gen", generationId)]]);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Usage stream unavailable; retrying")]
    private static partial void LogRedisUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Usage event {EntryId} is malformed; moved to the dead-letter stream")]
    private static partial void LogMalformed(ILogger logger, Exception exception, string entryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Generation {GenerationId} cannot be recorded (no billing account {AccountId}); moved to the dead-letter stream")]
    private static partial void LogUnrecordable(ILogger logger, string generationId, Guid accountId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} generations from {GenerationId} on could not be recorded yet; they will be retried")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, int count, string generationId);
}
