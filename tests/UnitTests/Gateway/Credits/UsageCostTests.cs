using System.Text.Json.Nodes;
using Gateway.Api.Credits;
using Gateway.Api.Routing;
using Gateway.Api.Translation;
using OpenRouterClone.Catalog.Snapshot;

namespace UnitTests.Gateway.Credits;

public class UsageCostTests
{
    private static SnapshotPricing PerMillion(decimal prompt, decimal completion, decimal? cacheRead = null, decimal? cacheWrite = null,
        decimal request = 0, decimal reasoning = 0, decimal discount = 0)
        => new(prompt / 1_000_000m, completion / 1_000_000m, request, 0, cacheRead / 1_000_000m, cacheWrite / 1_000_000m, reasoning / 1_000_000m, discount);

    [Fact]
    public void Prompt_and_completion_tokens_are_charged_at_their_exact_prices_in_nano_dollars()
    {
        // 1234 × $3/M + 567 × $15/M = $0.003702 + $0.008505 = $0.012207
        Assert.Equal(12_207_000, UsageCost.Compute(PerMillion(3, 15), new TokenUsage(1234, 567)));
    }

    [Fact]
    public void Cached_prompt_tokens_use_the_cache_read_price_and_cache_writes_their_own()
    {
        // 600 uncached × $3/M + 300 cached × $0.30/M + 100 written × $3.75/M + 10 × $15/M
        var cost = UsageCost.Compute(PerMillion(3, 15, cacheRead: 0.30m, cacheWrite: 3.75m), new TokenUsage(1000, 10, CachedTokens: 300, CacheWriteTokens: 100));

        Assert.Equal(1_800_000 + 90_000 + 375_000 + 150_000, cost);
    }

    [Fact]
    public void Without_a_cache_price_cached_tokens_cost_the_prompt_price()
        => Assert.Equal(UsageCost.Compute(PerMillion(3, 15), new TokenUsage(1000, 0)),
            UsageCost.Compute(PerMillion(3, 15), new TokenUsage(1000, 0, CachedTokens: 400)));

    [Fact]
    public void Request_price_and_discount_apply_once_per_generation()
    {
        // ($0.002 per request + 1000 × $1/M) × (1 − 0.25)
        Assert.Equal(2_250_000, UsageCost.Compute(PerMillion(1, 1, request: 0.002m, discount: 0.25m), new TokenUsage(1000, 0)));
    }

    [Fact]
    public void Reasoning_tokens_use_an_internal_reasoning_price_when_the_endpoint_has_one()
    {
        var plain = UsageCost.Compute(PerMillion(0, 10), new TokenUsage(0, 100, ReasoningTokens: 60));
        var priced = UsageCost.Compute(PerMillion(0, 10, reasoning: 20), new TokenUsage(0, 100, ReasoningTokens: 60));

        Assert.Equal(1_000_000, plain);
        Assert.Equal(400_000 + 1_200_000, priced);
    }

    [Fact]
    public void Sub_nano_amounts_round_half_to_even()
    {
        // 1 token × $0.0000000005 = 0.5 nano → 0; 3 tokens = 1.5 nano → 2.
        var pricing = new SnapshotPricing(0.0000000005m, 0, 0, 0, null, null, 0, 0);
        Assert.Equal(0, UsageCost.Compute(pricing, new TokenUsage(1, 0)));
        Assert.Equal(2, UsageCost.Compute(pricing, new TokenUsage(3, 0)));
    }

    [Theory]
    [InlineData(1_000_000)]
    [InlineData(123_457)]
    [InlineData(50)]
    [InlineData(30_014)]
    public void Affordable_completion_tokens_never_cost_more_than_the_budget(long budget)
    {
        var pricing = PerMillion(3, 15);
        var tokens = UsageCost.AffordableCompletionTokens(pricing, 10, budget)!.Value;

        if (UsageCost.Compute(pricing, new TokenUsage(10, 0)) > budget)
        {
            Assert.Equal(0, tokens);
            return;
        }
        Assert.True(UsageCost.Compute(pricing, new TokenUsage(10, (int)tokens)) <= budget);
        Assert.True(UsageCost.Compute(pricing, new TokenUsage(10, (int)tokens + 1)) > budget);
    }

    [Fact]
    public void A_free_endpoint_affords_any_number_of_tokens()
        => Assert.Null(UsageCost.AffordableCompletionTokens(PerMillion(0, 0), 1000, 0));
}

public class HoldPlanTests
{
    private static readonly CreditOptions Options = new() { MinimumCompletionTokens = 16, DefaultMaximumCompletionTokens = 32_768 };

    private static RouteCandidate Candidate(string provider, decimal promptPerMillion, decimal completionPerMillion, int? maxCompletion = 4096, int context = 128_000)
    {
        var endpoint = new SnapshotEndpoint(1, provider, "up", context, maxCompletion, null, null,
            new SnapshotPricing(promptPerMillion / 1_000_000m, completionPerMillion / 1_000_000m, 0, 0, null, null, 0, 0),
            ["max_tokens"], 0, false, false, null);
        var model = new SnapshotModel("m/x", "m/x", "X", context, ["text"], ["text"], [endpoint]);
        return new RouteCandidate("m/x", model, endpoint, new SnapshotProvider(provider, provider, SnapshotWireFormats.OpenAIChat, "https://x", "Operational", 0, false, false, null));
    }

