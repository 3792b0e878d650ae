using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Embeddings;

namespace IntegrationTests;

/// <summary><c>POST /api/v1/embeddings</c> through the official OpenAI SDK: routed, billed by prompt tokens, recorded.</summary>
[Collection(AppHostCollection.Name)]
public sealed class EmbeddingsTests(AppHostFixture fixture)
{
    private static CancellationToken Timeout => TestAppHost.RequestToken;

    [Fact]
    public async Task The_openai_sdk_gets_embeddings_billed_at_the_models_prompt_price()
    {
        var (gateway, secret) = await CreateGatewayAsync();
        using var _ = gateway;
        var client = new EmbeddingClient("openai/text-embedding-3-small", new ApiKeyCredential(secret), new OpenAIClientOptions
        {
            Endpoint = new Uri(fixture.App.GetEndpoint("gateway", "http"), "/api/v1"),
            NetworkTimeout = TestAppHost.RequestTimeout,
        });

        ClientResult<OpenAIEmbeddingCollection> result = await client.GenerateEmbeddingsAsync(["first text to embed", "second"], cancellationToken: Timeout);

        Assert.Equal(2, result.Value.Count);
        Assert.Equal(1536, result.Value[0].ToFloats().Length);
        using var json = JsonDocument.Parse(result.GetRawResponse().Content.ToMemory());
        var root = json.RootElement;
        Assert.Equal("openai/text-embedding-3-small", root.GetProperty("model").GetString());
        Assert.Equal("OpenAI", root.GetProperty("provider").GetString());
        var promptTokens = root.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
        // $0.02 per million tokens.
        Assert.Equal(promptTokens * 0.00000002m, root.GetProperty("usage").GetProperty("cost").GetDecimal());

        var generationId = root.GetProperty("id").GetString()!;
        using var recorded = await TestAccounts.WaitForGenerationAsync(gateway, generationId);
        Assert.Equal(promptTokens, recorded.RootElement.GetProperty("data").GetProperty("tokens_prompt").GetInt32());
        Assert.Equal(0, recorded.RootElement.GetProperty("data").GetProperty("tokens_completion").GetInt32());
    }

    [Theory]
    [InlineData("/api/v1/embeddings", """{"model":"openai/gpt-4o-mini","input":"chat models do not embed"}""")]
    [InlineData("/api/v1/chat/completions", """{"model":"openai/text-embedding-3-small","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/api/v1/embeddings", """{"model":"openai/text-embedding-3-small"}""")]
    [InlineData("/api/v1/embeddings", """{"model":"openai/text-embedding-3-small","input":[]}""")]
    [InlineData("/api/v1/embeddings", """{"model":"openai/text-embedding-3-small","input":[1,"mixed"]}""")]
    [InlineData("/api/v1/embeddings", """{"model":"openai/text-embedding-3-small","input":"x","stream":true}""")]
    public async Task Mismatched_models_and_bad_inputs_get_a_400(string path, string body)
    {
        var (gateway, _) = await CreateGatewayAsync();
        using var _ = gateway;

        var response = await gateway.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), Timeout);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(400, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
    }

    private async Task<(HttpClient Gateway, string Secret)> CreateGatewayAsync()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 1);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "embeddings");
        return (TestAccounts.CreateGatewayClient(fixture.App, key.Secret), key.Secret);
    }
}
