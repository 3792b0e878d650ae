using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using OpenRouterClone.Catalog.Snapshot;

namespace Gateway.Api.Routing;

/// <summary>When an endpoint's circuit opens and for how long (section <c>Routing:CircuitBreaker</c>).</summary>
public sealed class CircuitBreakerOptions
{
    public const string SectionName = "Routing:CircuitBreaker";

    /// <summary>Consecutive failures (errors, timeouts, 408/429/5xx, garbled answers) that open the circuit.</summary>
    [Range(1, 1000)]
    public int FailureThreshold { get; set; } = 3;

    /// <summary>How long an open endpoint is tried only after every healthy one; then one request may test it.</summary>
    public TimeSpan OpenDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether replicas share openings and closings through Redis (<see cref="CircuitBreakerRedis"/>), so a
    /// failing endpoint is routed around by every replica once one has seen it fail.
    /// </summary>
    public bool Shared { get; set; } = true;

    /// <summary>How often the shared open circuits are read again, catching up messages lost while Redis was away.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// Per-endpoint health from live outcomes on this gateway replica: a circuit breaker per endpoint. An open
/// endpoint is not dropped (it may be the only one) but tried after the healthy ones; once its open time has
/// passed, one request (the first to be routed) tries it in its usual place (half-open) while the others keep
/// it last for another open time; the trial's success closes it, its failure opens it again.
/// Openings and closings are written to <see cref="Changes"/> (only on those transitions, never per request), which
/// <see cref="CircuitBreakerSync"/> shares with the other replicas; what they share comes back through
/// <see cref="Apply"/>. The request path stays in memory.
/// </summary>
public sealed class EndpointHealth(IOptions<CircuitBreakerOptions> options, TimeProvider clock)
{
    private const int MaxReasonLength = 120;

    private sealed class State
    {
        public int ConsecutiveFailures;
        public long OpenUntilTicks;

        // The end of the open time already announced (by this replica or another): failures before it add nothing to share.
        public long SharedUntilTicks;
        public volatile string? Reason;
    }

    private readonly ConcurrentDictionary<int, State> _states = new();

    // Transitions are rare; a full queue (Redis away for long) drops the oldest, which the periodic sync makes up for.
    private readonly Channel<CircuitChange> _changes = Channel.CreateBounded<CircuitChange>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private PriceLoadBalancing? _loadBalancing;

