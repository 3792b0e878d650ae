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

/// <summary>
/// One endpoint's health from the calls gateways reported to the catalog: call and failure counts over 30 minutes and
/// a day, uptime in percent, median time to first token (ms) and throughput (tokens/s) over 30 minutes.
/// </summary>
public sealed record EndpointHealth(
    int EndpointId, string ModelId, string Provider, string Status, bool IsEnabled,
    int CallsLast30m, int FailuresLast30m, int CallsLast1d, int FailuresLast1d,
    double? UptimeLast30m, double? UptimeLast1d, double? LatencyP50Last30m, double? ThroughputP50Last30m,
    DateTimeOffset? LastFailureAt)
{
    /// <summary>Failed share of the last 30 minutes' calls, or of the day's when nothing was called lately; null without calls.</summary>
    public double? ErrorRate => CallsLast30m > 0 ? (double)FailuresLast30m / CallsLast30m
        : CallsLast1d > 0 ? (double)FailuresLast1d / CallsLast1d
        : null;

    /// <summary>
    /// Worst first: an endpoint the catalog marks down or degraded, then the highest error rate, then the slowest
    /// median latency; endpoints nobody called last, by name.
    /// </summary>
    public static IReadOnlyList<EndpointHealth> WorstFirst(IEnumerable<EndpointHealth> endpoints) =>
        [.. endpoints
            .OrderBy(endpoint => endpoint.Status switch { "Down" => 0, "Degraded" => 1, _ => 2 })
            .ThenBy(endpoint => endpoint.ErrorRate is null)
            .ThenByDescending(endpoint => endpoint.ErrorRate ?? 0)
            .ThenByDescending(endpoint => endpoint.LatencyP50Last30m ?? 0)
            .ThenBy(endpoint => endpoint.ModelId, StringComparer.Ordinal)
            .ThenBy(endpoint => endpoint.Provider, StringComparer.Ordinal)];
}

/// <summary>A failed upstream call (error, timeout, refused connection; rate limits are not counted) as a gateway reported it.</summary>
public sealed record EndpointFailure(DateTimeOffset At, int EndpointId, string ModelId, string Provider);

/// <summary>
/// An endpoint whose circuit breaker is open on the gateways now: they try it only after every healthy endpoint until
/// <see cref="OpenUntil"/>, because of <see cref="Reason"/> seen by the replica <see cref="Instance"/>. Model and
/// provider are null for an endpoint no longer in the catalog.
/// </summary>
public sealed record OpenCircuit(
    int EndpointId, string? ModelId, string? Provider, DateTimeOffset OpenUntil, string? Reason, string Instance, DateTimeOffset OpenedAt);

// Billing's admin reports and adjustments.

public sealed record CreditAdjustment(decimal AmountUsd, string Reason, string Actor, string IdempotencyKey);

public sealed record CreditAdjustmentResult(string Outcome, decimal BalanceUsd);

public sealed record AdjustmentRecord(
    Guid Id, string OwnerUserId, string Email, decimal AmountUsd, string Reason, string Actor, DateTimeOffset CreatedAt);

public sealed record PlatformTotals(
    int Accounts, decimal TopUpsUsd, decimal PlatformFeesUsd, decimal UsageUsd, decimal RefundsUsd, decimal AdjustmentsUsd,
    decimal OutstandingCreditsUsd, decimal SearchFeesUsd = 0);

internal sealed record AdminProviderList(IReadOnlyList<AdminProvider> Data);

internal sealed record AdminModelList(IReadOnlyList<AdminModel> Data);

internal sealed record AdminProviderResult(AdminProvider Data);

internal sealed record AdminModelResult(AdminModel Data);

internal sealed record AdminEndpointResult(AdminEndpoint Data);

internal sealed record CatalogChangeList(IReadOnlyList<CatalogChange> Data);

internal sealed record EndpointHealthList(IReadOnlyList<EndpointHealth> Data);

internal sealed record EndpointFailureList(IReadOnlyList<EndpointFailure> Data);

internal sealed record OpenCircuitList(IReadOnlyList<OpenCircuit> Data);

internal sealed record AdjustmentList(IReadOnlyList<AdjustmentRecord> Data);

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
[JsonSerializable(typeof(EndpointHealthList))]
[JsonSerializable(typeof(EndpointFailureList))]
[JsonSerializable(typeof(OpenCircuitList))]
[JsonSerializable(typeof(CreditAdjustment))]
[JsonSerializable(typeof(CreditAdjustmentResult))]
[JsonSerializable(typeof(AdjustmentList))]
[JsonSerializable(typeof(PlatformTotals))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
