using System.Net;
using System.Text;
using System.Text.Json;

namespace IntegrationTests;

/// <summary>
/// Billing's internal usage API that the portal's activity dashboard reads: generations written from the usage
/// stream are listed, filtered, paged and totalled for their owner only.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class PortalUsageApiTests(AppHostFixture fixture)
{
    private const string Model = "openai/gpt-4o-mini";

    private static CancellationToken Timeout => TestAppHost.RequestToken;

    [Fact]
    public async Task An_owners_generations_and_usage_totals_are_listed_for_them_and_for_nobody_else()
    {
        var alice = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 5);
        var bob = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 5);
        var first = await TestAccounts.CreateInferenceKeyAsync(fixture.App, alice, "first app");
        var second = await TestAccounts.CreateInferenceKeyAsync(fixture.App, alice, "second app");

        var calls = new List<Completion>
        {
            await CompleteAsync(first, "one two three"),
            await CompleteAsync(first, "four five six seven"),
            await CompleteAsync(second, "eight nine"),
        };
        using var billing = await TestAppHost.CreateBillingInternalClientAsync(fixture.App);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var alicePath = $"/internal/accounts/{alice.UserId}";

        // Usage is recorded asynchronously from the Redis stream: wait until all three are in.
        using var list = await WaitForCountAsync(billing, $"{alicePath}/generations?from={today}&to={today}", calls.Count);
        var rows = list.RootElement.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(calls.Select(call => call.Id).Order(), rows.Select(row => row.GetProperty("id").GetString()).Order());
        var createdAt = rows.Select(row => row.GetProperty("created_at").GetDateTimeOffset()).ToList();
        Assert.Equal(createdAt.OrderDescending(), createdAt);
        foreach (var call in calls)
        {
            var row = Assert.Single(rows, candidate => candidate.GetProperty("id").GetString() == call.Id);
            Assert.Equal(call.Cost, row.GetProperty("total_cost").GetDecimal());
            Assert.Equal(call.PromptTokens, row.GetProperty("tokens_prompt").GetInt32());
            Assert.Equal(call.CompletionTokens, row.GetProperty("tokens_completion").GetInt32());
            Assert.Equal(Model, row.GetProperty("model").GetString());
            Assert.Equal("OpenAI", row.GetProperty("provider_name").GetString());
            Assert.Equal(call.Key.Hash, row.GetProperty("key_hash").GetString());
            Assert.Equal(call.Key == first ? "first app" : "second app", row.GetProperty("key_name").GetString());
            Assert.Equal("stop", row.GetProperty("finish_reason").GetString());
            Assert.True(row.GetProperty("latency").GetInt32() >= 0);
        }

        // Filters and paging.
        using (var byKey = await GetJsonAsync(billing, $"{alicePath}/generations?key_hash={first.Hash}&from={today}&to={today}"))
        {
            Assert.Equal(2, byKey.RootElement.GetProperty("total_count").GetInt32());
            Assert.All(byKey.RootElement.GetProperty("data").EnumerateArray(), row => Assert.Equal(first.Hash, row.GetProperty("key_hash").GetString()));
        }
        using (var otherModel = await GetJsonAsync(billing, $"{alicePath}/generations?model=anthropic/claude-sonnet-4&from={today}&to={today}"))
        {
            Assert.Equal(0, otherModel.RootElement.GetProperty("total_count").GetInt32());
        }
        using (var page = await GetJsonAsync(billing, $"{alicePath}/generations?model={Model}&offset=1&limit=1&from={today}&to={today}"))
        {
            Assert.Equal(3, page.RootElement.GetProperty("total_count").GetInt32());
            Assert.Equal(rows[1].GetProperty("id").GetString(), Assert.Single(page.RootElement.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await billing.GetAsync($"{alicePath}/generations?limit=201", Timeout)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await billing.GetAsync($"{alicePath}/usage?from=2020-01-01&to=2026-01-01", Timeout)).StatusCode);

        // One generation.
        using (var one = await GetJsonAsync(billing, $"{alicePath}/generations/{calls[2].Id}"))
        {
            var data = one.RootElement.GetProperty("data");
            Assert.Equal(calls[2].Cost, data.GetProperty("total_cost").GetDecimal());
            Assert.Equal("second app", data.GetProperty("key_name").GetString());
            Assert.False(data.GetProperty("streamed").GetBoolean());
        }

        // Totals per day, model and key, computed by billing.
        using (var usage = await GetJsonAsync(billing, $"{alicePath}/usage"))
        {
            var data = usage.RootElement.GetProperty("data");
            var totals = data.GetProperty("totals");
            Assert.Equal(calls.Sum(call => call.Cost), totals.GetProperty("spend").GetDecimal());
            Assert.Equal(3, totals.GetProperty("requests").GetInt32());
            Assert.Equal(calls.Sum(call => call.PromptTokens), totals.GetProperty("prompt_tokens").GetInt64());
            Assert.Equal(calls.Sum(call => call.CompletionTokens), totals.GetProperty("completion_tokens").GetInt64());

            var days = data.GetProperty("days").EnumerateArray().ToList();
            Assert.Equal(30, days.Count);
            Assert.Equal(today, days[^1].GetProperty("date").GetString());
            Assert.Equal(3, days[^1].GetProperty("requests").GetInt32());
            Assert.Equal(calls.Sum(call => call.Cost), days[^1].GetProperty("spend").GetDecimal());
            Assert.All(days[..^1], day => Assert.Equal(0, day.GetProperty("requests").GetInt32()));

            var model = Assert.Single(data.GetProperty("models").EnumerateArray());
            Assert.Equal(Model, model.GetProperty("model").GetString());
            Assert.Equal(3, model.GetProperty("requests").GetInt32());

            var keys = data.GetProperty("keys").EnumerateArray().ToDictionary(key => key.GetProperty("key_name").GetString()!);
            Assert.Equal(2, keys["first app"].GetProperty("requests").GetInt32());
            Assert.Equal(calls[0].Cost + calls[1].Cost, keys["first app"].GetProperty("spend").GetDecimal());
            Assert.Equal(1, keys["second app"].GetProperty("requests").GetInt32());
            Assert.Equal(second.Hash, keys["second app"].GetProperty("key_hash").GetString());
        }

        // Bob sees none of it, even with Alice's ids and key hash.
        var bobPath = $"/internal/accounts/{bob.UserId}";
        using (var bobList = await GetJsonAsync(billing, $"{bobPath}/generations"))
        {
            Assert.Equal(0, bobList.RootElement.GetProperty("total_count").GetInt32());
            Assert.Equal(0, bobList.RootElement.GetProperty("data").GetArrayLength());
        }
        using (var bobByAlicesKey = await GetJsonAsync(billing, $"{bobPath}/generations?key_hash={first.Hash}"))
        {
            Assert.Equal(0, bobByAlicesKey.RootElement.GetProperty("total_count").GetInt32());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await billing.GetAsync($"{bobPath}/generations/{calls[0].Id}", Timeout)).StatusCode);
        using (var bobUsage = await GetJsonAsync(billing, $"{bobPath}/usage"))
        {
            var data = bobUsage.RootElement.GetProperty("data");
            Assert.Equal(0, data.GetProperty("totals").GetProperty("requests").GetInt32());
            Assert.Equal(0m, data.GetProperty("totals").GetProperty("spend").GetDecimal());
            Assert.Equal(0, data.GetProperty("models").GetArrayLength());
            Assert.Equal(0, data.GetProperty("keys").GetArrayLength());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await billing.GetAsync("/internal/accounts/nobody-at-all/usage", Timeout)).StatusCode);
    }

    [Fact]
    public async Task The_internal_usage_api_needs_the_service_key_and_the_csv_export_needs_a_signed_in_user()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App);
        using var anonymousBilling = fixture.App.CreateHttpClient("billing");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymousBilling.GetAsync($"/internal/accounts/{owner.UserId}/generations", Timeout)).StatusCode);

        // The portal's export, through the gateway, without a sign-in cookie: refused (.NET 10's cookie handler
        // answers 401 instead of a login redirect for API-style endpoints), and nothing is exported.
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var portal = new HttpClient(handler) { BaseAddress = fixture.App.GetEndpoint("gateway", "http"), Timeout = TestAppHost.RequestTimeout };
        var export = await portal.GetAsync($"/activity/export?from=2026-01-01&to=2026-01-31", Timeout);
        Assert.Equal(HttpStatusCode.Unauthorized, export.StatusCode);
        Assert.DoesNotContain("text/csv", export.Content.Headers.ContentType?.ToString() ?? "");
    }

    private sealed record Completion(string Id, TestKey Key, decimal Cost, int PromptTokens, int CompletionTokens);

    private async Task<Completion> CompleteAsync(TestKey key, string text)
    {
        using var gateway = TestAccounts.CreateGatewayClient(fixture.App, key.Secret);
        var body = JsonSerializer.Serialize(new { model = Model, messages = new[] { new { role = "user", content = text } } });
        var response = await gateway.PostAsync("/api/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        var usage = json.RootElement.GetProperty("usage");
        return new Completion(json.RootElement.GetProperty("id").GetString()!, key, usage.GetProperty("cost").GetDecimal(),
            usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32());
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path, Timeout);
        var body = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

    private static async Task<JsonDocument> WaitForCountAsync(HttpClient billing, string path, int count)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var json = await GetJsonAsync(billing, path);
            if (json.RootElement.GetProperty("total_count").GetInt32() >= count)
            {
                return json;
            }
            json.Dispose();
            Assert.True(DateTimeOffset.UtcNow < deadline, $"{count} generations were not recorded within 30 s");
            await Task.Delay(200, Timeout);
        }
    }
}
