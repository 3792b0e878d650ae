using Gateway.Api.Routing;
using OpenRouterClone.Catalog.Snapshot;
using OpenRouterClone.Shared.Credits;

namespace UnitTests.Gateway;

public class EndpointOutcomesTests
{
    private static RouteCandidate Candidate(int id)
    {
        var endpoint = new SnapshotEndpoint(id, "p", "up", 1000, null, null, null,
            new SnapshotPricing(0, 0, 0, 0, null, null, 0, 0), [], 0, false, false, null);
        return new RouteCandidate("m/x", new SnapshotModel("m/x", "m/x", "X", 1000, ["text"], ["text"], [endpoint]), endpoint,
            new SnapshotProvider("p", "p", SnapshotWireFormats.OpenAIChat, "https://x", "Operational", 0, false, false, null));
    }

    private static UsageEvent Answered(int latencyMs) => new()
    {
        GenerationId = Guid.NewGuid().ToString("N"), AccountId = Guid.NewGuid(), KeyId = Guid.NewGuid(),
        Model = "m/x", ProviderSlug = "p", ProviderName = "P", CompletionTokens = 10, GenerationTimeMs = 100,
        TimeToFirstTokenMs = latencyMs, FinishReason = "stop", CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void A_quiet_endpoints_outcomes_are_all_sent_each_standing_for_itself()
    {
        var outcomes = new EndpointOutcomes(TimeProvider.System);
        outcomes.RecordGeneration(Candidate(1), Answered(120));
        outcomes.RecordFailure(Candidate(1));
        outcomes.RecordGeneration(Candidate(2), Answered(80));

        var drained = outcomes.Drain();

        Assert.Equal(3, drained.Count);
        Assert.All(drained, outcome => Assert.Equal(1, outcome.Weight));
        Assert.Equal([120, 80], drained.Where(outcome => outcome.Succeeded).Select(outcome => outcome.LatencyMs!.Value).Order().Reverse());
        Assert.Empty(outcomes.Drain());
    }

    [Fact]
    public void A_busy_endpoint_sends_a_bounded_sample_whose_weights_add_up_to_its_calls()
    {
        var outcomes = new EndpointOutcomes(TimeProvider.System);
        const int calls = 10_000;
        for (var i = 0; i < calls; i++)
        {
            // One call in ten fails.
            if (i % 10 == 0)
            {
                outcomes.RecordFailure(Candidate(7));
            }
            else
            {
                outcomes.RecordGeneration(Candidate(7), Answered(i % 500));
            }
        }
        outcomes.RecordGeneration(Candidate(8), Answered(50));

        var drained = outcomes.Drain();

        var busy = drained.Where(outcome => outcome.EndpointId == 7).ToList();
        Assert.Equal(EndpointOutcomes.SamplesPerInterval, busy.Count);
        Assert.Equal(calls, busy.Sum(outcome => outcome.Weight), precision: 6);
        // The other endpoint's lone call is not crowded out.
        Assert.Equal(1, Assert.Single(drained, outcome => outcome.EndpointId == 8).Weight);
    }

    [Fact]
    public void The_sample_is_uniform_so_the_weighted_failure_share_matches_the_calls()
    {
        var outcomes = new EndpointOutcomes(TimeProvider.System);
        double failedWeight = 0, totalWeight = 0;
        // Many intervals of 1,000 calls with 20% failures, the failures all coming last: a sample biased to the
        // first or last calls would be far off.
        for (var interval = 0; interval < 400; interval++)
        {
            for (var i = 0; i < 1_000; i++)
            {
                if (i >= 800)
                {
                    outcomes.RecordFailure(Candidate(3));
                }
                else
                {
                    outcomes.RecordGeneration(Candidate(3), Answered(100));
                }
            }
            foreach (var outcome in outcomes.Drain())
            {
                totalWeight += outcome.Weight;
                failedWeight += outcome.Succeeded ? 0 : outcome.Weight;
            }
        }

        Assert.Equal(400_000, totalWeight, precision: 3);
        Assert.InRange(failedWeight / totalWeight, 0.18, 0.22);
    }

    [Fact]
    public void A_weight_survives_the_stream_and_an_unweighted_entry_reads_as_one_call()
    {
        var weighted = new EndpointOutcome(4, true, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), 90, 42.5, Weight: 62.5);
        var unweighted = weighted with { Weight = 1 };

        Assert.Equal(weighted, EndpointOutcome.FromStreamFields(weighted.ToStreamFields()));
        Assert.DoesNotContain(unweighted.ToStreamFields(), field => field.Name == "w");
        Assert.Equal(1, EndpointOutcome.FromStreamFields(unweighted.ToStreamFields())!.Weight);
    }
}
