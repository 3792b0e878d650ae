// The catalog snapshot contract: what Catalog.Service publishes to Redis and gateways load into memory.
// It lives in the Shared project so that the catalog (writer) and the gateway (reader) use one definition.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenRouterClone.Catalog.Snapshot;

/// <summary>Where the snapshot lives in Redis and how changes are announced.</summary>
public static class CatalogSnapshotRedis
{
    /// <summary>String key holding the UTF-8 JSON of the newest <see cref="CatalogSnapshot"/>.</summary>
    public const string SnapshotKey = "catalog:snapshot";

    /// <summary>String key holding the version (decimal integer) of the snapshot at <see cref="SnapshotKey"/>.</summary>
    public const string VersionKey = "catalog:snapshot:version";

    /// <summary>Pub/sub channel; each message is the new version as a decimal integer string.</summary>
    public const string ChangedChannel = "catalog:changed";
}

/// <summary>
/// Everything a router needs, compact: enabled providers, and enabled models with their enabled endpoints
/// (a model without any is left out). Versions only grow; a reader keeps the snapshot with the highest one.
/// </summary>
public sealed record CatalogSnapshot(
    long Version,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<SnapshotProvider> Providers,
    IReadOnlyList<SnapshotModel> Models);

/// <summary>An upstream provider.</summary>
/// <param name="WireFormat">One of <see cref="SnapshotWireFormats"/>: picks the gateway's adapter.</param>
/// <param name="Status">"Operational", "Degraded" or "Down".</param>
/// <param name="DataRetentionDays">Days prompts are kept: null unknown, 0 not kept.</param>
public sealed record SnapshotProvider(
    string Slug,
    string Name,
    string WireFormat,
    string BaseUrl,
    string Status,
    int? DataRetentionDays,
    bool TrainsOnData,
    bool ZeroDataRetention,
    string? Headquarters);

/// <summary>
/// A model as callers name it (<c>author/slug</c>, variants such as <c>:free</c> included), with its
/// endpoints ordered cheapest first (prompt + completion price).
/// </summary>
public sealed record SnapshotModel(
    string Id,
    string CanonicalSlug,
    string Name,
    int ContextLength,
    IReadOnlyList<string> InputModalities,
    IReadOnlyList<string> OutputModalities,
    IReadOnlyList<SnapshotEndpoint> Endpoints);

/// <summary>One provider serving one model.</summary>
/// <param name="Provider">The provider's slug; <see cref="CatalogSnapshot.Providers"/> has its wire format and base URL.</param>
/// <param name="UpstreamModel">The model name the provider's own API expects.</param>
/// <param name="Status">OpenRouter's endpoint status: 0 normal, negative worse (-1 degraded, -2 down).</param>
public sealed record SnapshotEndpoint(
    int Id,
    string Provider,
    string UpstreamModel,
    int ContextLength,
    int? MaxCompletionTokens,
    int? MaxPromptTokens,
    string? Quantization,
    SnapshotPricing Pricing,
    IReadOnlyList<string> SupportedParameters,
    int Status,
    bool IsModerated,
    bool SupportsImplicitCaching,
    SnapshotEndpointStats? Stats);

/// <summary>
/// Exact decimal prices in USD: per token, except <see cref="Request"/> (per request) and <see cref="Image"/>
/// (per input image). Cache prices are null when the endpoint has no such price.
/// <see cref="Discount"/> is the fraction taken off (0 none).
/// </summary>
public sealed record SnapshotPricing(
    decimal Prompt,
    decimal Completion,
    decimal Request,
    decimal Image,
    decimal? InputCacheRead,
    decimal? InputCacheWrite,
    decimal InternalReasoning,
    decimal Discount);

/// <summary>Measured by the gateways: time to first token (ms), output tokens/s, uptime in percent.</summary>
public sealed record SnapshotEndpointStats(
    [property: JsonPropertyName("latency_p50_last_30m")] double? LatencyP50Last30m,
    [property: JsonPropertyName("throughput_p50_last_30m")] double? ThroughputP50Last30m,
    [property: JsonPropertyName("uptime_last_30m")] double? UptimeLast30m,
    [property: JsonPropertyName("uptime_last_1d")] double? UptimeLast1d);

/// <summary>The values of <see cref="SnapshotProvider.WireFormat"/>.</summary>
public static class SnapshotWireFormats
{
    public const string OpenAIChat = "OpenAIChat";
    public const string AnthropicMessages = "AnthropicMessages";
    public const string GeminiGenerateContent = "GeminiGenerateContent";
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CatalogSnapshot))]
public sealed partial class CatalogSnapshotJsonContext : JsonSerializerContext;
