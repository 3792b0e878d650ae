using System.IO.Pipelines;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using Portal.Web.Catalog;
using Portal.Web.Components.Pages;
using Portal.Web.Playground;

namespace ComponentTests;

/// <summary>The playground with the real typed gateway client over a fake gateway (an HttpMessageHandler answering SSE).</summary>
public sealed class PlaygroundPageTests : BillingContext
{
    private const string AdasKey = "sk-or-v1-1111111111111111111111111111111111111111111111111111111111111111";
    private const string BobsKey = "sk-or-v1-2222222222222222222222222222222222222222222222222222222222222222";

    private readonly FakeGateway _gateway = new();

    public PlaygroundPageTests()
    {
        var catalog = new FakeCatalogClient();
        catalog.Models.Add(FakeCatalogClient.Model("openai/gpt-4o-mini", "OpenAI: GPT-4o mini", "0.00000015", "0.0000006"));
        catalog.Models.Add(FakeCatalogClient.Model("anthropic/claude-sonnet-4", "Anthropic: Claude Sonnet 4", "0.000003", "0.000015"));
        catalog.Models.Add(FakeCatalogClient.Model("openai/text-embedding-3-small", "Embeddings", "0.00000002", "0", output: ["embeddings"]));
        catalog.Providers.Add(new CatalogProvider("Together", "together", null, "US"));
        catalog.Providers.Add(new CatalogProvider("Groq", "groq", null, "US"));
        catalog.Providers.Add(new CatalogProvider("DeepInfra", "deepinfra", null, "US"));
        Services.AddSingleton<ICatalogClient>(catalog);
        Services.AddSingleton<IGatewayChatClient>(new GatewayChatClient(
            new HttpClient(_gateway) { BaseAddress = new Uri("http://gateway/") }, NullLogger<GatewayChatClient>.Instance));
        Billing.AddKey(UserId, "ada's app", hash: PlaygroundKey.Hash(AdasKey));
        Billing.AddKey("user-bob", "bob's app", hash: PlaygroundKey.Hash(BobsKey));
    }

    private static string Sse(params object[] chunks)
        => string.Concat(chunks.Select(chunk => $"data: {JsonSerializer.Serialize(chunk)}\n\n")) + "data: [DONE]\n\n";

    private static object Delta(string text) => new
    {
        id = "gen-1-abc", model = "openai/gpt-4o-mini", provider = "OpenAI",
        choices = new[] { new { index = 0, delta = new { content = text } } },
    };

    private static object Usage(int prompt, int completion, decimal cost) => new
    {
        id = "gen-1-abc", model = "openai/gpt-4o-mini", provider = "OpenAI", choices = Array.Empty<object>(),
        usage = new { prompt_tokens = prompt, completion_tokens = completion, total_tokens = prompt + completion, cost },
    };

    private IRenderedComponent<Playground> RenderWithKey(string key = AdasKey)
    {
        Render<MudPopoverProvider>();
        var page = Render<Playground>();
        page.WaitForState(() => page.FindAll(".playground-key input").Count == 1);
        page.Find(".playground-key input").Input(key);
        page.Find(".use-key").Click();
        return page;
    }

    private static void Send(IRenderedComponent<Playground> page, string text)
    {
        page.Find(".prompt-input textarea").Input(text);
        page.Find(".send").Click();
    }

