using Gateway.Api.Routing;
using OpenRouterClone.Catalog.Snapshot;

namespace UnitTests.Gateway;

public class EndpointRouterTests
{
    private static readonly string[] AllParameters = ["max_tokens", "temperature", "top_p", "stop", "tools", "tool_choice", "response_format"];
    private static readonly string[] SamplingOnly = ["max_tokens", "temperature", "top_p", "stop"];

    private static SnapshotProvider Provider(string slug, string name, string wire = SnapshotWireFormats.OpenAIChat,
        int? retentionDays = 0, bool trains = false, bool zdr = false, string status = "Operational")
        => new(slug, name, wire, $"https://{slug}.example/v1", status, retentionDays, trains, zdr, "US");

    private static SnapshotEndpoint Endpoint(int id, string provider, decimal promptPerMillion, decimal completionPerMillion,
        string[]? parameters = null, string? quantization = null, int status = 0, double? throughput = null, double? latency = null)
        => new(id, provider, $"{provider}-upstream-{id}", 128_000, 4096, null, quantization,
            new SnapshotPricing(promptPerMillion / 1_000_000m, completionPerMillion / 1_000_000m, 0, 0, null, null, 0, 0),
            parameters ?? AllParameters, status, false, false,
            throughput is null && latency is null ? null : new SnapshotEndpointStats(latency, throughput, 100, 100));

    private static SnapshotModel Model(string id, params SnapshotEndpoint[] endpoints)
        => new(id, id, id, 128_000, ["text"], ["text"], endpoints);

    private static readonly CatalogIndex Catalog = new(new CatalogSnapshot(7, DateTimeOffset.UnixEpoch,
        [
            Provider("deepseek", "DeepSeek", retentionDays: null, trains: true),
            Provider("deepinfra", "DeepInfra", zdr: true),
            Provider("together", "Together", zdr: true),
            Provider("openai", "OpenAI", retentionDays: 30),
            Provider("anthropic", "Anthropic", SnapshotWireFormats.AnthropicMessages, retentionDays: 30),
            Provider("down-host", "Down Host", status: "Down"),
            Provider("legacy-host", "Legacy Host", "LegacyRpc", retentionDays: 30),
        ],
        [
            Model("deepseek/deepseek-chat",
                Endpoint(1, "deepinfra", 0.38m, 0.89m, SamplingOnly, "fp8", throughput: 40, latency: 900),
                Endpoint(2, "deepseek", 0.27m, 1.10m, AllParameters, throughput: 20, latency: 300),
                Endpoint(3, "together", 1.25m, 1.25m, AllParameters, "fp8", throughput: 90, latency: 600)),
            Model("meta-llama/llama-3.3-70b-instruct",
                Endpoint(4, "deepinfra", 0.23m, 0.40m),
                Endpoint(5, "together", 0.88m, 0.88m, quantization: "fp8"),
                Endpoint(6, "down-host", 0.01m, 0.01m)),
            Model("meta-llama/llama-3.3-70b-instruct:free", Endpoint(7, "together", 0, 0)),
            Model("anthropic/claude-sonnet-4", Endpoint(8, "anthropic", 3m, 15m)),
            Model("openai/gpt-4o-mini", Endpoint(9, "openai", 0.15m, 0.60m), Endpoint(10, "deepinfra", 0.10m, 0.10m, status: -1)),
            Model("mixed/model", Endpoint(11, "legacy-host", 1m, 1m), Endpoint(12, "openai", 2m, 2m)),
            Model("legacy/model", Endpoint(13, "legacy-host", 1m, 1m)),
            Model("google/gemini-2.5-flash", Endpoint(16, "openai", 0.3m, 2.5m, [.. AllParameters, "reasoning"])),
            Model("reasoner/r1", Endpoint(14, "deepseek", 0.5m, 2m, [.. AllParameters, "reasoning"]), Endpoint(15, "together", 0.4m, 1.5m)),
        ]));

    private static RoutingDecision Route(string? model, ProviderPreferences? provider = null, string[]? models = null, string[]? used = null)
        => EndpointRouter.Route(new RoutingRequest(model, models, provider, used ?? []), Catalog);

    private static string[] Providers(RoutingDecision decision)
    {
        Assert.False(decision.IsError, decision.ErrorMessage);
        return [.. decision.Candidates.Select(candidate => candidate.Provider.Slug)];
    }

