using System.Threading.Channels;
using OpenRouterClone.Shared.Credits;
using StackExchange.Redis;

namespace Gateway.Api.Credits;

/// <summary>
/// Settlements that met an unreachable Redis after the generation was delivered: the caller has the answer, so
/// the charge must not be lost. They wait here, in order, and are retried until Redis answers again (settlement is
/// idempotent on the generation id, so a retry of one that did land changes nothing). Bounded: should Redis stay
/// away that long, the oldest waiting charges are kept and new ones are logged as lost.
/// </summary>
public sealed partial class LateSettlements(CreditStore store, ILogger<LateSettlements> logger) : BackgroundService
{
    private const int Capacity = 10_000;

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly Channel<Settlement> _waiting = Channel.CreateBounded<Settlement>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    private int _count;

    // Settlements sent and not yet answered (Follow); shutdown waits for them.
    private int _inFlight;

    /// <summary>Queues a settlement for retry; false when the queue is full and the charge is lost.</summary>
    public bool TryAdd(Settlement settlement)
    {
        if (!_waiting.Writer.TryWrite(settlement))
        {
            LogLost(logger, settlement.Usage.GenerationId);
            return false;
        }
        Interlocked.Increment(ref _count);
        LogQueued(logger, settlement.Usage.GenerationId);
        return true;
    }

    /// <summary>
    /// Follows a settlement already sent: when Redis could not take it, it is queued for retry. The caller has
    /// its answer meanwhile; the settlement's round trip is no longer part of the request.
    /// </summary>
    public void Follow(Task settling, Settlement settlement)
    {
        Interlocked.Increment(ref _inFlight);
        _ = FollowAsync();

        async Task FollowAsync()
        {
            try
            {
                await settling;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                TryAdd(settlement);
            }
            catch (Exception ex)
            {
                LogSettleFailed(logger, ex, settlement.Usage.GenerationId);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    /// <summary>How many settlements wait for Redis.</summary>
    public int Count => Volatile.Read(ref _count);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var settlement in _waiting.Reader.ReadAllAsync(stoppingToken))
        {
            while (true)
            {
                try
                {
                    // A lease given back meanwhile is no longer there: the cost is then simply debited.
                    await store.SettleAsync(settlement.Usage, settlement.PeriodId, settlement.Lease);
                    Interlocked.Decrement(ref _count);
                    LogSettled(logger, settlement.Usage.GenerationId);
                    break;
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    await Task.Delay(RetryDelay, stoppingToken);
                }
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Settlements still on their way get their answer (or join the retry queue) before the queue stops.
        while (Volatile.Read(ref _inFlight) > 0 && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), CancellationToken.None);
        }
        await base.StopAsync(cancellationToken);
        if (Count > 0)
        {
            LogUnsettledAtStop(logger, Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generation {GenerationId} could not be settled (Redis unreachable); retrying until it answers")]
    private static partial void LogQueued(ILogger logger, string generationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Generation {GenerationId} settled late, after Redis returned")]
    private static partial void LogSettled(ILogger logger, string generationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Generation {GenerationId} could not be settled and the retry queue is full: its charge is lost")]
    private static partial void LogLost(ILogger logger, string generationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Generation {GenerationId} could not be settled")]
    private static partial void LogSettleFailed(ILogger logger, Exception exception, string generationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} settlements were still waiting for Redis when the gateway stopped: their charges are lost")]
    private static partial void LogUnsettledAtStop(ILogger logger, int count);
}
