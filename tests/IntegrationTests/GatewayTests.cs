using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace IntegrationTests;

[Collection(AppHostCollection.Name)]
public sealed class GatewayTests(AppHostFixture fixture)
{
    private static CancellationToken Timeout => TestAppHost.RequestToken;

    [Fact]
    public async Task Portal_home_page_renders_through_the_gateway()
    {
        using var gateway = fixture.CreateGatewayClient();

        var response = await gateway.GetAsync("/", Timeout);
        var html = await response.Content.ReadAsStringAsync(Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<title>OpenRouterClone</title>", html);
        Assert.Contains("One API for every model", html);
    }

    [Fact]
    public async Task Models_are_forwarded_to_the_catalog_in_OpenRouter_format()
    {
        using var gateway = fixture.CreateGatewayClient();
        using var catalog = fixture.App.CreateHttpClient("catalog");

        var throughGateway = await gateway.GetStringAsync("/api/v1/models", Timeout);
        var direct = await catalog.GetStringAsync("/api/v1/models", Timeout);

        Assert.Equal(direct, throughGateway);
        using var document = JsonDocument.Parse(throughGateway);
        var models = document.RootElement.GetProperty("data").EnumerateArray().ToList();
        Assert.True(models.Count >= 9, $"expected the seeded models, got {models.Count}");
        var gpt4o = models.Single(model => model.GetProperty("id").GetString() == "openai/gpt-4o");
        Assert.Equal("0.0000025", gpt4o.GetProperty("pricing").GetProperty("prompt").GetString());
        Assert.Equal("0.00001", gpt4o.GetProperty("pricing").GetProperty("completion").GetString());
        Assert.Equal(128_000, gpt4o.GetProperty("context_length").GetInt32());
        Assert.Equal("text+image->text", gpt4o.GetProperty("architecture").GetProperty("modality").GetString());

        // Served by three providers: the one cheapest in prompt + completion (DeepInfra) speaks for the model.
        var deepseek = models.Single(model => model.GetProperty("id").GetString() == "deepseek/deepseek-chat");
        Assert.Equal("0.00000038", deepseek.GetProperty("pricing").GetProperty("prompt").GetString());
        Assert.Equal("0.00000089", deepseek.GetProperty("pricing").GetProperty("completion").GetString());
    }

    [Fact]
    public async Task Providers_are_forwarded_to_the_catalog()
    {
        using var gateway = fixture.CreateGatewayClient();

        using var document = JsonDocument.Parse(await gateway.GetStringAsync("/api/v1/providers", Timeout));

        var slugs = document.RootElement.GetProperty("data").EnumerateArray()
            .Select(provider => provider.GetProperty("slug").GetString()).ToList();
        Assert.Contains("openai", slugs);
        Assert.Contains("anthropic", slugs);
        Assert.True(slugs.Count >= 8);
    }

    [Fact]
    public async Task Chat_completion_through_the_gateway_answers_the_OpenAI_SDK()
    {
        var client = await CreateChatClientAsync("openai/gpt-4o-mini");

        ChatCompletion completion = await client.CompleteChatAsync(
            [new UserChatMessage("Say hello to the gateway")], cancellationToken: Timeout);

        Assert.Equal("Echo: Say hello to the gateway", completion.Content.Single().Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal("openai/gpt-4o-mini", completion.Model);
        Assert.Equal(5, completion.Usage.InputTokenCount);
        Assert.Equal(6, completion.Usage.OutputTokenCount);
        Assert.Equal(11, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task Streamed_chat_completion_through_the_gateway_arrives_in_pieces()
    {
        var client = await CreateChatClientAsync("meta-llama/llama-3.3-70b-instruct");
        var pieces = new List<string>();
        ChatTokenUsage? usage = null;

        await foreach (var update in client.CompleteChatStreamingAsync(
            [new UserChatMessage("one two three four")],
            new ChatCompletionOptions { MaxOutputTokenCount = 3 },
            Timeout))
        {
            pieces.AddRange(update.ContentUpdate.Select(part => part.Text).Where(text => text.Length > 0));
            usage ??= update.Usage;
        }

        Assert.Equal(["Echo:", " one", " two"], pieces);
        Assert.NotNull(usage);
        Assert.Equal(3, usage.OutputTokenCount);
    }

    [Fact]
    public async Task Chat_completion_without_a_key_is_refused_in_OpenRouter_error_format()
    {
        using var gateway = fixture.CreateGatewayClient();

        var response = await gateway.PostAsync("/api/v1/chat/completions",
            new StringContent("""{"model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}]}"""), Timeout);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(401, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(error.RootElement.GetProperty("error").GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"openai/gpt-4o","messages":[]}""")]
    [InlineData("""[1,2,3]""")]
    public async Task Bad_chat_completion_bodies_get_a_400_in_OpenRouter_error_format(string body)
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 10);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "bad bodies");
        using var gateway = TestAccounts.CreateGatewayClient(fixture.App, key.Secret);

        var response = await gateway.PostAsync("/api/v1/chat/completions", new StringContent(body), Timeout);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(400, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Unknown_api_paths_get_a_json_404_not_the_portal()
    {
        using var gateway = fixture.CreateGatewayClient();

        var response = await gateway.GetAsync("/api/v1/no-such-endpoint", Timeout);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(404, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Internal_service_apis_are_not_reachable_through_the_gateway()
    {
        using var gateway = fixture.CreateGatewayClient();

        var response = await gateway.GetAsync("/internal/accounts/someone", Timeout);
        var body = await response.Content.ReadAsStringAsync(Timeout);

        // The path falls through to the portal, which knows no such page; billing's JSON never appears.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("billing account", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_disabled_key_stops_working_for_inference_within_a_second()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 10);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "short-lived");
        using var asKey = TestAccounts.CreateGatewayClient(fixture.App, key.Secret);
        Assert.Equal(HttpStatusCode.OK, (await asKey.PostAsync("/api/v1/chat/completions", ChatBody(), Timeout)).StatusCode);

        using var asOwner = TestAccounts.CreateGatewayClient(fixture.App, owner.ProvisioningKey);
        var disabled = await asOwner.PatchAsJsonAsync($"/api/v1/keys/{key.Hash}", new { disabled = true }, Timeout);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);

        var deadline = DateTimeOffset.UtcNow.AddSeconds(1);
        HttpStatusCode status;
        do
        {
            status = (await asKey.PostAsync("/api/v1/chat/completions", ChatBody(), Timeout)).StatusCode;
        }
        while (status == HttpStatusCode.OK && DateTimeOffset.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task Unknown_keys_and_provisioning_keys_cannot_call_models()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 10);
        using var asProvisioning = TestAccounts.CreateGatewayClient(fixture.App, owner.ProvisioningKey);
        using var asStranger = TestAccounts.CreateGatewayClient(fixture.App, "sk-or-v1-" + new string('a', 64));

        Assert.Equal(HttpStatusCode.Forbidden, (await asProvisioning.PostAsync("/api/v1/chat/completions", ChatBody(), Timeout)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await asStranger.PostAsync("/api/v1/chat/completions", ChatBody(), Timeout)).StatusCode);
    }

    private static StringContent ChatBody()
        => new("""{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"ping"}]}""", Encoding.UTF8, "application/json");

    private async Task<ChatClient> CreateChatClientAsync(string model)
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 10);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "sdk");
        var gatewayAddress = fixture.App.GetEndpoint("gateway", "http");
        return new ChatClient(model, new ApiKeyCredential(key.Secret), new OpenAIClientOptions
        {
            Endpoint = new Uri(gatewayAddress, "/api/v1"),
            NetworkTimeout = TestAppHost.RequestTimeout,
        });
    }
}
