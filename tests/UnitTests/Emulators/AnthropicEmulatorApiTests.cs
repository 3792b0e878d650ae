using System.Net;
using System.Text.Json;

namespace UnitTests.Emulators;

public class AnthropicEmulatorApiTests(EmulatorServer server) : IClassFixture<EmulatorServer>
{
    private const string Path = "/v1/messages";

    private const string Hello = """{"model":"claude-sonnet-4-5","max_tokens":50,"messages":[{"role":"user","content":"Hello Claude"}]}""";

    private async Task<HttpResponseMessage> SendAsync(string json, params (string Name, string Value)[] headers) =>
        await server.Client.SendAsync(EmulatorHttp.Post(Path, json, [.. EmulatorHttp.AnthropicHeaders, .. headers]), EmulatorHttp.CancellationToken);

    [Fact]
    public async Task A_message_has_Anthropic_field_names_and_values()
    {
        using var response = await SendAsync(Hello);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await EmulatorHttp.ReadJsonAsync(response);
        Assert.Equal(["id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage"], json.EnumerateObject().Select(p => p.Name));
        Assert.Matches("^msg_01[A-Za-z0-9]{22}$", json.GetProperty("id").GetString());
        Assert.Equal("message", json.GetProperty("type").GetString());
        Assert.Equal("assistant", json.GetProperty("role").GetString());
        var block = Assert.Single(json.GetProperty("content").EnumerateArray());
        Assert.Equal(["type", "text"], block.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Echo: Hello Claude", block.GetProperty("text").GetString());
        Assert.Equal("end_turn", json.GetProperty("stop_reason").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("stop_sequence").ValueKind);
        var usage = json.GetProperty("usage");
        Assert.Equal(["input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "output_tokens"], usage.EnumerateObject().Select(p => p.Name));
        Assert.Equal((2, 3), (usage.GetProperty("input_tokens").GetInt32(), usage.GetProperty("output_tokens").GetInt32()));
    }

    [Fact]
    public async Task A_stream_is_event_typed_SSE_in_Anthropic_order_adding_up_to_the_message()
    {
        using var response = await SendAsync("""{"model":"claude-sonnet-4-5","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"stream this please"}]}""");

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = EmulatorHttp.ParseSse(await response.Content.ReadAsStringAsync(EmulatorHttp.CancellationToken));
        Assert.Equal(
            ["message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta", "content_block_delta",
             "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Event));
        Assert.All(events, e => Assert.Equal(e.Event, e.Json.GetProperty("type").GetString()));
        var text = string.Concat(events.Where(e => e.Event == "content_block_delta").Select(e => e.Json.GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal("Echo: stream this please", text);
        Assert.Equal(3, events[0].Json.GetProperty("message").GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(4, events[^2].Json.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal("end_turn", events[^2].Json.GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Fact]
    public async Task A_repeated_long_cached_system_prompt_is_read_from_the_cache()
    {
        var system = JsonSerializer.Serialize(string.Join(' ', Enumerable.Repeat("rule", 1100)) + " " + Guid.NewGuid());
        var json = $$$"""
            {"model":"claude-sonnet-4-5","max_tokens":50,
             "system":[{"type":"text","text":{{{system}}},"cache_control":{"type":"ephemeral"}}],
             "messages":[{"role":"user","content":"question"}]}
            """;

        async Task<JsonElement> UsageAsync()
        {
            using var response = await SendAsync(json);
            return (await EmulatorHttp.ReadJsonAsync(response)).GetProperty("usage");
        }

        var first = await UsageAsync();
        var second = await UsageAsync();

        Assert.Equal((1, 1101, 0), (first.GetProperty("input_tokens").GetInt32(), first.GetProperty("cache_creation_input_tokens").GetInt32(), first.GetProperty("cache_read_input_tokens").GetInt32()));
        Assert.Equal((1, 0, 1101), (second.GetProperty("input_tokens").GetInt32(), second.GetProperty("cache_creation_input_tokens").GetInt32(), second.GetProperty("cache_read_input_tokens").GetInt32()));
    }

    [Fact]
    public async Task Count_tokens_counts_the_prompt()
    {
        using var response = await server.Client.SendAsync(EmulatorHttp.Post(Path + "/count_tokens",
            """{"model":"claude-sonnet-4-5","system":"Be brief","messages":[{"role":"user","content":"count these three"}]}""", EmulatorHttp.AnthropicHeaders),
            EmulatorHttp.CancellationToken);

        Assert.Equal(5, (await EmulatorHttp.ReadJsonAsync(response)).GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task A_missing_api_key_gets_401_authentication_error()
    {
        using var response = await server.Client.SendAsync(EmulatorHttp.Post(Path, Hello, ("anthropic-version", "2023-06-01")), EmulatorHttp.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var json = await EmulatorHttp.ReadJsonAsync(response);
        Assert.Equal("error", json.GetProperty("type").GetString());
        Assert.Equal("authentication_error", json.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_missing_version_header_gets_400()
    {
        using var response = await server.Client.SendAsync(EmulatorHttp.Post(Path, Hello, ("x-api-key", "k")), EmulatorHttp.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("anthropic-version", (await EmulatorHttp.ReadJsonAsync(response)).GetProperty("error").GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("{\"model\":")]
    [InlineData("""{"model":"c","messages":[{"role":"user","content":"x"}]}""")]
    [InlineData("""{"model":"c","max_tokens":5,"messages":[{"role":"user","content":42}]}""")]
    public async Task Malformed_or_incomplete_requests_get_400_invalid_request_error(string json)
    {
        using var response = await SendAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await EmulatorHttp.ReadJsonAsync(response);
        Assert.Equal(("error", "invalid_request_error"), (body.GetProperty("type").GetString(), body.GetProperty("error").GetProperty("type").GetString()));
    }

    [Theory]
    [InlineData(400, "invalid_request_error")]
    [InlineData(429, "rate_limit_error")]
    [InlineData(500, "api_error")]
    [InlineData(529, "overloaded_error")]
    public async Task The_fail_header_answers_with_that_status_and_Anthropic_error_type(int status, string type)
    {
        using var response = await SendAsync(Hello, ("X-Emulator-Fail", status.ToString()));

        Assert.Equal(status, (int)response.StatusCode);
        var body = await EmulatorHttp.ReadJsonAsync(response);
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal(type, body.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(status == 429, response.Headers.RetryAfter is not null);
    }
}