    [Fact]
    public void Default_order_is_cheapest_first_by_prompt_plus_completion()
    {
        var decision = Route("deepseek/deepseek-chat");

        Assert.Equal(["deepinfra", "deepseek", "together"], Providers(decision));
        Assert.All(decision.Candidates, candidate => Assert.Equal("deepseek/deepseek-chat", candidate.ModelId));
        Assert.Equal("deepinfra-upstream-1", decision.Candidates[0].Endpoint.UpstreamModel);
    }

    [Fact]
    public void Model_ids_match_without_regard_to_case()
        => Assert.Equal("deepseek/deepseek-chat", Route("DeepSeek/DeepSeek-Chat").Candidates[0].ModelId);

    [Fact]
    public void Unknown_model_is_a_404_naming_it()
    {
        var decision = Route("nobody/nothing");

        Assert.True(decision.IsError);
        Assert.Equal(404, decision.ErrorStatus);
        Assert.Equal("Model nobody/nothing not found", decision.ErrorMessage);
    }

    [Fact]
    public void Unknown_variant_suffix_is_not_found()
        => Assert.Equal(404, Route("deepseek/deepseek-chat:bogus").ErrorStatus);

    [Fact]
    public void Down_and_degraded_endpoints_are_skipped()
    {
        Assert.Equal(["deepinfra", "together"], Providers(Route("meta-llama/llama-3.3-70b-instruct")));
        Assert.Equal(["openai"], Providers(Route("openai/gpt-4o-mini")));
    }

    [Fact]
    public void Order_puts_named_providers_first_then_the_rest_by_price()
    {
        var decision = Route("deepseek/deepseek-chat", new ProviderPreferences { Order = ["together", "DeepSeek"] });

        Assert.Equal(["together", "deepseek", "deepinfra"], Providers(decision));
    }

    [Fact]
    public void Without_fallbacks_order_keeps_only_the_named_providers()
    {
        var decision = Route("deepseek/deepseek-chat", new ProviderPreferences { Order = ["together"], AllowFallbacks = false });

        Assert.Equal(["together"], Providers(decision));
    }

    [Fact]
    public void Without_fallbacks_or_order_only_the_top_provider_is_tried()
        => Assert.Equal(["deepinfra"], Providers(Route("deepseek/deepseek-chat", new ProviderPreferences { AllowFallbacks = false })));

    [Fact]
    public void Only_and_ignore_filter_by_slug_or_name()
    {
        Assert.Equal(["deepseek", "together"], Providers(Route("deepseek/deepseek-chat", new ProviderPreferences { Only = ["deepseek", "Together"] })));
        Assert.Equal(["deepseek"], Providers(Route("deepseek/deepseek-chat", new ProviderPreferences { Ignore = ["deepinfra", "together"] })));
    }

    [Fact]
    public void Filters_that_leave_nothing_give_a_404_naming_them()
    {
        var decision = Route("deepseek/deepseek-chat", new ProviderPreferences { Only = ["openai"], Zdr = true });

        Assert.Equal(404, decision.ErrorStatus);
        Assert.Contains("only", decision.ErrorMessage);
        Assert.Contains("zdr", decision.ErrorMessage);
        Assert.Contains("deepseek/deepseek-chat", decision.ErrorMessage);
    }

    [Fact]
    public void A_model_whose_providers_all_speak_an_unknown_format_is_unavailable_with_503()
    {
        var decision = Route("legacy/model");

        Assert.Equal(503, decision.ErrorStatus);
        Assert.Contains("Legacy Host", decision.ErrorMessage);
    }

    [Fact]
    public void Anthropic_and_gemini_wire_providers_are_routable_through_their_adapters()
        => Assert.Equal(["anthropic"], Providers(Route("anthropic/claude-sonnet-4")));

    [Fact]
    public void Only_naming_a_provider_that_does_not_serve_the_model_is_a_404()
        => Assert.Equal(404, Route("anthropic/claude-sonnet-4", new ProviderPreferences { Only = ["openai"] }).ErrorStatus);

    [Fact]
    public void Endpoints_in_other_wire_formats_are_skipped_for_the_callable_ones()
        => Assert.Equal(["openai"], Providers(Route("mixed/model")));

    [Theory]
    [InlineData("price", new[] { "deepinfra", "deepseek", "together" })]
    [InlineData("throughput", new[] { "together", "deepinfra", "deepseek" })]
    [InlineData("latency", new[] { "deepseek", "together", "deepinfra" })]
    public void Sort_orders_by_the_chosen_measure(string sort, string[] expected)
        => Assert.Equal(expected, Providers(Route("deepseek/deepseek-chat", new ProviderPreferences { Sort = sort })));

