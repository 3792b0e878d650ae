namespace Catalog.Service.Providers;

/// <summary>An upstream inference provider (OpenAI, Anthropic, Together, ...).</summary>
public sealed class Provider
{
    /// <summary>Stable lowercase identifier, e.g. "openai", as used in routing preferences.</summary>
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public required Uri BaseUrl { get; set; }
    public WireFormat WireFormat { get; set; }

    /// <summary>Operational health as an operator (or later the gateway's monitoring) sees it.</summary>
    public ProviderStatus Status { get; set; } = ProviderStatus.Operational;

    /// <summary>A disabled provider is hidden from every API and the router's snapshot; nothing is deleted.</summary>
    public bool IsEnabled { get; set; } = true;

    /// <summary>ISO 3166-1 alpha-2 country code of the provider's headquarters, e.g. "US".</summary>
    public string? Headquarters { get; set; }

    /// <summary>ISO 3166-1 alpha-2 country codes of the provider's datacenters.</summary>
    public string[] Datacenters { get; set; } = [];

    /// <summary>How long the provider keeps prompts and completions: <c>null</c> unknown, 0 not retained.</summary>
    public int? DataRetentionDays { get; set; }

    /// <summary>Whether the provider may train on the prompts it receives (the router's <c>data_collection: deny</c> excludes it).</summary>
    public bool TrainsOnData { get; set; }

    /// <summary>Zero data retention by contract (the router's <c>zdr: true</c> keeps only these).</summary>
    public bool ZeroDataRetention { get; set; }

    public string? PrivacyPolicyUrl { get; set; }
    public string? TermsOfServiceUrl { get; set; }
    public string? StatusPageUrl { get; set; }
}

/// <summary>The HTTP dialect a provider speaks; the gateway picks an adapter by it.</summary>
public enum WireFormat
{
    OpenAIChat,
    AnthropicMessages,
    GeminiGenerateContent,
}

public enum ProviderStatus
{
    Operational,
    Degraded,
    Down,
}
