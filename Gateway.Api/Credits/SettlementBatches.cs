using System.Collections.Concurrent;
using OpenRouterClone.Shared.Credits;

namespace Gateway.Api.Credits;

/// <summary>
/// Sends settlements to Redis as they come, and several in one script call when they come faster than Redis answers:
/// while one call is on its way the next settlements gather, then go together (one call per account). At low load
/// each goes alone and at once, from the request's own thread; under load Redis runs a script per batch instead of
/// one per generation (at full load the per-call work was most of Redis's).
/// </summary>
public sealed class SettlementBatches(CreditStore store)
{
    private const int MaxBatch = 64;

    private readonly ConcurrentQueue<Pending> _queue = new();

    // 1 while a batch is on its way; whoever finds it 0 sends the next.
    private int _sending;

    /// <summary>Queues a settlement; the task ends with its outcome, or faults as Redis did.</summary>
    public Task<SettleOutcome> SettleAsync(Settlement settlement)
    {
        var pending = new Pending(settlement);
        _queue.Enqueue(pending);
        TrySend();
        return pending.Outcome.Task;
    }

    private void TrySend()
    {
        // Checked again after letting go: a settlement queued meanwhile may have found the flag still taken.
        while (!_queue.IsEmpty && Interlocked.CompareExchange(ref _sending, 1, 0) == 0)
        {
            var batch = new List<Pending>();
            while (batch.Count < MaxBatch && _queue.TryDequeue(out var next))
            {
                batch.Add(next);
            }
            if (batch.Count > 0)
            {
                _ = SendAsync(batch);
                return;
            }
            Volatile.Write(ref _sending, 0);
        }
    }

    private async Task SendAsync(List<Pending> batch)
    {
        try
        {
            await Task.WhenAll(batch.GroupBy(pending => pending.Settlement.Usage.AccountId).Select(SendAsync));
        }
        finally
        {
            Volatile.Write(ref _sending, 0);
            TrySend();
        }
    }

    private async Task SendAsync(IEnumerable<Pending> account)
    {
        List<Pending> batch = [.. account];
        try
        {
            var outcomes = await store.SettleAsync([.. batch.Select(pending => pending.Settlement)]);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Outcome.SetResult(outcomes[i]);
            }
        }
        catch (Exception ex)
        {
            foreach (var pending in batch)
            {
                pending.Outcome.TrySetException(ex);
            }
        }
    }

    private sealed record Pending(Settlement Settlement)
    {
        public TaskCompletionSource<SettleOutcome> Outcome { get; } = new();
    }
}