    [Fact]
    public void Nitro_sorts_by_throughput_and_floor_by_price_reporting_the_base_model()
    {
        var nitro = Route("deepseek/deepseek-chat:nitro");
        var floor = Route("deepseek/deepseek-chat:floor", new ProviderPreferences());

        Assert.Equal(["together", "deepinfra", "deepseek"], Providers(nitro));
        Assert.Equal(["deepinfra", "deepseek", "together"], Providers(floor));
        Assert.Equal("deepseek/deepseek-chat", nitro.Candidates[0].ModelId);
    }

    [Fact]
    public void Explicit_sort_wins_over_the_variant()
        => Assert.Equal(["deepseek", "together", "deepinfra"],
            Providers(Route("deepseek/deepseek-chat:nitro", new ProviderPreferences { Sort = "latency" })));

    [Fact]
    public void Free_variant_is_its_own_model_when_the_snapshot_has_it()
    {
        var decision = Route("meta-llama/llama-3.3-70b-instruct:free");

        Assert.Equal(["together"], Providers(decision));
        Assert.Equal(7, decision.Candidates[0].Endpoint.Id);
        Assert.Equal("meta-llama/llama-3.3-70b-instruct:free", decision.Candidates[0].ModelId);
    }

    [Fact]
    public void Free_variant_without_a_model_of_its_own_needs_a_zero_price_endpoint()
    {
        var decision = Route("deepseek/deepseek-chat:free");

        Assert.Equal(404, decision.ErrorStatus);
        Assert.Contains(":free", decision.ErrorMessage);
    }

    [Fact]
    public void Models_list_is_tried_in_order_after_the_model_and_unknown_ids_are_skipped()
    {
        var decision = Route("nobody/nothing", models: ["openai/gpt-4o-mini", "nobody/else", "meta-llama/llama-3.3-70b-instruct"]);

        Assert.Equal(["openai", "deepinfra", "together"], Providers(decision));
        Assert.Equal(["openai/gpt-4o-mini", "meta-llama/llama-3.3-70b-instruct", "meta-llama/llama-3.3-70b-instruct"],
            decision.Candidates.Select(candidate => candidate.ModelId));
    }

    [Fact]
    public void Models_list_alone_is_enough_and_duplicates_are_tried_once()
        => Assert.Equal(["openai"], Providers(Route(null, models: ["openai/gpt-4o-mini", "OPENAI/gpt-4o-mini"])));

    [Fact]
    public void Online_keeps_every_endpoint_of_the_base_model_marks_them_for_the_web_plugin_and_reports_the_base_model()
    {
        var decision = Route("deepseek/deepseek-chat:online");

        Assert.Equal(Providers(Route("deepseek/deepseek-chat")).Order(), Providers(decision).Order());
        Assert.All(decision.Candidates, candidate =>
        {
            Assert.True(candidate.Online);
            Assert.Equal("deepseek/deepseek-chat", candidate.ModelId);
        });
        Assert.All(Route("deepseek/deepseek-chat").Candidates, candidate => Assert.False(candidate.Online));
        Assert.Equal(404, Route("unknown/model:online").ErrorStatus);
    }

    [Fact]
    public void Thinking_keeps_the_endpoints_that_reason_turns_reasoning_on_and_reports_the_base_model()
    {
        var decision = Route("reasoner/r1:thinking");

        var candidate = Assert.Single(decision.Candidates);
        Assert.Equal("deepseek", candidate.Provider.Slug);
        Assert.Equal("reasoner/r1", candidate.ModelId);
        Assert.True(candidate.Thinking);
        Assert.False(Route("reasoner/r1").Candidates[0].Thinking);
        Assert.Equal(404, Route("deepseek/deepseek-chat:thinking").ErrorStatus);
    }

    [Fact]
    public void Auto_tries_its_shortlist_in_order_and_reports_the_real_model()
    {
        var decision = Route(EndpointRouter.AutoModelId);

        Assert.Equal("openai/gpt-4o-mini", decision.Candidates[0].ModelId);
        Assert.Equal(["openai/gpt-4o-mini", "google/gemini-2.5-flash", "deepseek/deepseek-chat"],
            decision.Candidates.Select(candidate => candidate.ModelId).Distinct());
    }

