using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OpenRouterClone.Shared.Credits;
using StackExchange.Redis;

namespace Gateway.Api.Credits;

/// <summary>What became of a request's try for credit from a lease.</summary>
public enum LeaseHoldOutcome
{
    Granted,
    /// <summary>The account's credits are not in Redis yet: load them and try again.</summary>
    NotLoaded,
    /// <summary>No lease can cover the request (too little credit to set aside): it needs a hold of its own.</summary>
    NeedsOwnHold,
}

/// <summary>
/// Credit leases: per account, this gateway sets aside a share of the available credit in Redis (one hold without a
/// key id, <see cref="CreditStore.GrowLeaseAsync"/>) and hands it out to requests itself, so most requests need no
/// Redis round trip before their upstream call. Each generation is still settled in Redis (<see cref="SettlementBatches"/>)
/// and pays its cost out of the lease, up to the request's share; a request that produced nothing gives its share back
/// here alone.
/// <para>
/// A lease grows when a request finds too little left in it, accepts requests for <see cref="CreditLeaseOptions.Term"/>
/// and goes back to Redis once idle (or, past its term, once its last request ends). In Redis it lapses a hold
/// lifetime after its term, as a hold would, should this gateway die. Requests whose key has a spending or rate
/// limit, free-model requests and accounts under the operator's request caps keep per-request holds, which enforce those.
/// </para>
/// </summary>
public sealed partial class CreditLeases(
    CreditStore store, IConnectionMultiplexer redis, IOptions<CreditOptions> options, TimeProvider clock, ILogger<CreditLeases> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, CreditLease> _current = new();
    private readonly ConcurrentDictionary<string, CreditLease> _retired = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (CreditLease Lease, long Nanos)> _holds = new(StringComparer.Ordinal);
    private readonly SingleFlight<Guid, LeaseOutcome> _grows = new();
    // Unique per process, so two replicas' (or a restarted gateway's) leases never share an id.
    private readonly string _leasePrefix = "lease:" + Guid.NewGuid().ToString("N")[..16] + ":";
    private long _leaseSequence;

    /// <summary>Leases this gateway holds now, current and retired (for tests and diagnostics).</summary>
    public int Count => _current.Count + _retired.Count;

    /// <summary>Whether the account has a lease that still hands out credit.</summary>
    internal bool IsLeasing(Guid accountId) => _current.TryGetValue(accountId, out var lease) && !lease.IsRetired;

    /// <summary>
    /// Hands the request <paramref name="nanos"/> from the account's lease, growing or starting one when it has too
    /// little left. Never grants part of the amount: a request the lease cannot cover gets a hold of its own, which
    /// may grant less (and lower its max_tokens) exactly as it would without leases.
    /// </summary>
    public async Task<LeaseHoldOutcome> TryHoldAsync(Guid accountId, string generationId, long nanos, CancellationToken cancellationToken)
    {
        if (!redis.IsConnected)
        {
            // Fail closed, as a hold of its own would: with Redis away a settlement could only wait in memory.
            return LeaseHoldOutcome.NeedsOwnHold;
        }
        var settings = options.Value.Leases;
        // A few tries: requests growing the lease at once may each take what another grew it by.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var now = clock.GetUtcNow();
            if (CurrentLease(accountId, now) is { } lease && lease.TryHold(nanos, now))
            {
                _holds[generationId] = (lease, nanos);
                return LeaseHoldOutcome.Granted;
            }
            var outcome = await _grows.RunAsync(accountId, id => GrowAsync(id, nanos, settings), cancellationToken);
            switch (outcome)
            {
                case LeaseOutcome.NotLoaded:
                    return LeaseHoldOutcome.NotLoaded;
                case LeaseOutcome.InsufficientCredits:
                    return LeaseHoldOutcome.NeedsOwnHold;
            }
        }
        return LeaseHoldOutcome.NeedsOwnHold;
    }

    /// <summary>
    /// Ends a request's share of a lease: the lease pays <paramref name="costNanos"/> up to the share (0 when nothing is
    /// charged) and takes the rest back. Returns the share, for the settlement, or null when the request had none.
    /// </summary>
    public LeaseShare? Finish(string generationId, long costNanos)
    {
        if (!_holds.TryRemove(generationId, out var share))
        {
            return null;
        }
        share.Lease.Finish(share.Nanos, costNanos, clock.GetUtcNow());
        return new LeaseShare(share.Lease.Id, share.Nanos);
    }

    /// <summary>The account's lease that still accepts requests; one past its term retires here.</summary>
    private CreditLease? CurrentLease(Guid accountId, DateTimeOffset now)
    {
        if (!_current.TryGetValue(accountId, out var lease))
        {
            return null;
        }
        if (lease.IsRetired)
        {
            // Given back meanwhile (idle): a new lease serves the account.
            _current.TryRemove(new KeyValuePair<Guid, CreditLease>(accountId, lease));
            return null;
        }
        if (now < lease.AcceptsUntil)
        {
            return lease;
        }
        Retire(lease);
        return null;
    }

    /// <summary>The account's lease hands out no more (it goes back once its requests end).</summary>
    public void Retire(Guid accountId)
    {
        if (_current.TryGetValue(accountId, out var lease))
        {
            Retire(lease);
        }
    }

    /// <summary>No lease hands out more: after a lost connection or a failed settlement Redis may no longer have them.</summary>
    public void RetireAll()
    {
        foreach (var lease in _current.Values)
        {
            Retire(lease);
        }
    }

    private void Retire(CreditLease lease)
    {
        lease.Retire();
        _retired[lease.Id] = lease;
        _current.TryRemove(new KeyValuePair<Guid, CreditLease>(lease.AccountId, lease));
    }

    private async Task<LeaseOutcome> GrowAsync(Guid accountId, long nanos, CreditLeaseOptions settings)
    {
        var credit = options.Value;
        var now = clock.GetUtcNow();
        var lease = CurrentLease(accountId, now);
        var extends = lease is not null;
        lease ??= new CreditLease(_leasePrefix + Interlocked.Increment(ref _leaseSequence), accountId, now + settings.Term);
        var need = Math.Max(1, lease.Shortfall(nanos));
        LeaseGrant grant;
        try
        {
            grant = await store.GrowLeaseAsync(new LeaseRequest(accountId, lease.Id, extends, need,
                WantedNanos: Math.Max(need, nanos * settings.RequestsPerGrowth), now,
                ExpiresAt: now + settings.Term + credit.HoldLifetime, Nanos.FromUsd(credit.FloorUsd), settings.AvailableShare));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The script may have run without its answer arriving: the lease goes back (a lease Redis lacks changes nothing).
            Retire(lease);
            throw;
        }
        switch (grant.Outcome)
        {
            case LeaseOutcome.Granted:
                lease.Grow(grant.Nanos, now);
                if (!extends)
                {
                    _current[accountId] = lease;
                }
                break;
            case LeaseOutcome.InsufficientCredits when extends:
                // What the lease has set aside goes back at once when no request uses it, so the request's own hold can.
                Retire(lease);
                if (lease.HoldCount == 0)
                {
                    await GiveBackAsync(lease);
                }
                break;
            case LeaseOutcome.Gone or LeaseOutcome.NotLoaded when extends:
                // Redis lost it (or its account): nothing more is handed out from it; giving it back changes nothing.
                Retire(lease);
                break;
        }
        return grant.Outcome;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Redis may come back without its data, leases and all: none is handed out from after a lost connection.
        redis.ConnectionFailed += (_, _) => RetireAll();
        using var timer = new PeriodicTimer(options.Value.Leases.IdleReturn / 2, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await ReturnIdleAsync(clock.GetUtcNow());
        }
    }

    /// <summary>Gives back leases no request has used for the idle time, and retired ones whose last request has ended.</summary>
    internal async Task ReturnIdleAsync(DateTimeOffset now)
    {
        var idleReturn = options.Value.Leases.IdleReturn;
        foreach (var lease in _current.Values)
        {
            if (now >= lease.AcceptsUntil || lease.TryRetireIdle(now - idleReturn))
            {
                Retire(lease);
            }
        }
        foreach (var lease in _retired.Values.Where(lease => lease.HoldCount == 0))
        {
            try
            {
                await GiveBackAsync(lease);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Tried again on the next tick; should Redis stay away, the lease lapses there by itself.
                LogReturnFailed(logger, ex, lease.Id);
            }
        }
    }

    /// <summary>Releases a retired lease's hold in Redis; only then does it stop being tracked for retries.</summary>
    private async Task GiveBackAsync(CreditLease lease)
    {
        await store.ReleaseAsync(lease.AccountId, lease.Id);
        _retired.TryRemove(lease.Id, out _);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Requests have drained by now: what the leases set aside goes back instead of waiting out its lifetime.
        RetireAll();
        await ReturnIdleAsync(clock.GetUtcNow());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Credit lease {LeaseId} could not be given back yet")]
    private static partial void LogReturnFailed(ILogger logger, Exception exception, string leaseId);
}

