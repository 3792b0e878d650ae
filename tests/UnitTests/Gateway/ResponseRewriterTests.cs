using System.Text;
using System.Text.Json;
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

    internal static GenerationMeter NewMeter(int promptTokenBound = 100) => new(Pricing, promptTokenBound, TimeProvider.System);

    [Fact]
    public void A_completion_gets_the_generation_id_the_openrouter_model_and_the_provider_and_keeps_the_rest()
    {
        var upstream = """
            {"id":"chatcmpl-123","object":"chat.completion","created":1,"model":"deepseek-ai/DeepSeek-V3",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Echo: hi"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}
            """;

        var rewritten = ResponseRewriter.RewriteCompletion(Encoding.UTF8.GetBytes(upstream), Stamp, NewMeter());

        Assert.NotNull(rewritten);
        using var json = JsonDocument.Parse(rewritten);
        var root = json.RootElement;
        Assert.Equal(Stamp.GenerationId, root.GetProperty("id").GetString());
        Assert.Equal("deepseek/deepseek-chat", root.GetProperty("model").GetString());
        Assert.Equal("DeepInfra", root.GetProperty("provider").GetString());
        Assert.Equal("chat.completion", root.GetProperty("object").GetString());
        Assert.Equal("Echo: hi", root.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(3, root.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Theory]
    [InlineData("""{"id":"x","choices":[""")]
    [InlineData("[1,2]")]
    [InlineData("")]
    public void A_body_that_is_not_a_json_object_is_refused(string upstream)
        => Assert.Null(ResponseRewriter.RewriteCompletion(Encoding.UTF8.GetBytes(upstream), Stamp, NewMeter()));

    [Fact]
    public void A_stream_chunk_is_stamped_and_keeps_its_delta()
    {
        var line = """data: {"id":"chatcmpl-1","object":"chat.completion.chunk","model":"deepseek-chat","choices":[{"index":0,"delta":{"content":" one"}}]}""";

        var rewritten = ResponseRewriter.RewriteStreamLine(line, Stamp, NewMeter());

        Assert.StartsWith("data: {", rewritten);
        using var json = JsonDocument.Parse(rewritten["data: ".Length..]);
        Assert.Equal(Stamp.GenerationId, json.RootElement.GetProperty("id").GetString());
        Assert.Equal("deepseek/deepseek-chat", json.RootElement.GetProperty("model").GetString());
        Assert.Equal("DeepInfra", json.RootElement.GetProperty("provider").GetString());
        Assert.Equal(" one", json.RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString());
    }

    [Fact]
    public void A_data_line_without_a_space_keeps_its_form()
    {
        var rewritten = ResponseRewriter.RewriteStreamLine("""data:{"id":"a","choices":[]}""", Stamp, NewMeter());

        Assert.StartsWith("data:{", rewritten);
        Assert.Contains("\"provider\":\"DeepInfra\"", rewritten);
    }

    [Theory]
    [InlineData("data: [DONE]")]
    [InlineData(": OPENROUTER PROCESSING")]
    [InlineData("event: message")]
    [InlineData("")]
    [InlineData("""data: {"error":{"code":500,"message":"boom"}}""")]
    [InlineData("""data: {"id":"cut","choi""")]
    public void Done_comments_errors_and_cut_chunks_pass_unchanged(string line)
        => Assert.Equal(line, ResponseRewriter.RewriteStreamLine(line, Stamp, NewMeter()));

    [Fact]
    public void Generation_ids_look_like_openrouters()
    {
        var id = ResponseRewriter.NewGenerationId(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

        Assert.Matches(GenerationId(), id);
        Assert.StartsWith("gen-1700000000-", id);
        Assert.NotEqual(id, ResponseRewriter.NewGenerationId(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)));
    }

    [Fact]
    public void The_upstream_body_names_the_providers_model_and_drops_openrouter_only_fields()
    {
        var request = ResponseRewriter.UpstreamRequest(Encoding.UTF8.GetBytes("""
            {"model":"deepseek/deepseek-chat","models":["a/b"],"provider":{"order":["x"]},"transforms":[],"route":"fallback",
             "usage":{"include":true},"messages":[{"role":"user","content":"hi"}],"temperature":0.5,"stream":true}
            """));

        using var first = JsonDocument.Parse(ResponseRewriter.UpstreamBody(request, "deepseek-ai/DeepSeek-V3", loweredMaxTokens: null));
        using var second = JsonDocument.Parse(ResponseRewriter.UpstreamBody(request, "deepseek-chat", loweredMaxTokens: null));

        Assert.Equal("deepseek-ai/DeepSeek-V3", first.RootElement.GetProperty("model").GetString());
        Assert.Equal("deepseek-chat", second.RootElement.GetProperty("model").GetString());
        Assert.Equal(["model", "messages", "temperature", "stream", "stream_options"],
            second.RootElement.EnumerateObject().Select(property => property.Name));
        // Billing needs the usage chunk, so streams always ask for it.
        Assert.True(second.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal(0.5, second.RootElement.GetProperty("temperature").GetDouble());
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

public class EventRelayTests
{
    [Fact]
    public async Task Events_are_relayed_in_order_with_data_chunks_stamped_and_the_rest_intact()
    {
        var upstream = "data: {\"id\":\"up\",\"model\":\"x\",\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\r\n\r\n"
            + ": keep-alive\n\n"
            + "data: {\"error\":{\"message\":\"late\"}}\n\n"
            + "data: [DONE]\n\n";
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        using var output = new MemoryStream();
        context.Response.Body = output;
        var stamp = new ResponseStamp("gen-1-abc", "m/x", "Prov");

        await InferenceApi.RelayEventsAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(upstream)), context.Response, stamp,
            ResponseRewriterTests.NewMeter(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);

        var lines = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n');
        Assert.Equal("""data: {"id":"gen-1-abc","model":"m/x","choices":[{"delta":{"content":"Hi"}}],"provider":"Prov"}""", lines[0]);
        Assert.Equal(["", ": keep-alive", "", "data: {\"error\":{\"message\":\"late\"}}", "", "data: [DONE]", "", ""], lines[1..]);
    }
}
