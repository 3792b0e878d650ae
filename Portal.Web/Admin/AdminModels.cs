using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Web.Admin;

// The catalog admin API's answers (snake_case JSON), only the fields the admin pages use.

public sealed record AdminProvider(string Slug, string Name, string WireFormat, string Status, bool IsEnabled);

public sealed record AdminModel(string Id, string Name, int ContextLength, bool IsEnabled, IReadOnlyList<AdminEndpoint> Endpoints);

public sealed record AdminEndpoint(
    int Id, string ModelId, string Provider, string UpstreamModelName, int ContextLength, string? Quantization,
    AdminPricing Pricing, string Status, bool IsEnabled);

/// <summary>Prices as the catalog sends them: decimal strings in USD per token (per request / per image for those two).</summary>
public sealed record AdminPricing(
    string Prompt, string Completion, string Request, string Image, string InternalReasoning,
    string? InputCacheRead = null, string? InputCacheWrite = null, decimal? Discount = null);

/// <summary>A price edit in USD per token; a null field keeps its current value.</summary>
public sealed record PricingUpdate(
    decimal? Prompt = null, decimal? Completion = null, decimal? Request = null, decimal? Image = null,
    decimal? InputCacheRead = null, decimal? InputCacheWrite = null, decimal? InternalReasoning = null);

/// <summary>One row of the catalog's audit trail: who changed what, at which catalog version.</summary>
public sealed record CatalogChange(long Version, DateTimeOffset ChangedAt, string Actor, string EntityType, string EntityId, string Action, string Summary);

// Billing's admin reports and adjustments.

public sealed record CreditAdjustment(decimal AmountUsd, string Reason, string Actor, string IdempotencyKey);

public sealed record CreditAdjustmentResult(string Outcome, decimal BalanceUsd);

public sealed record AdjustmentRecord(
    Guid Id, string OwnerUserId, string Email, decimal AmountUsd, string Reason, string Actor, DateTimeOffset CreatedAt);

public sealed record PlatformTotals(
    int Accounts, decimal TopUpsUsd, decimal PlatformFeesUsd, decimal UsageUsd, decimal RefundsUsd, decimal AdjustmentsUsd,
    decimal OutstandingCreditsUsd);

internal sealed record AdminProviderList(IReadOnlyList<AdminProvider> Data);

internal sealed record AdminModelList(IReadOnlyList<AdminModel> Data);

internal sealed record AdminProviderResult(AdminProvider Data);

internal sealed record AdminModelResult(AdminModel Data);

internal sealed record AdminEndpointResult(AdminEndpoint Data);

internal sealed record CatalogChangeList(IReadOnlyList<CatalogChange> Data);

internal sealed record AdjustmentList(IReadOnlyList<AdjustmentRecord> Data);

internal sealed record AdminErrorEnvelope(AdminErrorBody? Error);

internal sealed record AdminErrorBody(int Code, string? Message);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AdminProviderList))]
[JsonSerializable(typeof(AdminModelList))]
[JsonSerializable(typeof(AdminProviderResult))]
[JsonSerializable(typeof(AdminModelResult))]
[JsonSerializable(typeof(AdminEndpointResult))]
[JsonSerializable(typeof(PricingUpdate))]
[JsonSerializable(typeof(CatalogChangeList))]
[JsonSerializable(typeof(CreditAdjustment))]
[JsonSerializable(typeof(CreditAdjustmentResult))]
[JsonSerializable(typeof(AdjustmentList))]
[JsonSerializable(typeof(PlatformTotals))]
[JsonSerializable(typeof(AdminErrorEnvelope))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