    [Fact]
    public void The_hold_spans_the_cheapest_minimum_to_the_most_expensive_worst_case()
    {
        var cheap = Candidate("cheap", 1, 2);
        var dear = Candidate("dear", 10, 20);

        var plan = HoldPlan.For([cheap, dear], requestBytes: 2000, requestedMaxTokens: null, Options);

        Assert.Equal(1000, plan.PromptTokenBound);
        Assert.Equal(UsageCost.Compute(cheap.Endpoint.Pricing, new TokenUsage(1000, 16)), plan.MinimumNanos);
        Assert.Equal(UsageCost.Compute(dear.Endpoint.Pricing, new TokenUsage(1000, 4096)), plan.MaximumNanos);
    }

    [Fact]
    public void A_requested_max_tokens_is_held_in_full()
    {
        var plan = HoldPlan.For([Candidate("a", 1, 2)], requestBytes: 100, requestedMaxTokens: 500, Options);

        var full = UsageCost.Compute(new SnapshotPricing(1 / 1_000_000m, 2 / 1_000_000m, 0, 0, null, null, 0, 0), new TokenUsage(50, 500));
        Assert.Equal(full, plan.MinimumNanos);
        Assert.Equal(full, plan.MaximumNanos);
    }

    [Fact]
    public void Without_an_endpoint_cap_the_default_and_the_context_left_bound_the_completion()
    {
        var uncapped = Candidate("a", 0, 1, maxCompletion: null, context: 20_000);
        var plan = HoldPlan.For([uncapped], requestBytes: 10_000, requestedMaxTokens: null, Options);

        // 20,000 context − 5,000 prompt bound = 15,000 tokens at most (below the 32,768 default).
        Assert.Equal(UsageCost.Compute(uncapped.Endpoint.Pricing, new TokenUsage(5000, 15_000)), plan.MaximumNanos);
    }

    [Fact]
    public void A_partial_hold_lowers_max_tokens_to_what_it_pays_for_when_the_caller_set_none()
    {
        var candidate = Candidate("a", 0, 1);
        var plan = HoldPlan.For([candidate], requestBytes: 10, requestedMaxTokens: null, Options);

        Assert.Equal(new EndpointBudget(null), plan.BudgetFor(candidate, plan.MaximumNanos, Options));
        Assert.Equal(new EndpointBudget(100), plan.BudgetFor(candidate, 100_000, Options));
        Assert.Null(plan.BudgetFor(candidate, 10_000, Options));
    }

    [Fact]
    public void A_partial_hold_refuses_an_endpoint_whose_requested_max_tokens_do_not_fit()
    {
        var cheap = Candidate("cheap", 0, 1);
        var dear = Candidate("dear", 0, 10);
        var plan = HoldPlan.For([cheap, dear], requestBytes: 10, requestedMaxTokens: 1000, Options);

        var held = UsageCost.Compute(cheap.Endpoint.Pricing, new TokenUsage(plan.PromptTokenBound, 1000));
        Assert.Equal(new EndpointBudget(null), plan.BudgetFor(cheap, held, Options));
        Assert.Null(plan.BudgetFor(dear, held, Options));
    }

    [Fact]
    public void Free_endpoints_hold_nothing()
    {
        var plan = HoldPlan.For([Candidate("free", 0, 0)], requestBytes: 5000, requestedMaxTokens: null, Options);

        Assert.Equal(0, plan.MinimumNanos);
        Assert.Equal(0, plan.MaximumNanos);
    }
}

public class GenerationMeterTests
{
    private static readonly SnapshotPricing Pricing = new(0.000003m, 0.000015m, 0, 0, 0.0000003m, null, 0, 0);

    [Fact]
    public void The_usage_block_gains_the_cost_in_usd_and_is_what_gets_billed()
    {
        var meter = new GenerationMeter(Pricing, new PromptTokens(new JsonObject()), TimeProvider.System);
        var completion = JsonNode.Parse("""
            {"id":"up-1","choices":[{"message":{"content":"hello"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":100,"completion_tokens":20,"prompt_tokens_details":{"cached_tokens":50}}}
            """)!.AsObject();

        meter.Observe(completion);

        // 50 × $3/M + 50 × $0.30/M + 20 × $15/M = $0.000465
        Assert.Equal(465_000, meter.CostNanos);
        Assert.Equal(0.000465m, completion["usage"]!["cost"]!.GetValue<decimal>());
        Assert.False(completion["usage"]!["is_byok"]!.GetValue<bool>());
        Assert.Equal("stop", meter.FinishReason);
        Assert.Equal("up-1", meter.UpstreamId);
        Assert.NotNull(meter.FirstTokenAt);
    }

