using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace IntegrationTests;

/// <summary>
/// Money end to end with real Postgres and Redis: a hold before the call, the exact cost in the response's
/// usage, the generation and its ledger entries written once from the usage stream, and refusals (402, 403)
/// before any upstream call.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class CreditsFlowTests(AppHostFixture fixture)
{
    private static CancellationToken Timeout => TestAppHost.RequestToken;

    private static StringContent Chat(string model, bool stream = false, int? maxTokens = null, string text = "one two three")
        => new(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["model"] = model,
            ["messages"] = new[] { new { role = "user", content = text } },
            ["stream"] = stream,
            ["max_tokens"] = maxTokens,
        }.Where(pair => pair.Value is not null).ToDictionary()), Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_paid_call_reports_its_exact_cost_and_is_billed_once_as_a_generation()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 5);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "billed");
        using var gateway = TestAccounts.CreateGatewayClient(fixture.App, key.Secret);

        var response = await gateway.PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini"), Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var completion = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        var usage = completion.RootElement.GetProperty("usage");
        var promptTokens = usage.GetProperty("prompt_tokens").GetInt32();
        var completionTokens = usage.GetProperty("completion_tokens").GetInt32();
        var cost = usage.GetProperty("cost").GetDecimal();
        // gpt-4o-mini: $0.15 per million prompt tokens, $0.60 per million completion tokens.
        Assert.Equal(promptTokens * 0.00000015m + completionTokens * 0.0000006m, cost);
        Assert.True(cost > 0);
        var generationId = completion.RootElement.GetProperty("id").GetString()!;
        Assert.Equal(generationId, response.Headers.GetValues("X-Generation-Id").Single());

        using var generation = await TestAccounts.WaitForGenerationAsync(gateway, generationId);
        var data = generation.RootElement.GetProperty("data");
        Assert.Equal(cost, data.GetProperty("total_cost").GetDecimal());
        Assert.Equal("openai/gpt-4o-mini", data.GetProperty("model").GetString());
        Assert.Equal("OpenAI", data.GetProperty("provider_name").GetString());
        Assert.Equal(promptTokens, data.GetProperty("tokens_prompt").GetInt32());
        Assert.Equal(completionTokens, data.GetProperty("tokens_completion").GetInt32());
        Assert.Equal("stop", data.GetProperty("finish_reason").GetString());
        Assert.False(data.GetProperty("streamed").GetBoolean());

        using var credits = JsonDocument.Parse(await gateway.GetStringAsync("/api/v1/credits", Timeout));
        Assert.Equal(5m, credits.RootElement.GetProperty("data").GetProperty("total_credits").GetDecimal());
        Assert.Equal(cost, credits.RootElement.GetProperty("data").GetProperty("total_usage").GetDecimal());

        using var keyInfo = JsonDocument.Parse(await gateway.GetStringAsync("/api/v1/key", Timeout));
        Assert.Equal(cost, keyInfo.RootElement.GetProperty("data").GetProperty("usage").GetDecimal());

        using var activity = JsonDocument.Parse(await gateway.GetStringAsync("/api/v1/activity", Timeout));
        var day = Assert.Single(activity.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal(1, day.GetProperty("requests").GetInt32());
        Assert.Equal(cost, day.GetProperty("usage").GetDecimal());
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd"), day.GetProperty("date").GetString());
    }

    [Fact]
    public async Task A_streamed_call_ends_with_a_usage_chunk_carrying_the_cost_and_is_recorded_as_streamed()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 5);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "streamed");
        using var gateway = TestAccounts.CreateGatewayClient(fixture.App, key.Secret);

        var response = await gateway.PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini", stream: true), Timeout);
        var events = (await response.Content.ReadAsStringAsync(Timeout))
            .Split('\n').Where(line => line.StartsWith("data: {", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line["data: ".Length..])).ToList();

        var usageChunk = events.Last();
        Assert.Equal(0, usageChunk.RootElement.GetProperty("choices").GetArrayLength());
        var cost = usageChunk.RootElement.GetProperty("usage").GetProperty("cost").GetDecimal();
        Assert.True(cost > 0);
        var generationId = usageChunk.RootElement.GetProperty("id").GetString()!;

        using var generation = await TestAccounts.WaitForGenerationAsync(gateway, generationId);
        Assert.True(generation.RootElement.GetProperty("data").GetProperty("streamed").GetBoolean());
        Assert.Equal(cost, generation.RootElement.GetProperty("data").GetProperty("total_cost").GetDecimal());
    }

    [Fact]
    public async Task Without_credits_a_paid_model_is_refused_with_402_but_a_free_model_still_answers()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "broke");
        using var gateway = TestAccounts.CreateGatewayClient(fixture.App, key.Secret);

        var paid = await gateway.PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini"), Timeout);
        Assert.Equal(HttpStatusCode.PaymentRequired, paid.StatusCode);
        using var error = JsonDocument.Parse(await paid.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(402, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());

        var free = await gateway.PostAsync("/api/v1/chat/completions", Chat("google/gemma-3-27b-it:free"), Timeout);
        Assert.Equal(HttpStatusCode.OK, free.StatusCode);
        using var freeCompletion = JsonDocument.Parse(await free.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(0m, freeCompletion.RootElement.GetProperty("usage").GetProperty("cost").GetDecimal());
        using var generation = await TestAccounts.WaitForGenerationAsync(gateway, freeCompletion.RootElement.GetProperty("id").GetString()!);
        Assert.Equal(0m, generation.RootElement.GetProperty("data").GetProperty("total_cost").GetDecimal());
    }

    [Fact]
    public async Task Free_model_requests_beyond_twenty_a_minute_get_429_with_retry_after()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "free rider");
        using var gateway = TestAccounts.CreateGatewayClient(fixture.App, key.Secret);

        for (var i = 0; i < 20; i++)
        {
            var allowed = await gateway.PostAsync("/api/v1/chat/completions", Chat("google/gemma-3-27b-it:free"), Timeout);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        var limited = await gateway.PostAsync("/api/v1/chat/completions", Chat("google/gemma-3-27b-it:free"), Timeout);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 1, 60);
        using var error = JsonDocument.Parse(await limited.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(429, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_max_tokens_the_balance_cannot_cover_is_refused_with_402_naming_max_tokens()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 0.001m);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "ambitious");
        using var gateway = TestAccounts.CreateGatewayClient(fixture.App, key.Secret);

        // 16,000 completion tokens of gpt-4o-mini cost $0.0096, far above the $0.001 balance.
        var response = await gateway.PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini", maxTokens: 16_000), Timeout);

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        Assert.Contains("max_tokens", await response.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini", maxTokens: 100), Timeout)).StatusCode);
    }

    [Fact]
    public async Task A_key_whose_limit_is_used_up_is_refused_with_403_while_another_key_works()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 5);
        var capped = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "capped", limit: 0.000001m);
        var open = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "open");
        using var asCapped = TestAccounts.CreateGatewayClient(fixture.App, capped.Secret);
        using var asOpen = TestAccounts.CreateGatewayClient(fixture.App, open.Secret);

        var refused = await asCapped.PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini"), Timeout);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(403, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await asOpen.PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini"), Timeout)).StatusCode);
    }

    [Fact]
    public async Task Parallel_calls_against_a_small_balance_never_overdraw_it_and_each_answer_is_billed_exactly()
    {
        const decimal balance = 0.0004m;
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: balance);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "burst");
        using var gateway = TestAccounts.CreateGatewayClient(fixture.App, key.Secret);
        var words = string.Join(' ', Enumerable.Repeat("word", 40));

        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(async _ =>
        {
            var response = await gateway.PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini", maxTokens: 200, text: words), Timeout);
            var body = await response.Content.ReadAsStringAsync(Timeout);
            return (response.StatusCode, Body: body);
        }));

        Assert.All(responses, response => Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.PaymentRequired }));
        var answered = responses.Where(response => response.StatusCode == HttpStatusCode.OK)
            .Select(response => JsonDocument.Parse(response.Body).RootElement).ToList();
        Assert.NotEmpty(answered);
        var charged = answered.Sum(completion => completion.GetProperty("usage").GetProperty("cost").GetDecimal());

        foreach (var completion in answered)
        {
            (await TestAccounts.WaitForGenerationAsync(gateway, completion.GetProperty("id").GetString()!)).Dispose();
        }
        using var credits = JsonDocument.Parse(await gateway.GetStringAsync("/api/v1/credits", Timeout));
        var totalUsage = credits.RootElement.GetProperty("data").GetProperty("total_usage").GetDecimal();
        Assert.Equal(charged, totalUsage);
        Assert.True(totalUsage <= balance, $"usage {totalUsage} overdrew the balance {balance}");
    }

    [Fact]
    public async Task Another_account_cannot_read_a_generation_or_see_it_in_activity()
    {
        var alice = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 1);
        var bob = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 1);
        var aliceKey = await TestAccounts.CreateInferenceKeyAsync(fixture.App, alice, "alice");
        var bobKey = await TestAccounts.CreateInferenceKeyAsync(fixture.App, bob, "bob");
        using var asAlice = TestAccounts.CreateGatewayClient(fixture.App, aliceKey.Secret);
        using var asBob = TestAccounts.CreateGatewayClient(fixture.App, bobKey.Secret);

        var response = await asAlice.PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini"), Timeout);
        var generationId = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout)).RootElement.GetProperty("id").GetString()!;
        (await TestAccounts.WaitForGenerationAsync(asAlice, generationId)).Dispose();

        Assert.Equal(HttpStatusCode.NotFound, (await asBob.GetAsync($"/api/v1/generation?id={generationId}", Timeout)).StatusCode);
        using var bobActivity = JsonDocument.Parse(await asBob.GetStringAsync("/api/v1/activity", Timeout));
        Assert.Equal(0, bobActivity.RootElement.GetProperty("data").GetArrayLength());
        using var bobCredits = JsonDocument.Parse(await asBob.GetStringAsync("/api/v1/credits", Timeout));
        Assert.Equal(0m, bobCredits.RootElement.GetProperty("data").GetProperty("total_usage").GetDecimal());
    }

    [Theory]
    [InlineData("/api/v1/generation")]
    [InlineData("/api/v1/activity?date=yesterday")]
    public async Task Bad_generation_and_activity_queries_get_a_400(string path)
    {
        var owner = await TestAccounts.CreateAsync(fixture.App);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "queries");
        using var gateway = TestAccounts.CreateGatewayClient(fixture.App, key.Secret);

        var response = await gateway.GetAsync(path, Timeout);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(400, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
    }
}
