using System.Net;
using System.Text.Json;
using Emulators.Common;
using Emulators.Gemini;

namespace UnitTests.Emulators;

public class GenerateContentFactoryTests
{
    private const string Model = "gemini-2.5-flash";

    private static readonly ResponseStamp Stamp = new("resp-test");

    private static GenerateContentRequest Parse(string json) => JsonSerializer.Deserialize(json, GeminiJsonContext.Default.GenerateContentRequest)!;

    private static GenerateContentRequest FromUser(string text, string generationConfig = "{}") =>
        Parse($$"""{"contents":[{"role":"user","parts":[{"text":{{JsonSerializer.Serialize(text)}}}]}],"generationConfig":{{generationConfig}}}""");

    [Fact]
    public void The_response_echoes_the_last_user_turn_with_STOP_and_usage_metadata()
    {
        var request = Parse("""
            {
              "systemInstruction": { "parts": [{ "text": "Be brief." }] },
              "contents": [
                { "parts": [{ "text": "first" }] },
                { "role": "model", "parts": [{ "text": "Echo: first" }] },
                { "role": "user", "parts": [{ "text": "second turn" }, { "inlineData": { "mimeType": "image/png", "data": "iVBOR" } }] }
              ]
            }
            """);

        var response = GenerateContentFactory.CreateResponse(Model, request, Stamp);

        var candidate = Assert.Single(response.Candidates);
        Assert.Equal(("model", "Echo: second turn"), (candidate.Content.Role, Assert.Single(candidate.Content.Parts!).Text));
        Assert.Equal(("STOP", 0), (candidate.FinishReason, candidate.Index));
        Assert.Equal((Model, "resp-test"), (response.ModelVersion, response.ResponseId));
        var usage = response.UsageMetadata!;
        // System 2 + "first" 1 + "Echo: first" 2 + "second turn" 2.
        Assert.Equal((7, 3, 10), (usage.PromptTokenCount, usage.CandidatesTokenCount, usage.TotalTokenCount));
        Assert.Null(usage.ThoughtsTokenCount);
        Assert.Null(usage.CachedContentTokenCount);
    }

    [Fact]
    public void Max_output_tokens_cuts_the_reply_with_MAX_TOKENS()
    {
        var candidate = GenerateContentFactory.CreateResponse(Model, FromUser("one two three", """{"maxOutputTokens":2}"""), Stamp).Candidates[0];

        Assert.Equal(("Echo: one", "MAX_TOKENS"), (candidate.Content.Parts![0].Text, candidate.FinishReason));
    }

    [Fact]
    public void Stop_sequences_end_the_reply_with_STOP()
    {
        var candidate = GenerateContentFactory.CreateResponse(Model, FromUser("one two three", """{"stopSequences":["three"]}"""), Stamp).Candidates[0];

        Assert.Equal(("Echo: one two", "STOP"), (candidate.Content.Parts![0].Text, candidate.FinishReason));
    }

    [Fact]
    public void Thinking_reports_thoughts_tokens_outside_the_candidates_and_shows_thoughts_only_when_asked()
    {
        var hidden = GenerateContentFactory.CreateResponse(Model, FromUser("hi", """{"thinkingConfig":{"thinkingBudget":1024}}"""), Stamp);
        var shown = GenerateContentFactory.CreateResponse(Model, FromUser("hi", """{"thinkingConfig":{"thinkingBudget":1024,"includeThoughts":true}}"""), Stamp);

        Assert.Equal((64, 2, 1 + 2 + 64), (hidden.UsageMetadata!.ThoughtsTokenCount, hidden.UsageMetadata.CandidatesTokenCount, hidden.UsageMetadata.TotalTokenCount));
        Assert.Single(hidden.Candidates[0].Content.Parts!);
        var parts = shown.Candidates[0].Content.Parts!;
        Assert.Equal([true, null], parts.Select(part => part.Thought));
        Assert.Equal(64, TokenCounter.Count(parts[0].Text));
    }

