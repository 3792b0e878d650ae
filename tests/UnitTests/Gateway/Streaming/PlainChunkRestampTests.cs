using System.Text;
using System.Text.Json.Nodes;
using Gateway.Api.Credits;
using Gateway.Api.Inference;
using Gateway.Api.Providers;
using Gateway.Api.Streaming;
using OpenRouterClone.Catalog.Snapshot;

namespace UnitTests.Gateway.Streaming;

/// <summary>The byte-level relay must give the caller and the meter exactly what the object path gives them.</summary>
public class PlainChunkRestampTests
{
    private static readonly SnapshotPricing Pricing = new(1m / 1_000_000m, 2m / 1_000_000m, 0, 0, null, null, 0, 0);
    private static readonly ResponseStamp Stamp = new("gen-1795642390-abcDEF0123456789xyzA", "openai/gpt-4o", "OpenAI");

    private static GenerationMeter NewMeter() => new(Pricing, new PromptTokens(new JsonObject()), TimeProvider.System);

    /// <summary>What the object path makes of a chunk: the OpenAI adapter's parse and <see cref="ResponseRewriter.Finish"/>.</summary>
    private static JsonNode ObjectPath(string chunk, GenerationMeter meter)
    {
        var parsed = Assert.Single(new OpenAIChatAdapter().OpenStream().OnEvent(null, Encoding.UTF8.GetBytes(chunk)));
        ResponseRewriter.Finish(parsed, Stamp, meter);
        return parsed;
    }

    [Theory]
    [InlineData("""{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1795642390,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}]}""")]
    [InlineData("""{ "choices": [ { "delta": { "content": "spaced \"quoted\" caf\u00e9 \ud83d\ude00" }, "index": 0 } ], "model": "m", "id": "up-1", "provider": "Upstream" }""")]
    [InlineData("""{"id":"chatcmpl-2","model":"deepseek-reasoner","choices":[{"index":0,"delta":{"role":"assistant","reasoning":"Let me think","content":null},"finish_reason":null}],"usage":null}""")]
    [InlineData("""{"id":"chatcmpl-3","model":"gpt-4o","choices":[{"index":0,"delta":{"content":"a"}},{"index":1,"delta":{"content":"b"}}]}""")]
    public void A_plain_chunk_comes_out_as_the_object_path_makes_it(string chunk)
    {
        var byBytes = NewMeter();
        var byObjects = NewMeter();

        Assert.True(new PlainChunkRestamp(Stamp).TryRestamp(Encoding.UTF8.GetBytes(chunk), byBytes, out var restamped));

        var caller = JsonNode.Parse(restamped)!;
        Assert.True(JsonNode.DeepEquals(ObjectPath(chunk, byObjects), caller), caller.ToJsonString());
        Assert.Equal(Stamp.GenerationId, (string?)caller["id"]);
        Assert.Equal(Stamp.Provider, (string?)caller["provider"]);
        Assert.Equal(byObjects.UpstreamId, byBytes.UpstreamId);
        Assert.Equal(byObjects.OutputChunks, byBytes.OutputChunks);
        Assert.True(byBytes.OutputChunks > 0);
        // No usage came: both count the relayed text with the tokenizer, and must have kept the same text.
        Assert.Equal(byObjects.Usage, byBytes.Usage);
        Assert.NotNull(byBytes.FirstTokenAt);
    }

    [Fact]
    public void The_first_upstream_id_is_the_one_kept()
    {
        var meter = NewMeter();
        var restamp = new PlainChunkRestamp(Stamp);
        Assert.True(restamp.TryRestamp("""{"id":"first","model":"m","choices":[{"delta":{"content":"a"}}]}"""u8, meter, out _));
        Assert.True(restamp.TryRestamp("""{"id":"second","model":"m","choices":[{"delta":{"content":"b"}}]}"""u8, meter, out _));
        Assert.Equal("first", meter.UpstreamId);
        Assert.Equal(2, meter.OutputChunks);
    }

    [Fact]
    public void Stamp_values_are_escaped_as_JSON()
    {
        var stamp = new ResponseStamp("gen-1", "vendor/model \"quoted\" <x>", "Prov\\ider");
        Assert.True(new PlainChunkRestamp(stamp).TryRestamp("""{"id":"a","model":"b","choices":[]}"""u8, NewMeter(), out var restamped));
        var caller = JsonNode.Parse(restamped)!;
        Assert.Equal(stamp.Model, (string?)caller["model"]);
        Assert.Equal(stamp.Provider, (string?)caller["provider"]);
    }

    [Theory]
    [InlineData("""{"id":"a","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""")]
    [InlineData("""{"id":"a","model":"m","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":5,"total_tokens":8}}""")]
    [InlineData("""{"id":"a","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"f","arguments":""}}]}}]}""")]
    [InlineData("""{"id":"a","model":"m","error":{"code":500,"message":"boom"},"choices":[]}""")]
    [InlineData("""{"id":"a","model":"m","choices":[{"delta":{"content":"a","annotations":[]}}]}""")]
    [InlineData("""{"model":"m","choices":[{"delta":{"content":"no id"}}]}""")]
    [InlineData("""{"id":"a","choices":[{"delta":{"content":"no model"}}]}""")]
    [InlineData("{\"id\":\"a\",\"model\":\"m\",\n\"choices\":[{\"delta\":{\"content\":\"two lines\"}}]}")]
    [InlineData("""{"id":"a","model":"m","choices":[{"delta":{"content":"cut""")]
    [InlineData("""{"id":"a","model":"m","choices":[]} trailing""")]
    [InlineData("""{"id":7,"model":"m","choices":[]}""")]
    [InlineData("[DONE]")]
    [InlineData("")]
    public void Any_other_chunk_is_left_to_the_object_path_untouched(string chunk)
    {
        var meter = NewMeter();
        Assert.False(new PlainChunkRestamp(Stamp).TryRestamp(Encoding.UTF8.GetBytes(chunk), meter, out _));
        Assert.Null(meter.UpstreamId);
        Assert.Equal(0, meter.OutputChunks);
        Assert.Null(meter.FirstTokenAt);
    }
}