    [Fact]
    public void Auto_skips_shortlisted_models_that_lack_a_parameter_the_request_uses()
    {
        var reasoning = Route(EndpointRouter.AutoModelId, used: ["reasoning"]);
        Assert.Equal(["google/gemini-2.5-flash"], reasoning.Candidates.Select(candidate => candidate.ModelId).Distinct());

        // When no shortlisted model supports it, auto still tries the whole list rather than refusing.
        var unsupported = Route(EndpointRouter.AutoModelId, used: ["web_search_options"]);
        Assert.Equal("openai/gpt-4o-mini", unsupported.Candidates[0].ModelId);
    }

    [Fact]
    public void Models_list_of_unknown_ids_is_a_404()
        => Assert.Equal(404, Route(null, models: ["a/b", "c/d"]).ErrorStatus);

    [Fact]
    public void Models_list_skips_a_model_whose_endpoints_are_all_filtered_out()
    {
        var decision = Route("legacy/model", models: ["openai/gpt-4o-mini"]);

        Assert.Equal(["openai"], Providers(decision));
    }

    [Fact]
    public void Max_price_is_in_usd_per_million_tokens_and_inclusive()
    {
        Assert.Equal(["deepinfra", "deepseek"],
            Providers(Route("deepseek/deepseek-chat", new ProviderPreferences { MaxPrice = new MaxPrice { Prompt = 0.38m } })));
        Assert.Equal(["deepinfra"],
            Providers(Route("deepseek/deepseek-chat", new ProviderPreferences { MaxPrice = new MaxPrice { Prompt = 1m, Completion = 1m } })));
        Assert.Equal(404, Route("deepseek/deepseek-chat", new ProviderPreferences { MaxPrice = new MaxPrice { Completion = 0.5m } }).ErrorStatus);
    }

    [Fact]
    public void Data_collection_deny_skips_providers_that_keep_or_train_on_prompts()
    {
        Assert.Equal(["deepinfra", "together"],
            Providers(Route("deepseek/deepseek-chat", new ProviderPreferences { DataCollection = "deny" })));
        Assert.Equal(404, Route("mixed/model", new ProviderPreferences { DataCollection = "deny" }).ErrorStatus);
        Assert.Equal(["openai"], Providers(Route("openai/gpt-4o-mini", new ProviderPreferences { DataCollection = "allow" })));
    }

    [Fact]
    public void Zdr_keeps_zero_data_retention_providers_only()
        => Assert.Equal(["deepinfra", "together"], Providers(Route("deepseek/deepseek-chat", new ProviderPreferences { Zdr = true })));

    [Fact]
    public void Quantizations_match_case_insensitively_and_unknown_matches_none_given()
    {
        Assert.Equal(["deepinfra", "together"],
            Providers(Route("deepseek/deepseek-chat", new ProviderPreferences { Quantizations = ["FP8"] })));
        Assert.Equal(["deepseek"],
            Providers(Route("deepseek/deepseek-chat", new ProviderPreferences { Quantizations = ["unknown"] })));
    }

    [Fact]
    public void Require_parameters_skips_endpoints_lacking_a_used_parameter()
    {
        var required = new ProviderPreferences { RequireParameters = true };

        Assert.Equal(["deepseek", "together"], Providers(Route("deepseek/deepseek-chat", required, used: ["tools", "temperature"])));
        Assert.Equal(["deepinfra", "deepseek", "together"], Providers(Route("deepseek/deepseek-chat", required, used: ["temperature"])));
        // Without require_parameters, parameters do not filter.
        Assert.Equal(["deepinfra", "deepseek", "together"], Providers(Route("deepseek/deepseek-chat", used: ["tools"])));
        Assert.Contains("require_parameters", Route("deepseek/deepseek-chat", required, used: ["logit_bias"]).ErrorMessage);
    }

    [Theory]
    [InlineData("fastest", null)]
    [InlineData(null, "maybe")]
    public void Malformed_preferences_are_a_400(string? sort, string? dataCollection)
        => Assert.Equal(400, Route("deepseek/deepseek-chat", new ProviderPreferences { Sort = sort, DataCollection = dataCollection }).ErrorStatus);

    [Fact]
    public void Negative_max_price_is_a_400()
        => Assert.Equal(400, Route("deepseek/deepseek-chat", new ProviderPreferences { MaxPrice = new MaxPrice { Prompt = -1 } }).ErrorStatus);

    [Fact]
    public void Cache_takes_only_newer_versions()
    {
        var cache = new CatalogSnapshotCache();
        var older = Catalog.Snapshot with { Version = 6 };

        Assert.True(cache.TryUpdate(Catalog.Snapshot));
        Assert.False(cache.TryUpdate(older));
        Assert.False(cache.TryUpdate(Catalog.Snapshot));
        Assert.Equal(7, cache.Current!.Version);
        Assert.True(cache.TryUpdate(Catalog.Snapshot with { Version = 8 }));
        Assert.NotNull(cache.Current!.FindModel("deepseek/deepseek-chat"));
    }