    [Theory]
    [InlineData("""{"thinkingBudget":0}""", null)]
    [InlineData("""{"thinkingBudget":-1}""", 32)]
    [InlineData("""{"thinkingLevel":"low"}""", 16)]
    [InlineData("""{"thinkingLevel":"high"}""", 64)]
    public void The_thinking_config_sets_the_thoughts_tokens(string thinkingConfig, int? thoughts) =>
        Assert.Equal(thoughts, GenerateContentFactory.CreateResponse(Model, FromUser("hi", """{"thinkingConfig":""" + thinkingConfig + "}"), Stamp).UsageMetadata!.ThoughtsTokenCount);

    [Fact]
    public void A_long_prompt_reports_cached_content_tokens()
    {
        var usage = GenerateContentFactory.CreateResponse(Model, FromUser(string.Join(' ', Enumerable.Repeat("w", 2100))), Stamp).UsageMetadata!;

        Assert.Equal(2048, usage.CachedContentTokenCount);
    }

    [Fact]
    public void Json_mode_replies_with_a_json_object()
    {
        var plain = GenerateContentFactory.CreateResponse(Model, FromUser("hi there", """{"responseMimeType":"application/json"}"""), Stamp);
        var schema = GenerateContentFactory.CreateResponse(Model, FromUser("hi there",
            """{"responseMimeType":"application/json","responseSchema":{"type":"OBJECT","properties":{"answer":{"type":"STRING"}},"required":["answer"]}}"""), Stamp);

        Assert.Equal("Echo: hi there", JsonDocument.Parse(plain.Candidates[0].Content.Parts![0].Text!).RootElement.GetProperty("text").GetString());
        Assert.Equal("hi there", JsonDocument.Parse(schema.Candidates[0].Content.Parts![0].Text!).RootElement.GetProperty("answer").GetString());
    }

    private const string WeatherTools = """
        "tools": [{ "functionDeclarations": [
          { "name": "get_weather", "parameters": { "type": "OBJECT", "properties": { "city": { "type": "STRING" } }, "required": ["city"] } },
          { "name": "get_time" }
        ] }]
        """;

    [Fact]
    public void With_function_declarations_the_model_calls_the_first_with_args_from_its_schema()
    {
        var request = Parse($$"""{"contents":[{"role":"user","parts":[{"text":"Paris"}]}],{{WeatherTools}}}""");

        var response = GenerateContentFactory.CreateResponse(Model, request, Stamp);

        var call = Assert.Single(response.Candidates[0].Content.Parts!).FunctionCall!;
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", call.Args!.Value.GetProperty("city").GetString());
        Assert.Equal("STOP", response.Candidates[0].FinishReason);
        Assert.Equal(2, response.UsageMetadata!.CandidatesTokenCount);
    }

    [Fact]
    public void Mode_ANY_with_allowed_names_calls_that_function_and_NONE_answers_with_text()
    {
        var any = Parse("""{"contents":[{"parts":[{"text":"x"}]}],""" + WeatherTools + ""","toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_time"]}}}""");
        var none = Parse("""{"contents":[{"parts":[{"text":"x"}]}],""" + WeatherTools + ""","toolConfig":{"functionCallingConfig":{"mode":"NONE"}}}""");

        Assert.Equal("get_time", GenerateContentFactory.CreateResponse(Model, any, Stamp).Candidates[0].Content.Parts![0].FunctionCall!.Name);
        Assert.Equal("Echo: x", GenerateContentFactory.CreateResponse(Model, none, Stamp).Candidates[0].Content.Parts![0].Text);
    }

    [Fact]
    public void After_a_function_response_auto_answers_with_text()
    {
        var request = Parse("""
            {"contents":[
              {"role":"user","parts":[{"text":"Paris"}]},
              {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},
              {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"forecast":"sunny"}}}]}
            ],
            """ + WeatherTools + "}");

        var part = GenerateContentFactory.CreateResponse(Model, request, Stamp).Candidates[0].Content.Parts![0];

        Assert.Null(part.FunctionCall);
        Assert.Equal("""Echo: {"forecast":"sunny"}""", part.Text);
    }