    [Fact]
    public void Streams_the_reply_and_shows_tokens_cost_provider_and_model()
    {
        _gateway.Answer(HttpStatusCode.OK, Sse(Delta("Hello"), Delta(", Ada"), Delta("!"), Usage(12, 3, 0.0000054m)));
        var page = RenderWithKey();
        page.WaitForAssertion(() => Assert.Contains("ada's app", page.Find(".active-key").TextContent));

        Send(page, "Say hello");

        page.WaitForAssertion(() => Assert.Equal("Hello, Ada!", page.Find(".chat-message.assistant .message-content").TextContent));
        page.WaitForAssertion(() => Assert.Equal("12", page.Find(".prompt-tokens").TextContent));
        Assert.Equal("3", page.Find(".completion-tokens").TextContent);
        Assert.Equal("$0.0000054", page.Find(".reply-cost").TextContent);
        Assert.Equal("OpenAI", page.Find(".reply-provider").TextContent);
        Assert.Equal("openai/gpt-4o-mini", page.Find(".reply-model").TextContent);
        Assert.EndsWith(" s", page.Find(".reply-latency").TextContent);

        // The request: the pasted key as bearer, streaming with the usage chunk, the default model.
        var request = Assert.Single(_gateway.Requests);
        Assert.Equal("http://gateway/api/v1/chat/completions", request.Uri);
        Assert.Equal($"Bearer {AdasKey}", request.Authorization);
        using var body = JsonDocument.Parse(request.Body);
        Assert.True(body.RootElement.GetProperty("stream").GetBoolean());
        Assert.True(body.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal("openai/gpt-4o-mini", body.RootElement.GetProperty("model").GetString());
        Assert.False(body.RootElement.TryGetProperty("temperature", out _));
        // Untouched routing controls send no provider object: the account's saved preferences and the gateway's defaults apply.
        Assert.Equal("Default (price, load-balanced)", page.Find(".provider-sort input").GetAttribute("value"));
        Assert.False(body.RootElement.TryGetProperty("provider", out _));
        // The key never reaches the markup.
        Assert.DoesNotContain(AdasKey, page.Markup);
    }

    [Fact]
    public async Task Keeps_the_conversation_and_sends_the_chosen_model_and_parameters()
    {
        _gateway.Answer(HttpStatusCode.OK, Sse(Delta("First answer"), Usage(5, 2, 0.00001m)));
        _gateway.Answer(HttpStatusCode.OK, Sse(Delta("Second answer"), Usage(9, 2, 0.00002m)));
        var page = RenderWithKey();
        page.WaitForAssertion(() => page.Find(".active-key"));

        var picker = page.FindComponent<MudAutocomplete<string>>();
        var found = await picker.Instance.SearchFunc!("claude", Xunit.TestContext.Current.CancellationToken)!;
        Assert.Equal(["anthropic/claude-sonnet-4"], found);
        // Embedding models cannot chat and are not offered.
        Assert.DoesNotContain("openai/text-embedding-3-small", await picker.Instance.SearchFunc!("", Xunit.TestContext.Current.CancellationToken)!);
        await page.InvokeAsync(() => picker.Instance.ValueChanged.InvokeAsync("anthropic/claude-sonnet-4"));
        var temperature = page.FindComponent<MudNumericField<double?>>();
        await page.InvokeAsync(() => temperature.Instance.ValueChanged.InvokeAsync(0.3));
        var maxTokens = page.FindComponent<MudNumericField<int?>>();
        await page.InvokeAsync(() => maxTokens.Instance.ValueChanged.InvokeAsync(64));
        page.Find(".system-prompt textarea").Change("Be brief.");

        Send(page, "One");
        page.WaitForAssertion(() => Assert.Contains("First answer", page.Markup));
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".send")));
        Send(page, "Two");
        page.WaitForAssertion(() => Assert.Contains("Second answer", page.Markup));

        Assert.Equal(2, _gateway.Requests.Count);
        using var second = JsonDocument.Parse(_gateway.Requests[1].Body);
        Assert.Equal("anthropic/claude-sonnet-4", second.RootElement.GetProperty("model").GetString());
        Assert.Equal(0.3, second.RootElement.GetProperty("temperature").GetDouble());
        Assert.Equal(64, second.RootElement.GetProperty("max_tokens").GetInt32());
        var turns = second.RootElement.GetProperty("messages").EnumerateArray()
            .Select(turn => $"{turn.GetProperty("role").GetString()}: {turn.GetProperty("content").GetString()}");
        Assert.Equal(["system: Be brief.", "user: One", "assistant: First answer", "user: Two"], turns);
        Assert.Equal(4, page.FindAll(".chat-message").Count);
    }

    [Fact]
    public async Task Sends_the_chosen_provider_preferences_and_shows_who_served_the_reply()
    {
        _gateway.Answer(HttpStatusCode.OK, Sse(Delta("Routed"), Usage(4, 1, 0.000001m)));
        var popovers = Render<MudPopoverProvider>();
        var page = Render<Playground>();
        page.WaitForState(() => page.FindAll(".playground-key input").Count == 1);
        page.Find(".playground-key input").Input(AdasKey);
        page.Find(".use-key").Click();
        page.WaitForAssertion(() => page.Find(".active-key"));

        var selects = page.FindComponents<MudSelect<string>>();
        MudSelect<string> Select(string css) => selects.Single(select => select.Instance.Class!.Contains(css, StringComparison.Ordinal)).Instance;
        // The provider pickers offer the catalog's providers by name.
        await page.InvokeAsync(() => Select("provider-only").OpenMenu());
        popovers.WaitForAssertion(() => Assert.Equal(["DeepInfra", "Groq", "Together"],
            popovers.FindAll(".mud-popover-open .mud-list-item").Select(item => item.TextContent.Trim())));
        await page.InvokeAsync(() => Select("provider-only").CloseMenu());
        await page.InvokeAsync(() => Select("provider-sort").ValueChanged.InvokeAsync("throughput"));
        await page.InvokeAsync(() => Select("provider-only").SelectedValuesChanged.InvokeAsync(["groq", "deepinfra"]));
        await page.InvokeAsync(() => Select("provider-ignore").SelectedValuesChanged.InvokeAsync(["together"]));
        page.Find(".allow-fallbacks input").Change(false);
        page.WaitForAssertion(() => Assert.Equal("Throughput (fastest first)", page.Find(".provider-sort input").GetAttribute("value")));
        // The chosen providers show by name.
        page.WaitForAssertion(() => Assert.Equal(["DeepInfra", "Groq"],
            (page.Find(".provider-only input").GetAttribute("value") ?? "").Split(", ").Order(StringComparer.Ordinal)));

        Send(page, "Route me");

        page.WaitForAssertion(() => Assert.Equal("OpenAI", page.Find(".reply-provider").TextContent));
        var request = Assert.Single(_gateway.Requests);
        using var body = JsonDocument.Parse(request.Body);
        var provider = body.RootElement.GetProperty("provider");
        Assert.Equal("throughput", provider.GetProperty("sort").GetString());
        Assert.Equal(["deepinfra", "groq"], provider.GetProperty("only").EnumerateArray().Select(slug => slug.GetString()));
        Assert.Equal(["together"], provider.GetProperty("ignore").EnumerateArray().Select(slug => slug.GetString()));
        Assert.False(provider.GetProperty("allow_fallbacks").GetBoolean());
    }

    [Fact]
    public void Another_users_key_is_refused_and_never_sent()
    {
        var page = RenderWithKey(BobsKey);

        page.WaitForAssertion(() => Assert.Contains("does not belong to your account", page.Find(".key-problem").TextContent));
        Assert.Empty(page.FindAll(".active-key"));
        Assert.True(page.Find(".prompt-input textarea").HasAttribute("disabled"));
        Assert.Empty(_gateway.Requests);
    }

    [Fact]
    public void Something_that_is_not_a_key_is_refused()
    {
        var page = RenderWithKey("hello");

        page.WaitForAssertion(() => Assert.Contains("starts with sk-or-v1-", page.Find(".key-problem").TextContent));
        Assert.Empty(page.FindAll(".active-key"));
    }

    [Fact]
    public void An_error_answer_shows_openrouters_message()
    {
        _gateway.Answer(HttpStatusCode.PaymentRequired,
            """{"error":{"code":402,"message":"Insufficient credits: add more at /credits","metadata":{}}}""", "application/json");
        var page = RenderWithKey();
        page.WaitForAssertion(() => page.Find(".active-key"));

        Send(page, "Hi");

        page.WaitForAssertion(() => Assert.Equal("Insufficient credits: add more at /credits", page.Find(".reply-error").TextContent.Trim()));
        Assert.Empty(page.FindAll(".reply-stats"));
    }

    [Fact]
    public void An_error_chunk_after_the_stream_began_keeps_the_text_and_shows_the_error()
    {
        _gateway.Answer(HttpStatusCode.OK, Sse(Delta("Partial"), new
        {
            id = "gen-1-abc", choices = new[] { new { index = 0, delta = new { content = "" }, finish_reason = "error" } },
            error = new { code = 502, message = "Upstream stream broke" },
        }));
        var page = RenderWithKey();
        page.WaitForAssertion(() => page.Find(".active-key"));

        Send(page, "Hi");

        page.WaitForAssertion(() => Assert.Equal("Upstream stream broke", page.Find(".reply-error").TextContent.Trim()));
        Assert.Equal("Partial", page.Find(".chat-message.assistant .message-content").TextContent);
    }

    [Fact]
    public async Task Stop_cancels_the_stream_and_keeps_what_arrived()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes($"data: {JsonSerializer.Serialize(Delta("Once upon"))}\n\n"), Xunit.TestContext.Current.CancellationToken);
        _gateway.Answer(HttpStatusCode.OK, pipe.Reader.AsStream());
        var page = RenderWithKey();
        page.WaitForAssertion(() => page.Find(".active-key"));

        Send(page, "Tell a long story");
        page.WaitForAssertion(() => Assert.Equal("Once upon", page.Find(".chat-message.assistant .message-content").TextContent));
        page.Find(".stop").Click();

        page.WaitForAssertion(() => Assert.Single(page.FindAll(".reply-stopped")));
        Assert.Single(page.FindAll(".send"));
        Assert.Equal("Once upon", page.Find(".chat-message.assistant .message-content").TextContent);
    }

    private sealed record SentRequest(string Uri, string? Authorization, string Body);

    private sealed class FakeGateway : HttpMessageHandler
    {
        private readonly Queue<Func<HttpResponseMessage>> _answers = new();

        public List<SentRequest> Requests { get; } = [];

        public void Answer(HttpStatusCode status, string body, string mediaType = "text/event-stream")
            => _answers.Enqueue(() => new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) });

        public void Answer(HttpStatusCode status, Stream body)
            => _answers.Enqueue(() => new HttpResponseMessage(status) { Content = new StreamContent(body) });

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            lock (Requests)
            {
                Requests.Add(new SentRequest(request.RequestUri!.ToString(), request.Headers.Authorization?.ToString(), body));
            }
            return _answers.Dequeue()();
        }
    }
}
