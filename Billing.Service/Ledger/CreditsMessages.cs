using System.Text.Json;
using System.Text.Json.Serialization;

namespace Billing.Service.Ledger;

/// <summary>GET /api/v1/credits, in USD as OpenRouter shows it.</summary>
public sealed record CreditsResponse(decimal TotalCredits, decimal TotalUsage);

public sealed record CreditsEnvelope(CreditsResponse Data);

/// <summary>An administrator's manual credit change; the reason is required and kept with the actor.</summary>
public sealed record CreditAdjustmentRequest(decimal? AmountUsd, string? Reason, string? Actor, string? IdempotencyKey);

public sealed record CreditAdjustmentResponse(string Outcome, decimal BalanceUsd);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CreditsEnvelope))]
[JsonSerializable(typeof(CreditAdjustmentRequest))]
[JsonSerializable(typeof(CreditAdjustmentResponse))]
internal sealed partial class CreditsJsonContext : JsonSerializerContext;
