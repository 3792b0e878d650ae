using System.Text;
using System.Text.Json;
using Catalog.Service.Models;
using Catalog.Service.Providers;
using Catalog.Service.Seed;
using Catalog.Service.Snapshot;
using OpenRouterClone.Catalog.Snapshot;
using static UnitTests.Catalog.CatalogTestData;

namespace UnitTests.Catalog;

public class CatalogSnapshotTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Only_enabled_providers_models_and_endpoints_reach_the_router()
    {
        var on = NewProvider("on", "On");
        var off = NewProvider("off", "Off", enabled: false);
        var disabledEndpoint = NewEndpoint("a/one", on, 1m, 1m);
        disabledEndpoint.IsEnabled = false;
        var disabledModel = NewModel("a/disabled", endpoints: [NewEndpoint("a/disabled", on, 1m, 1m)]);
        disabledModel.IsEnabled = false;
        Model[] models =
        [
            NewModel("a/two", endpoints: [NewEndpoint("a/two", on, 0.000002m, 0.000004m), NewEndpoint("a/two", off, 0.0000001m, 0.0000001m)]),
            NewModel("a/one", endpoints: [disabledEndpoint]),
            disabledModel,
            NewModel("a/three", endpoints: [NewEndpoint("a/three", off, 1m, 1m)]),
        ];

        var snapshot = CatalogSnapshotBuilder.Build(42, At, [off, on], models);

        Assert.Equal(42, snapshot.Version);
        Assert.Equal(At, snapshot.GeneratedAt);
        Assert.Equal(["on"], snapshot.Providers.Select(provider => provider.Slug));
        var model = Assert.Single(snapshot.Models);
        Assert.Equal("a/two", model.Id);
        Assert.Equal(["on"], model.Endpoints.Select(endpoint => endpoint.Provider));
    }

    [Fact]
    public void Endpoints_are_ordered_cheapest_first_and_carry_what_the_router_needs()
    {
        var expensive = NewProvider("expensive", "Expensive");
        var cheap = NewProvider("cheap", "Cheap");
        cheap.TrainsOnData = true;
        cheap.DataRetentionDays = null;
        cheap.ZeroDataRetention = false;
        var cheapEndpoint = NewEndpoint("m/x", cheap, 0.000000100000m, 0.000000300000m, maxCompletion: 4_096, quantization: "fp8", "tools", "seed");
        cheapEndpoint.InputCacheReadPrice = 0.000000025000m;
        cheapEndpoint.Status = EndpointStatus.Degraded;
        cheapEndpoint.Stats = new EndpointStats { LatencyP50Last30m = 250, ThroughputP50Last30m = 80, UptimeLast30m = 99.9, UptimeLast1d = 99 };
        var model = NewModel("m/x", endpoints: [NewEndpoint("m/x", expensive, 0.0000025m, 0.00001m), cheapEndpoint]);

        var snapshot = CatalogSnapshotBuilder.Build(7, At, [expensive, cheap], [model]);

        var endpoints = snapshot.Models.Single().Endpoints;
        Assert.Equal(["cheap", "expensive"], endpoints.Select(endpoint => endpoint.Provider));
        var first = endpoints[0];
        Assert.Equal("x", first.UpstreamModel);
        Assert.Equal(4_096, first.MaxCompletionTokens);
        Assert.Equal("fp8", first.Quantization);
        Assert.Equal(["tools", "seed"], first.SupportedParameters);
        Assert.Equal(-1, first.Status);
        Assert.Equal(new SnapshotPricing(0.0000001m, 0.0000003m, 0m, 0m, 0.000000025m, null, 0m, 0m), first.Pricing);
        Assert.Equal(new SnapshotEndpointStats(250, 80, 99.9, 99), first.Stats);
        var statsJson = System.Text.Json.JsonSerializer.Serialize(snapshot, CatalogSnapshotJsonContext.Default.CatalogSnapshot);
        Assert.Contains("\"stats\":{\"latency_p50_last_30m\":250,\"throughput_p50_last_30m\":80,\"uptime_last_30m\":99.9,\"uptime_last_1d\":99}", statsJson);
        Assert.Null(endpoints[1].Stats);
        var provider = snapshot.Providers.Single(provider => provider.Slug == "cheap");
        Assert.Equal(new SnapshotProvider("cheap", "Cheap", SnapshotWireFormats.OpenAIChat, "https://api.cheap.example/v1", "Operational", null, true, false, "US"), provider);
    }

    [Fact]
    public void The_json_is_snake_case_compact_and_round_trips_prices_exactly()
    {
        var provider = NewProvider("p", "P");
        var endpoint = NewEndpoint("m/x", provider, 0.000002500000m, 0.000010000000m);
        endpoint.InputCacheWritePrice = 0.000003750000m;
        var snapshot = CatalogSnapshotBuilder.Build(3, At, [provider], [NewModel("m/x", endpoints: [endpoint])]);

        var json = JsonSerializer.Serialize(snapshot, CatalogSnapshotJsonContext.Default.CatalogSnapshot);
        var back = JsonSerializer.Deserialize(json, CatalogSnapshotJsonContext.Default.CatalogSnapshot)!;

        Assert.Contains("\"version\":3", json);
        Assert.Contains("\"generated_at\":", json);
        Assert.Contains("\"upstream_model\":\"x\"", json);
        Assert.Contains("\"prompt\":0.0000025,", json);
        Assert.Contains("\"completion\":0.00001,", json);
        Assert.Contains("\"input_cache_write\":0.00000375,", json);
        Assert.DoesNotContain("input_cache_read", json);
        Assert.DoesNotContain("\"stats\"", json);
        Assert.DoesNotContain("\n", json);
        var pricing = back.Models.Single().Endpoints.Single().Pricing;
        Assert.Equal(0.0000025m, pricing.Prompt);
        Assert.Equal(0.00001m, pricing.Completion);
        Assert.Equal(0.00000375m, pricing.InputCacheWrite);
        Assert.Equal(snapshot.Providers, back.Providers);
    }

    [Fact]
    public void The_seed_catalog_builds_into_a_snapshot_with_every_model()
    {
        var providers = CatalogSeedData.Providers.Select(CatalogSeeder.ToProvider).ToList();
        var models = CatalogSeedData.Models.Select(CatalogSeeder.ToModel).ToList();

        var snapshot = CatalogSnapshotBuilder.Build(1, At, providers, models);
        var json = JsonSerializer.SerializeToUtf8Bytes(snapshot, CatalogSnapshotJsonContext.Default.CatalogSnapshot);

        Assert.Equal(CatalogSeedData.Models.Length, snapshot.Models.Count);
        Assert.Equal(CatalogSeedData.Providers.Length, snapshot.Providers.Count);
        var free = snapshot.Models.Single(model => model.Id == "deepseek/deepseek-r1:free");
        Assert.All(free.Endpoints, endpoint => Assert.Equal(0m, endpoint.Pricing.Prompt + endpoint.Pricing.Completion));
        var anthropic = snapshot.Providers.Single(provider => provider.Slug == "anthropic");
        Assert.Equal(SnapshotWireFormats.AnthropicMessages, anthropic.WireFormat);
        Assert.Equal(Enum.GetNames<WireFormat>().Order(), new[]
        {
            SnapshotWireFormats.OpenAIChat, SnapshotWireFormats.AnthropicMessages, SnapshotWireFormats.GeminiGenerateContent,
        }.Order());
        Assert.True(json.Length < 256 * 1024, $"{json.Length} bytes");
        Assert.StartsWith("{\"version\":1,", Encoding.UTF8.GetString(json));
    }

    [Theory]
    [InlineData("0.000002500000", "0.0000025")]
    [InlineData("0.000000000000", "0")]
    [InlineData("15.000000000000", "15")]
    [InlineData("0.0000000001", "0.0000000001")]
    public void Normalize_drops_trailing_zeros_without_changing_the_value(string stored, string expected)
    {
        var value = decimal.Parse(stored, System.Globalization.CultureInfo.InvariantCulture);

        var normalized = CatalogSnapshotBuilder.Normalize(value);

        Assert.Equal(value, normalized);
        Assert.Equal(expected, normalized.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
