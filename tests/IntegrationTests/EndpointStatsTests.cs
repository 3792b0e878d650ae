using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenRouterClone.Catalog.Snapshot;
using StackExchange.Redis;

namespace IntegrationTests;

/// <summary>
/// Live endpoint statistics: the gateway reports each upstream call's outcome, the catalog turns them into
/// latency, throughput and uptime on OpenRouter's endpoints API (model pages show them), and publishes them
/// for the gateways' routing.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class EndpointStatsTests(AppHostFixture fixture)
{
    // Served by one provider only, and used by no other test: its numbers are this test's alone.
    private const string Model = "cohere/command-r-08-2024";
    private const string Provider = "cohere";

    private static CancellationToken Timeout => TestAppHost.RequestToken;

    private static StringContent StreamedChat()
        => new(JsonSerializer.Serialize(new { model = Model, stream = true, messages = new[] { new { role = "user", content = "count these few words for me" } } }),
            Encoding.UTF8, "application/json");

    [Fact]
    public async Task Outcomes_of_calls_become_the_endpoints_latency_throughput_and_uptime()
    {
        using var gateway = await TestAccounts.CreateFundedGatewayClientAsync(fixture.App, 5, "stats");
        using var emulators = fixture.App.CreateHttpClient("emulators");
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await emulators.PutAsJsonAsync($"/emulator/providers/{Provider}",
                new { timeToFirstTokenMs = 150, interTokenDelayMs = 5 }, Timeout)).StatusCode);
            for (var i = 0; i < 3; i++)
            {
                var answered = await gateway.PostAsync("/api/v1/chat/completions", StreamedChat(), Timeout);
                Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
                Assert.Contains("[DONE]", await answered.Content.ReadAsStringAsync(Timeout), StringComparison.Ordinal);
            }
            Assert.Equal(HttpStatusCode.OK, (await emulators.PutAsJsonAsync($"/emulator/providers/{Provider}", new { fail = "503" }, Timeout)).StatusCode);
            var failed = await gateway.PostAsync("/api/v1/chat/completions", StreamedChat(), Timeout);
            Assert.Contains("error", await failed.Content.ReadAsStringAsync(Timeout), StringComparison.Ordinal);
        }
        finally
        {
            await emulators.DeleteAsync($"/emulator/providers/{Provider}", Timeout);
        }

        // The catalog recomputes every 10 s; three answers and one failure make 75% uptime.
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(40);
        JsonElement endpoint;
        while (true)
        {
            using var endpoints = JsonDocument.Parse(await gateway.GetStringAsync($"/api/v1/models/{Model}/endpoints", Timeout));
            endpoint = endpoints.RootElement.GetProperty("data").GetProperty("endpoints")[0].Clone();
            if (endpoint.GetProperty("uptime_last_30m").ValueKind == JsonValueKind.Number && endpoint.GetProperty("uptime_last_30m").GetDouble() < 100)
            {
                break;
            }
            Assert.True(DateTimeOffset.UtcNow < deadline, $"no statistics within 40 s: {endpoint}");
            await Task.Delay(500, Timeout);
        }

        Assert.Equal(75, endpoint.GetProperty("uptime_last_30m").GetDouble(), precision: 6);
        Assert.Equal(75, endpoint.GetProperty("uptime_last_1d").GetDouble(), precision: 6);
        // Time to first token includes the emulated 150 ms; throughput is output tokens per second after it.
        Assert.InRange(endpoint.GetProperty("latency_last_30m").GetProperty("p50").GetDouble(), 150, 10_000);
        Assert.True(endpoint.GetProperty("throughput_last_30m").GetProperty("p50").GetDouble() > 0);

        // Gateways get the same numbers through Redis, keyed by endpoint id.
        // (The refresh writes the table, then publishes: the API above may have read it a moment before.)
        await using var redis = await ConnectionMultiplexer.ConnectAsync((await fixture.App.GetConnectionStringAsync("redis", Timeout))!);
        while (true)
        {
            var published = JsonSerializer.Deserialize((byte[])(await redis.GetDatabase().StringGetAsync(EndpointStatsRedis.StatsKey))!,
                EndpointStatsJsonContext.Default.EndpointStatsSnapshot)!;
            if (published.Endpoints.Values.Any(stats => stats.UptimeLast30m is > 74.9 and < 75.1 && stats.LatencyP50Last30m >= 150))
            {
                break;
            }
            Assert.True(DateTimeOffset.UtcNow < deadline + TimeSpan.FromSeconds(15), $"the statistics were not published: {string.Join(", ", published.Endpoints.Values)}");
            await Task.Delay(200, Timeout);
        }

        // The admin System page's numbers (catalog admin API, behind its key): the same calls counted, and the failure listed.
        using (var anonymous = fixture.App.CreateHttpClient("catalog"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/admin/catalog/endpoint-health", Timeout)).StatusCode);
        }
        using var catalog = await TestAppHost.CreateCatalogAdminClientAsync(fixture.App);
        using (var health = JsonDocument.Parse(await catalog.GetStringAsync("/api/admin/catalog/endpoint-health", Timeout)))
        {
            var row = Assert.Single(health.RootElement.GetProperty("data").EnumerateArray(),
                candidate => candidate.GetProperty("model_id").GetString() == Model && candidate.GetProperty("provider").GetString() == Provider);
            Assert.Equal(4, row.GetProperty("calls_last30m").GetInt32());
            Assert.Equal(1, row.GetProperty("failures_last30m").GetInt32());
            Assert.Equal(1, row.GetProperty("failures_last1d").GetInt32());
            Assert.Equal(75, row.GetProperty("uptime_last30m").GetDouble(), precision: 6);
            Assert.InRange(row.GetProperty("latency_p50_last30m").GetDouble(), 150, 10_000);
            Assert.Equal(JsonValueKind.String, row.GetProperty("last_failure_at").ValueKind);
        }
        using (var failures = JsonDocument.Parse(await catalog.GetStringAsync("/api/admin/catalog/endpoint-failures?limit=200", Timeout)))
        {
            Assert.Contains(failures.RootElement.GetProperty("data").EnumerateArray(),
                failure => failure.GetProperty("model_id").GetString() == Model && failure.GetProperty("provider").GetString() == Provider);
        }
    }
}
