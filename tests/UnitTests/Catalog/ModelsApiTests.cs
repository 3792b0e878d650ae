using Catalog.Service.Models;

namespace UnitTests.Catalog;

public class ModelsApiTests
{
    [Theory]
    [InlineData("0.0000025", "0.0000025")]
    [InlineData("0.000002500000", "0.0000025")]
    [InlineData("0", "0")]
    [InlineData("0.000000075", "0.000000075")]
    [InlineData("1.5", "1.5")]
    public void Prices_are_plain_decimal_strings_without_exponent_or_trailing_zeros(string stored, string expected) =>
        Assert.Equal(expected, ModelsApi.FormatUsd(decimal.Parse(stored, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void The_cheapest_endpoint_speaks_for_the_model_and_parameters_are_the_union()
    {
        var model = new Model
        {
            Id = "deepseek/deepseek-chat",
            Name = "DeepSeek V3",
            CreatedAt = new DateTimeOffset(2024, 12, 26, 0, 0, 0, TimeSpan.Zero),
            ContextLength = 163_840,
            InputModalities = ["text", "image"],
            OutputModalities = ["text"],
            Endpoints =
            [
                Endpoint("deepseek", prompt: 0.00000027m, completion: 0.0000011m, maxCompletion: 8_192, "tools", "temperature"),
                Endpoint("deepinfra", prompt: 0.00000038m, completion: 0.00000089m, maxCompletion: 163_840, "top_k", "temperature"),
            ],
        };

        var response = ModelsApi.ToResponse(model);

        Assert.Equal("0.00000038", response.Pricing.Prompt);
        Assert.Equal("0.00000089", response.Pricing.Completion);
        Assert.Equal(163_840, response.TopProvider.MaxCompletionTokens);
        Assert.Equal(["temperature", "tools", "top_k"], response.SupportedParameters);
        Assert.Equal("text+image->text", response.Architecture.Modality);
        Assert.Equal(1735171200, response.Created);
    }

    private static ModelEndpoint Endpoint(string provider, decimal prompt, decimal completion, int maxCompletion, params string[] parameters) => new()
    {
        ModelId = "deepseek/deepseek-chat",
        ProviderSlug = provider,
        UpstreamModelName = "deepseek-chat",
        ContextLength = 163_840,
        MaxCompletionTokens = maxCompletion,
        PromptPrice = prompt,
        CompletionPrice = completion,
        SupportedParameters = parameters,
    };
}
