using System.Net;
using System.Text;
using System.Text.Json;
using IntegrationTests.Faults;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// The web plugin end to end: a <c>:online</c> model (or <c>plugins: [{"id": "web"}]</c>) searches the emulators'
/// Exa stand-in for the last user message, the model is given the results (the emulated model echoes the last
/// user message, so its answer shows them), the answer cites them in <c>url_citation</c> annotations, and the
/// caller pays the tokens plus $0.004 per result, exactly what the ledger records.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class WebSearchTests(AppHostFixture fixture)
{
    private const string Question = "What happened in Rust this week?";
    private const string Slug = "what-happened-in-rust-this-week";
    private const decimal PerResult = 0.004m;

    private static CancellationToken Timeout => TestAppHost.RequestToken;

    private static StringContent Chat(string model, bool stream = false, object? plugins = null)
        => new(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["model"] = model,
            ["messages"] = new[] { new { role = "user", content = Question } },
            ["stream"] = stream,
            ["plugins"] = plugins,
        }.Where(pair => pair.Value is not null).ToDictionary()), Encoding.UTF8, "application/json");

    // gpt-4o-mini: $0.15 per million prompt tokens, $0.60 per million completion tokens.
    private static decimal TokenCost(JsonElement usage)
        => usage.GetProperty("prompt_tokens").GetInt32() * 0.00000015m + usage.GetProperty("completion_tokens").GetInt32() * 0.0000006m;

    private static string ResultUrl(int rank) => $"https://example-news.test/{Slug}/{rank}";

    private static void AssertCitesEachResult(string content, JsonElement annotations, int results)
    {
        Assert.Equal(results, annotations.GetArrayLength());
        var cited = annotations.EnumerateArray().Select(annotation =>
        {
            Assert.Equal("url_citation", annotation.GetProperty("type").GetString());
            var citation = annotation.GetProperty("url_citation");
            var url = citation.GetProperty("url").GetString()!;
            Assert.Equal(url, content[citation.GetProperty("start_index").GetInt32()..citation.GetProperty("end_index").GetInt32()]);
            Assert.False(string.IsNullOrEmpty(citation.GetProperty("title").GetString()));
            Assert.Contains(Question, citation.GetProperty("content").GetString());
            return url;
        });
        Assert.Equal(Enumerable.Range(1, results).Select(ResultUrl), cited);
    }

    /// <summary>
    /// The generation reports the results it was given, and its ledger transaction takes exactly the cost shown to
    /// the caller from their credits, owes the search provider exactly results × $0.004 and the model's provider
    /// the rest (the tokens).
    /// </summary>
    private async Task AssertBilledExactlyAsync(HttpClient gateway, string generationId, decimal cost, bool streamed, int results)
    {
        using var generation = await TestAccounts.WaitForGenerationAsync(gateway, generationId);
        var data = generation.RootElement.GetProperty("data");
        Assert.Equal(cost, data.GetProperty("total_cost").GetDecimal());
        Assert.Equal("openai/gpt-4o-mini", data.GetProperty("model").GetString());
        Assert.Equal(streamed, data.GetProperty("streamed").GetBoolean());
        Assert.Equal(results, data.GetProperty("num_search_results").GetInt32());

        using var credits = JsonDocument.Parse(await gateway.GetStringAsync("/api/v1/credits", Timeout));
        Assert.Equal(cost, credits.RootElement.GetProperty("data").GetProperty("total_usage").GetDecimal());

        var costNanos = (long)(cost * 1_000_000_000m);
        var feeNanos = results * 4_000_000L;
        Assert.Equal(new Dictionary<string, long>
        {
            ["CustomerCredits"] = -costNanos,
            ["ProviderPayable"] = costNanos - feeNanos,
            ["SearchPayable"] = feeNanos,
        }, await LedgerBooksAsync(generationId));
    }

    /// <summary>
    /// What the generation's ledger transaction put in each book, in nano-dollars. The generation row and its posting
    /// commit together: the entries are there once the generation is.
    /// </summary>
    private async Task<Dictionary<string, long>> LedgerBooksAsync(string generationId)
    {
        var books = new Dictionary<string, long>();
        await using var db = await FaultChecks.OpenBillingDbAsync(fixture.App);
        await using var command = new NpgsqlCommand(
            "SELECT e.\"Book\", e.\"Amount\" FROM ledger_entries e JOIN ledger_transactions t ON t.\"Id\" = e.\"TransactionId\" WHERE t.\"Reference\" = @id", db);
        command.Parameters.AddWithValue("id", generationId);
        await using var reader = await command.ExecuteReaderAsync(Timeout);
        while (await reader.ReadAsync(Timeout))
        {
            books.Add(reader.GetString(0), reader.GetInt64(1));
        }
        return books;
    }

    [Fact]
    public async Task With_the_callers_own_provider_key_the_search_is_still_charged_from_credits_beside_the_platform_fee()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 2);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "online byok");
        using var gateway = TestAccounts.CreateGatewayClient(fixture.App, key.Secret);
        var secret = $"openai-byok-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.OK, (await TestAccounts.SaveProviderKeyAsync(fixture.App, owner, "openai", new { api_key = secret })).StatusCode);
        // The emulated provider takes only the caller's key: an answer proves the gateway used it.
        await using var _ = await EmulatedProviderSettings.ApplyAsync(fixture.App, "openai", new { apiKey = secret });

        var response = await gateway.PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini:online"), Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var completion = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        var root = completion.RootElement;
        var message = root.GetProperty("choices")[0].GetProperty("message");
        AssertCitesEachResult(message.GetProperty("content").GetString()!, message.GetProperty("annotations"), results: 5);
        var usage = root.GetProperty("usage");
        Assert.True(usage.GetProperty("is_byok").GetBoolean());
        // The provider bills the caller for the tokens; credits pay the platform's 5% of that and the search.
        var upstreamCost = usage.GetProperty("cost_details").GetProperty("upstream_inference_cost").GetDecimal();
        Assert.Equal(TokenCost(usage), upstreamCost);
        var platformFee = decimal.Round(upstreamCost * 0.05m, 9);
        var cost = usage.GetProperty("cost").GetDecimal();
        Assert.Equal(platformFee + 5 * PerResult, cost);

        var generationId = root.GetProperty("id").GetString()!;
        using (var generation = await TestAccounts.WaitForGenerationAsync(gateway, generationId))
        {
            Assert.Equal(cost, generation.RootElement.GetProperty("data").GetProperty("total_cost").GetDecimal());
            Assert.Equal(5, generation.RootElement.GetProperty("data").GetProperty("num_search_results").GetInt32());
        }
        using (var credits = JsonDocument.Parse(await gateway.GetStringAsync("/api/v1/credits", Timeout)))
        {
            Assert.Equal(cost, credits.RootElement.GetProperty("data").GetProperty("total_usage").GetDecimal());
        }
        Assert.Equal(new Dictionary<string, long>
        {
            ["CustomerCredits"] = -(long)(cost * 1_000_000_000m),
            ["PlatformRevenue"] = (long)(platformFee * 1_000_000_000m),
            ["SearchPayable"] = 5 * 4_000_000L,
        }, await LedgerBooksAsync(generationId));
    }

    [Fact]
    public async Task An_online_model_answers_with_the_search_results_cites_them_and_charges_five_results_on_top_of_the_tokens()
    {
        using var gateway = await TestAccounts.CreateFundedGatewayClientAsync(fixture.App, creditsUsd: 5, "online");

        var response = await gateway.PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini:online"), Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var completion = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        var root = completion.RootElement;
        Assert.Equal("openai/gpt-4o-mini", root.GetProperty("model").GetString());
        var message = root.GetProperty("choices")[0].GetProperty("message");
        var content = message.GetProperty("content").GetString()!;
        // The model was given the dated default prompt and the results with the question.
        Assert.Contains("A web search was conducted on " + DateTime.UtcNow.ToString("yyyy-MM-dd"), content);
        Assert.DoesNotContain(ResultUrl(6), content);
        AssertCitesEachResult(content, message.GetProperty("annotations"), results: 5);

        var usage = root.GetProperty("usage");
        var cost = usage.GetProperty("cost").GetDecimal();
        Assert.Equal(TokenCost(usage) + 5 * PerResult, cost);
        await AssertBilledExactlyAsync(gateway, root.GetProperty("id").GetString()!, cost, streamed: false, results: 5);
    }

    [Fact]
    public async Task A_streamed_online_answer_carries_the_annotations_before_the_usage_chunk_whose_cost_includes_the_search()
    {
        using var gateway = await TestAccounts.CreateFundedGatewayClientAsync(fixture.App, creditsUsd: 5, "online streamed");

        var response = await gateway.PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini:online", stream: true), Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var chunks = (await response.Content.ReadAsStringAsync(Timeout))
            .Split('\n').Where(line => line.StartsWith("data: {", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line["data: ".Length..]).RootElement).ToList();
        var deltas = chunks.Where(chunk => chunk.GetProperty("choices").GetArrayLength() > 0)
            .Select(chunk => chunk.GetProperty("choices")[0].GetProperty("delta")).ToList();
        var content = string.Concat(deltas.Select(delta => delta.TryGetProperty("content", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : ""));
        var annotated = Assert.Single(deltas, delta => delta.TryGetProperty("annotations", out _));
        AssertCitesEachResult(content, annotated.GetProperty("annotations"), results: 5);

        var usageChunk = chunks.Last();
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        var usage = usageChunk.GetProperty("usage");
        var cost = usage.GetProperty("cost").GetDecimal();
        Assert.Equal(TokenCost(usage) + 5 * PerResult, cost);
        await AssertBilledExactlyAsync(gateway, usageChunk.GetProperty("id").GetString()!, cost, streamed: true, results: 5);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failed_search_answers_502_for_Exa_before_any_model_call_and_holds_or_charges_nothing(bool stream)
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 5);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "search down");
        using var gateway = TestAccounts.CreateGatewayClient(fixture.App, key.Secret);

        HttpResponseMessage failed;
        await using (await EmulatedProviderSettings.ApplyAsync(fixture.App, "exa", new { fail = "503" }))
        {
            failed = await gateway.PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini:online", stream), Timeout);
        }

        // A plain error, even for a stream: nothing was sent before the search.
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal("application/json", failed.Content.Headers.ContentType?.MediaType);
        using var error = JsonDocument.Parse(await failed.Content.ReadAsStringAsync(Timeout));
        var body = error.RootElement.GetProperty("error");
        Assert.Equal(502, body.GetProperty("code").GetInt32());
        Assert.Contains("Nothing was charged", body.GetProperty("message").GetString());
        Assert.Equal("Exa", body.GetProperty("metadata").GetProperty("provider_name").GetString());
        await FaultChecks.AssertNothingHeldAsync(fixture.App, owner);

        // With Exa back, the same request is served; the account's usage is that answer's cost alone, so the
        // failed one recorded nothing (usage events are consumed in order).
        var served = await gateway.PostAsync("/api/v1/chat/completions", Chat("openai/gpt-4o-mini:online"), Timeout);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        using var completion = JsonDocument.Parse(await served.Content.ReadAsStringAsync(Timeout));
        var cost = completion.RootElement.GetProperty("usage").GetProperty("cost").GetDecimal();
        await AssertBilledExactlyAsync(gateway, completion.RootElement.GetProperty("id").GetString()!, cost, streamed: false, results: 5);
    }

    [Fact]
    public async Task The_web_plugin_takes_its_result_count_from_the_request_and_refuses_a_bad_one()
    {
        using var gateway = await TestAccounts.CreateFundedGatewayClientAsync(fixture.App, creditsUsd: 5, "plugin");

        var bad = await gateway.PostAsync("/api/v1/chat/completions",
            Chat("openai/gpt-4o-mini", plugins: new[] { new { id = "web", max_results = 0 } }), Timeout);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var error = JsonDocument.Parse(await bad.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(400, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("max_results", error.RootElement.GetProperty("error").GetProperty("message").GetString());

        var response = await gateway.PostAsync("/api/v1/chat/completions",
            Chat("openai/gpt-4o-mini", plugins: new[] { new { id = "web", max_results = 2 } }), Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var completion = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        var message = completion.RootElement.GetProperty("choices")[0].GetProperty("message");
        AssertCitesEachResult(message.GetProperty("content").GetString()!, message.GetProperty("annotations"), results: 2);
        var usage = completion.RootElement.GetProperty("usage");
        var cost = usage.GetProperty("cost").GetDecimal();
        Assert.Equal(TokenCost(usage) + 2 * PerResult, cost);
        // Only the generation: the refused request charged nothing.
        await AssertBilledExactlyAsync(gateway, completion.RootElement.GetProperty("id").GetString()!, cost, streamed: false, results: 2);
    }
}
