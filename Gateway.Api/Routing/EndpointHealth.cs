using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

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
}

/// <summary>
/// Per-endpoint health from live outcomes on this gateway replica: a circuit breaker per endpoint. An open
/// endpoint is not dropped (it may be the only one) but tried after the healthy ones; once its open time has
/// passed, one request (the first to be routed) tries it in its usual place (half-open) while the others keep
/// it last for another open time; the trial's success closes it, its failure opens it again.
/// </summary>
public sealed class EndpointHealth(IOptions<CircuitBreakerOptions> options, TimeProvider clock)
{
    private sealed class State
    {
        public int ConsecutiveFailures;
        public long OpenUntilTicks;
    }

    private readonly ConcurrentDictionary<int, State> _states = new();
    private PriceLoadBalancing? _loadBalancing;

    /// <summary>The default order's price-weighted draw, leaving out endpoints whose circuit is open.</summary>
    public PriceLoadBalancing LoadBalancing => _loadBalancing ??= new PriceLoadBalancing(Random.Shared.NextDouble, IsOpen);

    public bool IsOpen(int endpointId)
        => _states.TryGetValue(endpointId, out var state) && Volatile.Read(ref state.ConsecutiveFailures) >= options.Value.FailureThreshold
            && clock.GetUtcNow().UtcTicks < Volatile.Read(ref state.OpenUntilTicks);

    public void RecordSuccess(int endpointId)
    {
        if (_states.TryGetValue(endpointId, out var state))
        {
            Interlocked.Exchange(ref state.ConsecutiveFailures, 0);
        }
    }

    public void RecordFailure(int endpointId)
    {
        var state = _states.GetOrAdd(endpointId, _ => new State());
        if (Interlocked.Increment(ref state.ConsecutiveFailures) >= options.Value.FailureThreshold)
        {
            // Opened, or reopened after a failed half-open trial.
            Volatile.Write(ref state.OpenUntilTicks, (clock.GetUtcNow() + options.Value.OpenDuration).UtcTicks);
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
    public void RecordFailure(RouteCandidate candidate)
    {
        if (candidate.Byok is null)
        {
            RecordFailure(candidate.Endpoint.Id);
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
