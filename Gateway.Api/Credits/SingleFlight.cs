using System.Collections.Concurrent;

namespace Gateway.Api.Credits;

/// <summary>
/// Runs at most one operation per key at a time: callers that arrive while it runs wait for its result
/// instead of starting their own. Once it ends (either way) the next call runs it afresh, so results are
/// never cached. A waiting caller may give up (its token) without cancelling the shared run.
/// </summary>
public sealed class SingleFlight<TKey, TResult> where TKey : notnull
{
    // Lazy, because GetOrAdd may build a value it then throws away; only the stored one ever runs.
    private readonly ConcurrentDictionary<TKey, Lazy<Task<TResult>>> _running = new();

    public Task<TResult> RunAsync(TKey key, Func<TKey, Task<TResult>> operation, CancellationToken cancellationToken)
    {
        var run = _running.GetOrAdd(key, static (id, state) => new Lazy<Task<TResult>>(() => state.Flight.RunOnceAsync(id, state.Operation)),
            (Flight: this, Operation: operation));
        return run.Value.WaitAsync(cancellationToken);
    }

    private async Task<TResult> RunOnceAsync(TKey key, Func<TKey, Task<TResult>> operation)
    {
        try
        {
            return await operation(key);
        }
        finally
        {
            _running.TryRemove(key, out _);
        }
    }
}
