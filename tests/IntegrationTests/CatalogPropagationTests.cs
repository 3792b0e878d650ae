using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace IntegrationTests;

/// <summary>An admin price change in the catalog reaches the running gateway's routing within a second.</summary>
[Collection(AppHostCollection.Name)]
public sealed class CatalogPropagationTests(AppHostFixture fixture)
{
    private const string Model = "meta-llama/llama-3.3-70b-instruct";
    private const string PricingPath = "/api/admin/catalog/models/meta-llama/llama-3.3-70b-instruct/endpoints/fireworks/pricing";
    private static readonly TimeSpan PropagationLimit = TimeSpan.FromSeconds(1);

    private static CancellationToken Timeout => TestAppHost.RequestToken;

    [Fact]
    public async Task A_price_cut_makes_the_gateway_route_to_that_provider_within_a_second()
    {
        using var admin = await TestAppHost.CreateCatalogAdminClientAsync(fixture.App, "propagation-test");
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 10);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "propagation");
        using var gateway = TestAccounts.CreateGatewayClient(fixture.App, key.Secret);

        // DeepInfra is the cheapest Llama 3.3 70B host in the seed; Fireworks the dearest.
        Assert.Equal("DeepInfra", await RoutedProviderAsync(gateway));
        try
        {
            var cut = await admin.PatchAsJsonAsync(PricingPath, new { prompt = 0.00000001m, completion = 0.00000001m }, Timeout);
            Assert.Equal(HttpStatusCode.OK, cut.StatusCode);

            Assert.True(await RoutesToWithinAsync(gateway, "Fireworks", PropagationLimit),
                $"the gateway did not route to Fireworks within {PropagationLimit.TotalSeconds} s of the price cut");
        }
        finally
        {
            // Back to the seed's list price, so the other tests in this collection see the seeded catalog.
            var restored = await admin.PatchAsJsonAsync(PricingPath, new { prompt = 0.0000009m, completion = 0.0000009m }, Timeout);
            Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
            Assert.True(await RoutesToWithinAsync(gateway, "DeepInfra", TimeSpan.FromSeconds(10)));
        }
    }

    private static async Task<bool> RoutesToWithinAsync(HttpClient gateway, string provider, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        do
        {
            if (await RoutedProviderAsync(gateway) == provider)
            {
                return true;
            }
        }
        while (clock.Elapsed < limit);
        return false;
    }

    private static async Task<string?> RoutedProviderAsync(HttpClient gateway)
    {
        // sort: price, so the cheapest is first every time (the default order draws it by price).
        var body = $$$"""{"model":"{{{Model}}}","messages":[{"role":"user","content":"which provider?"}],"provider":{"sort":"price"}}""";
        var response = await gateway.PostAsync("/api/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        return json.RootElement.GetProperty("provider").GetString();
    }
}
