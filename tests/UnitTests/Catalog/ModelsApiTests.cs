using System.Globalization;
using System.Text.Json;
using Catalog.Service.Models;
using static UnitTests.Catalog.CatalogTestData;

namespace UnitTests.Catalog;

public class ModelsApiTests
{
    private static readonly JsonSerializerOptions WireOptions = new(JsonSerializerDefaults.Web)
    {
        // As the service configures it (AddOpenRouterJson): snake_case, source-generated metadata.
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        TypeInfoResolver = CatalogJsonContext.Default,
    };

    [Theory]
    [InlineData("0.0000025", "0.0000025")]
    [InlineData("0.000002500000", "0.0000025")]
    [InlineData("0", "0")]
    [InlineData("0.000000000000", "0")]
    [InlineData("0.000000075", "0.000000075")]
    [InlineData("0.000000000001", "0.000000000001")]
    [InlineData("1.5", "1.5")]
    [InlineData("99999999.999999999999", "99999999.999999999999")]
    public void Prices_are_plain_decimal_strings_without_exponent_or_trailing_zeros(string stored, string expected) =>
        Assert.Equal(expected, ModelsApi.FormatUsd(decimal.Parse(stored, CultureInfo.InvariantCulture)));

    [Fact]
    public void The_cheapest_endpoint_speaks_for_the_model_and_parameters_are_the_union()
    {
        var deepseek = NewProvider("deepseek", "DeepSeek");
        var deepinfra = NewProvider("deepinfra", "DeepInfra");
        var model = NewModel("deepseek/deepseek-chat", endpoints:
        [
            NewEndpoint("deepseek/deepseek-chat", deepseek, prompt: 0.00000027m, completion: 0.0000011m, maxCompletion: 8_192, parameters: ["tools", "temperature"]),
            NewEndpoint("deepseek/deepseek-chat", deepinfra, prompt: 0.00000038m, completion: 0.00000089m, maxCompletion: 163_840, parameters: ["top_k", "temperature"]),
        ]);

        var response = ModelsApi.ToResponse(model);

        Assert.Equal("0.00000038", response.Pricing.Prompt);
        Assert.Equal("0.00000089", response.Pricing.Completion);
        Assert.Equal(163_840, response.TopProvider.MaxCompletionTokens);
        Assert.Equal(["temperature", "tools", "top_k"], response.SupportedParameters);
        Assert.Equal("text+image->text", response.Architecture.Modality);
        Assert.Equal(1735171200, response.Created);
        Assert.Equal("deepseek/deepseek-chat-2025", response.CanonicalSlug);
        Assert.Equal("", response.HuggingFaceId);
        Assert.Null(response.Pricing.Discount);
    }

    [Theory]
    [InlineData(new[] { "text" }, new[] { "text" }, "text->text")]
    [InlineData(new[] { "text", "image", "file", "audio" }, new[] { "text" }, "text+image->text")]
    [InlineData(new[] { "text" }, new[] { "embeddings" }, "text->embeddings")]
    [InlineData(new[] { "text", "image" }, new[] { "text", "image" }, "text+image->text+image")]
    [InlineData(new[] { "audio" }, new[] { "text" }, "audio->text")]
    public void Modality_summarises_text_and_image_inputs_as_OpenRouter_does(string[] inputs, string[] outputs, string expected) =>
        Assert.Equal(expected, ModelsApi.Modality(inputs, outputs));

    [Fact]
    public void A_model_in_the_list_has_OpenRouters_fields_in_snake_case()
    {
        var openai = NewProvider("openai", "OpenAI");
        var endpoint = NewEndpoint("openai/gpt-4o", openai, 0.0000025m, 0.00001m);
        endpoint.InputCacheReadPrice = 0.00000125m;
        endpoint.ImagePrice = 0.003613m;
        var model = NewModel("openai/gpt-4o", endpoints: [endpoint]);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(new ModelListResponse([ModelsApi.ToResponse(model)]), WireOptions));
        var item = json.RootElement.GetProperty("data")[0];

