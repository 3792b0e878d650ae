using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using StackExchange.Redis;

namespace IntegrationTests;

/// <summary>Accounts, keys and credits through the gateway's public API, with real Postgres and Redis.</summary>
[Collection(AppHostCollection.Name)]
public sealed class BillingTests(AppHostFixture fixture)
{
    private static CancellationToken Timeout => TestAppHost.RequestToken;

    [Fact]
    public async Task A_provisioning_key_creates_lists_and_deletes_keys_and_the_secret_is_shown_once()
    {
        var owner = await NewAccountAsync();
        using var gateway = GatewayWithKey(owner.ProvisioningKey);

        var created = await gateway.PostAsJsonAsync("/api/v1/keys", new { name = "production", limit = 25.5, limit_reset = "monthly" }, Timeout);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var createdJson = await ReadJsonAsync(created);
        var secret = createdJson.RootElement.GetProperty("key").GetString()!;
        var data = createdJson.RootElement.GetProperty("data");
        var hash = data.GetProperty("hash").GetString()!;
        Assert.Matches("^sk-or-v1-[0-9a-f]{64}$", secret);
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal($"sk-or-v1-{secret[9..12]}...{secret[^3..]}", data.GetProperty("label").GetString());
        Assert.Equal(25.5m, data.GetProperty("limit").GetDecimal());
        Assert.Equal(25.5m, data.GetProperty("limit_remaining").GetDecimal());
        Assert.Equal("monthly", data.GetProperty("limit_reset").GetString());
        Assert.Equal(0m, data.GetProperty("usage").GetDecimal());

        var listed = await gateway.GetStringAsync("/api/v1/keys", Timeout);
        Assert.Contains(hash, listed);
        Assert.DoesNotContain(secret, listed);

        var fetched = await gateway.GetStringAsync($"/api/v1/keys/{hash}", Timeout);
        Assert.DoesNotContain(secret, fetched);

        var deleted = await gateway.DeleteAsync($"/api/v1/keys/{hash}", Timeout);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.True((await ReadJsonAsync(deleted)).RootElement.GetProperty("deleted").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.GetAsync($"/api/v1/keys/{hash}", Timeout)).StatusCode);

