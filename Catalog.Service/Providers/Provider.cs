namespace Catalog.Service.Providers;

/// <summary>An upstream inference provider (OpenAI, Anthropic, Together, ...).</summary>
public sealed class Provider
{
    /// <summary>Stable lowercase identifier, e.g. "openai", as used in routing preferences.</summary>
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public required Uri BaseUrl { get; set; }
    public WireFormat WireFormat { get; set; }
    public bool IsEnabled { get; set; } = true;
}

/// <summary>The HTTP dialect a provider speaks; the gateway picks an adapter by it.</summary>
public enum WireFormat
{
    OpenAIChat,
    AnthropicMessages,
    GeminiGenerateContent,
}