    [Fact]
    public void Live_statistics_replace_the_snapshots_and_steer_sorting_until_newer_ones_arrive()
    {
        var cache = new CatalogSnapshotCache();
        Assert.True(cache.TryUpdate(Catalog.Snapshot));
        string[] ByLatency() => [.. EndpointRouter.Route(new RoutingRequest("deepseek/deepseek-chat", null,
            new ProviderPreferences { Sort = ProviderPreferences.SortLatency }, []), cache.Current!).Candidates.Select(candidate => candidate.Provider.Slug)];
        Assert.Equal(["deepseek", "together", "deepinfra"], ByLatency());

        // deepinfra (endpoint 1) became the fastest; the others keep their snapshot numbers.
        var at = DateTimeOffset.UnixEpoch.AddDays(1);
        Assert.True(cache.TryUpdateStats(new EndpointStatsSnapshot(at, new Dictionary<int, SnapshotEndpointStats> { [1] = new(100, 40, 99, 99) })));
        Assert.Equal(["deepinfra", "deepseek", "together"], ByLatency());
        Assert.Equal(at, cache.StatsGeneratedAt);

        // Older statistics are ignored; a new catalog version keeps the live ones.
        Assert.False(cache.TryUpdateStats(new EndpointStatsSnapshot(at.AddSeconds(-1), new Dictionary<int, SnapshotEndpointStats>())));
        Assert.True(cache.TryUpdate(Catalog.Snapshot with { Version = 8 }));
        Assert.Equal(["deepinfra", "deepseek", "together"], ByLatency());
    }