    [Fact]
    public void Stream_chunks_carry_one_token_each_then_a_closing_chunk_with_finish_reason_and_usage()
    {
        var request = FromUser("stream me");

        var chunks = GenerateContentFactory.CreateChunks(Model, request, Stamp).ToList();
        var whole = GenerateContentFactory.CreateResponse(Model, request, Stamp);

        Assert.Equal(["Echo:", " stream", " me", ""], chunks.Select(chunk => chunk.Candidates[0].Content.Parts![0].Text));
        Assert.All(chunks[..^1], chunk => Assert.Null(chunk.UsageMetadata));
        Assert.All(chunks[..^1], chunk => Assert.Null(chunk.Candidates[0].FinishReason));
        Assert.Equal("STOP", chunks[^1].Candidates[0].FinishReason);
        Assert.Equal(whole.UsageMetadata, chunks[^1].UsageMetadata! with { PromptTokensDetails = whole.UsageMetadata!.PromptTokensDetails });
        Assert.Equal(3, chunks.Count(GenerateContentFactory.CarriesToken));
    }

    public static TheoryData<string, string> InvalidRequests => new()
    {
        { """{}""", "contents is not specified" },
        { """{"contents":[]}""", "contents is not specified" },
        { """{"contents":[{"role":"assistant","parts":[{"text":"x"}]}]}""", "valid role" },
        { """{"contents":[{"parts":[]}]}""", "parts must not be empty" },
        { """{"contents":[{"parts":[{}]}]}""", "oneof field 'data'" },
        { """{"contents":[{"parts":[{"text":"x"}]}],"generationConfig":{"maxOutputTokens":0}}""", "max_output_tokens" },
        { """{"contents":[{"parts":[{"text":"x"}]}],"generationConfig":{"thinkingConfig":{"thinkingBudget":99999}}}""", "thinking budget" },
        { """{"contents":[{"parts":[{"text":"x"}]}],"tools":[{"functionDeclarations":[{"name":"a"}]}],"toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["b"]}}}""", "'b'" },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public void Invalid_requests_get_Google_style_messages(string json, string expectedMessagePart) =>
        Assert.Contains(expectedMessagePart, GenerateContentValidator.Validate(Parse(json)));

    [Theory]
    [InlineData(400, "INVALID_ARGUMENT")]
    [InlineData(403, "PERMISSION_DENIED")]
    [InlineData(404, "NOT_FOUND")]
    [InlineData(429, "RESOURCE_EXHAUSTED")]
    [InlineData(500, "INTERNAL")]
    [InlineData(503, "UNAVAILABLE")]
    [InlineData(504, "DEADLINE_EXCEEDED")]
    public void Statuses_map_to_google_rpc_codes(int status, string code) =>
        Assert.Equal(code, GeminiErrors.StatusFor(status));
}

public class GeminiEmulatorApiTests(EmulatorServer server) : IClassFixture<EmulatorServer>
{
    private const string Body = """{"contents":[{"role":"user","parts":[{"text":"Hello Gemini"}]}]}""";

    private async Task<HttpResponseMessage> SendAsync(string path, string json = Body, params (string Name, string Value)[] headers) =>
        await server.Client.SendAsync(EmulatorHttp.Post(path, json, headers), EmulatorHttp.CancellationToken);

