using Catalog.Service.Models;
using Catalog.Service.Providers;

namespace UnitTests.Catalog;

/// <summary>Small hand-made catalog rows for the mapping, filter and snapshot tests.</summary>
internal static class CatalogTestData
{
    public static Provider NewProvider(string slug, string name, bool enabled = true) => new()
    {
        Slug = slug,
        Name = name,
        BaseUrl = new Uri($"https://api.{slug}.example/v1"),
        WireFormat = WireFormat.OpenAIChat,
        IsEnabled = enabled,
        Headquarters = "US",
        DataRetentionDays = 0,
        ZeroDataRetention = true,
    };

    public static ModelEndpoint NewEndpoint(
        string modelId, Provider provider, decimal prompt, decimal completion, int maxCompletion = 8_192,
        string? quantization = null, params string[] parameters) => new()
    {
        Id = Math.Abs(HashCode.Combine(modelId, provider.Slug)) % 100_000,
        ModelId = modelId,
        ProviderSlug = provider.Slug,
        Provider = provider,
        UpstreamModelName = modelId.Split('/')[1],
        ContextLength = 163_840,
        MaxCompletionTokens = maxCompletion,
        Quantization = quantization,
        PromptPrice = prompt,
        CompletionPrice = completion,
        SupportedParameters = parameters,
    };

    public static Model NewModel(string id, string[]? outputs = null, string[]? categories = null, params ModelEndpoint[] endpoints) => new()
    {
        Id = id,
        CanonicalSlug = id + "-2025",
        Name = "Test: " + id,
        Description = "A model for tests.",
        CreatedAt = new DateTimeOffset(2024, 12, 26, 0, 0, 0, TimeSpan.Zero),
        ContextLength = 163_840,
        InputModalities = ["text", "image"],
        OutputModalities = outputs ?? ["text"],
        Tokenizer = "DeepSeek",
        Categories = categories ?? [],
        Endpoints = [.. endpoints],
    };
}
