using System.Text.Json.Nodes;
using Gateway.Api.Credits;
using Gateway.Api.Routing;
using Gateway.Api.WebSearch;
using OpenRouterClone.Catalog.Snapshot;

namespace UnitTests.Gateway.WebSearch;

public class WebSearchCostTests
{
    private static readonly SnapshotPricing Pricing = new(0.000003m, 0.000015m, 0, 0, null, null, 0, 0);
    private static readonly CreditOptions Options = new() { MinimumCompletionTokens = 16, DefaultMaximumCompletionTokens = 32_768 };
    private static readonly long FiveResults = WebSearchPrompt.FeeNanos(5, new WebSearchOptions());

    private static JsonObject Completion() => JsonNode.Parse("""
        {"choices":[{"message":{"content":"hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1000,"completion_tokens":100}}
        """)!.AsObject();

    private static RouteCandidate Candidate(int maxCompletion = 4096)
    {
        var endpoint = new SnapshotEndpoint(1, "p", "up", 128_000, maxCompletion, null, null, Pricing, ["max_tokens"], 0, false, false, null);
        var model = new SnapshotModel("m/x", "m/x", "X", 128_000, ["text"], ["text"], [endpoint]);
        return new RouteCandidate("m/x", model, endpoint, new SnapshotProvider("p", "P", SnapshotWireFormats.OpenAIChat, "https://x", "Operational", 0, false, false, null));
    }

    [Fact]
    public void The_search_fee_is_added_to_the_token_cost_in_usage_and_in_what_is_billed()
    {
        var meter = GenerationMeter.For(Candidate(), new PromptTokens(new JsonObject()), TimeProvider.System, FiveResults);
        var completion = Completion();

        meter.Observe(completion);

        // 1000 × $3/M + 100 × $15/M = $0.0045, plus 5 × $0.004.
        Assert.Equal(4_500_000 + 20_000_000, meter.CostNanos);
        Assert.Equal(0.0245m, completion["usage"]!["cost"]!.GetValue<decimal>());
        // The provider's price stays the provider's price.
        Assert.Equal(0.0045m, completion["usage"]!["cost_details"]!["upstream_inference_cost"]!.GetValue<decimal>());
        Assert.Equal(4_500_000, meter.UpstreamCostNanos);
    }

    [Fact]
    public void With_the_callers_own_key_the_search_is_still_charged_in_full()
    {
        var feeRate = 0.05m;
        var byokPricing = new SnapshotPricing(Pricing.Prompt * feeRate, Pricing.Completion * feeRate, 0, 0, null, null, 0, 0);
        var meter = new GenerationMeter(Pricing, new PromptTokens(new JsonObject()), TimeProvider.System, byokPricing) { SurchargeNanos = FiveResults };
        var completion = Completion();

        meter.Observe(completion);

        Assert.Equal(225_000 + 20_000_000, meter.CostNanos);
        Assert.Equal(0.020225m, completion["usage"]!["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public void Without_reported_usage_the_counted_tokens_and_the_fee_are_charged()
    {
        var meter = GenerationMeter.For(Candidate(), new PromptTokens(new JsonObject()), TimeProvider.System, FiveResults);

        meter.Observe(JsonNode.Parse("""{"choices":[{"delta":{"content":"hello world"}}]}""")!.AsObject());

        Assert.Equal(meter.UpstreamCostNanos + FiveResults, meter.CostNanos);
    }

    [Fact]
    public void The_hold_adds_the_most_the_search_can_cost_to_both_bounds()
    {
        var plain = HoldPlan.For([Candidate()], requestBytes: 1000, requestedMaxTokens: null, Options);
        var online = HoldPlan.For([Candidate()], requestBytes: 1000, requestedMaxTokens: null, Options, surchargeNanos: FiveResults);

        Assert.Equal(plain.MinimumNanos + FiveResults, online.MinimumNanos);
        Assert.Equal(plain.MaximumNanos + FiveResults, online.MaximumNanos);
    }

    [Fact]
    public void Only_what_the_hold_leaves_after_the_fee_pays_for_tokens()
    {
        var candidate = Candidate();
        var online = HoldPlan.For([candidate], requestBytes: 1000, requestedMaxTokens: null, Options, surchargeNanos: FiveResults);
        var worstTokens = online.MaximumNanos - FiveResults;

        // The full hold: the endpoint's worst case fits beside the fee.
        Assert.Equal(new EndpointBudget(null), online.BudgetFor(candidate, online.MaximumNanos, Options));
        // A hold that would cover the tokens alone but not the fee as well: max_tokens is lowered so tokens + fee fit.
        var lowered = online.BudgetFor(candidate, worstTokens, Options)!.LoweredMaxTokens!.Value;
        Assert.True(UsageCost.Compute(Pricing, new(online.PromptTokenBound, lowered)) + FiveResults <= worstTokens);
        // Less than the fee: nothing fits.
        Assert.Null(online.BudgetFor(candidate, FiveResults - 1, Options));
    }
}
