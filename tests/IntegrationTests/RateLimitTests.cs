using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace IntegrationTests;

/// <summary>
/// A key's own request caps, set through OpenRouter's key API with a provisioning key, hold under a burst of
/// parallel requests through the gateway: the excess gets 429 with Retry-After and is not charged.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class RateLimitTests(AppHostFixture fixture)
{
    private static CancellationToken Timeout => TestAppHost.RequestToken;

    private static StringContent Chat(string model)
        => new(JsonSerializer.Serialize(new { model, messages = new[] { new { role = "user", content = "burst" } } }), Encoding.UTF8, "application/json");

    private async Task<(HttpClient Gateway, TestAccount Owner)> KeyWithCapsAsync(object caps)
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 5);
        using var provisioning = TestAccounts.CreateGatewayClient(fixture.App, owner.ProvisioningKey);
        var created = await provisioning.PostAsJsonAsync("/api/v1/keys", caps, Timeout);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var json = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Timeout));
        return (TestAccounts.CreateGatewayClient(fixture.App, json.RootElement.GetProperty("key").GetString()!), owner);
    }

    [Fact]
    public async Task A_burst_beyond_a_key_s_requests_per_minute_gets_429_with_retry_after()
    {
        var (gateway, _) = await KeyWithCapsAsync(new { name = "rpm", rate_limit_per_minute = 3 });
        using var _ = gateway;

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => gateway.PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini"), Timeout)));

        Assert.Equal(3, responses.Count(response => response.StatusCode == HttpStatusCode.OK));
        var refused = responses.Where(response => response.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(5, refused.Count);
        foreach (var response in refused)
        {
            var retryAfter = int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(retryAfter, 1, 60);
            using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
            Assert.Equal(429, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Contains("requests per minute", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_key_s_concurrency_cap_refuses_a_request_while_another_is_in_flight_and_frees_when_it_ends()
    {
        var (gateway, _) = await KeyWithCapsAsync(new { name = "one-at-a-time", max_concurrent_requests = 1 });
        using var _ = gateway;
        using var emulators = fixture.App.CreateHttpClient("emulators");
        Assert.Equal(HttpStatusCode.OK, (await emulators.PutAsJsonAsync("/emulator/providers/mistral", new { timeToFirstTokenMs = 1500 }, Timeout)).StatusCode);
        try
        {
            var slow = gateway.PostAsync("/api/v1/chat/completions", Chat("mistralai/codestral-2501"), Timeout);
            await Task.Delay(500, Timeout);
            var concurrent = await gateway.PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini"), Timeout);
            Assert.Equal(HttpStatusCode.TooManyRequests, concurrent.StatusCode);
            Assert.Equal("1", concurrent.Headers.GetValues("Retry-After").Single());

            Assert.Equal(HttpStatusCode.OK, (await slow).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini"), Timeout)).StatusCode);
        }
        finally
        {
            await emulators.DeleteAsync("/emulator/providers/mistral", Timeout);
        }
    }

    [Fact]
    public async Task Key_caps_are_shown_changed_and_removed_through_the_key_api()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App);
        using var provisioning = TestAccounts.CreateGatewayClient(fixture.App, owner.ProvisioningKey);
        Assert.Equal(HttpStatusCode.BadRequest, (await provisioning.PostAsJsonAsync("/api/v1/keys", new { name = "bad", rate_limit_per_minute = -1 }, Timeout)).StatusCode);
        var created = await provisioning.PostAsJsonAsync("/api/v1/keys", new { name = "caps", rate_limit_per_minute = 10, max_concurrent_requests = 2 }, Timeout);
        using var json = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Timeout));
        var data = json.RootElement.GetProperty("data");
        Assert.Equal(10, data.GetProperty("rate_limit_per_minute").GetInt32());
        Assert.Equal(2, data.GetProperty("max_concurrent_requests").GetInt32());

        var patched = await provisioning.PatchAsJsonAsync($"/api/v1/keys/{data.GetProperty("hash").GetString()}", new { rate_limit_per_minute = 0 }, Timeout);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        using var after = JsonDocument.Parse(await patched.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(JsonValueKind.Null, after.RootElement.GetProperty("data").GetProperty("rate_limit_per_minute").ValueKind);
        Assert.Equal(2, after.RootElement.GetProperty("data").GetProperty("max_concurrent_requests").GetInt32());
    }
}
