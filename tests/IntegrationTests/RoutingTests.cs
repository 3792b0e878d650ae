using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace IntegrationTests;

/// <summary>
/// Routing through the gateway against the emulated providers: the catalog snapshot picks the endpoint, the
/// answer names the provider, preferences and the <c>models</c> list are honoured, and a failing provider
/// falls back to the next one (the emulator's control API takes a provider down for a test).
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class RoutingTests(AppHostFixture fixture)
{
    private static CancellationToken Timeout => TestAppHost.RequestToken;

    private static readonly string[] DeepSeekProviders = ["DeepInfra", "DeepSeek", "Together"];

    [Fact]
    public async Task A_multi_provider_model_is_served_by_one_of_its_providers_and_names_it()
    {
        var client = await CreateChatClientAsync("deepseek/deepseek-chat");

        ClientResult<ChatCompletion> result = await client.CompleteChatAsync(
            [new UserChatMessage("route me")], cancellationToken: Timeout);

        var completion = result.Value;
        Assert.Equal("Echo: route me", completion.Content.Single().Text);
        Assert.Equal("deepseek/deepseek-chat", completion.Model);
        Assert.Matches("^gen-[0-9]+-[A-Za-z0-9]{20}$", completion.Id);
        var raw = result.GetRawResponse();
        Assert.True(raw.Headers.TryGetValue("X-Generation-Id", out var generationId));
        Assert.Equal(completion.Id, generationId);
        using var json = JsonDocument.Parse(raw.Content.ToMemory());
        // The default order is load-balanced by price: any of the model's providers may serve.
        Assert.Contains(json.RootElement.GetProperty("provider").GetString(), DeepSeekProviders);
    }

    [Fact]
    public async Task The_default_order_spreads_requests_by_price_and_sort_price_always_takes_the_cheapest()
    {
        var client = await CreateChatClientAsync("deepseek/deepseek-chat");

        var served = new List<string?>();
        for (var i = 0; i < 30; i++)
        {
            using var json = await CompleteRawAsync(client, new { model = "deepseek/deepseek-chat", messages = new[] { new { role = "user", content = $"spread {i}" } } });
            served.Add(json.RootElement.GetProperty("provider").GetString());
        }
        // Weighted by 1/price²: DeepInfra (0.38 + 0.89 per million) about 47%, DeepSeek (0.27 + 1.10) 41%, Together
        // (1.25 + 1.25) 12%. Thirty draws all landing on one provider, or never on the cheapest, would be a
        // one-in-a-hundred-million event; it means the draw is gone.
        Assert.All(served, provider => Assert.Contains(provider, DeepSeekProviders));
        Assert.True(served.Distinct().Count() >= 2, $"every request went to {served[0]}");
        Assert.Contains("DeepInfra", served);

        for (var i = 0; i < 5; i++)
        {
            using var json = await CompleteRawAsync(client, new
            {
                model = "deepseek/deepseek-chat",
                messages = new[] { new { role = "user", content = $"cheapest {i}" } },
                provider = new { sort = "price" },
            });
            Assert.Equal("DeepInfra", json.RootElement.GetProperty("provider").GetString());
        }
    }

    [Fact]
    public async Task Provider_order_picks_the_named_provider()
    {
        var client = await CreateChatClientAsync("deepseek/deepseek-chat");

        using var json = await CompleteRawAsync(client, new
        {
            model = "deepseek/deepseek-chat",
            messages = new[] { new { role = "user", content = "order" } },
            provider = new { order = new[] { "together" } },
        });

        Assert.Equal("Together", json.RootElement.GetProperty("provider").GetString());
        Assert.Equal("deepseek/deepseek-chat", json.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Provider_only_naming_a_provider_that_does_not_serve_the_model_is_an_error()
    {
        var key = await CreateKeyAsync();
        using var gateway = TestAccounts.CreateGatewayClient(fixture.App, key);

        var response = await gateway.PostAsync("/api/v1/chat/completions", Json(new
        {
            model = "anthropic/claude-sonnet-4",
            messages = new[] { new { role = "user", content = "hi" } },
            provider = new { only = new[] { "openai" } },
        }), Timeout);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(404, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("only", error.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_unknown_model_is_a_404_in_OpenRouter_format()
    {
        var key = await CreateKeyAsync();
        using var gateway = TestAccounts.CreateGatewayClient(fixture.App, key);
        var client = ChatClientFor("nobody/no-such-model", key);

        var thrown = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Timeout));
        var response = await gateway.PostAsync("/api/v1/chat/completions",
            new StringContent("""{"model":"nobody/no-such-model","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
            Timeout);

        Assert.Equal(404, thrown.Status);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(404, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("Model nobody/no-such-model not found", error.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_models_list_falls_past_an_unknown_first_model()
    {
        var client = await CreateChatClientAsync("nobody/no-such-model");

        using var json = await CompleteRawAsync(client, new
        {
            model = "nobody/no-such-model",
            models = new[] { "nobody/no-such-model", "meta-llama/llama-3.3-70b-instruct" },
            messages = new[] { new { role = "user", content = "fallback list" } },
            provider = new { sort = "price" },
        });

        Assert.Equal("meta-llama/llama-3.3-70b-instruct", json.RootElement.GetProperty("model").GetString());
        Assert.Equal("DeepInfra", json.RootElement.GetProperty("provider").GetString());
        Assert.Equal("Echo: fallback list",
            json.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_failing_provider_falls_back_to_the_next_cheapest()
    {
        var client = await CreateChatClientAsync("deepseek/deepseek-chat");
        using var emulators = fixture.App.CreateHttpClient("emulators");
        var down = await emulators.PutAsJsonAsync("/emulator/providers/deepinfra", new { fail = "503" }, Timeout);
        Assert.Equal(HttpStatusCode.OK, down.StatusCode);
        try
        {
            // sort: price fixes the order (the default draws its first endpoint): DeepInfra, then DeepSeek.
            using var json = await CompleteRawAsync(client, new
            {
                model = "deepseek/deepseek-chat",
                messages = new[] { new { role = "user", content = "fall back" } },
                provider = new { sort = "price" },
            });

            Assert.Equal("Echo: fall back", json.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
            Assert.Equal("DeepSeek", json.RootElement.GetProperty("provider").GetString());
        }
        finally
        {
            await emulators.DeleteAsync("/emulator/providers/deepinfra", Timeout);
        }
    }

    [Fact]
    public async Task A_stream_is_stamped_chunk_by_chunk_and_ends_with_done()
    {
        var key = await CreateKeyAsync();
        using var gateway = TestAccounts.CreateGatewayClient(fixture.App, key);

        using var response = await gateway.PostAsync("/api/v1/chat/completions", Json(new
        {
            model = "deepseek/deepseek-chat",
            messages = new[] { new { role = "user", content = "one two" } },
            stream = true,
            provider = new { sort = "price" },
        }), Timeout);
        var body = await response.Content.ReadAsStringAsync(Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var generationId = Assert.Single(response.Headers.GetValues("X-Generation-Id"));
        var data = body.Split('\n').Where(line => line.StartsWith("data:", StringComparison.Ordinal))
            .Select(line => line["data:".Length..].Trim()).ToList();
        Assert.Equal("[DONE]", data[^1]);
        var chunks = data[..^1].Select(chunk => JsonDocument.Parse(chunk)).ToList();
        Assert.NotEmpty(chunks);
        Assert.All(chunks, chunk =>
        {
            Assert.Equal(generationId, chunk.RootElement.GetProperty("id").GetString());
            Assert.Equal("deepseek/deepseek-chat", chunk.RootElement.GetProperty("model").GetString());
            Assert.Equal("DeepInfra", chunk.RootElement.GetProperty("provider").GetString());
        });
        var text = string.Concat(chunks.SelectMany(chunk => chunk.RootElement.GetProperty("choices").EnumerateArray())
            .Select(choice => choice.GetProperty("delta").TryGetProperty("content", out var content) ? content.GetString() : ""));
        Assert.Equal("Echo: one two", text);
        chunks.ForEach(chunk => chunk.Dispose());
    }

    private static StringContent Json(object body)
        => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    /// <summary>The SDK's protocol method: OpenRouter's extra request fields, and the raw answer with <c>provider</c>.</summary>
    private static async Task<JsonDocument> CompleteRawAsync(ChatClient client, object body)
    {
        var result = await client.CompleteChatAsync(
            BinaryContent.Create(BinaryData.FromObjectAsJson(body)), new RequestOptions { CancellationToken = Timeout });
        return JsonDocument.Parse(result.GetRawResponse().Content.ToMemory());
    }

    private async Task<string> CreateKeyAsync()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 10);
        return (await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "routing")).Secret;
    }

    private async Task<ChatClient> CreateChatClientAsync(string model) => ChatClientFor(model, await CreateKeyAsync());

    private ChatClient ChatClientFor(string model, string key)
        => new(model, new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = new Uri(fixture.App.GetEndpoint("gateway", "http"), "/api/v1"),
            NetworkTimeout = TestAppHost.RequestTimeout,
        });
}
