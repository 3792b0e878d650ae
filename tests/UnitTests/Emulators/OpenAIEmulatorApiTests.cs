using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Emulators.Common;
using Emulators.OpenAI;

namespace UnitTests.Emulators;

public class OpenAIEmulatorApiTests(EmulatorServer server) : IClassFixture<EmulatorServer>
{
    private const string ChatCompletionsPath = "/v1/chat/completions";

    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Post(string json, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, ChatCompletionsPath)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }
        return request;
    }

    private static string Serialize(ChatCompletionRequest request) =>
        JsonSerializer.Serialize(request, OpenAIJsonContext.Default.ChatCompletionRequest);

    private async Task<ChatCompletionResponse> CompleteAsync(ChatCompletionRequest request)
    {
        using var response = await server.Client.SendAsync(Post(Serialize(request)), CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync(CancellationToken);
        return JsonSerializer.Deserialize(body, OpenAIJsonContext.Default.ChatCompletionResponse)!;
    }

    private static async Task<OpenAIError> ReadErrorAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(CancellationToken);
        return JsonSerializer.Deserialize(body, OpenAIJsonContext.Default.OpenAIErrorResponse)!.Error;
    }

    [Fact]
    public async Task A_completion_echoes_the_user_message()
    {
        var completion = await CompleteAsync(ChatRequests.FromUser("Hello over HTTP"));

        Assert.Equal("Echo: Hello over HTTP", completion.Choices[0].Message.Content);
        Assert.StartsWith("chatcmpl-", completion.Id);
        Assert.Equal(ChatRequests.Model, completion.Model);
        Assert.Equal(7, completion.Usage.TotalTokens);
    }

    [Fact]
    public async Task A_stream_is_server_sent_events_ending_with_done_that_add_up_to_the_completion()
    {
        var request = ChatRequests.FromUser("stream these few words", maxTokens: 4) with
        {
            Stream = true,
            StreamOptions = new StreamOptions { IncludeUsage = true },
        };

        using var response = await server.Client.SendAsync(Post(Serialize(request)), CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync(CancellationToken);

        Assert.EndsWith("data: [DONE]\n\n", body);
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, sseEvent => Assert.StartsWith("data: ", sseEvent));
        var chunks = events[..^1]
            .Select(sseEvent => JsonSerializer.Deserialize(sseEvent["data: ".Length..], OpenAIJsonContext.Default.ChatCompletionChunk)!)
            .ToList();

        var expected = await CompleteAsync(request with { Stream = false });
        var streamedContent = string.Concat(chunks.SelectMany(chunk => chunk.Choices).Select(choice => choice.Delta.Content));
        Assert.Equal(expected.Choices[0].Message.Content, streamedContent);
        Assert.Equal("length", chunks[^2].Choices[0].FinishReason);
        Assert.Equal(expected.Usage, chunks[^1].Usage);
        Assert.Single(chunks.Select(chunk => chunk.Id).Distinct());
    }

    [Theory]
    [InlineData(429, "rate_limit_exceeded")]
    [InlineData(500, null)]
    [InlineData(503, null)]
    public async Task The_fail_header_answers_with_that_status_and_an_OpenAI_error(int status, string? code)
    {
        var request = Post(Serialize(ChatRequests.FromUser("hi")), (EmulatorDirectives.FailHeader, status.ToString()));

        using var response = await server.Client.SendAsync(request, CancellationToken);

        Assert.Equal(status, (int)response.StatusCode);
        var error = await ReadErrorAsync(response);
        Assert.Equal(code, error.Code);
        Assert.Contains("Emulated failure", error.Message);
    }

    [Theory]
    [InlineData("{\"model\":\"m\",\"messages\":[")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")]
    [InlineData("{\"model\":\"m\",\"messages\":[]}")]
    public async Task Malformed_or_incomplete_requests_get_400_with_an_invalid_request_error(string json)
    {
        using var response = await server.Client.SendAsync(Post(json), CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", (await ReadErrorAsync(response)).Type);
    }

    [Fact]
    public async Task The_latency_header_delays_the_reply()
    {
        var request = Post(Serialize(ChatRequests.FromUser("slowly")), (EmulatorDirectives.LatencyHeader, "300"));
        var stopwatch = Stopwatch.StartNew();

        using var response = await server.Client.SendAsync(request, CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(290), $"Answered after {stopwatch.Elapsed}.");
    }

    [Fact]
    public async Task Models_are_listed_in_the_OpenAI_list_shape()
    {
        var body = await server.Client.GetStringAsync("/v1/models", CancellationToken);

        var models = JsonSerializer.Deserialize(body, OpenAIJsonContext.Default.ModelList)!;
        Assert.Equal("list", models.Object);
        Assert.Contains(models.Data, model => model.Id == "gpt-4o-mini" && model.Object == "model");
    }
}