        Assert.Equal(
            ["id", "canonical_slug", "hugging_face_id", "name", "created", "description", "context_length", "architecture",
             "pricing", "top_provider", "per_request_limits", "supported_parameters"],
            item.EnumerateObject().Select(property => property.Name));
        Assert.Equal(
            ["modality", "input_modalities", "output_modalities", "tokenizer", "instruct_type"],
            item.GetProperty("architecture").EnumerateObject().Select(property => property.Name));
        var pricing = item.GetProperty("pricing");
        Assert.Equal(["prompt", "completion", "request", "image", "internal_reasoning", "input_cache_read"],
            pricing.EnumerateObject().Select(property => property.Name));
        Assert.Equal("0.00000125", pricing.GetProperty("input_cache_read").GetString());
        Assert.Equal("0.003613", pricing.GetProperty("image").GetString());
        Assert.Equal(["context_length", "max_completion_tokens", "is_moderated"],
            item.GetProperty("top_provider").EnumerateObject().Select(property => property.Name));
        Assert.Equal(JsonValueKind.Null, item.GetProperty("per_request_limits").ValueKind);
    }

    [Fact]
    public void Endpoints_response_lists_every_provider_cheapest_first_in_OpenRouters_shape()
    {
        var deepseek = NewProvider("deepseek", "DeepSeek");
        var deepinfra = NewProvider("deepinfra", "DeepInfra");
        var cheap = NewEndpoint("deepseek/deepseek-chat", deepinfra, 0.00000038m, 0.00000089m, quantization: "fp8", parameters: ["tools"]);
        cheap.Stats = new EndpointStats
        {
            EndpointId = cheap.Id,
            LatencyP50Last30m = 420, LatencyP75Last30m = 510, LatencyP90Last30m = 700, LatencyP99Last30m = 1_200,
            ThroughputP50Last30m = 35.5, ThroughputP75Last30m = 30, ThroughputP90Last30m = 22, ThroughputP99Last30m = 9,
            UptimeLast30m = 99.5, UptimeLast1d = 98.25,
        };
        var firstParty = NewEndpoint("deepseek/deepseek-chat", deepseek, 0.00000027m, 0.0000011m, parameters: ["tools", "logprobs"]);
        firstParty.InputCacheReadPrice = 0.00000007m;
        firstParty.SupportsImplicitCaching = true;
        firstParty.Status = EndpointStatus.Degraded;
        var model = NewModel("deepseek/deepseek-chat", endpoints: [firstParty, cheap]);

        var data = ModelsApi.ToEndpointsData(model);

        Assert.Equal("deepseek/deepseek-chat", data.Id);
        Assert.Equal(["DeepInfra", "DeepSeek"], data.Endpoints.Select(endpoint => endpoint.ProviderName));
        var top = data.Endpoints[0];
        Assert.Equal("DeepInfra | deepseek/deepseek-chat", top.Name);
        Assert.Equal("deepseek/deepseek-chat-2025", top.ModelId);
        Assert.Equal("Test: deepseek/deepseek-chat", top.ModelName);
        Assert.Equal("deepinfra/fp8", top.Tag);
        Assert.Equal("fp8", top.Quantization);
        Assert.Equal(0, top.Status);
        Assert.Equal(99.5, top.UptimeLast30m);
        Assert.Equal(98.25, top.UptimeLast1d);
        Assert.Equal(new PercentileStatsResponse(420, 510, 700, 1_200), top.LatencyLast30m);
        Assert.Equal(new PercentileStatsResponse(35.5, 30, 22, 9), top.ThroughputLast30m);
        Assert.Equal(0m, top.Pricing.Discount);
        Assert.Null(top.Pricing.InputCacheRead);

        var second = data.Endpoints[1];
        Assert.Equal("deepseek", second.Tag);
        Assert.Equal("unknown", second.Quantization);
        Assert.Equal(-1, second.Status);
        Assert.True(second.SupportsImplicitCaching);
        Assert.Equal("0.00000007", second.Pricing.InputCacheRead);
        Assert.Null(second.UptimeLast30m);
        Assert.Null(second.LatencyLast30m);
    }

    [Fact]
    public void Endpoints_response_serialises_with_OpenRouters_field_names()
    {
        var openai = NewProvider("openai", "OpenAI");
        var model = NewModel("openai/gpt-4o", endpoints: [NewEndpoint("openai/gpt-4o", openai, 0.0000025m, 0.00001m)]);

        var json = JsonSerializer.Serialize(new ModelEndpointsResponse(ModelsApi.ToEndpointsData(model)), WireOptions);
        using var document = JsonDocument.Parse(json);
        var data = document.RootElement.GetProperty("data");

        Assert.Equal(["id", "name", "created", "description", "architecture", "endpoints"],
            data.EnumerateObject().Select(property => property.Name));
        var endpoint = data.GetProperty("endpoints")[0];
        Assert.Equal(
            ["name", "model_id", "model_name", "context_length", "pricing", "provider_name", "tag", "quantization",
             "max_completion_tokens", "max_prompt_tokens", "supported_parameters", "status", "uptime_last_30m", "uptime_last_1d",
             "supports_implicit_caching", "latency_last_30m", "throughput_last_30m"],
            endpoint.EnumerateObject().Select(property => property.Name));
        Assert.Equal(["prompt", "completion", "request", "image", "internal_reasoning", "discount"],
            endpoint.GetProperty("pricing").EnumerateObject().Select(property => property.Name));
        Assert.Equal("0.0000025", endpoint.GetProperty("pricing").GetProperty("prompt").GetString());
        Assert.Equal(0, endpoint.GetProperty("pricing").GetProperty("discount").GetDecimal());
        Assert.Equal("0", endpoint.GetProperty("pricing").GetProperty("discount").GetRawText());
        Assert.Equal(JsonValueKind.Null, endpoint.GetProperty("latency_last_30m").ValueKind);
    }
}
