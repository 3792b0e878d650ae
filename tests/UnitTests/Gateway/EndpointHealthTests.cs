using Gateway.Api.Routing;
using Microsoft.Extensions.Options;
using OpenRouterClone.Catalog.Snapshot;

namespace UnitTests.Gateway;

public class EndpointHealthTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private readonly ManualClock _clock = new();

    private EndpointHealth NewHealth() => new(Options.Create(new CircuitBreakerOptions { FailureThreshold = 3, OpenDuration = TimeSpan.FromSeconds(30) }), _clock);

    private static RouteCandidate Candidate(int id, string provider)
    {
        var endpoint = new SnapshotEndpoint(id, provider, "up", 1000, null, null, null,
            new SnapshotPricing(0, 0, 0, 0, null, null, 0, 0), [], 0, false, false, null);
        return new RouteCandidate("m/x", new SnapshotModel("m/x", "m/x", "X", 1000, ["text"], ["text"], [endpoint]), endpoint,
            new SnapshotProvider(provider, provider, SnapshotWireFormats.OpenAIChat, "https://x", "Operational", 0, false, false, null));
    }

    [Fact]
    public void The_circuit_opens_after_consecutive_failures_and_the_endpoint_goes_last()
    {
        var health = NewHealth();
        RouteCandidate[] candidates = [Candidate(1, "cheap"), Candidate(2, "backup")];

        health.RecordFailure(1, "HTTP 503");
        health.RecordFailure(1, "HTTP 503");
        Assert.False(health.IsOpen(1));
        Assert.Equal(["cheap", "backup"], health.Order(candidates).Select(candidate => candidate.Provider.Slug));

        health.RecordFailure(1, "HTTP 503");

        Assert.True(health.IsOpen(1));
        Assert.Equal(["backup", "cheap"], health.Order(candidates).Select(candidate => candidate.Provider.Slug));
    }

    [Fact]
    public void A_success_between_failures_resets_the_count()
    {
        var health = NewHealth();

        health.RecordFailure(1, "HTTP 503");
        health.RecordFailure(1, "HTTP 503");
        health.RecordSuccess(1);
        health.RecordFailure(1, "HTTP 503");

        Assert.False(health.IsOpen(1));
    }

    [Fact]
    public void After_the_open_time_one_trial_decides_closed_again_or_reopened()
    {
        var health = NewHealth();
        for (var i = 0; i < 3; i++)
        {
            health.RecordFailure(1, "HTTP 503");
            health.RecordFailure(2, "HTTP 503");
        }

        _clock.Now += TimeSpan.FromSeconds(31);
        Assert.False(health.IsOpen(1));

        health.RecordSuccess(1);
        health.RecordFailure(2, "HTTP 503");

        Assert.False(health.IsOpen(1));
        Assert.True(health.IsOpen(2));
        _clock.Now += TimeSpan.FromSeconds(29);
        Assert.True(health.IsOpen(2));
    }

    [Fact]
    public void After_the_open_time_only_one_request_tries_the_endpoint_until_the_trial_is_decided()
    {
        var health = NewHealth();
        RouteCandidate[] candidates = [Candidate(1, "cheap"), Candidate(2, "backup")];
        for (var i = 0; i < 3; i++)
        {
            health.RecordFailure(1, "HTTP 503");
        }
        _clock.Now += TimeSpan.FromSeconds(31);

        // The first request after the cool-down takes the trial; the burst behind it still goes to the backup first.
        Assert.Equal(["cheap", "backup"], health.Order(candidates).Select(candidate => candidate.Provider.Slug));
        Assert.Equal(["backup", "cheap"], health.Order(candidates).Select(candidate => candidate.Provider.Slug));
        Assert.Equal(["backup", "cheap"], health.Order(candidates).Select(candidate => candidate.Provider.Slug));

        health.RecordSuccess(1);

        Assert.Equal(["cheap", "backup"], health.Order(candidates).Select(candidate => candidate.Provider.Slug));
        Assert.Equal(["cheap", "backup"], health.Order(candidates).Select(candidate => candidate.Provider.Slug));
    }

    [Fact]
    public void A_trial_that_never_reports_is_offered_again_after_another_open_time()
    {
        var health = NewHealth();
        RouteCandidate[] candidates = [Candidate(1, "cheap"), Candidate(2, "backup")];
        for (var i = 0; i < 3; i++)
        {
            health.RecordFailure(1, "HTTP 503");
        }
        _clock.Now += TimeSpan.FromSeconds(31);
        Assert.Equal("cheap", health.Order(candidates)[0].Provider.Slug);

        _clock.Now += TimeSpan.FromSeconds(29);
        Assert.Equal("backup", health.Order(candidates)[0].Provider.Slug);
        _clock.Now += TimeSpan.FromSeconds(2);
        Assert.Equal("cheap", health.Order(candidates)[0].Provider.Slug);
    }

    [Fact]
    public void The_load_balancing_draw_leaves_out_endpoints_whose_circuit_is_open()
    {
        var health = NewHealth();
        health.RecordFailure(1, "HTTP 503");
        health.RecordFailure(1, "HTTP 503");
        Assert.False(health.LoadBalancing.HasRecentFailures(1));

        health.RecordFailure(1, "HTTP 503");

        Assert.True(health.LoadBalancing.HasRecentFailures(1));
        Assert.False(health.LoadBalancing.HasRecentFailures(2));
        // Once the open time has passed the endpoint may be drawn again (its trial decides).
        _clock.Now += TimeSpan.FromSeconds(31);
        Assert.False(health.LoadBalancing.HasRecentFailures(1));
    }

    private static List<CircuitChange> Drain(EndpointHealth health)
    {
        var changes = new List<CircuitChange>();
        while (health.Changes.TryRead(out var change))
        {
            changes.Add(change);
        }
        return changes;
    }

    private CircuitChange RemoteOpen(int endpointId, TimeSpan openFor, string reason = "timeout", string instance = "gateway-b-42")
        => new(endpointId, true, _clock.Now + openFor, reason, instance, _clock.Now);

    [Fact]
    public void Opening_is_shared_once_with_its_reason_and_further_failures_while_open_add_nothing()
    {
        var health = NewHealth();

        health.RecordFailure(1, "HTTP 502");
        health.RecordFailure(1, "timeout");
        Assert.Empty(Drain(health));
        health.RecordFailure(1, "HTTP 503");
        health.RecordFailure(1, "HTTP 503");
        health.RecordFailure(1, "connection reset");

        var opened = Assert.Single(Drain(health));
        Assert.True(opened.Open);
        Assert.Equal(1, opened.EndpointId);
        Assert.Equal("HTTP 503", opened.Reason);
        Assert.Equal(_clock.Now + TimeSpan.FromSeconds(30), opened.OpenUntil);
        Assert.Equal(health.Instance, opened.Instance);
        Assert.Equal("HTTP 503", health.OpenReason(1));
        Assert.Null(health.OpenReason(2));
    }

    [Fact]
    public void A_failed_trial_shares_the_reopening_and_a_successful_one_shares_the_closing()
    {
        var health = NewHealth();
        RouteCandidate[] candidates = [Candidate(1, "cheap"), Candidate(2, "backup")];
        for (var i = 0; i < 3; i++)
        {
            health.RecordFailure(1, "HTTP 503");
        }
        Drain(health);

        _clock.Now += TimeSpan.FromSeconds(31);
        Assert.Equal("cheap", health.Order(candidates)[0].Provider.Slug);
        health.RecordFailure(1, "timeout");
        var reopened = Assert.Single(Drain(health));
        Assert.True(reopened.Open);
        Assert.Equal("timeout", reopened.Reason);
        Assert.Equal(_clock.Now + TimeSpan.FromSeconds(30), reopened.OpenUntil);

        _clock.Now += TimeSpan.FromSeconds(31);
        Assert.Equal("cheap", health.Order(candidates)[0].Provider.Slug);
        health.RecordSuccess(1);
        var closed = Assert.Single(Drain(health));
        Assert.False(closed.Open);
        Assert.Null(closed.OpenUntil);
        Assert.Equal(1, closed.EndpointId);

        // Successes of a closed endpoint (the request path's usual case) share nothing.
        health.RecordSuccess(1);
        health.RecordSuccess(2);
        Assert.Empty(Drain(health));
    }

    [Fact]
    public void Another_replicas_opening_puts_the_endpoint_last_here_at_once_until_its_time_then_one_trial()
    {
        var health = NewHealth();
        RouteCandidate[] candidates = [Candidate(1, "cheap"), Candidate(2, "backup")];

        health.Apply(RemoteOpen(1, TimeSpan.FromSeconds(20), "connection reset"));

        Assert.True(health.IsOpen(1));
        Assert.Equal("connection reset", health.OpenReason(1));
        Assert.Equal(["backup", "cheap"], health.Order(candidates).Select(candidate => candidate.Provider.Slug));
        Assert.True(health.LoadBalancing.HasRecentFailures(1));
        // Already shared by the other replica: not shared again from here.
        Assert.Empty(Drain(health));

        // Its time (the other replica's, not this one's 30 s) passes: one request tries the endpoint, the rest keep it last.
        _clock.Now += TimeSpan.FromSeconds(21);
        Assert.False(health.IsOpen(1));
        Assert.Equal(["cheap", "backup"], health.Order(candidates).Select(candidate => candidate.Provider.Slug));
        Assert.Equal(["backup", "cheap"], health.Order(candidates).Select(candidate => candidate.Provider.Slug));
        health.RecordSuccess(1);
        Assert.False(Assert.Single(Drain(health)).Open);
        Assert.Equal(["cheap", "backup"], health.Order(candidates).Select(candidate => candidate.Provider.Slug));
    }

    [Fact]
    public void An_announced_opening_lasts_its_open_time_from_now_whatever_the_senders_clock_says()
    {
        var fast = NewHealth();
        var slow = NewHealth();
        // Sent by a replica whose clock runs a minute ahead of this one's: by its clock it opened for 20 s, at a
        // time this replica's clock has not reached yet.
        var ahead = _clock.Now + TimeSpan.FromMinutes(1);
        fast.ApplyAnnouncement(new CircuitChange(1, true, ahead + TimeSpan.FromSeconds(20), "HTTP 503", "gateway-b-42", ahead));
        // And one a minute behind: its open time would be long over by this replica's clock.
        var behind = _clock.Now - TimeSpan.FromMinutes(1);
        slow.ApplyAnnouncement(new CircuitChange(1, true, behind + TimeSpan.FromSeconds(20), "HTTP 503", "gateway-b-42", behind));

        _clock.Now += TimeSpan.FromSeconds(19);
        Assert.True(fast.IsOpen(1));
        Assert.True(slow.IsOpen(1));
        _clock.Now += TimeSpan.FromSeconds(2);
        Assert.False(fast.IsOpen(1));
        Assert.False(slow.IsOpen(1));

        // A closing announced is a closing, whenever it was sent.
        fast.ApplyAnnouncement(new CircuitChange(2, true, ahead + TimeSpan.FromSeconds(20), "HTTP 503", "gateway-b-42", ahead));
        fast.ApplyAnnouncement(new CircuitChange(2, false, null, null, "gateway-b-42", behind));
        Assert.False(fast.IsOpen(2));
    }

    [Fact]
    public void An_opening_already_over_or_this_replicas_own_changes_nothing()
    {
        var health = NewHealth();

        health.Apply(RemoteOpen(1, TimeSpan.FromSeconds(-1)));
        health.Apply(RemoteOpen(2, TimeSpan.FromSeconds(20), instance: health.Instance));

        Assert.False(health.IsOpen(1));
        Assert.False(health.IsOpen(2));
    }

    [Fact]
    public void A_later_remote_opening_extends_the_open_time_but_an_earlier_one_does_not_shorten_it()
    {
        var health = NewHealth();

        health.Apply(RemoteOpen(1, TimeSpan.FromSeconds(20)));
        health.Apply(RemoteOpen(1, TimeSpan.FromSeconds(5)));
        _clock.Now += TimeSpan.FromSeconds(10);
        Assert.True(health.IsOpen(1));

        health.Apply(RemoteOpen(1, TimeSpan.FromSeconds(25)));
        _clock.Now += TimeSpan.FromSeconds(20);
        Assert.True(health.IsOpen(1));
        _clock.Now += TimeSpan.FromSeconds(6);
        Assert.False(health.IsOpen(1));
    }

    [Fact]
    public void Another_replicas_closing_closes_the_circuit_here_whoever_opened_it()
    {
        var health = NewHealth();
        RouteCandidate[] candidates = [Candidate(1, "cheap"), Candidate(2, "backup"), Candidate(3, "third")];
        health.Apply(RemoteOpen(1, TimeSpan.FromSeconds(20)));
        for (var i = 0; i < 3; i++)
        {
            health.RecordFailure(2, "HTTP 500");
        }
        Assert.Equal(["third", "cheap", "backup"], health.Order(candidates).Select(candidate => candidate.Provider.Slug));

        health.Apply(new CircuitChange(1, false, null, null, "gateway-b-42", _clock.Now));
        health.Apply(new CircuitChange(2, false, null, null, "gateway-b-42", _clock.Now));

        Assert.False(health.IsOpen(1));
        Assert.False(health.IsOpen(2));
        Assert.Null(health.OpenReason(1));
        Assert.Equal(["cheap", "backup", "third"], health.Order(candidates).Select(candidate => candidate.Provider.Slug));
        // Closed for good: the next failures count from zero again.
        health.RecordFailure(2, "HTTP 500");
        Assert.False(health.IsOpen(2));
    }

    [Fact]
    public void Failures_seen_by_one_replica_open_the_circuit_on_another_through_the_shared_changes()
    {
        var replicaA = new EndpointHealth(Options.Create(new CircuitBreakerOptions()), _clock) { Instance = "gateway-a-1" };
        var replicaB = new EndpointHealth(Options.Create(new CircuitBreakerOptions()), _clock) { Instance = "gateway-b-2" };
        RouteCandidate[] candidates = [Candidate(1, "cheap"), Candidate(2, "backup")];

        for (var i = 0; i < 3; i++)
        {
            replicaA.RecordFailure(1, "HTTP 503");
        }
        // What CircuitBreakerSync carries through Redis, serialized as it is there.
        foreach (var change in Drain(replicaA))
        {
            var relayed = CircuitBreakerRedis.Parse(CircuitBreakerRedis.Serialize(change))!;
            replicaA.Apply(relayed);
            replicaB.Apply(relayed);
        }

        Assert.Equal(["backup", "cheap"], replicaB.Order(candidates).Select(candidate => candidate.Provider.Slug));
        Assert.Equal("HTTP 503", replicaB.OpenReason(1));
        // B's own failures while A's opening holds add no second announcement.
        replicaB.RecordFailure(1, "HTTP 503");
        Assert.Empty(Drain(replicaB));
    }
}
