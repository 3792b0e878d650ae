using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// Bring-your-own-key end to end: a provider key stored through billing's internal API (as the portal does),
/// encrypted at rest, used by the gateway for that provider's endpoints (the emulated provider accepts only
/// that key), charged only the platform fee, dropped by every gateway at once when removed, and a refused
/// own key falling back to the platform's endpoints.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class ByokTests(AppHostFixture fixture)
{
    private const decimal ByokFeeRate = 0.05m;

    private static CancellationToken Timeout => TestAppHost.RequestToken;

    private static StringContent Chat(string model, string? onlyProvider = null)
        => new(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["model"] = model,
            ["messages"] = new[] { new { role = "user", content = "bring your own key" } },
            // sort: price, so the platform route after an own key is in a fixed order (the default draws its first).
            ["provider"] = onlyProvider is null ? (object)new { sort = "price" } : new { only = new[] { onlyProvider } },
        }.Where(pair => pair.Value is not null).ToDictionary()), Encoding.UTF8, "application/json");

    /// <summary>Makes the emulated provider accept only <paramref name="apiKey"/> until the returned scope ends.</summary>
    private Task<IAsyncDisposable> RequireProviderKeyAsync(string provider, string apiKey)
        => EmulatedProviderSettings.ApplyAsync(fixture.App, provider, new { apiKey });

    [Fact]
    public async Task An_own_key_is_used_for_its_provider_charged_only_the_fee_and_stops_at_once_when_removed()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 2);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "byok");
        using var gateway = TestAccounts.CreateGatewayClient(fixture.App, key.Secret);
        var secret = $"mistral-byok-{Guid.NewGuid():N}";

        var saved = await TestAccounts.SaveProviderKeyAsync(fixture.App, owner, "mistral", new { api_key = secret });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var savedJson = await saved.Content.ReadAsStringAsync(Timeout);
        Assert.DoesNotContain(secret, savedJson, StringComparison.Ordinal);
        using (var savedKey = JsonDocument.Parse(savedJson))
        {
            Assert.Equal("…" + secret[^4..], savedKey.RootElement.GetProperty("hint").GetString());
        }

        // Encrypted at rest: the stored column is not the secret and does not contain it.
        await using (var db = new NpgsqlConnection(await fixture.App.GetConnectionStringAsync("billingdb", Timeout)))
        {
            await db.OpenAsync(Timeout);
            await using var query = new NpgsqlCommand(
                "SELECT k.\"ProtectedSecret\" FROM provider_keys k JOIN accounts a ON a.\"Id\" = k.\"AccountId\" WHERE a.\"OwnerUserId\" = @owner", db);
            query.Parameters.AddWithValue("owner", owner.UserId);
            var stored = (string?)await query.ExecuteScalarAsync(Timeout);
            Assert.False(string.IsNullOrEmpty(stored));
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        }

        await using var _ = await RequireProviderKeyAsync("mistral", secret);

        var response = await gateway.PostAsync("/api/v1/chat/completions", Chat("mistralai/codestral-2501"), Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var completion = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        var usage = completion.RootElement.GetProperty("usage");
        Assert.True(usage.GetProperty("is_byok").GetBoolean());
        var upstreamCost = usage.GetProperty("cost_details").GetProperty("upstream_inference_cost").GetDecimal();
        // Codestral: $0.30 per million prompt tokens, $0.90 per million completion tokens.
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() * 0.0000003m + usage.GetProperty("completion_tokens").GetInt32() * 0.0000009m, upstreamCost);
        var fee = usage.GetProperty("cost").GetDecimal();
        Assert.Equal(decimal.Round(upstreamCost * ByokFeeRate, 9), fee);

        using var generation = await TestAccounts.WaitForGenerationAsync(gateway, completion.RootElement.GetProperty("id").GetString()!);
        var data = generation.RootElement.GetProperty("data");
        Assert.True(data.GetProperty("is_byok").GetBoolean());
        Assert.Equal(fee, data.GetProperty("total_cost").GetDecimal());
        Assert.Equal(upstreamCost, data.GetProperty("upstream_inference_cost").GetDecimal());
        using (var credits = JsonDocument.Parse(await gateway.GetStringAsync("/api/v1/credits", Timeout)))
        {
            Assert.Equal(fee, credits.RootElement.GetProperty("data").GetProperty("total_usage").GetDecimal());
        }
        using (var current = JsonDocument.Parse(await gateway.GetStringAsync("/api/v1/key", Timeout)))
        {
            // The key's usage is what credits paid (the fee); its BYOK usage is what the provider bills the user.
            Assert.Equal(fee, current.RootElement.GetProperty("data").GetProperty("usage").GetDecimal());
            Assert.Equal(upstreamCost, current.RootElement.GetProperty("data").GetProperty("byok_usage").GetDecimal());
            Assert.Equal(upstreamCost, current.RootElement.GetProperty("data").GetProperty("byok_usage_daily").GetDecimal());
        }

        // Without the key the provider refuses the platform's call: the gateway has dropped it within a second.
        using var billing = await TestAppHost.CreateBillingInternalClientAsync(fixture.App);
        var deleted = await billing.DeleteAsync($"/internal/accounts/{owner.UserId}/provider-keys/mistral", Timeout);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        HttpStatusCode status;
        do
        {
            status = (await gateway.PostAsync("/api/v1/chat/completions", Chat("mistralai/codestral-2501"), Timeout)).StatusCode;
        }
        while (status == HttpStatusCode.OK && DateTimeOffset.UtcNow < deadline);
        Assert.NotEqual(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_refused_own_key_falls_back_to_another_provider_at_the_full_price()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 2);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "byok-fallback");
        using var gateway = TestAccounts.CreateGatewayClient(fixture.App, key.Secret);
        Assert.Equal(HttpStatusCode.OK, (await TestAccounts.SaveProviderKeyAsync(fixture.App, owner, "mistral", new { api_key = "revoked-mistral-key" })).StatusCode);
        await using var _ = await RequireProviderKeyAsync("mistral", $"the-real-key-{Guid.NewGuid():N}");

        // Mistral Nemo: Mistral (the own key, tried first and refused) and DeepInfra (the platform's key).
        var response = await gateway.PostAsync("/api/v1/chat/completions", Chat("mistralai/mistral-nemo"), Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var completion = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        Assert.Equal("DeepInfra", completion.RootElement.GetProperty("provider").GetString());
        var usage = completion.RootElement.GetProperty("usage");
        Assert.False(usage.GetProperty("is_byok").GetBoolean());
        Assert.Equal(usage.GetProperty("cost_details").GetProperty("upstream_inference_cost").GetDecimal(), usage.GetProperty("cost").GetDecimal());

        // Only the own key's provider allowed: its refusal is the answer, and nothing is charged.
        var refused = await gateway.PostAsync("/api/v1/chat/completions", Chat("mistralai/mistral-nemo", onlyProvider: "mistral"), Timeout);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Timeout));
        Assert.Contains("Incorrect API key", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_refusing_the_platforms_key_is_passed_over_for_the_next_provider()
    {
        using var gateway = await TestAccounts.CreateFundedGatewayClientAsync(fixture.App, creditsUsd: 2, "platform-key-refused");
        await using var _ = await RequireProviderKeyAsync("mistral", $"a-key-the-platform-lacks-{Guid.NewGuid():N}");

        // Mistral first by the caller's order: its refusal of the platform's key sends the request on to DeepInfra.
        var response = await gateway.PostAsync("/api/v1/chat/completions", new StringContent(JsonSerializer.Serialize(new
        {
            model = "mistralai/mistral-nemo",
            messages = new[] { new { role = "user", content = "platform key refused" } },
            provider = new { order = new[] { "mistral", "deepinfra" } },
        }), Encoding.UTF8, "application/json"), Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var completion = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        Assert.Equal("DeepInfra", completion.RootElement.GetProperty("provider").GetString());
    }

    [Fact]
    public async Task Provider_keys_are_validated_and_listed_without_their_secrets()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App);
        Assert.Equal(HttpStatusCode.BadRequest, (await TestAccounts.SaveProviderKeyAsync(fixture.App, owner, "mistral", new { api_key = "short" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await TestAccounts.SaveProviderKeyAsync(fixture.App, owner, "mistral", new { api_key = "has a space in it" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await TestAccounts.SaveProviderKeyAsync(fixture.App, owner, "Not A Slug", new { api_key = "abcdefgh12345" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await TestAccounts.SaveProviderKeyAsync(fixture.App, owner, "openai", new { always_use = true })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await TestAccounts.SaveProviderKeyAsync(fixture.App, owner, "openai", new { api_key = "sk-own-openai-key-1234" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await TestAccounts.SaveProviderKeyAsync(fixture.App, owner, "openai", new { always_use = true })).StatusCode);

        using var billing = await TestAppHost.CreateBillingInternalClientAsync(fixture.App);
        var listed = await billing.GetStringAsync($"/internal/accounts/{owner.UserId}/provider-keys", Timeout);
        Assert.DoesNotContain("sk-own-openai-key-1234", listed, StringComparison.Ordinal);
        using var list = JsonDocument.Parse(listed);
        var only = Assert.Single(list.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal("openai", only.GetProperty("provider").GetString());
        Assert.Equal("…1234", only.GetProperty("hint").GetString());
        Assert.True(only.GetProperty("always_use").GetBoolean());

        // Another account sees none of them.
        var other = await TestAccounts.CreateAsync(fixture.App);
        using var otherList = JsonDocument.Parse(await billing.GetStringAsync($"/internal/accounts/{other.UserId}/provider-keys", Timeout));
        Assert.Empty(otherList.RootElement.GetProperty("data").EnumerateArray());
    }
}
