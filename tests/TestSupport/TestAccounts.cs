using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace TestSupport;

public sealed record TestAccount(string UserId, string ProvisioningKey);

public sealed record TestKey(string Hash, string Secret);

/// <summary>Billing accounts and keys for tests, made the way the portal and users make them.</summary>
public static class TestAccounts
{
    /// <summary>A new account (through billing's internal API, as the portal does) with a provisioning key and, if asked, credits.</summary>
    public static async Task<TestAccount> CreateAsync(DistributedApplication app, decimal creditsUsd = 0)
    {
        using var timeout = new CancellationTokenSource(TestAppHost.RequestTimeout);
        using var billing = await TestAppHost.CreateBillingInternalClientAsync(app);
        var userId = $"user-{Guid.NewGuid():N}";
        var account = await billing.PutAsJsonAsync($"/internal/accounts/{userId}", new { email = $"{userId}@example.com" }, timeout.Token);
        Assert.Equal(HttpStatusCode.Created, account.StatusCode);
        var key = await billing.PostAsJsonAsync($"/internal/accounts/{userId}/keys", new { name = "provisioning", provisioning = true }, timeout.Token);
        Assert.Equal(HttpStatusCode.Created, key.StatusCode);
        using var json = JsonDocument.Parse(await key.Content.ReadAsStringAsync(timeout.Token));
        Assert.True(json.RootElement.GetProperty("data").GetProperty("is_provisioning_key").GetBoolean());
        var created = new TestAccount(userId, json.RootElement.GetProperty("key").GetString()!);
        if (creditsUsd != 0)
        {
            await AdjustCreditsAsync(app, created, creditsUsd);
        }
        return created;
    }

    /// <summary>Stores (or changes) the account's own key for a provider through billing's internal API, as the portal does; the answer as it came.</summary>
    public static async Task<HttpResponseMessage> SaveProviderKeyAsync(DistributedApplication app, TestAccount owner, string provider, object body)
    {
        using var timeout = new CancellationTokenSource(TestAppHost.RequestTimeout);
        using var billing = await TestAppHost.CreateBillingInternalClientAsync(app);
        return await billing.PutAsJsonAsync($"/internal/accounts/{owner.UserId}/provider-keys/{provider}", body, timeout.Token);
    }

    /// <summary>Adds (or takes) credits with an administrator's adjustment; returns the new balance in USD.</summary>
    public static async Task<decimal> AdjustCreditsAsync(DistributedApplication app, TestAccount owner, decimal amountUsd)
    {
        using var timeout = new CancellationTokenSource(TestAppHost.RequestTimeout);
        using var billing = await TestAppHost.CreateBillingInternalClientAsync(app);
        var adjusted = await billing.PostAsJsonAsync($"/internal/accounts/{owner.UserId}/adjustments",
            new { amount_usd = amountUsd, reason = "test credits", actor = "tests" }, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, adjusted.StatusCode);
        using var json = JsonDocument.Parse(await adjusted.Content.ReadAsStringAsync(timeout.Token));
        return json.RootElement.GetProperty("balance_usd").GetDecimal();
    }

    /// <summary>
    /// A Stripe Checkout top-up of <paramref name="amountUsd"/> credits (through billing's internal API, as the portal
    /// starts one), paid on the Stripe emulator; returns its session id once billing has credited it.
    /// </summary>
    public static async Task<string> TopUpThroughStripeAsync(DistributedApplication app, TestAccount owner, decimal amountUsd)
    {
        using var timeout = new CancellationTokenSource(TestAppHost.RequestTimeout);
        using var billing = await TestAppHost.CreateBillingInternalClientAsync(app);
        var created = await billing.PostAsJsonAsync($"/internal/accounts/{owner.UserId}/checkout",
            new { amount_usd = amountUsd, success_url = "https://portal.example/credits?session_id={CHECKOUT_SESSION_ID}", cancel_url = "https://portal.example/credits" },
            timeout.Token);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var checkout = JsonDocument.Parse(await created.Content.ReadAsStringAsync(timeout.Token));
        var sessionId = checkout.RootElement.GetProperty("session_id").GetString()!;

        using var emulators = app.CreateHttpClient("emulators");
        var completed = await emulators.PostAsync($"/stripe/emulator/checkout/sessions/{sessionId}/complete", null, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);

        // The webhook credits the account asynchronously.
        using var webhook = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        webhook.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var status = JsonDocument.Parse(await billing.GetStringAsync($"/internal/accounts/{owner.UserId}/checkout/{sessionId}", webhook.Token));
            if (status.RootElement.GetProperty("status").GetString() == "completed")
            {
                return sessionId;
            }
            await Task.Delay(200, webhook.Token);
        }
    }

    /// <summary>An inference key, created through the gateway's public key API with the account's provisioning key.</summary>
    public static async Task<TestKey> CreateInferenceKeyAsync(DistributedApplication app, TestAccount owner, string name, decimal? limit = null)
    {
        using var timeout = new CancellationTokenSource(TestAppHost.RequestTimeout);
        using var gateway = CreateGatewayClient(app, owner.ProvisioningKey);
        var created = await gateway.PostAsJsonAsync("/api/v1/keys", new { name, limit }, timeout.Token);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var json = JsonDocument.Parse(await created.Content.ReadAsStringAsync(timeout.Token));
        return new TestKey(json.RootElement.GetProperty("data").GetProperty("hash").GetString()!, json.RootElement.GetProperty("key").GetString()!);
    }

    /// <summary>A gateway client for a new account with <paramref name="creditsUsd"/> of credits and one inference key.</summary>
    public static async Task<HttpClient> CreateFundedGatewayClientAsync(DistributedApplication app, decimal creditsUsd, string keyName)
    {
        var owner = await CreateAsync(app, creditsUsd);
        var key = await CreateInferenceKeyAsync(app, owner, keyName);
        return CreateGatewayClient(app, key.Secret);
    }

    /// <summary>A gateway client that sends the key as a bearer token.</summary>
    public static HttpClient CreateGatewayClient(DistributedApplication app, string key)
    {
        var client = app.CreateHttpClient("gateway");
        client.Timeout = TestAppHost.RequestTimeout;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>
    /// The generation's record from <c>GET /api/v1/generation</c>. Usage is written asynchronously from a
    /// Redis stream, so this polls (404 meanwhile) for up to 20 seconds.
    /// </summary>
    public static async Task<JsonDocument> WaitForGenerationAsync(HttpClient gateway, string generationId)
    {
        using var timeout = new CancellationTokenSource(TestAppHost.RequestTimeout);
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var response = await gateway.GetAsync($"/api/v1/generation?id={generationId}", timeout.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token));
            }
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.True(DateTimeOffset.UtcNow < deadline, $"generation {generationId} was not recorded within 20 s");
            await Task.Delay(100, timeout.Token);
        }
    }
}
