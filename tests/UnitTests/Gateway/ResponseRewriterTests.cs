using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Api.Credits;
using Gateway.Api.Inference;
using OpenRouterClone.Catalog.Snapshot;

namespace UnitTests.Gateway;

public partial class ResponseRewriterTests
{
    private static readonly ResponseStamp Stamp = new("gen-1700000000-abcdefghijklmnopqrst", "deepseek/deepseek-chat", "DeepInfra");

    // $0.27 / $1.10 per million tokens, cache reads at $0.07.
    internal static readonly SnapshotPricing Pricing = new(0.00000027m, 0.0000011m, 0, 0, 0.00000007m, null, 0, 0);

    internal static GenerationMeter NewMeter() => new(Pricing, new PromptTokens(new JsonObject()), TimeProvider.System);

    [Fact]
    public void A_completion_gets_the_generation_id_the_openrouter_model_the_provider_and_its_cost_and_keeps_the_rest()
    {
        var completion = JsonNode.Parse("""
            {"id":"chatcmpl-123","object":"chat.completion","created":1,"model":"deepseek-ai/DeepSeek-V3",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Echo: hi"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}
            """)!.AsObject();
        var meter = NewMeter();

        ResponseRewriter.Finish(completion, Stamp, meter);

        Assert.Equal(Stamp.GenerationId, completion["id"]!.GetValue<string>());
        Assert.Equal("deepseek/deepseek-chat", completion["model"]!.GetValue<string>());
        Assert.Equal("DeepInfra", completion["provider"]!.GetValue<string>());
        Assert.Equal("chat.completion", completion["object"]!.GetValue<string>());
        Assert.Equal("Echo: hi", completion["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal(3, completion["usage"]!["total_tokens"]!.GetValue<int>());
        // 1 × $0.27/M + 2 × $1.10/M
        Assert.Equal(0.00000247m, completion["usage"]!["cost"]!.GetValue<decimal>());
        Assert.Equal("chatcmpl-123", meter.UpstreamId);
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("SAFETY", "content_filter")]
    [InlineData("stop", "stop")]
    public void Finish_reasons_are_normalised_and_the_providers_own_is_kept(string native, string normalised)
    {
        var chunk = JsonNode.Parse($$"""{"choices":[{"index":0,"delta":{},"finish_reason":"{{native}}"}]}""")!.AsObject();

        ResponseRewriter.Finish(chunk, Stamp, NewMeter());

        Assert.Equal(normalised, chunk["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(native, chunk["choices"]![0]!["native_finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public void A_lowered_max_tokens_applies_to_a_copy_and_streams_always_ask_for_usage()
    {
        var request = ResponseRewriter.UpstreamRequest(Encoding.UTF8.GetBytes("""{"model":"m","messages":[],"stream":true}"""));

        var lowered = ResponseRewriter.ForEndpoint(request, loweredMaxTokens: 42);
        var unchanged = ResponseRewriter.ForEndpoint(request, loweredMaxTokens: null);

        Assert.Equal(42, lowered["max_tokens"]!.GetValue<int>());
        Assert.Null(unchanged["max_tokens"]);
        Assert.True(unchanged["stream_options"]!["include_usage"]!.GetValue<bool>());
    }

    [Fact]
    public void Generation_ids_look_like_openrouters()
    {
        var id = ResponseRewriter.NewGenerationId(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

        Assert.Matches(GenerationId(), id);
        Assert.StartsWith("gen-1700000000-", id);
        Assert.NotEqual(id, ResponseRewriter.NewGenerationId(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)));
    }

    [Fact]
    public void Thinking_turns_reasoning_on_for_that_endpoint_only_unless_the_caller_chose_it()
    {
        var plain = ResponseRewriter.UpstreamRequest(Encoding.UTF8.GetBytes("""{"model":"m","messages":[]}"""));
        var chosen = ResponseRewriter.UpstreamRequest(Encoding.UTF8.GetBytes("""{"model":"m","messages":[],"reasoning":{"effort":"low"}}"""));

        var thinking = ResponseRewriter.ForEndpoint(plain, loweredMaxTokens: null, thinking: true);

        Assert.True(thinking["reasoning"]!["enabled"]!.GetValue<bool>());
        Assert.Null(plain["reasoning"]);
        Assert.Equal("low", ResponseRewriter.ForEndpoint(chosen, null, thinking: true)["reasoning"]!["effort"]!.GetValue<string>());
    }

    [Fact]
    public void The_upstream_request_drops_openrouter_only_fields()
    {
        var request = ResponseRewriter.UpstreamRequest(Encoding.UTF8.GetBytes("""
            {"model":"deepseek/deepseek-chat","models":["a/b"],"provider":{"order":["x"]},"transforms":[],"route":"fallback",
             "usage":{"include":true},"messages":[{"role":"user","content":"hi"}],"temperature":0.5,"stream":false}
            """));

        Assert.Equal(["model", "messages", "temperature", "stream"], request.Select(property => property.Key));
        Assert.Equal(0.5, request["temperature"]!.GetValue<double>());
    }

    [Fact]
    public void The_request_reports_the_well_known_parameters_it_uses()
    {
        Assert.Null(ChatCompletionRequestValidator.TryParse(Encoding.UTF8.GetBytes("""
            {"model":"m/x","messages":[{"role":"user","content":"hi"}],"tools":[],"temperature":0,"max_completion_tokens":5,
             "top_p":null,"seed":1,"provider":{"require_parameters":true,"max_price":{"prompt":1}}}
            """), out var envelope));

        Assert.Equal(["tools", "temperature", "seed", "max_tokens"], envelope!.UsedParameters());
        Assert.True(envelope.Provider!.RequireParameters);
        Assert.Equal(1m, envelope.Provider.MaxPrice!.Prompt);
    }

    [Theory]
    [InlineData("""{"model":"m/x","messages":[{"role":"user","content":"hi"}],"provider":"deepinfra"}""")]
    [InlineData("""{"model":"m/x","messages":[{"role":"user","content":"hi"}],"provider":{"order":"deepinfra"}}""")]
    [InlineData("""{"model":"m/x","messages":[{"role":"user","content":"hi"}],"provider":{"sort":"fastest"}}""")]
    [InlineData("""{"model":"m/x","messages":[{"role":"user","content":"hi"}],"models":"a/b"}""")]
    [InlineData("""{"model":"m/x","messages":[{"role":"user","content":"hi"}],"models":[]}""")]
    [InlineData("""{"model":"m/x","messages":[{"role":"user","content":"hi"}],"models":[1]}""")]
    public void Malformed_provider_or_models_is_a_bad_request(string body)
        => Assert.NotNull(ChatCompletionRequestValidator.Validate(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void A_models_list_can_stand_in_for_the_model()
        => Assert.Null(ChatCompletionRequestValidator.Validate(Encoding.UTF8.GetBytes(
            """{"models":["a/b","c/d"],"messages":[{"role":"user","content":"hi"}]}""")));

    [GeneratedRegex("^gen-[0-9]+-[A-Za-z0-9]{20}$")]
    private static partial Regex GenerationId();
}
