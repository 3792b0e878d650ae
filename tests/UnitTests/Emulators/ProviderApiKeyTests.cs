using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace UnitTests.Emulators;

public sealed class KeyedEmulatorServer : EmulatorServer
{
    public const string RequiredKey = "the-right-key-1234";

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Emulator:Providers:keyed:ApiKey"] = RequiredKey,
    };
}

/// <summary>A provider configured with a key refuses calls without it, in every wire format, as a real one does.</summary>
public class ProviderApiKeyTests(KeyedEmulatorServer server) : IClassFixture<KeyedEmulatorServer>
{
    private const string OpenAIChat = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""";
    private const string AnthropicMessages = """{"model":"claude-sonnet-4","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}""";
    private const string GeminiContent = """{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}""";

    private async Task<HttpResponseMessage> PostAsync(string path, string json, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return await server.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key-5678")]
    [InlineData("Bearer the-right-key-12345")]
    public async Task Calls_without_the_configured_key_get_401_with_an_error_message(string? authorization)
    {
        using var response = authorization is null
            ? await PostAsync("/providers/keyed/v1/chat/completions", OpenAIChat)
            : await PostAsync("/providers/keyed/v1/chat/completions", OpenAIChat, ("Authorization", authorization));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Incorrect API key provided", body.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_configured_key_is_accepted_in_each_formats_own_header()
    {
        var key = KeyedEmulatorServer.RequiredKey;
        using var openAI = await PostAsync("/providers/keyed/v1/chat/completions", OpenAIChat, ("Authorization", $"Bearer {key}"));
        using var anthropic = await PostAsync("/providers/keyed/v1/messages", AnthropicMessages, ("x-api-key", key));
        using var gemini = await PostAsync("/providers/keyed/v1beta/models/gemini-2.5-flash:generateContent", GeminiContent, ("x-goog-api-key", key));
        using var geminiQuery = await PostAsync($"/providers/keyed/v1beta/models/gemini-2.5-flash:generateContent?key={key}", GeminiContent);

        Assert.Equal(HttpStatusCode.OK, openAI.StatusCode);
        Assert.Equal(HttpStatusCode.OK, anthropic.StatusCode);
        Assert.Equal(HttpStatusCode.OK, gemini.StatusCode);
        Assert.Equal(HttpStatusCode.OK, geminiQuery.StatusCode);
    }

    [Fact]
    public async Task Providers_without_a_configured_key_accept_any()
    {
        using var response = await PostAsync("/providers/open/v1/chat/completions", OpenAIChat, ("Authorization", "Bearer anything"));
        using var keyless = await PostAsync("/providers/open/v1/chat/completions", OpenAIChat);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, keyless.StatusCode);
    }
}
