using System.Text.Json.Serialization;
using Catalog.Service.Models;

namespace Catalog.Service.Admin;

// Requests: PUT creates or updates; a field left out (or null) keeps its current value, or takes its default
// on create. An empty string clears an optional text field; 0 clears max_completion_tokens/max_prompt_tokens.
// Prices are USD per token (per request / per image for those two), as JSON numbers or decimal strings.

public sealed record ProviderUpsertRequest(
    string? Name = null,
    string? BaseUrl = null,
    string? WireFormat = null,
    string? Status = null,
    string? Headquarters = null,
    string[]? Datacenters = null,
    int? DataRetentionDays = null,
    bool? TrainsOnData = null,
    bool? ZeroDataRetention = null,
    string? PrivacyPolicyUrl = null,
    string? TermsOfServiceUrl = null,
    string? StatusPageUrl = null,
    bool? IsEnabled = null);

public sealed record ModelUpsertRequest(
    string? Name = null,
    string? CanonicalSlug = null,
    string? Description = null,
    string? HuggingFaceId = null,
    long? Created = null,
    int? ContextLength = null,
    string[]? InputModalities = null,
    string[]? OutputModalities = null,
    string? Tokenizer = null,
    string? InstructType = null,
    string[]? Categories = null,
    bool? IsEnabled = null);

public sealed record EndpointUpsertRequest(
    string? UpstreamModelName = null,
    int? ContextLength = null,
    int? MaxCompletionTokens = null,
    int? MaxPromptTokens = null,
    string? Quantization = null,
    PricingRequest? Pricing = null,
    string[]? SupportedParameters = null,
    bool? IsModerated = null,
    bool? SupportsImplicitCaching = null,
    string? Status = null,
    bool? IsEnabled = null);

[JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
public sealed record PricingRequest(
    decimal? Prompt = null,
    decimal? Completion = null,
    decimal? Request = null,
    decimal? Image = null,
    decimal? InputCacheRead = null,
    decimal? InputCacheWrite = null,
    decimal? InternalReasoning = null,
    decimal? Discount = null,
    string[]? Unset = null)
{
    /// <summary>The optional prices <see cref="Unset"/> may name, to take them away (the prompt price applies again).</summary>
    public static readonly IReadOnlyList<string> UnsettablePrices = ["input_cache_read", "input_cache_write"];
}

// Responses.

public sealed record CatalogVersionResponse(long Version);

public sealed record CatalogChangeListResponse(IReadOnlyList<CatalogChangeResponse> Data);

public sealed record CatalogChangeResponse(
    long Version, DateTimeOffset ChangedAt, string Actor, string EntityType, string EntityId, string Action, string Summary);

public sealed record AdminProviderResponse(
    string Slug,
    string Name,
    string BaseUrl,
    string WireFormat,
    string Status,
    bool IsEnabled,
    string? Headquarters,
    IReadOnlyList<string> Datacenters,
    int? DataRetentionDays,
    bool TrainsOnData,
    bool ZeroDataRetention,
    string? PrivacyPolicyUrl,
    string? TermsOfServiceUrl,
    string? StatusPageUrl);

public sealed record AdminProviderListResponse(IReadOnlyList<AdminProviderResponse> Data);

public sealed record AdminModelResponse(
    string Id,
    string CanonicalSlug,
    string Name,
    string Description,
    string? HuggingFaceId,
    long Created,
    int ContextLength,
    IReadOnlyList<string> InputModalities,
    IReadOnlyList<string> OutputModalities,
    string Tokenizer,
    string? InstructType,
    IReadOnlyList<string> Categories,
    bool IsEnabled,
    IReadOnlyList<AdminEndpointResponse> Endpoints);

public sealed record AdminEndpointResponse(
    int Id,
    string ModelId,
    string Provider,
    string UpstreamModelName,
    int ContextLength,
    int? MaxCompletionTokens,
    int? MaxPromptTokens,
    string? Quantization,
    PricingResponse Pricing,
    IReadOnlyList<string> SupportedParameters,
    bool IsModerated,
    bool SupportsImplicitCaching,
    string Status,
    bool IsEnabled);

/// <summary>A change's outcome: the catalog version after it, whether anything changed, and whether the new snapshot reached Redis.</summary>
public sealed record AdminProviderResult(long Version, bool Changed, bool Published, AdminProviderResponse Data);

public sealed record AdminModelResult(long Version, bool Changed, bool Published, AdminModelResponse Data);

public sealed record AdminEndpointResult(long Version, bool Changed, bool Published, AdminEndpointResponse Data);

public sealed record AdminModelEnvelope(AdminModelResponse Data);

public sealed record AdminModelListResponse(IReadOnlyList<AdminModelResponse> Data);
