using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Emulators.Common;

namespace UnitTests.Emulators;

/// <summary>A wire format as the fault tests drive it: where to post a streaming request, and how to read its events.</summary>
public sealed record WireFormatCase(string Name, string Path, string StreamingBody, string Body, (string Name, string Value)[] Headers, Func<SseEvent, bool> IsToken)
{
    private const string Words = "one two three four five";

    public static WireFormatCase OpenAI { get; } = new(
        "openai",
        "/v1/chat/completions",
        $$"""{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"{{Words}}"}]}""",
        $$"""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"{{Words}}"}]}""",
        [],
        e => e.Data.StartsWith('{') && EmulatorHttp.IsJson(e.Data) && e.Json.TryGetProperty("choices", out var choices)
             && choices.GetArrayLength() > 0 && choices[0].GetProperty("delta").TryGetProperty("content", out var content) && content.GetString()!.Length > 0);

    public static WireFormatCase Anthropic { get; } = new(
        "anthropic",
        "/v1/messages",
        $$"""{"model":"claude-sonnet-4-5","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"{{Words}}"}]}""",
        $$"""{"model":"claude-sonnet-4-5","max_tokens":100,"messages":[{"role":"user","content":"{{Words}}"}]}""",
        EmulatorHttp.AnthropicHeaders,
        e => e.Event == "content_block_delta" && EmulatorHttp.IsJson(e.Data));

    public static WireFormatCase Gemini { get; } = new(
        "gemini",
        "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=k",
        $$"""{"contents":[{"role":"user","parts":[{"text":"{{Words}}"}]}]}""",
        $$"""{"contents":[{"role":"user","parts":[{"text":"{{Words}}"}]}]}""",
        [],
        e => EmulatorHttp.IsJson(e.Data) && e.Json.TryGetProperty("candidates", out var candidates)
             && !candidates[0].TryGetProperty("finishReason", out _) && candidates[0].GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString()!.Length > 0);

    public static TheoryData<string> Names => ["openai", "anthropic", "gemini"];

    public static WireFormatCase For(string name) => name switch
    {
        "openai" => OpenAI,
        "anthropic" => Anthropic,
        _ => Gemini,
    };

    /// <summary>The non-streaming path (Gemini's differs; the others send stream: false in the body).</summary>
    public string NonStreamingPath => Path.Replace(":streamGenerateContent?alt=sse&", ":generateContent?", StringComparison.Ordinal);

    public HttpRequestMessage Stream(params (string Name, string Value)[] faultHeaders) =>
        EmulatorHttp.Post(Path, StreamingBody, [.. Headers, .. faultHeaders]);

    public HttpRequestMessage Request(params (string Name, string Value)[] faultHeaders) =>
        EmulatorHttp.Post(NonStreamingPath, Body, [.. Headers, .. faultHeaders]);
}

public class FaultInjectionApiTests(EmulatorServer server) : IClassFixture<EmulatorServer>
{
    private const string AfterTokens = EmulatorDirectives.FailAfterTokensHeader;
    private const string Mode = EmulatorDirectives.FailModeHeader;

