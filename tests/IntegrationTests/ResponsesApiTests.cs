#pragma warning disable OPENAI001 // The SDK marks its Responses client experimental.
using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Responses;

namespace IntegrationTests;

/// <summary>
/// OpenAI's Responses format through the gateway with the official SDK (text, streaming) and raw HTTP (function
/// tools round trip, refusals), to models behind every wire format.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class ResponsesApiTests(AppHostFixture fixture)
{
    private static CancellationToken Timeout => TestAppHost.RequestToken;

    private async Task<(ResponsesClient Client, HttpClient Http)> ClientsAsync()
    {
        var owner = await TestAccounts.CreateAsync(fixture.App, creditsUsd: 5);
        var key = await TestAccounts.CreateInferenceKeyAsync(fixture.App, owner, "responses");
        var client = new ResponsesClient(new ApiKeyCredential(key.Secret), new ResponsesClientOptions
        {
            Endpoint = new Uri(fixture.App.GetEndpoint("gateway", "http"), "/api/v1"),
            NetworkTimeout = TestAppHost.RequestTimeout,
        });
        return (client, TestAccounts.CreateGatewayClient(fixture.App, key.Secret));
    }

    [Theory]
    [InlineData("openai/gpt-4o-mini")]
    [InlineData("anthropic/claude-sonnet-4")]
    [InlineData("google/gemini-2.5-flash")]
    public async Task The_sdk_gets_a_response_with_text_usage_and_the_generation_id(string model)
    {
        var (client, http) = await ClientsAsync();
        using var _ = http;

        ResponseResult response = await client.CreateResponseAsync(model, "Tell me about the gateway", cancellationToken: Timeout);

        Assert.StartsWith("gen-", response.Id, StringComparison.Ordinal);
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Contains("Tell me about the gateway", response.GetOutputText(), StringComparison.Ordinal);
        Assert.True(response.Usage.InputTokenCount > 0);
        Assert.True(response.Usage.OutputTokenCount > 0);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);

        using var generation = await TestAccounts.WaitForGenerationAsync(http, response.Id);
        Assert.Equal(model, generation.RootElement.GetProperty("data").GetProperty("model").GetString());
    }

    [Fact]
    public async Task The_sdk_streams_text_deltas_that_add_up_to_the_completed_response()
    {
        var (client, http) = await ClientsAsync();
        using var _ = http;

        var deltas = new StringBuilder();
        ResponseResult? completed = null;
        await foreach (var update in await client.CreateResponseStreamingAsync("openai/gpt-4o-mini", "Stream these words to me please", cancellationToken: Timeout))
        {
            switch (update)
            {
                case StreamingResponseOutputTextDeltaUpdate delta:
                    deltas.Append(delta.Delta);
                    break;
                case StreamingResponseCompletedUpdate done:
                    completed = done.Response;
                    break;
            }
        }

        Assert.NotNull(completed);
        Assert.Contains("Stream these words to me please", deltas.ToString(), StringComparison.Ordinal);
        Assert.Equal(deltas.ToString(), completed.GetOutputText());
        Assert.True(completed.Usage.OutputTokenCount > 0);
    }

    [Fact]
    public async Task A_function_tool_is_called_and_its_output_answered()
    {
        var (client, http) = await ClientsAsync();
        using var _ = http;
        var tools = new[] { new { type = "function", name = "get_weather", description = "Weather for a city",
            parameters = new { type = "object", properties = new { city = new { type = "string" } }, required = new[] { "city" } } } };

        var first = await PostAsync(http, new { model = "openai/gpt-4o-mini", input = "What is the weather in Paris?", tools, tool_choice = "required" });
        var call = Assert.Single(first.GetProperty("output").EnumerateArray(), item => item.GetProperty("type").GetString() == "function_call");
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        var callId = call.GetProperty("call_id").GetString()!;
        using (var arguments = JsonDocument.Parse(call.GetProperty("arguments").GetString()!))
        {
            Assert.Equal(JsonValueKind.Object, arguments.RootElement.ValueKind);
        }

        var second = await PostAsync(http, new
        {
            model = "openai/gpt-4o-mini",
            tools,
            input = new object[]
            {
                new { role = "user", content = "What is the weather in Paris?" },
                new { type = "function_call", call_id = callId, name = "get_weather", arguments = call.GetProperty("arguments").GetString() },
                new { type = "function_call_output", call_id = callId, output = "sunny, 21 C" },
            },
        });
        var message = Assert.Single(second.GetProperty("output").EnumerateArray(), item => item.GetProperty("type").GetString() == "message");
        Assert.Equal("completed", second.GetProperty("status").GetString());
        Assert.NotEmpty(message.GetProperty("content")[0].GetProperty("text").GetString()!);
    }

    [Fact]
    public async Task Stored_conversations_and_built_in_tools_are_refused_in_openrouters_error_format()
    {
        var (_, http) = await ClientsAsync();
        using var _ = http;

        foreach (var body in new object[]
        {
            new { model = "openai/gpt-4o-mini", input = "hi", previous_response_id = "resp_123" },
            new { model = "openai/gpt-4o-mini", input = "hi", tools = new[] { new { type = "web_search_preview" } } },
            new { model = "openai/gpt-4o-mini" },
        })
        {
            var response = await http.PostAsync("/api/v1/responses", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"), Timeout);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
            Assert.Equal(400, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        }
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, object body)
    {
        var response = await http.PostAsync("/api/v1/responses", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"), Timeout);
        var text = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }
}
