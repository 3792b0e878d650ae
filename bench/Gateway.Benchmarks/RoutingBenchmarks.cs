using BenchmarkDotNet.Attributes;
using Gateway.Api.Inference;
using Gateway.Api.Routing;

namespace Gateway.Benchmarks;

/// <summary>EndpointRouter.Route over a catalog the size of the seeded one, for the request shapes the gateway sees most.</summary>
[MemoryDiagnoser]
public class RoutingBenchmarks
{
    private RoutingRequest _plain = null!;
    private RoutingRequest _onlyOne = null!;
    private RoutingRequest _sortedWithFallbacks = null!;
    private RoutingRequest _auto = null!;

    [GlobalSetup]
    public void Setup()
    {
        _plain = Request("""{"model":"deepseek/deepseek-chat","messages":[{"role":"user","content":"hi"}]}""");
        _onlyOne = Request("""{"model":"deepseek/deepseek-chat","messages":[{"role":"user","content":"hi"}],"provider":{"only":["deepseek"],"allow_fallbacks":false}}""");
        _sortedWithFallbacks = Request("""{"model":"deepseek/deepseek-chat:nitro","models":["author1/model-1","author2/model-2"],"messages":[{"role":"user","content":"hi"}],"temperature":0.2,"provider":{"ignore":["together"],"quantizations":["fp8","bf16"],"max_price":{"prompt":2,"completion":4}}}""");
        _auto = Request("""{"model":"openrouter/auto","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":{}}}]}""");
    }

    private static RoutingRequest Request(string json)
    {
        var problem = ChatCompletionRequestValidator.TryParse(System.Text.Encoding.UTF8.GetBytes(json), out var envelope);
        if (problem is not null)
        {
            throw new InvalidOperationException(problem);
        }
        var request = new RoutingRequest(envelope!.Model, envelope.Models, envelope.Provider, envelope.UsedParameters());
        if (EndpointRouter.Route(request, BenchData.Catalog).IsError)
        {
            throw new InvalidOperationException($"{json} does not route");
        }
        return request;
    }

    [Benchmark(Baseline = true)]
    public RoutingDecision Model_only() => EndpointRouter.Route(_plain, BenchData.Catalog);

    [Benchmark]
    public RoutingDecision Provider_only_no_fallbacks() => EndpointRouter.Route(_onlyOne, BenchData.Catalog);

    [Benchmark]
    public RoutingDecision Nitro_with_filters_and_fallback_models() => EndpointRouter.Route(_sortedWithFallbacks, BenchData.Catalog);

    [Benchmark]
    public RoutingDecision Auto_with_tools() => EndpointRouter.Route(_auto, BenchData.Catalog);
}