    [Theory]
    [InlineData("/v1beta/models/gemini-2.5-flash:generateContent?key=test-key")]
    [InlineData("/v1beta/models/gemini-2.0-flash-001:generateContent?key=test-key")]
    [InlineData("/providers/google/v1beta/models/gemini-2.5-pro:generateContent?key=test-key")]
    public async Task GenerateContent_binds_the_model_from_the_path_and_answers_in_Gemini_shape(string path)
    {
        using var response = await SendAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await EmulatorHttp.ReadJsonAsync(response);
        Assert.Equal(["candidates", "usageMetadata", "modelVersion", "responseId"], json.EnumerateObject().Select(p => p.Name));
        var model = path.Split("/models/")[1].Split(':')[0];
        Assert.Equal(model, json.GetProperty("modelVersion").GetString());
        var candidate = json.GetProperty("candidates")[0];
        Assert.Equal(["content", "finishReason", "index"], candidate.EnumerateObject().Select(p => p.Name));
        Assert.Equal("model", candidate.GetProperty("content").GetProperty("role").GetString());
        Assert.Equal("Echo: Hello Gemini", candidate.GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.Equal("STOP", candidate.GetProperty("finishReason").GetString());
        var usage = json.GetProperty("usageMetadata");
        Assert.Equal((2, 3, 5), (usage.GetProperty("promptTokenCount").GetInt32(), usage.GetProperty("candidatesTokenCount").GetInt32(), usage.GetProperty("totalTokenCount").GetInt32()));
        Assert.False(usage.TryGetProperty("thoughtsTokenCount", out _));
    }

    [Fact]
    public async Task The_api_key_header_is_accepted_and_a_missing_key_gets_403_PERMISSION_DENIED()
    {
        using var withHeader = await SendAsync("/v1beta/models/gemini-2.5-flash:generateContent", headers: ("x-goog-api-key", "k"));
        using var without = await SendAsync("/v1beta/models/gemini-2.5-flash:generateContent");

        Assert.Equal(HttpStatusCode.OK, withHeader.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, without.StatusCode);
        var error = (await EmulatorHttp.ReadJsonAsync(without)).GetProperty("error");
        Assert.Equal((403, "PERMISSION_DENIED"), (error.GetProperty("code").GetInt32(), error.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task StreamGenerateContent_with_alt_sse_sends_data_chunks_with_usage_on_the_last()
    {
        using var response = await SendAsync("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=k");

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = EmulatorHttp.ParseSse(await response.Content.ReadAsStringAsync(EmulatorHttp.CancellationToken));
        Assert.All(events, e => Assert.Null(e.Event));
        var texts = events.Select(e => e.Json.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.Equal("Echo: Hello Gemini", string.Concat(texts));
        Assert.All(events[..^1], e => Assert.False(e.Json.TryGetProperty("usageMetadata", out _)));
        Assert.Equal(5, events[^1].Json.GetProperty("usageMetadata").GetProperty("totalTokenCount").GetInt32());
        Assert.Equal("STOP", events[^1].Json.GetProperty("candidates")[0].GetProperty("finishReason").GetString());
        Assert.Single(events.Select(e => e.Json.GetProperty("responseId").GetString()).Distinct());
    }

    [Fact]
    public async Task StreamGenerateContent_without_alt_sse_streams_one_json_array()
    {
        using var response = await SendAsync("/v1beta/models/gemini-2.5-flash:streamGenerateContent?key=k");

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var array = await EmulatorHttp.ReadJsonAsync(response);
        Assert.Equal(4, array.GetArrayLength());
        Assert.Equal("STOP", array[3].GetProperty("candidates")[0].GetProperty("finishReason").GetString());
    }

    [Fact]
    public async Task CountTokens_counts_the_prompt()
    {
        using var response = await SendAsync("/v1beta/models/gemini-2.5-flash:countTokens?key=k");

        Assert.Equal(2, (await EmulatorHttp.ReadJsonAsync(response)).GetProperty("totalTokens").GetInt32());
    }

    [Theory]
    [InlineData("{\"contents\":")]
    [InlineData("""{"contents":[]}""")]
    public async Task Invalid_requests_get_400_INVALID_ARGUMENT(string json)
    {
        using var response = await SendAsync("/v1beta/models/gemini-2.5-flash:generateContent?key=k", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await EmulatorHttp.ReadJsonAsync(response)).GetProperty("error");
        Assert.Equal(["code", "message", "status"], error.EnumerateObject().Select(p => p.Name));
        Assert.Equal((400, "INVALID_ARGUMENT"), (error.GetProperty("code").GetInt32(), error.GetProperty("status").GetString()));
    }

    [Theory]
    [InlineData(429, "RESOURCE_EXHAUSTED")]
    [InlineData(500, "INTERNAL")]
    [InlineData(503, "UNAVAILABLE")]
    public async Task The_fail_header_answers_with_a_Google_error(int status, string code)
    {
        using var response = await SendAsync("/v1beta/models/gemini-2.5-flash:generateContent?key=k", headers: ("X-Emulator-Fail", status.ToString()));

        Assert.Equal(status, (int)response.StatusCode);
        var error = (await EmulatorHttp.ReadJsonAsync(response)).GetProperty("error");
        Assert.Equal((status, code), (error.GetProperty("code").GetInt32(), error.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task An_unknown_method_after_the_colon_is_not_found()
    {
        using var response = await SendAsync("/v1beta/models/gemini-2.5-flash:embedEverything?key=k");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
