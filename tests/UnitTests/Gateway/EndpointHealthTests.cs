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

        health.RecordFailure(1);
        health.RecordFailure(1);
        Assert.False(health.IsOpen(1));
        Assert.Equal(["cheap", "backup"], health.Order(candidates).Select(candidate => candidate.Provider.Slug));

        health.RecordFailure(1);

        Assert.True(health.IsOpen(1));
        Assert.Equal(["backup", "cheap"], health.Order(candidates).Select(candidate => candidate.Provider.Slug));
    }

    [Fact]
    public void A_success_between_failures_resets_the_count()
    {
        var health = NewHealth();

        health.RecordFailure(1);
        health.RecordFailure(1);
        health.RecordSuccess(1);
        health.RecordFailure(1);

        Assert.False(health.IsOpen(1));
    }

    [Fact]
    public void After_the_open_time_one_trial_decides_closed_again_or_reopened()
    {
        var health = NewHealth();
        for (var i = 0; i < 3; i++)
        {
            health.RecordFailure(1);
            health.RecordFailure(2);
        }

        _clock.Now += TimeSpan.FromSeconds(31);
        Assert.False(health.IsOpen(1));

        health.RecordSuccess(1);
        health.RecordFailure(2);

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
            health.RecordFailure(1);
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
            health.RecordFailure(1);
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
        health.RecordFailure(1);
        health.RecordFailure(1);
        Assert.False(health.LoadBalancing.HasRecentFailures(1));

        health.RecordFailure(1);

        Assert.True(health.LoadBalancing.HasRecentFailures(1));
        Assert.False(health.LoadBalancing.HasRecentFailures(2));
        // Once the open time has passed the endpoint may be drawn again (its trial decides).
        _clock.Now += TimeSpan.FromSeconds(31);
        Assert.False(health.LoadBalancing.HasRecentFailures(1));
    }
}
