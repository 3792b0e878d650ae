using System.Text.Json;
using System.Text.Json.Serialization;
using Catalog.Service.Admin;

namespace Catalog.Service.Models;

// OpenRouter's public shapes (snake_case on the wire). Prices are decimal strings in USD per token.

public sealed record ModelListResponse(IReadOnlyList<ModelResponse> Data);

public sealed record ModelResponse(
    string Id,
    string CanonicalSlug,
    string HuggingFaceId,
    string Name,
    long Created,
    string Description,
    int ContextLength,
    ArchitectureResponse Architecture,
    PricingResponse Pricing,
    TopProviderResponse TopProvider,
    PerRequestLimitsResponse? PerRequestLimits,
    IReadOnlyList<string> SupportedParameters);

public sealed record ArchitectureResponse(
    string Modality,
    IReadOnlyList<string> InputModalities,
    IReadOnlyList<string> OutputModalities,
    string Tokenizer,
    string? InstructType);

/// <summary>
/// Prices as decimal strings (USD per token; per request and per image for those two). Cache prices are
/// left out when the endpoint has none, as OpenRouter does; <c>discount</c> appears on endpoints only.
/// </summary>
public sealed record PricingResponse(
    string Prompt,
    string Completion,
    string Request,
    string Image,
    string InternalReasoning,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? InputCacheRead = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? InputCacheWrite = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? Discount = null);

public sealed record TopProviderResponse(int ContextLength, int? MaxCompletionTokens, bool IsModerated);

public sealed record PerRequestLimitsResponse(string PromptTokens, string CompletionTokens);

public sealed record ModelCountResponse(ModelCount Data);

public sealed record ModelCount(int Count);

/// <summary><c>GET /api/v1/models/{author}/{slug}/endpoints</c>.</summary>
public sealed record ModelEndpointsResponse(ModelEndpointsData Data);

public sealed record ModelEndpointsData(
    string Id,
    string Name,
    long Created,
    string Description,
    ArchitectureResponse Architecture,
    IReadOnlyList<EndpointResponse> Endpoints);

public sealed record EndpointResponse(
    string Name,
    string ModelId,
    string ModelName,
    int ContextLength,
    PricingResponse Pricing,
    string ProviderName,
    string Tag,
    string Quantization,
    int? MaxCompletionTokens,
    int? MaxPromptTokens,
    IReadOnlyList<string> SupportedParameters,
    int Status,
    // The snake_case policy would write "uptime_last30m"; OpenRouter writes "uptime_last_30m".
    [property: JsonPropertyName("uptime_last_30m")] double? UptimeLast30m,
    [property: JsonPropertyName("uptime_last_1d")] double? UptimeLast1d,
    bool SupportsImplicitCaching,
    [property: JsonPropertyName("latency_last_30m")] PercentileStatsResponse? LatencyLast30m,
    [property: JsonPropertyName("throughput_last_30m")] PercentileStatsResponse? ThroughputLast30m);

public sealed record PercentileStatsResponse(double? P50, double? P75, double? P90, double? P99);

public sealed record ProviderListResponse(IReadOnlyList<ProviderResponse> Data);

public sealed record ProviderResponse(
    string Name,
    string Slug,
    string? PrivacyPolicyUrl,
    string? TermsOfServiceUrl,
    string? StatusPageUrl,
    string? Headquarters,
    IReadOnlyList<string> Datacenters);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ModelListResponse))]
[JsonSerializable(typeof(ModelCountResponse))]
[JsonSerializable(typeof(ModelEndpointsResponse))]
[JsonSerializable(typeof(ProviderListResponse))]
[JsonSerializable(typeof(CatalogVersionResponse))]
[JsonSerializable(typeof(CatalogChangeListResponse))]
[JsonSerializable(typeof(AdminProviderListResponse))]
[JsonSerializable(typeof(AdminProviderResult))]
[JsonSerializable(typeof(AdminModelEnvelope))]
[JsonSerializable(typeof(AdminModelListResponse))]
[JsonSerializable(typeof(AdminModelResult))]
[JsonSerializable(typeof(AdminEndpointResult))]
[JsonSerializable(typeof(ProviderUpsertRequest))]
[JsonSerializable(typeof(ModelUpsertRequest))]
[JsonSerializable(typeof(EndpointUpsertRequest))]
[JsonSerializable(typeof(PricingRequest))]
[JsonSerializable(typeof(EndpointHealthListResponse))]
[JsonSerializable(typeof(EndpointFailureListResponse))]
[JsonSerializable(typeof(OpenCircuitListResponse))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
