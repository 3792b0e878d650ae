using System.Net;
using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Models.Messages;

namespace IntegrationTests;

/// <summary>
/// The Anthropic-format surface (<c>POST /api/v1/messages</c>) through the official Anthropic .NET SDK, to an
/// Anthropic model and to an OpenAI one; and the legacy text <c>completions</c> endpoint.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class MessagesApiTests(AppHostFixture fixture)
{
    private static CancellationToken Timeout => TestAppHost.RequestToken;

    [Theory]
    [InlineData("anthropic/claude-sonnet-4")]
    [InlineData("openai/gpt-4o-mini")]
    public async Task The_anthropic_sdk_gets_a_message_from_any_model(string model)
    {
        var client = await CreateAnthropicClientAsync();

        var message = await client.Messages.Create(new MessageCreateParams
        {
            Model = model,
            MaxTokens = 200,
            Messages = [new UserMessageParam { Content = "hello from claude code" }],
        }, Timeout);

        var text = string.Concat(message.Content.Select(block => block.TryPickText(out var textBlock) ? textBlock.Text : ""));
        Assert.Equal("Echo: hello from claude code", text);
        Assert.Equal($"\"{model}\"", message.Model.ToString());
        Assert.True(message.Usage.InputTokens > 0);
        Assert.True(message.Usage.OutputTokens > 0);
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4")]
    [InlineData("openai/gpt-4o-mini")]
    public async Task The_anthropic_sdk_streams_a_message_from_any_model(string model)
    {
        var client = await CreateAnthropicClientAsync();

        var text = new StringBuilder();
        var sawStart = false;
        var sawStop = false;
        await foreach (var streamEvent in client.Messages.CreateStreaming(new MessageCreateParams
        {
            Model = model,
            MaxTokens = 200,
            Messages = [new UserMessageParam { Content = "stream it to me" }],
        }, Timeout))
        {
            sawStart |= streamEvent.TryPickStart(out _);
            sawStop |= streamEvent.TryPickStop(out _);
            if (streamEvent.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var textDelta))
            {
                text.Append(textDelta.Text);
            }
        }

        Assert.True(sawStart, "no message_start");
        Assert.True(sawStop, "no message_stop");
        Assert.Equal("Echo: stream it to me", text.ToString());
    }

    [Fact]
    public async Task A_malformed_messages_request_gets_a_400_in_openrouter_format()
    {
        using var gateway = await CreateGatewayAsync();

        var response = await gateway.PostAsync("/api/v1/messages", new StringContent("""{"model":"openai/gpt-4o-mini","messages":"nope"}""", Encoding.UTF8, "application/json"), Timeout);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(400, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Legacy_completions_turn_a_prompt_into_text_with_usage_and_cost()
    {
        using var gateway = await CreateGatewayAsync();

        var response = await gateway.PostAsync("/api/v1/completions", new StringContent(
            """{"model":"openai/gpt-4o-mini","prompt":"complete this line"}""", Encoding.UTF8, "application/json"), Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var completion = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        var root = completion.RootElement;
        Assert.Equal("text_completion", root.GetProperty("object").GetString());
        Assert.Equal("Echo: complete this line", root.GetProperty("choices")[0].GetProperty("text").GetString());
        Assert.StartsWith("gen-", root.GetProperty("id").GetString());
        Assert.True(root.GetProperty("usage").GetProperty("cost").GetDecimal() > 0);
    }

    [Fact]
    public async Task Legacy_completions_stream_text_pieces_and_end_with_done()
    {
        using var gateway = await CreateGatewayAsync();

        var response = await gateway.PostAsync("/api/v1/completions", new StringContent(
            """{"model":"openai/gpt-4o-mini","prompt":"one two three","stream":true}""", Encoding.UTF8, "application/json"), Timeout);
        var body = await response.Content.ReadAsStringAsync(Timeout);

        var chunks = body.Split('\n').Where(line => line.StartsWith("data: {", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line["data: ".Length..]).RootElement).ToList();
        Assert.All(chunks, chunk => Assert.Equal("text_completion", chunk.GetProperty("object").GetString()));
        var text = string.Concat(chunks.SelectMany(chunk => chunk.GetProperty("choices").EnumerateArray()).Select(choice => choice.GetProperty("text").GetString()));
        Assert.Equal("Echo: one two three", text);
        Assert.EndsWith("data: [DONE]\n\n", body);
    }

    private Task<HttpClient> CreateGatewayAsync() => TestAccounts.CreateFundedGatewayClientAsync(fixture.App, creditsUsd: 5, "formats");

    private async Task<AnthropicClient> CreateAnthropicClientAsync()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 5);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "claude-style");
        return new AnthropicClient
        {
            ApiKey = key.Secret,
            BaseUrl = new Uri(fixture.App.GetEndpoint("gateway", "http"), "/api").ToString(),
            Timeout = TestAppHost.RequestTimeout,
            MaxRetries = 0,
        };
    }
}
