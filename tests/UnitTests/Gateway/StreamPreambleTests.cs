using System.Text.Json.Nodes;
using Gateway.Api.Inference;

namespace UnitTests.Gateway;

/// <summary>Which stream chunks count as output: only those do, so a stream broken before them may fall back.</summary>
public class StreamPreambleTests
{
    [Theory]
    [InlineData("""{"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}""")]
    [InlineData("""{"choices":[{"index":0,"delta":{"role":"assistant"}}]}""")]
    [InlineData("""{"choices":[{"index":0,"delta":{"role":"assistant","content":null}}]}""")]
    public void A_role_announcement_carries_nothing(string chunk)
        => Assert.True(InferenceApi.CarriesNothing(JsonNode.Parse(chunk)!.AsObject()));

    [Theory]
    [InlineData("""{"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}""")]
    [InlineData("""{"choices":[{"index":0,"delta":{"reasoning":"thinking"}}]}""")]
    [InlineData("""{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1"}]}}]}""")]
    [InlineData("""{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""")]
    [InlineData("""{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":0}}""")]
    [InlineData("""{"error":{"code":502,"message":"broken"},"choices":[{"index":0,"delta":{},"finish_reason":"error"}]}""")]
    public void Content_reasoning_tool_calls_a_finish_usage_or_an_error_are_output(string chunk)
        => Assert.False(InferenceApi.CarriesNothing(JsonNode.Parse(chunk)!.AsObject()));
}
