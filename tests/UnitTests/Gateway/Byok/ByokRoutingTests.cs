using System.Text.Json.Nodes;
using Gateway.Api.Byok;
using Gateway.Api.Credits;
using Gateway.Api.Providers;
using Gateway.Api.Routing;
using Gateway.Api.Translation;
using OpenRouterClone.Catalog.Snapshot;
using OpenRouterClone.Shared;

namespace UnitTests.Gateway.Byok;

public class ByokRoutingTests
{
    private const decimal Fee = 0.05m;

    private static RouteCandidate Candidate(string provider, decimal promptPerMillion, decimal completionPerMillion, int id)
    {
        var endpoint = new SnapshotEndpoint(id, provider, "upstream", 128_000, 4096, null, null,
            new SnapshotPricing(promptPerMillion / 1_000_000m, completionPerMillion / 1_000_000m, 0.001m, 0, 0.0000001m, null, 0, 0),
            [], 0, false, false, null);
        var model = new SnapshotModel("m/x", "X", "m/x", 128_000, ["text"], ["text"], [endpoint]);
        return new RouteCandidate("m/x", model, endpoint, new SnapshotProvider(provider, provider, SnapshotWireFormats.OpenAIChat, "https://x", "Operational", 0, false, false, null));
    }

    private static readonly RouteCandidate[] ByPrice = [Candidate("cheap", 0.1m, 0.2m, 1), Candidate("mid", 1m, 2m, 2), Candidate("dear", 3m, 15m, 3)];

