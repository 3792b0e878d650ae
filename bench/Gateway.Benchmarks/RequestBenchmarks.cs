using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Gateway.Api.Credits;
using Gateway.Api.Inference;
using Gateway.Api.Routing;

namespace Gateway.Benchmarks;

/// <summary>
/// What the gateway does with a chat request body before the upstream call: the source-generated envelope
/// parse and validation, the strict <see cref="JsonNode"/> parse of the same bytes (the body is parsed twice),
/// the per-endpoint copy and its serialization, and the whole sequence with routing and the hold plan.
/// </summary>
[MemoryDiagnoser]
public class RequestBenchmarks
{
    private byte[] _body = null!;
    private JsonObject _upstream = null!;
    private ChatCompletionEnvelope _envelope = null!;
    private readonly CreditOptions _credits = new();

    /// <summary>small: the load test's body (~150 B); chat: a system + user turn with sampling options (~0.5 KB); long: a 40-turn conversation (~12 KB).</summary>
    [Params("small", "chat", "long")]
    public string Body { get; set; } = "chat";

    [GlobalSetup]
    public void Setup()
    {
        _body = Body switch
        {
            "small" => """{"model":"deepseek/deepseek-chat","messages":[{"role":"user","content":"Hello from the benchmark"}],"provider":{"only":["deepseek"],"allow_fallbacks":false}}"""u8.ToArray(),
            "chat" => BenchData.Bytes("chat-request.json"),
            _ => LongConversation(),
        };
        _upstream = ResponseRewriter.UpstreamRequest(_body);
        ChatCompletionRequestValidator.TryParse(_body, out var envelope);
        _envelope = envelope!;
    }

    private static byte[] LongConversation()
    {
        var messages = new JsonArray { new JsonObject { ["role"] = "system", ["content"] = "You are a concise assistant." } };
        for (var i = 0; i < 40; i++)
        {
            messages.Add(new JsonObject
            {
                ["role"] = i % 2 == 0 ? "user" : "assistant",
                ["content"] = string.Join(' ', Enumerable.Repeat($"turn {i} says something about routing, billing and streaming;", 5)),
            });
        }
        var body = new JsonObject
        {
            ["model"] = "deepseek/deepseek-chat",
            ["messages"] = messages,
            ["temperature"] = 0.3,
            ["stream"] = true,
            ["provider"] = new JsonObject { ["only"] = new JsonArray("deepseek") },
        };
        return ResponseRewriter.Serialize(body);
    }

    [Benchmark]
    public ChatCompletionEnvelope? Envelope_parse_and_validate()
    {
        ChatCompletionRequestValidator.TryParse(_body, out var envelope);
        return envelope;
    }

    [Benchmark]
    public JsonObject Strict_JsonNode_parse() => ResponseRewriter.UpstreamRequest(_body);

    [Benchmark]
    public byte[] For_endpoint_and_serialize() => ResponseRewriter.Serialize(ResponseRewriter.ForEndpoint(_upstream, null));

    /// <summary>Routing from the parsed envelope, the hold plan and the first endpoint's budget.</summary>
    [Benchmark]
    public EndpointBudget? Route_and_hold_plan()
    {
        var decision = EndpointRouter.Route(new RoutingRequest(_envelope.Model, _envelope.Models, _envelope.Provider, _envelope.UsedParameters()), BenchData.Catalog);
        var plan = HoldPlan.For(decision.Candidates, _body.Length, _envelope.RequestedMaxTokens(), _credits);
        return plan.BudgetFor(decision.Candidates[0], plan.MaximumNanos, _credits);
    }

    /// <summary>Everything between reading the body and sending upstream, but I/O: both parses, routing, the hold plan, the upstream body.</summary>
    [Benchmark(Baseline = true)]
    public byte[] Whole_request_path()
    {
        var upstream = ResponseRewriter.UpstreamRequest(_body);
        ChatCompletionRequestValidator.TryParse(_body, out var envelope);
        var decision = EndpointRouter.Route(new RoutingRequest(envelope!.Model, envelope.Models, envelope.Provider, envelope.UsedParameters()), BenchData.Catalog);
        var plan = HoldPlan.For(decision.Candidates, _body.Length, envelope.RequestedMaxTokens(), _credits);
        var budget = plan.BudgetFor(decision.Candidates[0], plan.MaximumNanos, _credits);
        return ResponseRewriter.Serialize(ResponseRewriter.ForEndpoint(upstream, budget?.LoweredMaxTokens));
    }
}