        using var withDeletedKey = GatewayWithKey(secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withDeletedKey.GetAsync("/api/v1/key", Timeout)).StatusCode);
    }

    [Fact]
    public async Task Two_accounts_cannot_see_or_change_each_others_keys()
    {
        var alice = await NewAccountAsync();
        var bob = await NewAccountAsync();
        var aliceKey = await CreateInferenceKeyAsync(alice, "alice's app");
        using var asBob = GatewayWithKey(bob.ProvisioningKey);

        Assert.DoesNotContain(aliceKey.Hash, await asBob.GetStringAsync("/api/v1/keys?include_disabled=true", Timeout));
        Assert.Equal(HttpStatusCode.NotFound, (await asBob.GetAsync($"/api/v1/keys/{aliceKey.Hash}", Timeout)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await asBob.PatchAsJsonAsync($"/api/v1/keys/{aliceKey.Hash}", new { disabled = true }, Timeout)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asBob.DeleteAsync($"/api/v1/keys/{aliceKey.Hash}", Timeout)).StatusCode);

        // Alice's key is untouched by Bob's attempts.
        using var asAlice = GatewayWithKey(aliceKey.Secret);
        var current = await ReadJsonAsync(await asAlice.GetAsync("/api/v1/key", Timeout));
        Assert.False(current.RootElement.GetProperty("data").GetProperty("is_provisioning_key").GetBoolean());
    }

    [Fact]
    public async Task An_inference_key_describes_itself_but_cannot_manage_keys()
    {
        var owner = await NewAccountAsync();
        var key = await CreateInferenceKeyAsync(owner, "app", limit: 5);
        using var gateway = GatewayWithKey(key.Secret);

        using var current = await ReadJsonAsync(await gateway.GetAsync("/api/v1/key", Timeout));
        var data = current.RootElement.GetProperty("data");
        Assert.Equal($"sk-or-v1-{key.Secret[9..12]}...{key.Secret[^3..]}", data.GetProperty("label").GetString());
        Assert.Equal(5m, data.GetProperty("limit").GetDecimal());
        Assert.True(data.GetProperty("is_free_tier").GetBoolean());
        Assert.False(data.GetProperty("is_provisioning_key").GetBoolean());

        var forbidden = await gateway.GetAsync("/api/v1/keys", Timeout);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(403, (await ReadJsonAsync(forbidden)).RootElement.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Disabling_a_key_stops_it_at_once_and_is_announced_to_gateways_through_Redis()
    {
        var owner = await NewAccountAsync();
        var key = await CreateInferenceKeyAsync(owner, "to revoke");
        using var redis = await ConnectionMultiplexer.ConnectAsync((await fixture.App.GetConnectionStringAsync("redis", Timeout))!);
        var announced = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal("keys:changed"), (_, message) =>
        {
            if (message == key.Hash)
            {
                announced.TrySetResult(message!);
            }
        });
        Assert.Equal("0", (string?)await redis.GetDatabase().HashGetAsync($"key:{key.Hash}", "disabled"));

        using var asOwner = GatewayWithKey(owner.ProvisioningKey);
        var patched = await asOwner.PatchAsJsonAsync($"/api/v1/keys/{key.Hash}", new { disabled = true }, Timeout);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        await announced.Task.WaitAsync(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        Assert.Equal("1", (string?)await redis.GetDatabase().HashGetAsync($"key:{key.Hash}", "disabled"));
        using var withRevoked = GatewayWithKey(key.Secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withRevoked.GetAsync("/api/v1/key", Timeout)).StatusCode);
    }

    [Fact]
    public async Task Credit_adjustments_show_in_credits_once_per_idempotency_key_and_never_go_negative()
    {
        var owner = await NewAccountAsync();
        using var billing = await TestAppHost.CreateBillingInternalClientAsync(fixture.App);
        var adjustment = new { amount_usd = 10.25m, reason = "welcome credit", actor = "admin@example.com", idempotency_key = Guid.NewGuid().ToString() };

        var first = await billing.PostAsJsonAsync($"/internal/accounts/{owner.UserId}/adjustments", adjustment, Timeout);
        var second = await billing.PostAsJsonAsync($"/internal/accounts/{owner.UserId}/adjustments", adjustment, Timeout);
        Assert.Equal("posted", (await ReadJsonAsync(first)).RootElement.GetProperty("outcome").GetString());
        using var secondJson = await ReadJsonAsync(second);
        Assert.Equal("already_posted", secondJson.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(10.25m, secondJson.RootElement.GetProperty("balance_usd").GetDecimal());

        var overdraw = await billing.PostAsJsonAsync($"/internal/accounts/{owner.UserId}/adjustments",
            new { amount_usd = -11m, reason = "too much", actor = "admin@example.com" }, Timeout);
        Assert.Equal(HttpStatusCode.BadRequest, overdraw.StatusCode);

        var key = await CreateInferenceKeyAsync(owner, "reader");
        using var gateway = GatewayWithKey(key.Secret);
        using var credits = await ReadJsonAsync(await gateway.GetAsync("/api/v1/credits", Timeout));
        Assert.Equal(10.25m, credits.RootElement.GetProperty("data").GetProperty("total_credits").GetDecimal());
        Assert.Equal(0m, credits.RootElement.GetProperty("data").GetProperty("total_usage").GetDecimal());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"limit":5}""")]
    [InlineData("""{"name":"x","limit_reset":"yearly"}""")]
    [InlineData("""{"name":"x","limit":-1}""")]
    [InlineData("""{"name":"x","limit":"lots"}""")]
    [InlineData("""{"name":"x","expires_at":"2001-01-01T00:00:00Z"}""")]
    public async Task Bad_key_requests_get_a_400_in_OpenRouter_error_format(string body)
    {
        var owner = await NewAccountAsync();
        using var gateway = GatewayWithKey(owner.ProvisioningKey);

        var response = await gateway.PostAsync("/api/v1/keys", new StringContent(body, MediaTypeHeaderValue.Parse("application/json")), Timeout);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = await ReadJsonAsync(response);
        Assert.Equal(400, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task The_internal_api_needs_the_internal_service_key(string? internalKey)
    {
        using var billing = fixture.App.CreateHttpClient("billing");
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/internal/accounts/user-{Guid.NewGuid():N}")
        {
            Content = JsonContent.Create(new { email = "intruder@example.com" }),
        };
        if (internalKey is not null)
        {
            request.Headers.Add("X-Internal-Key", internalKey);
        }

        var response = await billing.SendAsync(request, Timeout);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(401, (await ReadJsonAsync(response)).RootElement.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer sk-or-v1-not-a-real-key")]
    [InlineData("Bearer sk-or-v1-0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task Account_endpoints_need_a_valid_key(string? authorization)
    {
        using var gateway = fixture.CreateGatewayClient();
        foreach (var path in new[] { "/api/v1/key", "/api/v1/credits", "/api/v1/keys" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }
            var response = await gateway.SendAsync(request, Timeout);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal(401, (await ReadJsonAsync(response)).RootElement.GetProperty("error").GetProperty("code").GetInt32());
        }
    }

    private Task<TestAccount> NewAccountAsync() => TestAccounts.CreateAsync(fixture.App);

    private Task<TestKey> CreateInferenceKeyAsync(TestAccount owner, string name, decimal? limit = null)
        => TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, name, limit);

    private HttpClient GatewayWithKey(string key) => TestAccounts.CreateGatewayClient(fixture.App, key);

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response)
        => JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
}