    private async Task<HttpResponseMessage> StartAsync(HttpRequestMessage request)
    {
        var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, EmulatorHttp.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    [Theory]
    [MemberData(nameof(WireFormatCase.Names), MemberType = typeof(WireFormatCase))]
    public async Task A_reset_after_n_tokens_breaks_the_clients_read_after_exactly_those_tokens(string format)
    {
        var wire = WireFormatCase.For(format);
        using var response = await StartAsync(wire.Stream((AfterTokens, "2"), (Mode, "reset")));

        var (events, failure) = await EmulatorHttp.ReadSseUntilEndAsync(response);

        Assert.NotNull(failure);
        Assert.Equal(2, events.Count(wire.IsToken));
        Assert.All(events, e => Assert.True(EmulatorHttp.IsJson(e.Data)));
    }

    [Theory]
    [MemberData(nameof(WireFormatCase.Names), MemberType = typeof(WireFormatCase))]
    public async Task A_malformed_chunk_after_n_tokens_is_the_last_event_and_is_not_json(string format)
    {
        var wire = WireFormatCase.For(format);
        using var response = await StartAsync(wire.Stream((AfterTokens, "3"), (Mode, "malformed")));

        var (events, failure) = await EmulatorHttp.ReadSseUntilEndAsync(response);

        Assert.Null(failure);
        Assert.Equal(3, events.Count(wire.IsToken));
        Assert.False(EmulatorHttp.IsJson(events[^1].Data));
        Assert.StartsWith("{", events[^1].Data);
        Assert.DoesNotContain(events, e => e.Data == "[DONE]" || e.Event == "message_stop");
    }

    [Fact]
    public async Task An_OpenAI_stream_failing_after_n_tokens_ends_with_an_error_object_and_no_done()
    {
        using var response = await StartAsync(WireFormatCase.OpenAI.Stream((EmulatorDirectives.FailHeader, "503"), (AfterTokens, "1")));

        var (events, _) = await EmulatorHttp.ReadSseUntilEndAsync(response);

        Assert.Equal(1, events.Count(WireFormatCase.OpenAI.IsToken));
        var error = events[^1].Json.GetProperty("error");
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.DoesNotContain(events, e => e.Data == "[DONE]");
    }

    [Fact]
    public async Task An_Anthropic_stream_failing_after_n_tokens_ends_with_an_error_event()
    {
        using var response = await StartAsync(WireFormatCase.Anthropic.Stream((EmulatorDirectives.FailHeader, "529"), (AfterTokens, "2")));

        var (events, _) = await EmulatorHttp.ReadSseUntilEndAsync(response);

        Assert.Equal(["message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta", "error"], events.Select(e => e.Event));
        Assert.Equal("error", events[^1].Json.GetProperty("type").GetString());
        Assert.Equal("overloaded_error", events[^1].Json.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_Gemini_stream_failing_after_n_tokens_ends_with_a_google_error_chunk()
    {
        using var response = await StartAsync(WireFormatCase.Gemini.Stream((AfterTokens, "0")));

        var (events, _) = await EmulatorHttp.ReadSseUntilEndAsync(response);

        var error = Assert.Single(events).Json.GetProperty("error");
        Assert.Equal((500, "INTERNAL"), (error.GetProperty("code").GetInt32(), error.GetProperty("status").GetString()));
    }

    [Theory]
    [MemberData(nameof(WireFormatCase.Names), MemberType = typeof(WireFormatCase))]
    public async Task Hang_never_answers_until_the_client_gives_up_and_the_emulator_keeps_serving(string format)
    {
        var wire = WireFormatCase.For(format);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(EmulatorHttp.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server.Client.SendAsync(wire.Request((EmulatorDirectives.FailHeader, "hang")), timeout.Token));

        using var next = await server.Client.SendAsync(wire.Request(), EmulatorHttp.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Hang_after_n_tokens_stalls_a_started_stream()
    {
        using var response = await StartAsync(WireFormatCase.OpenAI.Stream((AfterTokens, "2"), (Mode, "hang")));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(EmulatorHttp.CancellationToken));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(EmulatorHttp.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(500));

        var lines = new List<string>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
            }
        });

        Assert.Equal(2, EmulatorHttp.ParseSse(string.Join('\n', lines) + "\n\n").Count(WireFormatCase.OpenAI.IsToken));
    }

    [Theory]
    [MemberData(nameof(WireFormatCase.Names), MemberType = typeof(WireFormatCase))]
    public async Task A_reset_before_the_reply_fails_the_request(string format)
    {
        var wire = WireFormatCase.For(format);

        await Assert.ThrowsAsync<HttpRequestException>(() =>
            server.Client.SendAsync(wire.Request((EmulatorDirectives.FailHeader, "reset")), EmulatorHttp.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(WireFormatCase.Names), MemberType = typeof(WireFormatCase))]
    public async Task A_malformed_non_streaming_reply_is_200_with_truncated_json(string format)
    {
        var wire = WireFormatCase.For(format);

        using var response = await server.Client.SendAsync(wire.Request((Mode, "malformed")), EmulatorHttp.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(EmulatorHttp.CancellationToken);
        Assert.StartsWith("{", body);
        Assert.False(EmulatorHttp.IsJson(body));
    }

    [Fact]
    public async Task A_status_failure_before_the_reply_waits_for_the_time_to_first_token()
    {
        var stopwatch = Stopwatch.StartNew();

        using var response = await server.Client.SendAsync(
            WireFormatCase.Anthropic.Request((EmulatorDirectives.FailHeader, "500"), (EmulatorDirectives.LatencyHeader, "300")), EmulatorHttp.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(290), $"Failed after {stopwatch.Elapsed}.");
    }

    [Fact]
    public async Task The_inter_token_delay_header_paces_a_stream()
    {
        var stopwatch = Stopwatch.StartNew();

        // "Echo: one two three four five" is 6 tokens: 5 delays of 60 ms after the first.
        using var response = await server.Client.SendAsync(
            WireFormatCase.Gemini.Stream((EmulatorDirectives.InterTokenDelayHeader, "60")), EmulatorHttp.CancellationToken);
        await response.Content.ReadAsStringAsync(EmulatorHttp.CancellationToken);

        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(290), $"Streamed in {stopwatch.Elapsed}.");
    }

    [Theory]
    [InlineData(EmulatorDirectives.FailModeHeader, "sideways")]
    [InlineData(EmulatorDirectives.FailHeader, "hang")]
    public async Task Bad_or_conflicting_fault_headers_get_400_in_the_provider_format(string header, string value)
    {
        using var response = await server.Client.SendAsync(
            WireFormatCase.Anthropic.Request((header, value), (EmulatorDirectives.FailModeHeader, header == EmulatorDirectives.FailHeader ? "reset" : value)),
            EmulatorHttp.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", (await EmulatorHttp.ReadJsonAsync(response)).GetProperty("error").GetProperty("type").GetString());
    }
}

/// <summary>An emulator with per-provider settings, as the AppHost or a test would configure them.</summary>
public sealed class ConfiguredEmulatorServer : EmulatorServer
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Emulator:Providers:flaky:Fail"] = "503",
        ["Emulator:Providers:slow:TimeToFirstTokenMs"] = "300",
        ["Emulator:Providers:cut:FailAfterTokens"] = "1",
        ["Emulator:Providers:cut:FailMode"] = "reset",
    };
}

public class ProviderFaultApiTests(ConfiguredEmulatorServer server) : IClassFixture<ConfiguredEmulatorServer>
{
    [Theory]
    [MemberData(nameof(WireFormatCase.Names), MemberType = typeof(WireFormatCase))]
    public async Task A_configured_provider_fault_applies_under_its_route_prefix_only(string format)
    {
        var wire = WireFormatCase.For(format);

        using var failing = await server.Client.SendAsync(
            EmulatorHttp.Post("/providers/flaky" + wire.NonStreamingPath, wire.Body, wire.Headers), EmulatorHttp.CancellationToken);
        using var healthy = await server.Client.SendAsync(
            EmulatorHttp.Post("/providers/other" + wire.NonStreamingPath, wire.Body, wire.Headers), EmulatorHttp.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
    }

    [Fact]
    public async Task The_provider_header_selects_the_provider_and_fault_headers_override_it()
    {
        using var failing = await server.Client.SendAsync(WireFormatCase.OpenAI.Request((EmulatedProviders.ProviderHeader, "Flaky")), EmulatorHttp.CancellationToken);
        using var rescued = await server.Client.SendAsync(
            WireFormatCase.OpenAI.Request((EmulatedProviders.ProviderHeader, "flaky"), (EmulatorDirectives.FailHeader, "none")), EmulatorHttp.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rescued.StatusCode);
    }

    [Fact]
    public async Task A_configured_time_to_first_token_delays_that_provider()
    {
        var stopwatch = Stopwatch.StartNew();

        using var response = await server.Client.SendAsync(
            EmulatorHttp.Post("/providers/slow" + WireFormatCase.Anthropic.Path, WireFormatCase.Anthropic.Body, WireFormatCase.Anthropic.Headers), EmulatorHttp.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(290), $"Answered after {stopwatch.Elapsed}.");
    }

    [Fact]
    public async Task A_configured_mid_stream_reset_breaks_that_providers_streams()
    {
        using var response = await server.Client.SendAsync(
            EmulatorHttp.Post("/providers/cut" + WireFormatCase.OpenAI.Path, WireFormatCase.OpenAI.StreamingBody), HttpCompletionOption.ResponseHeadersRead, EmulatorHttp.CancellationToken);

        var (events, failure) = await EmulatorHttp.ReadSseUntilEndAsync(response);

        Assert.NotNull(failure);
        Assert.Equal(1, events.Count(WireFormatCase.OpenAI.IsToken));
    }

    [Fact]
    public async Task The_control_api_takes_a_provider_down_and_brings_it_back()
    {
        var path = "/providers/togglable" + WireFormatCase.OpenAI.NonStreamingPath;

        using var put = await server.Client.PutAsync("/emulator/providers/togglable",
            new StringContent("""{"fail":"429"}""", System.Text.Encoding.UTF8, "application/json"), EmulatorHttp.CancellationToken);
        using var down = await server.Client.SendAsync(EmulatorHttp.Post(path, WireFormatCase.OpenAI.Body), EmulatorHttp.CancellationToken);
        var listed = JsonDocument.Parse(await server.Client.GetStringAsync("/emulator/providers", EmulatorHttp.CancellationToken)).RootElement;
        using var delete = await server.Client.DeleteAsync("/emulator/providers/togglable", EmulatorHttp.CancellationToken);
        using var up = await server.Client.SendAsync(EmulatorHttp.Post(path, WireFormatCase.OpenAI.Body), EmulatorHttp.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, down.StatusCode);
        Assert.Equal("429", listed.GetProperty("togglable").GetProperty("fail").GetString());
        Assert.Equal("503", listed.GetProperty("flaky").GetProperty("fail").GetString());
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
    }

    [Fact]
    public async Task The_control_api_refuses_invalid_settings()
    {
        using var response = await server.Client.PutAsync("/emulator/providers/broken",
            new StringContent("""{"failMode":"explode"}""", System.Text.Encoding.UTF8, "application/json"), EmulatorHttp.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