    /// <summary>This gateway process, as named in the changes it shares.</summary>
    public string Instance { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>This replica's openings and closings, in order, for sharing.</summary>
    public ChannelReader<CircuitChange> Changes => _changes.Reader;

    /// <summary>The default order's price-weighted draw, leaving out endpoints whose circuit is open.</summary>
    public PriceLoadBalancing LoadBalancing => _loadBalancing ??= new PriceLoadBalancing(Random.Shared.NextDouble, IsOpen);

    public bool IsOpen(int endpointId)
        => _states.TryGetValue(endpointId, out var state) && Volatile.Read(ref state.ConsecutiveFailures) >= options.Value.FailureThreshold
            && clock.GetUtcNow().UtcTicks < Volatile.Read(ref state.OpenUntilTicks);

    /// <summary>Why the endpoint's circuit is open (the failure that opened it, here or on another replica), or null when closed.</summary>
    public string? OpenReason(int endpointId) => IsOpen(endpointId) ? _states[endpointId].Reason : null;

    public void RecordSuccess(int endpointId)
    {
        if (_states.TryGetValue(endpointId, out var state)
            && Interlocked.Exchange(ref state.ConsecutiveFailures, 0) >= options.Value.FailureThreshold)
        {
            // Closed (a trial, or a last-resort call, answered): the other replicas may prefer it again too.
            Volatile.Write(ref state.SharedUntilTicks, 0);
            state.Reason = null;
            _changes.Writer.TryWrite(new CircuitChange(endpointId, false, null, null, Instance, clock.GetUtcNow()));
        }
    }

    /// <param name="reason">What went wrong, short: "HTTP 503", "timeout", "connection reset".</param>
    public void RecordFailure(int endpointId, string reason)
    {
        var state = _states.GetOrAdd(endpointId, _ => new State());
        if (Interlocked.Increment(ref state.ConsecutiveFailures) >= options.Value.FailureThreshold)
        {
            // Opened, or reopened after a failed half-open trial.
            var now = clock.GetUtcNow();
            var until = now + options.Value.OpenDuration;
            Volatile.Write(ref state.OpenUntilTicks, until.UtcTicks);
            var shared = Volatile.Read(ref state.SharedUntilTicks);
            if (now.UtcTicks >= shared && Interlocked.CompareExchange(ref state.SharedUntilTicks, until.UtcTicks, shared) == shared)
            {
                reason = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason;
                state.Reason = reason;
                _changes.Writer.TryWrite(new CircuitChange(endpointId, true, until, reason, Instance, now));
            }
        }
    }

    /// <summary>
    /// Takes another replica's opening or closing as it is announced, just after it happened: an opening lasts
    /// here as long as it lasts there from now (its open time measured on the sender's own clock, so a replica
    /// whose clock is off by seconds still keeps it open for the same time).
    /// </summary>
    public void ApplyAnnouncement(CircuitChange change)
        => Apply(change.OpenUntil is { } openUntil ? change with { OpenUntil = clock.GetUtcNow() + (openUntil - change.At) } : change);

    /// <summary>
    /// Takes another replica's opening or closing read back from where they are kept. An opening marks the
    /// endpoint open here until the same time (then the usual half-open trial): read later, only that absolute
    /// time tells how much is left, so this relies on the replicas' clocks agreeing (NTP: within milliseconds);
    /// one already over, or this replica's own, changes nothing.
    /// </summary>
    public void Apply(CircuitChange change)
    {
        if (change.Instance == Instance)
        {
            return;
        }
        if (!change.Open)
        {
            if (_states.TryGetValue(change.EndpointId, out var closed))
            {
                Interlocked.Exchange(ref closed.ConsecutiveFailures, 0);
                Volatile.Write(ref closed.SharedUntilTicks, 0);
                closed.Reason = null;
            }
            return;
        }
        if (change.OpenUntil is not { } openUntil || openUntil <= clock.GetUtcNow())
        {
            return;
        }
        var state = _states.GetOrAdd(change.EndpointId, _ => new State());
        state.Reason = change.Reason;
        RaiseTo(ref state.SharedUntilTicks, openUntil.UtcTicks);
        RaiseTo(ref state.OpenUntilTicks, openUntil.UtcTicks);
        RaiseTo(ref state.ConsecutiveFailures, options.Value.FailureThreshold);
    }

    private static void RaiseTo(ref long target, long value)
    {
        for (var current = Volatile.Read(ref target); current < value; current = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }

    private static void RaiseTo(ref int target, int value)
    {
        for (var current = Volatile.Read(ref target); current < value; current = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }

    /// <summary>
    /// An outcome with the caller's own key says more about that key (revoked, out of quota) than about the
    /// endpoint, so it does not move the endpoint's breaker for everyone else.
    /// </summary>
    public void RecordSuccess(RouteCandidate candidate)
    {
        if (candidate.Byok is null)
        {
            RecordSuccess(candidate.Endpoint.Id);
        }
    }

    /// <inheritdoc cref="RecordSuccess(RouteCandidate)"/>
    public void RecordFailure(RouteCandidate candidate, string reason)
    {
        if (candidate.Byok is null)
        {
            RecordFailure(candidate.Endpoint.Id, reason);
        }
    }

    /// <summary>
    /// Whether this request may try the endpoint in its usual place: closed, or open with its cool-down over and
    /// the half-open trial not yet taken (this request takes it). Only one concurrent request wins the trial,
    /// so a burst after the cool-down does not all wait on an endpoint that may still hang.
    /// </summary>
    private bool TryPass(int endpointId)
    {
        if (!_states.TryGetValue(endpointId, out var state) || Volatile.Read(ref state.ConsecutiveFailures) < options.Value.FailureThreshold)
        {
            return true;
        }
        var openUntil = Volatile.Read(ref state.OpenUntilTicks);
        var now = clock.GetUtcNow();
        if (now.UtcTicks < openUntil)
        {
            return false;
        }
        // The trial keeps the circuit open for everyone else until its outcome is recorded (or another open time passes).
        return Interlocked.CompareExchange(ref state.OpenUntilTicks, (now + options.Value.OpenDuration).UtcTicks, openUntil) == openUntil;
    }

    /// <summary>The candidates with open endpoints moved behind the others, each group in its own order.</summary>
    public IReadOnlyList<RouteCandidate> Order(IReadOnlyList<RouteCandidate> candidates)
    {
        // Once per endpoint: a BYOK and a platform candidate of one endpoint share its trial.
        var passes = new Dictionary<int, bool>();
        foreach (var candidate in candidates)
        {
            if (!passes.ContainsKey(candidate.Endpoint.Id))
            {
                passes[candidate.Endpoint.Id] = TryPass(candidate.Endpoint.Id);
            }
        }
        if (passes.Values.All(pass => pass))
        {
            return candidates;
        }
        return [.. candidates.Where(candidate => passes[candidate.Endpoint.Id]), .. candidates.Where(candidate => !passes[candidate.Endpoint.Id])];
    }
}