    [Fact]
    public void Without_a_usage_block_the_prompt_and_the_relayed_text_are_counted_with_the_tokenizer()
    {
        var request = JsonNode.Parse("""{"model":"m","messages":[{"role":"user","content":"Hello, world!"}]}""")!.AsObject();
        var meter = new GenerationMeter(Pricing, new PromptTokens(request), TimeProvider.System);
        foreach (var piece in new[] { "The quick brown", "", " fox jumps over", " the lazy dog." })
        {
            meter.Observe(Delta(new JsonObject { ["content"] = piece }));
        }

        var counter = TokenCounter.Shared;
        // "Hello", ",", " world", "!" in o200k_base.
        Assert.Equal(4, counter.Count("Hello, world!"));
        var promptTokens = TokenCounter.ReplyPriming + TokenCounter.TokensPerMessage + counter.Count("user") + 4;
        // Counted as one text: chunk boundaries do not split tokens.
        var completionTokens = counter.Count("The quick brown fox jumps over the lazy dog.");
        Assert.Equal(10, completionTokens);
        Assert.Equal(new TokenUsage(promptTokens, completionTokens), meter.Usage);
        Assert.Null(meter.ReportedUsage);
        Assert.Equal(3, meter.OutputChunks);
    }

    [Fact]
    public void Without_a_usage_block_the_cost_follows_the_counted_tokens()
    {
        var request = JsonNode.Parse("""{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Why is the sky blue?"}]}""")!.AsObject();
        var meter = new GenerationMeter(Pricing, new PromptTokens(request), TimeProvider.System);
        meter.Observe(Delta(new JsonObject { ["content"] = "Rayleigh scattering of sunlight." }));

        var counted = new TokenUsage(TokenCounter.Shared.CountPrompt(request), TokenCounter.Shared.Count("Rayleigh scattering of sunlight."));
        Assert.True(counted.PromptTokens > 10 && counted.CompletionTokens > 3);
        Assert.Equal(counted, meter.Usage);
        Assert.Equal(UsageCost.Compute(Pricing, counted), meter.CostNanos);
        Assert.Equal(counted.PromptTokens * 3_000 + counted.CompletionTokens * 15_000, meter.CostNanos);
    }

    [Fact]
    public void Reasoning_and_tool_call_arguments_that_were_relayed_are_counted_as_output()
    {
        var meter = new GenerationMeter(Pricing, new PromptTokens(new JsonObject()), TimeProvider.System);
        meter.Observe(Delta(new JsonObject { ["reasoning"] = "The user wants the weather." }));
        meter.Observe(Delta(new JsonObject
        {
            ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = 0, ["function"] = new JsonObject { ["name"] = "get_weather", ["arguments"] = "{\"city\":" } }),
        }));
        meter.Observe(Delta(new JsonObject
        {
            ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = 0, ["function"] = new JsonObject { ["arguments"] = "\"Paris\"}" } }),
        }));

        var counter = TokenCounter.Shared;
        var expected = counter.Count("The user wants the weather.") + counter.Count("get_weather{\"city\":\"Paris\"}");
        Assert.Equal(expected, meter.Usage.CompletionTokens);
        Assert.Equal(0, meter.Usage.PromptTokens);
    }

    [Fact]
    public void A_reported_usage_wins_over_the_count_of_what_was_relayed()
    {
        var request = JsonNode.Parse("""{"messages":[{"role":"user","content":"Hello, world!"}]}""")!.AsObject();
        var meter = new GenerationMeter(Pricing, new PromptTokens(request), TimeProvider.System);
        meter.Observe(Delta(new JsonObject { ["content"] = "Hi there, how can I help you today?" }));
        meter.Observe(JsonNode.Parse("""{"choices":[],"usage":{"prompt_tokens":1234,"completion_tokens":567}}""")!.AsObject());

        Assert.Equal(new TokenUsage(1234, 567), meter.Usage);
        Assert.Equal(UsageCost.Compute(Pricing, new TokenUsage(1234, 567)), meter.CostNanos);
    }

    [Fact]
    public void The_count_grows_with_output_observed_after_it_was_first_read()
    {
        var meter = new GenerationMeter(Pricing, new PromptTokens(new JsonObject()), TimeProvider.System);
        meter.Observe(Delta(new JsonObject { ["content"] = "Hello," }));
        var early = meter.Usage.CompletionTokens;
        meter.Observe(Delta(new JsonObject { ["content"] = " world!" }));

        Assert.Equal(2, early);
        Assert.Equal(4, meter.Usage.CompletionTokens);
    }

    private static JsonObject Delta(JsonObject delta) => new() { ["choices"] = new JsonArray(new JsonObject { ["delta"] = delta }) };

    [Fact]
    public void A_usage_block_without_token_counts_is_not_taken_as_the_usage()
    {
        var meter = new GenerationMeter(Pricing, new PromptTokens(new JsonObject()), TimeProvider.System);
        var chunk = JsonNode.Parse("""{"choices":[],"usage":{"total_tokens":9}}""")!.AsObject();

        meter.Observe(chunk);

        Assert.Null(meter.ReportedUsage);
        Assert.Null(chunk["usage"]!["cost"]);
    }
}
