using Catalog.Service.Models;
using static UnitTests.Catalog.CatalogTestData;

namespace UnitTests.Catalog;

public class ModelFilterTests
{
    private static readonly global::Catalog.Service.Providers.Provider Host = NewProvider("host", "Host");

    private static readonly Model Chat = NewModel("a/chat", categories: ["programming"], endpoints:
    [
        NewEndpoint("a/chat", Host, 1m, 1m, parameters: ["tools", "temperature"]),
        NewEndpoint("a/chat", NewProvider("other", "Other"), 1m, 1m, parameters: ["top_k"]),
    ]);

    private static readonly Model Painter = NewModel("a/painter", outputs: ["image", "text"], categories: ["marketing"],
        endpoints: [NewEndpoint("a/painter", Host, 1m, 1m, parameters: ["temperature"])]);

    private static readonly Model Embedder = NewModel("a/embedder", outputs: ["embeddings"],
        endpoints: [NewEndpoint("a/embedder", Host, 1m, 0m, parameters: ["dimensions"])]);

    private static readonly Model[] All = [Chat, Painter, Embedder];

    private static string[] Filter(string? parameters = null, string? modalities = null, string? category = null)
        => [.. All.Where(ModelFilter.Parse(parameters, modalities, category).Matches).Select(model => model.Id)];

    [Fact]
    public void By_default_only_models_that_output_text_are_listed() =>
        Assert.Equal(["a/chat", "a/painter"], Filter());

    [Theory]
    [InlineData("all", new[] { "a/chat", "a/painter", "a/embedder" })]
    [InlineData("ALL", new[] { "a/chat", "a/painter", "a/embedder" })]
    [InlineData("embeddings", new[] { "a/embedder" })]
    [InlineData("image", new[] { "a/painter" })]
    [InlineData("image, embeddings", new[] { "a/painter", "a/embedder" })]
    [InlineData("audio", new string[0])]
    [InlineData(" , ", new[] { "a/chat", "a/painter" })]
    public void Output_modalities_keep_models_producing_any_of_them(string modalities, string[] expected) =>
        Assert.Equal(expected, Filter(modalities: modalities));

    [Theory]
    [InlineData("tools", new[] { "a/chat" })]
    [InlineData("tools,top_k", new[] { "a/chat" })]
    [InlineData("temperature", new[] { "a/chat", "a/painter" })]
    [InlineData("temperature, tools", new[] { "a/chat" })]
    [InlineData("tools,seed", new string[0])]
    public void Supported_parameters_must_all_be_supported_by_some_endpoint(string parameters, string[] expected) =>
        Assert.Equal(expected, Filter(parameters: parameters));

    [Theory]
    [InlineData("programming", new[] { "a/chat" })]
    [InlineData("Marketing", new[] { "a/painter" })]
    [InlineData("roleplay", new string[0])]
    [InlineData("", new[] { "a/chat", "a/painter" })]
    public void Category_keeps_models_tagged_with_it(string category, string[] expected) =>
        Assert.Equal(expected, Filter(category: category));

    [Fact]
    public void Filters_combine() =>
        Assert.Equal(["a/embedder"], Filter(parameters: "dimensions", modalities: "all"));
}