    private static Dictionary<string, ByokSecret> Keys(params ByokSecret[] keys) => keys.ToDictionary(key => key.Provider, StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void Without_own_keys_the_route_is_unchanged()
    {
        Assert.Same(ByPrice, ByokRouting.Apply(ByPrice, Keys(), Fee));
        Assert.Same(ByPrice, ByokRouting.Apply(ByPrice, Keys(new ByokSecret("elsewhere", "k-123456789", false)), Fee));
    }

    [Fact]
    public void Own_key_endpoints_come_first_then_the_platform_route_as_a_fallback()
    {
        var route = ByokRouting.Apply(ByPrice, Keys(new ByokSecret("dear", "k-123456789", AlwaysUse: false)), Fee);

        Assert.Equal(["dear", "cheap", "mid", "dear"], route.Select(candidate => candidate.Provider.Slug));
        Assert.Equal("k-123456789", route[0].Byok!.ApiKey);
        Assert.All(route.Skip(1), candidate => Assert.Null(candidate.Byok));
        Assert.Equal(route[3].Endpoint.Pricing, route[3].ChargedPricing);
    }

    [Fact]
    public void Always_use_drops_the_platform_key_for_that_provider_only()
    {
        var route = ByokRouting.Apply(ByPrice, Keys(new ByokSecret("DEAR", "k-123456789", AlwaysUse: true), new ByokSecret("mid", "k-987654321", AlwaysUse: false)), Fee);

        Assert.Equal(["mid", "dear", "cheap", "mid"], route.Select(candidate => candidate.Provider.Slug));
        Assert.Equal([true, true, false, false], route.Select(candidate => candidate.Byok is not null));
    }

    [Fact]
    public void An_own_key_call_is_charged_the_fee_on_its_equivalent_cost()
    {
        var byok = ByokRouting.Apply(ByPrice, Keys(new ByokSecret("dear", "k-123456789", false)), Fee)[0];
        var usage = new TokenUsage(1_000, 200, CachedTokens: 100);

        var full = UsageCost.Compute(byok.Endpoint.Pricing, usage);
        var charged = UsageCost.Compute(byok.ChargedPricing, usage);

        // 900 × $3/M + 100 × $0.10/M + 200 × $15/M + $0.001 = $0.00671, of which 5% is charged.
        Assert.Equal(6_710_000, full);
        Assert.Equal(335_500, charged);
    }

    [Fact]
    public void The_meter_reports_the_fee_as_cost_and_the_provider_price_as_upstream_cost()
    {
        var byok = ByokRouting.Apply(ByPrice, Keys(new ByokSecret("mid", "k-123456789", false)), Fee)[0];
        var meter = GenerationMeter.For(byok, new PromptTokens(new JsonObject()), TimeProvider.System);
        var completion = JsonNode.Parse("""{"choices":[],"usage":{"prompt_tokens":1000,"completion_tokens":500}}""")!.AsObject();

        meter.Observe(completion);

        // $1/M × 1000 + $2/M × 500 + $0.001 per request = $0.003; the fee is 5% of it.
        Assert.True(meter.IsByok);
        Assert.Equal(3_000_000, meter.UpstreamCostNanos);
        Assert.Equal(150_000, meter.CostNanos);
        var usage = completion["usage"]!;
        Assert.Equal(0.00015m, usage["cost"]!.GetValue<decimal>());
        Assert.True(usage["is_byok"]!.GetValue<bool>());
        Assert.Equal(0.003m, usage["cost_details"]!["upstream_inference_cost"]!.GetValue<decimal>());
    }

    [Fact]
    public void The_hold_for_an_own_key_route_covers_the_platform_fallback_but_the_own_key_fits_a_small_grant()
    {
        var route = ByokRouting.Apply([ByPrice[2]], Keys(new ByokSecret("dear", "k-123456789", false)), Fee);
        var options = new CreditOptions();

        var plan = HoldPlan.For(route, requestBytes: 1000, requestedMaxTokens: 100, options);

        var platformWorst = UsageCost.Compute(route[1].Endpoint.Pricing, new(plan.PromptTokenBound, 100));
        var feeWorst = UsageCost.Compute(route[0].ChargedPricing, new(plan.PromptTokenBound, 100));
        Assert.Equal(platformWorst, plan.MaximumNanos);
        Assert.Equal(feeWorst, plan.MinimumNanos);
        Assert.NotNull(plan.BudgetFor(route[0], feeWorst, options));
        Assert.Null(plan.BudgetFor(route[1], feeWorst, options));
    }

    [Fact]
    public void A_provider_key_never_shows_in_a_string()
    {
        var secret = new ByokSecret("openai", "sk-very-secret-value", false);
        var candidate = ByPrice[0] with { Byok = secret };

        Assert.DoesNotContain("sk-very-secret-value", secret.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("sk-very-secret-value", candidate.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("sk-very-secret-value", new UpstreamTarget(new Uri("https://x/v1"), "sk-very-secret-value").ToString(), StringComparison.Ordinal);
    }
}

public class UpstreamTargetTests
{
    private static readonly SnapshotProvider DeepSeek = new("deepseek", "DeepSeek", SnapshotWireFormats.OpenAIChat, "https://api.deepseek.com/v1", "Operational", 0, false, false, null);
    private static readonly SnapshotProvider Gemini = new("google-ai-studio", "Google", SnapshotWireFormats.GeminiGenerateContent, "https://generativelanguage.googleapis.com/v1beta", "Operational", 0, false, false, null);

    private static UpstreamOptions Options(params (string Slug, UpstreamOptions.ProviderUpstream Upstream)[] real)
    {
        var options = new UpstreamOptions { Emulator = new UpstreamOptions.EmulatorUpstream { BaseUrl = new Uri("http://emulators") } };
        foreach (var (slug, upstream) in real)
        {
            options.Providers[slug] = upstream;
        }
        return options;
    }

    [Fact]
    public void Without_configuration_every_provider_is_its_emulated_stand_in()
    {
        Assert.Equal(new UpstreamTarget(new Uri("http://emulators/providers/deepseek/v1"), null), UpstreamClient.TargetFor(Options(), DeepSeek));
        Assert.Equal(new UpstreamTarget(new Uri("http://emulators/providers/google-ai-studio/v1beta"), null), UpstreamClient.TargetFor(Options(), Gemini));
    }

    [Fact]
    public void A_key_alone_calls_the_catalogs_base_url_and_an_explicit_base_url_wins()
    {
        var keyOnly = Options(("deepseek", new UpstreamOptions.ProviderUpstream { ApiKey = "sk-real" }));
        var both = Options(("deepseek", new UpstreamOptions.ProviderUpstream { ApiKey = "sk-real", BaseUrl = new Uri("https://proxy.example/v1") }));

        Assert.Equal(new UpstreamTarget(new Uri("https://api.deepseek.com/v1"), "sk-real"), UpstreamClient.TargetFor(keyOnly, DeepSeek));
        Assert.Equal(new UpstreamTarget(new Uri("https://proxy.example/v1"), "sk-real"), UpstreamClient.TargetFor(both, DeepSeek));
        Assert.Equal(new Uri("http://emulators/providers/google-ai-studio/v1beta"), UpstreamClient.TargetFor(keyOnly, Gemini).VersionedBase);
    }
}