    [Fact]
    public void Endpoint_outcomes_survive_the_stream_round_trip()
    {
        var outcome = new EndpointOutcome(12, Succeeded: true, DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_123), LatencyMs: 250, TokensPerSecond: 87.5);
        var failure = new EndpointOutcome(13, Succeeded: false, DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_456));

        Assert.Equal(outcome, EndpointOutcome.FromStreamFields(outcome.ToStreamFields()));
        Assert.Equal(failure, EndpointOutcome.FromStreamFields(failure.ToStreamFields()));
        Assert.Null(EndpointOutcome.FromStreamFields([new("unrelated", "1")]));
    }

    [Fact]
    public void Snapshot_json_from_the_catalog_contract_parses()
    {
        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Catalog.Snapshot, CatalogSnapshotJsonContext.Default.CatalogSnapshot);

        var parsed = CatalogSnapshotCache.Parse(json);

        Assert.NotNull(parsed);
        Assert.Equal(Catalog.Snapshot.Models.Count, parsed.Models.Count);
        Assert.Equal(40, parsed.Models[0].Endpoints[0].Stats!.ThroughputP50Last30m);
    }

    // Load balancing: the default order draws its first endpoint weighted by 1/price².

    private static readonly CatalogIndex PricePair = new(new CatalogSnapshot(1, DateTimeOffset.UnixEpoch,
        [Provider("cheap", "Cheap"), Provider("dear", "Dear"), Provider("gratis", "Gratis")],
        [
            // Prompt + completion: $1/M and $2/M.
            Model("pair/model", Endpoint(21, "dear", 1m, 1m), Endpoint(22, "cheap", 0.5m, 0.5m)),
            Model("free/model", Endpoint(23, "dear", 1m, 1m), Endpoint(24, "gratis", 0, 0), Endpoint(25, "cheap", 0.1m, 0.1m)),
        ]));

    private static PriceLoadBalancing Always(double uniform, Func<int, bool>? failing = null)
        => new(() => uniform, failing ?? (_ => false));

    private static RoutingDecision Balanced(string model, PriceLoadBalancing balancing, ProviderPreferences? provider = null, CatalogIndex? catalog = null)
        => EndpointRouter.Route(new RoutingRequest(model, null, provider, []), catalog ?? Catalog, balancing);

    [Fact]
    public void The_default_order_sends_traffic_by_the_inverse_square_of_price()
    {
        var random = new Random(20261126);
        var balancing = new PriceLoadBalancing(random.NextDouble, _ => false);
        const int Draws = 10_000;

        var cheapFirst = Enumerable.Range(0, Draws)
            .Count(_ => Providers(Balanced("pair/model", balancing, catalog: PricePair))[0] == "cheap");

        // Weights 1/1² and 1/2²: the endpoint at half the price takes 1 / (1 + 1/4) = 80% of the traffic.
        Assert.InRange(cheapFirst / (double)Draws, 0.78, 0.82);
    }

    [Fact]
    public void The_draw_picks_by_cumulative_weight_and_the_rest_follow_in_ascending_price()
    {
        // DeepSeek V3: DeepInfra 1.27, DeepSeek 1.37, Together 2.50 per million: weights 1, 0.859, 0.258 (sum 2.117).
        Assert.Equal(["deepinfra", "deepseek", "together"], Providers(Balanced("deepseek/deepseek-chat", Always(0.0))));
        Assert.Equal(["deepinfra", "deepseek", "together"], Providers(Balanced("deepseek/deepseek-chat", Always(0.47))));
        Assert.Equal(["deepseek", "deepinfra", "together"], Providers(Balanced("deepseek/deepseek-chat", Always(0.48))));
        Assert.Equal(["deepseek", "deepinfra", "together"], Providers(Balanced("deepseek/deepseek-chat", Always(0.87))));
        Assert.Equal(["together", "deepinfra", "deepseek"], Providers(Balanced("deepseek/deepseek-chat", Always(0.88))));
        Assert.Equal(["together", "deepinfra", "deepseek"], Providers(Balanced("deepseek/deepseek-chat", Always(0.999))));
    }

    [Fact]
    public void Endpoints_with_recent_failures_are_left_out_of_the_draw_but_stay_in_the_list()
    {
        // DeepInfra (endpoint 1) is failing: the draw is between DeepSeek and Together.
        var balancing = Always(0.0, endpointId => endpointId == 1);

        Assert.Equal(["deepseek", "deepinfra", "together"], Providers(Balanced("deepseek/deepseek-chat", balancing)));
        Assert.Equal(["together", "deepinfra", "deepseek"], Providers(Balanced("deepseek/deepseek-chat", Always(0.99, endpointId => endpointId == 1))));
        // Every endpoint failing: nothing to prefer, plain price order.
        Assert.Equal(["deepinfra", "deepseek", "together"], Providers(Balanced("deepseek/deepseek-chat", Always(0.99, _ => true))));
    }

    [Fact]
    public void Sort_floor_and_order_are_never_load_balanced()
    {
        // A draw this high would put the dearest first in the default order.
        var balancing = Always(0.999);

        Assert.Equal(["deepinfra", "deepseek", "together"], Providers(Balanced("deepseek/deepseek-chat", balancing, new ProviderPreferences { Sort = "price" })));
        Assert.Equal(["deepinfra", "deepseek", "together"], Providers(Balanced("deepseek/deepseek-chat:floor", balancing)));
        Assert.Equal(["together", "deepseek", "deepinfra"], Providers(Balanced("deepseek/deepseek-chat", balancing, new ProviderPreferences { Order = ["together", "DeepSeek"] })));
        Assert.Equal(["deepseek", "deepinfra", "together"], Providers(Balanced("deepseek/deepseek-chat", balancing, new ProviderPreferences { Order = ["deepseek"] })));
    }

    [Fact]
    public void A_single_endpoint_is_routed_without_a_draw()
    {
        var draws = 0;
        var balancing = new PriceLoadBalancing(() => { draws++; return 0.999; }, _ => false);

        Assert.Equal(["openai"], Providers(Balanced("openai/gpt-4o-mini", balancing)));
        Assert.Equal(["anthropic"], Providers(Balanced("anthropic/claude-sonnet-4", balancing)));
        Assert.Equal(0, draws);
    }

    [Fact]
    public void A_free_endpoint_goes_first_without_a_draw()
    {
        // 1/0² is unbounded: the free endpoint takes all the traffic; the others follow by price.
        Assert.Equal(["gratis", "cheap", "dear"], Providers(Balanced("free/model", Always(0.999), catalog: PricePair)));
        // Failing, it is left out like any other, and the paid ones are drawn between.
        Assert.Equal(["dear", "gratis", "cheap"], Providers(Balanced("free/model", Always(0.999, endpointId => endpointId == 24), catalog: PricePair)));
    }

    [Fact]
    public void Without_fallbacks_only_the_drawn_endpoint_is_tried()
        => Assert.Equal(["together"], Providers(Balanced("deepseek/deepseek-chat", Always(0.999), new ProviderPreferences { AllowFallbacks = false })));
}