/// <summary>
/// One lease's local bookkeeping: how much it has in Redis (as this gateway's own scripts leave it) and how much of
/// that requests in flight hold.
/// </summary>
internal sealed class CreditLease(string id, Guid accountId, DateTimeOffset acceptsUntil)
{
    private readonly Lock _lock = new();
    private long _grantedNanos;
    private long _heldNanos;
    private int _holdCount;
    private bool _retired;
    private DateTimeOffset _lastUsed = DateTimeOffset.MinValue;

    public string Id => id;
    public Guid AccountId => accountId;
    public DateTimeOffset AcceptsUntil => acceptsUntil;

    public int HoldCount
    {
        get
        {
            lock (_lock)
            {
                return _holdCount;
            }
        }
    }

    /// <summary>How much more the lease needs to cover <paramref name="nanos"/>.</summary>
    public long Shortfall(long nanos)
    {
        lock (_lock)
        {
            return nanos - (_grantedNanos - _heldNanos);
        }
    }

    public bool TryHold(long nanos, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_retired || now >= acceptsUntil || _grantedNanos - _heldNanos < nanos)
            {
                return false;
            }
            _heldNanos += nanos;
            _holdCount++;
            _lastUsed = now;
            return true;
        }
    }

    public void Grow(long nanos, DateTimeOffset now)
    {
        lock (_lock)
        {
            _grantedNanos += nanos;
            _lastUsed = now;
        }
    }

    /// <summary>
    /// The settlement script pays the cost out of the lease up to the request's share; this mirrors it. (Both sides
    /// subtract the same amount, so the order in which Redis sees growths and settlements does not matter.)
    /// </summary>
    public void Finish(long heldNanos, long costNanos, DateTimeOffset now)
    {
        lock (_lock)
        {
            _heldNanos -= heldNanos;
            _holdCount--;
            _grantedNanos -= Math.Min(costNanos, heldNanos);
            _lastUsed = now;
        }
    }

    public bool IsRetired
    {
        get
        {
            lock (_lock)
            {
                return _retired;
            }
        }
    }

    public void Retire()
    {
        lock (_lock)
        {
            _retired = true;
        }
    }

    /// <summary>Retires the lease if no request holds any of it and none has since <paramref name="idleSince"/>.</summary>
    public bool TryRetireIdle(DateTimeOffset idleSince)
    {
        lock (_lock)
        {
            if (_holdCount > 0 || _lastUsed > idleSince)
            {
                return false;
            }
            _retired = true;
            return true;
        }
    }
}
