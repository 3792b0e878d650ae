using Catalog.Service.Providers;

namespace Catalog.Service.Models;

/// <summary>
/// A model as users name it (<c>author/slug</c>), independent of who serves it. Variants that OpenRouter
/// lists separately, such as <c>:free</c>, are models of their own whose endpoints carry the variant's prices.
/// </summary>
public sealed class Model
{
    public const string FreeSuffix = ":free";

    public required string Id { get; set; }

    /// <summary>The permanent slug (OpenRouter's permaslug); a <c>:free</c> variant shares its base model's.</summary>
    public required string CanonicalSlug { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public string? HuggingFaceId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public int ContextLength { get; set; }
    public string[] InputModalities { get; set; } = ["text"];
    public string[] OutputModalities { get; set; } = ["text"];
    public string Tokenizer { get; set; } = "Other";
    public string? InstructType { get; set; }

    /// <summary>Use-case tags for the <c>category</c> filter, e.g. "programming", "roleplay".</summary>
    public string[] Categories { get; set; } = [];

    /// <summary>A disabled model is hidden from every API and the router's snapshot; nothing is deleted.</summary>
    public bool IsEnabled { get; set; } = true;

    public List<ModelEndpoint> Endpoints { get; set; } = [];

    public bool IsFreeVariant => Id.EndsWith(FreeSuffix, StringComparison.Ordinal);
}

/// <summary>One provider serving one model, with that provider's own prices and limits.</summary>
public sealed class ModelEndpoint
{
    public int Id { get; set; }
    public required string ModelId { get; set; }
    public Model? Model { get; set; }
    public required string ProviderSlug { get; set; }
    public Provider? Provider { get; set; }

    /// <summary>The model name the provider's own API expects.</summary>
    public required string UpstreamModelName { get; set; }
    public int ContextLength { get; set; }
    public int? MaxCompletionTokens { get; set; }
    public int? MaxPromptTokens { get; set; }

    /// <summary>int4, int8, fp4, fp6, fp8, fp16, bf16, fp32; <c>null</c> when the provider does not say.</summary>
    public string? Quantization { get; set; }

    // Prices are exact decimals in USD: per token unless said otherwise.
    public decimal PromptPrice { get; set; }
    public decimal CompletionPrice { get; set; }

    /// <summary>Per request.</summary>
    public decimal RequestPrice { get; set; }

    /// <summary>Per input image.</summary>
    public decimal ImagePrice { get; set; }

    /// <summary>Per cached prompt token read; <c>null</c> when the endpoint has no prompt caching.</summary>
    public decimal? InputCacheReadPrice { get; set; }

    /// <summary>Per prompt token written to the cache; <c>null</c> when writes cost nothing extra or there is no cache.</summary>
    public decimal? InputCacheWritePrice { get; set; }

    /// <summary>Per reasoning token when billed apart from completion tokens; 0 when reasoning bills as completion.</summary>
    public decimal InternalReasoningPrice { get; set; }

    /// <summary>Fraction taken off the prices above (0 = none, 0.25 = 25% off).</summary>
    public decimal Discount { get; set; }

    public string[] SupportedParameters { get; set; } = [];
    public bool IsModerated { get; set; }

    /// <summary>The provider caches prompt prefixes by itself (no <c>cache_control</c> needed).</summary>
    public bool SupportsImplicitCaching { get; set; }

    public EndpointStatus Status { get; set; } = EndpointStatus.Operational;

    /// <summary>A disabled endpoint is hidden from every API and the router's snapshot; nothing is deleted.</summary>
    public bool IsEnabled { get; set; } = true;

    /// <summary>Live statistics, fed by the gateway; <c>null</c> until it has measured anything.</summary>
    public EndpointStats? Stats { get; set; }
}

/// <summary>Endpoint health as OpenRouter numbers it: 0 is normal, negative values are worse.</summary>
public enum EndpointStatus
{
    Operational = 0,
    Degraded = -1,
    Down = -2,
}

/// <summary>Rolling statistics of one endpoint, as the gateway measures them.</summary>
public sealed class EndpointStats
{
    public int EndpointId { get; set; }

    /// <summary>Time to first token over the last 30 minutes, in milliseconds.</summary>
    public double? LatencyP50Last30m { get; set; }
    public double? LatencyP75Last30m { get; set; }
    public double? LatencyP90Last30m { get; set; }
    public double? LatencyP99Last30m { get; set; }

    /// <summary>Output tokens per second over the last 30 minutes.</summary>
    public double? ThroughputP50Last30m { get; set; }
    public double? ThroughputP75Last30m { get; set; }
    public double? ThroughputP90Last30m { get; set; }
    public double? ThroughputP99Last30m { get; set; }

    /// <summary>Successful requests / (successful + failed) * 100; rate-limited requests do not count.</summary>
    public double? UptimeLast30m { get; set; }
    public double? UptimeLast1d { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
