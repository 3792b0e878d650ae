using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;
using OpenAI;
using OpenAI.Chat;

namespace IntegrationTests;

/// <summary>
/// Any model from the OpenAI-format API: Anthropic and Gemini providers are called in their own wire format
/// (the emulators speak it) and answer in OpenAI's. Streams keep the caller informed while waiting, and a
/// stream that breaks after it began ends with an error chunk and is still billed for what was delivered.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class WireFormatTests(AppHostFixture fixture)
{
    private static CancellationToken Timeout => TestAppHost.RequestToken;

    [Theory]
    [InlineData("anthropic/claude-sonnet-4", "Anthropic", "end_turn", 3.00, 15.00)]
    [InlineData("google/gemini-2.5-flash", "Google AI Studio", "STOP", 0.30, 2.50)]
    public async Task A_model_behind_another_api_format_answers_in_openai_format_with_its_cost(
        string model, string providerName, string nativeFinish, double promptPerMillion, double completionPerMillion)
    {
        var client = await CreateChatClientAsync(model);

        ClientResult<ChatCompletion> result = await client.CompleteChatAsync([new UserChatMessage("hello there friend")], cancellationToken: Timeout);

        Assert.Equal("Echo: hello there friend", result.Value.Content.Single().Text);
        Assert.Equal(ChatFinishReason.Stop, result.Value.FinishReason);
        using var json = JsonDocument.Parse(result.GetRawResponse().Content.ToMemory());
        var root = json.RootElement;
        Assert.Equal(providerName, root.GetProperty("provider").GetString());
        Assert.Equal(model, root.GetProperty("model").GetString());
        Assert.StartsWith("gen-", root.GetProperty("id").GetString());
        Assert.Equal(nativeFinish, root.GetProperty("choices")[0].GetProperty("native_finish_reason").GetString());
        var usage = root.GetProperty("usage");
        var expected = usage.GetProperty("prompt_tokens").GetInt32() * (decimal)promptPerMillion / 1_000_000m
            + usage.GetProperty("completion_tokens").GetInt32() * (decimal)completionPerMillion / 1_000_000m;
        Assert.Equal(expected, usage.GetProperty("cost").GetDecimal());
        Assert.True(result.Value.Usage.OutputTokenCount > 0);
    }

    [Theory]
    [InlineData("anthropic/claude-sonnet-4")]
    [InlineData("google/gemini-2.5-flash")]
    public async Task A_model_behind_another_api_format_streams_openai_chunks_with_usage(string model)
    {
        var client = await CreateChatClientAsync(model);

        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("stream me please")],
            new ChatCompletionOptions(), Timeout))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.Equal("Echo: stream me please", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.True(usage.OutputTokenCount > 0);
    }

    [Fact]
    public async Task A_slow_upstream_gets_processing_comments_before_the_first_chunk()
    {
        using var gateway = await CreateGatewayAsync();
        await using var slow = await EmulatorSettingsAsync("openai", new { TimeToFirstTokenMs = 2500 });

        var body = await StreamAsync(gateway, "openai/gpt-4o-mini");

        var comment = body.IndexOf(": OPENROUTER PROCESSING", StringComparison.Ordinal);
        var firstData = body.IndexOf("data: {", StringComparison.Ordinal);
        Assert.True(comment >= 0, "no processing comment was sent");
        Assert.True(comment < firstData, "the processing comment came after the data");
        Assert.EndsWith("data: [DONE]\n\n", body);
    }

    [Fact]
    public async Task A_stream_that_breaks_after_it_began_ends_with_an_error_chunk_and_bills_what_was_delivered()
    {
        using var gateway = await CreateGatewayAsync();
        await using var broken = await EmulatorSettingsAsync("openai", new { FailAfterTokens = 2, FailMode = "reset" });

        var body = await StreamAsync(gateway, "openai/gpt-4o-mini", "one two three four five six");

        var chunks = DataChunks(body);
        var last = chunks.Last();
        Assert.Equal("error", last.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(502, last.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains(chunks, chunk => chunk.GetProperty("choices").EnumerateArray()
            .Any(choice => choice.GetProperty("delta").TryGetProperty("content", out var content) && content.GetString()!.Length > 0));
        Assert.EndsWith("data: [DONE]\n\n", body);

        var generationId = last.GetProperty("id").GetString()!;
        using var generation = await TestAccounts.WaitForGenerationAsync(gateway, generationId);
        Assert.Equal("error", generation.RootElement.GetProperty("data").GetProperty("finish_reason").GetString());
        Assert.True(generation.RootElement.GetProperty("data").GetProperty("total_cost").GetDecimal() > 0);
    }

    [Fact]
    public async Task A_failure_after_processing_comments_is_told_in_the_stream_and_nothing_is_charged()
    {
        using var gateway = await CreateGatewayAsync();
        await using var failing = await EmulatorSettingsAsync("openai", new { TimeToFirstTokenMs = 1500, fail = "503" });

        using var response = await PostStreamAsync(gateway, "openai/gpt-4o-mini", "doomed");
        var body = await response.Content.ReadAsStringAsync(Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(": OPENROUTER PROCESSING", body);
        var error = Assert.Single(DataChunks(body));
        Assert.Equal("error", error.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(502, error.GetProperty("error").GetProperty("code").GetInt32());

        using var credits = JsonDocument.Parse(await gateway.GetStringAsync("/api/v1/credits", Timeout));
        Assert.Equal(0m, credits.RootElement.GetProperty("data").GetProperty("total_usage").GetDecimal());
    }

    [Fact]
    public async Task A_rate_limited_provider_is_relayed_as_429_with_its_retry_after()
    {
        using var gateway = await CreateGatewayAsync();
        await using var limited = await EmulatorSettingsAsync("openai", new { Fail = "429" });

        var response = await gateway.PostAsync("/api/v1/chat/completions", new StringContent(
            """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"), Timeout);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("Retry-After").Single());
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        Assert.Equal("OpenAI", error.RootElement.GetProperty("error").GetProperty("metadata").GetProperty("provider_name").GetString());
    }

    [Fact]
    public async Task Auto_answers_with_a_real_model_and_names_it()
    {
        using var gateway = await CreateGatewayAsync();

        var response = await gateway.PostAsync("/api/v1/chat/completions", new StringContent(
            """{"model":"openrouter/auto","messages":[{"role":"user","content":"pick for me"}]}""", Encoding.UTF8, "application/json"), Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var completion = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        Assert.Equal("openai/gpt-4o-mini", completion.RootElement.GetProperty("model").GetString());
        Assert.Equal("Echo: pick for me", completion.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_failing_endpoint_opens_its_circuit_and_is_tried_after_the_healthy_ones()
    {
        using var gateway = await CreateGatewayAsync();
        // Qwen3 32B: DeepInfra is cheapest and first; Groq is the fallback. DeepInfra now waits 3 s, then fails.
        await using var failing = await EmulatorSettingsAsync("deepinfra", new { TimeToFirstTokenMs = 3000, Fail = "503" });
        // sort: price keeps DeepInfra first until its circuit opens (the default order would draw it only mostly).
        var body = """{"model":"qwen/qwen3-32b","messages":[{"role":"user","content":"which provider"}],"provider":{"sort":"price"}}""";

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("Groq", await ProviderOfAsync(gateway, body));
        }
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var provider = await ProviderOfAsync(gateway, body);
        stopwatch.Stop();

        // Open circuit: Groq is asked first, without the 3 s detour through DeepInfra.
        Assert.Equal("Groq", provider);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2.5), $"took {stopwatch.Elapsed}: DeepInfra was still tried first");
    }

    private static async Task<string?> ProviderOfAsync(HttpClient gateway, string body)
    {
        var response = await gateway.PostAsync("/api/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var completion = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        return completion.RootElement.GetProperty("provider").GetString();
    }

    [Fact]
    public async Task A_caller_that_leaves_mid_stream_stops_the_upstream_and_is_billed_for_what_it_got()
    {
        using var gateway = await CreateGatewayAsync();
        await using var slow = await EmulatorSettingsAsync("openai", new { InterTokenDelayMs = 300 });
        var words = string.Join(' ', Enumerable.Range(1, 40).Select(i => $"word{i}"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat/completions")
        {
            Content = new StringContent(JsonSerializer.Serialize(new
            {
                model = "openai/gpt-4o-mini",
                stream = true,
                messages = new[] { new { role = "user", content = words } },
            }), Encoding.UTF8, "application/json"),
        };

        string? generationId;
        using (var response = await gateway.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Timeout))
        {
            generationId = response.Headers.GetValues("X-Generation-Id").Single();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Timeout));
            var received = 0;
            while (received < 3 && await reader.ReadLineAsync(Timeout) is { } line)
            {
                received += line.StartsWith("data: {", StringComparison.Ordinal) ? 1 : 0;
            }
            // Leaving: the connection closes with about 40 tokens still to come.
        }

        using var generation = await TestAccounts.WaitForGenerationAsync(gateway, generationId);
        var data = generation.RootElement.GetProperty("data");
        Assert.True(data.GetProperty("cancelled").GetBoolean());
        Assert.True(data.GetProperty("streamed").GetBoolean());
        Assert.True(data.GetProperty("total_cost").GetDecimal() > 0, "what was delivered was not charged");
        // No usage came: the gateway counted with o200k_base. The prompt: its reply priming (3), the message's
        // framing (3), the role and the text; the output: the few echoed words ("word1" is two tokens) relayed.
        var o200k = TiktokenTokenizer.CreateForEncoding("o200k_base");
        Assert.Equal(3 + 3 + o200k.CountTokens("user") + o200k.CountTokens(words), data.GetProperty("tokens_prompt").GetInt32());
        Assert.InRange(data.GetProperty("tokens_completion").GetInt32(), 1, 30);
    }

    private static List<JsonElement> DataChunks(string body)
        => [.. body.Split('\n')
            .Where(line => line.StartsWith("data: {", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line["data: ".Length..]).RootElement)];

    private static async Task<string> StreamAsync(HttpClient gateway, string model, string text = "hello")
    {
        using var response = await PostStreamAsync(gateway, model, text);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Timeout);
    }

    private static Task<HttpResponseMessage> PostStreamAsync(HttpClient gateway, string model, string text)
        => gateway.PostAsync("/api/v1/chat/completions", new StringContent(JsonSerializer.Serialize(new
        {
            model,
            stream = true,
            messages = new[] { new { role = "user", content = text } },
        }), Encoding.UTF8, "application/json"), Timeout);

    private Task<HttpClient> CreateGatewayAsync() => TestAccounts.CreateFundedGatewayClientAsync(fixture.App, creditsUsd: 5, "wire");

    private async Task<ChatClient> CreateChatClientAsync(string model)
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 5);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "sdk");
        return new ChatClient(model, new ApiKeyCredential(key.Secret), new OpenAIClientOptions
        {
            Endpoint = new Uri(fixture.App.GetEndpoint("gateway", "http"), "/api/v1"),
            NetworkTimeout = TestAppHost.RequestTimeout,
        });
    }

    /// <summary>Applies emulator settings to one provider until disposed.</summary>
    private Task<IAsyncDisposable> EmulatorSettingsAsync(string provider, object settings)
        => EmulatedProviderSettings.ApplyAsync(fixture.App, provider, settings);
}
