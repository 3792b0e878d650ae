using System.Text.Json;
using System.Text.Json.Serialization;

namespace Billing.Service.Admin;

public sealed record AdjustmentResponse(
    Guid Id, string OwnerUserId, string Email, decimal AmountUsd, string Reason, string Actor, DateTimeOffset CreatedAt);

public sealed record AdjustmentListResponse(IReadOnlyList<AdjustmentResponse> Data);

/// <summary>
/// The platform's money in USD. Revenue is <see cref="PlatformFeesUsd"/> (top-up fees net of refunded fees, plus
/// any usage fees); the rest is customers' money moving through. <see cref="SearchFeesUsd"/> is the web search
/// fees charged with generations, owed to the search provider (in <see cref="UsageUsd"/>, not revenue).
/// </summary>
public sealed record PlatformTotalsResponse(
    int Accounts,
    decimal TopUpsUsd,
    decimal PlatformFeesUsd,
    decimal UsageUsd,
    decimal RefundsUsd,
    decimal AdjustmentsUsd,
    decimal OutstandingCreditsUsd,
    decimal SearchFeesUsd);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AdjustmentListResponse))]
[JsonSerializable(typeof(PlatformTotalsResponse))]
internal sealed partial class AdminReportsJsonContext : JsonSerializerContext;
