using System.Diagnostics;
using Microsoft.Extensions.Options;
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
                if (handled == 0)
                {
                    await Task.Delay(settings.IdleDelay, stoppingToken);
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

    /// <summary>Records one batch: stale pending events first, then new ones. Returns how many were handled.</summary>
    internal async Task<int> DrainOnceAsync(UsageConsumerOptions settings, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        var claimed = await database.StreamAutoClaimAsync(
            Stream, settings.Group, _consumer, (long)settings.ClaimAfter.TotalMilliseconds, "0-0", settings.BatchSize);
        var entries = claimed.ClaimedEntries.Where(entry => !entry.IsNull).ToArray();
        if (entries.Length == 0)
        {
            entries = await database.StreamReadGroupAsync(Stream, settings.Group, _consumer, StreamPosition.NewMessages, settings.BatchSize);
        }
        if (entries.Length == 0)
        {
            return 0;
        }

        var done = new List<RedisValue>(entries.Length);
        await using var scope = scopes.CreateAsyncScope();
        var recorder = scope.ServiceProvider.GetRequiredService<UsageRecorder>();
        foreach (var entry in entries)
        {
            if (await TryRecordAsync(recorder, entry, cancellationToken))
            {
                done.Add(entry.Id);
            }
        }
        if (done.Count > 0)
        {
            RedisValue[] ids = [.. done];
            await database.StreamAcknowledgeAsync(Stream, settings.Group, ids);
            await database.StreamDeleteAsync(Stream, ids);
        }
        return entries.Length;
    }

    /// <summary>True when the event is finished with: recorded, or dead-lettered because it never can be.</summary>
    private async Task<bool> TryRecordAsync(UsageRecorder recorder, StreamEntry entry, CancellationToken cancellationToken)
    {
        UsageEvent usage;
        try
        {
            usage = UsageEvent.FromStreamFields(entry.Values);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            LogMalformed(logger, ex, entry.Id.ToString());
            await DeadLetterAsync(entry, ex.Message);
            return true;
        }

        using var activity = StartRecording(usage);
        try
        {
            await recorder.RecordAsync(usage, cancellationToken);
            return true;
        }
        catch (UnknownAccountException ex)
        {
            // Retrying cannot help.
            LogUnrecordable(logger, ex, usage.GenerationId);
            await DeadLetterAsync(entry, ex.Message);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not RedisException)
        {
            // Postgres is unreachable or failed: the event stays pending and is claimed again.
            LogRecordFailed(logger, ex, usage.GenerationId);
            return false;
        }
    }

    /// <summary>The span of recording one generation, a child of the request's span when the event carries its traceparent.</summary>
    internal static Activity? StartRecording(UsageEvent usage)
    {
        ActivityContext.TryParse(usage.TraceParent, null, isRemote: true, out var requestTrace);
        var activity = Tracing.StartActivity("record usage", ActivityKind.Consumer, requestTrace);
        activity?.SetTag("openrouter.generation_id", usage.GenerationId);
        return activity;
    }

    private Task DeadLetterAsync(StreamEntry entry, string reason)
        => redis.GetDatabase().StreamAddAsync(DeadLetterStream, [.. entry.Values, new NameValueEntry("dead_reason", reason)]);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Usage stream unavailable; retrying")]
    private static partial void LogRedisUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Usage event {EntryId} is malformed; moved to the dead-letter stream")]
    private static partial void LogMalformed(ILogger logger, Exception exception, string entryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Generation {GenerationId} cannot be recorded; moved to the dead-letter stream")]
    private static partial void LogUnrecordable(ILogger logger, Exception exception, string generationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generation {GenerationId} could not be recorded yet; it will be retried")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string generationId);
}
