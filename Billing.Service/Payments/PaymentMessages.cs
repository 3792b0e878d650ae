using System.Text.Json;
using System.Text.Json.Serialization;

namespace Billing.Service.Payments;

/// <summary>The portal asks for a top-up; the URLs may contain <c>{CHECKOUT_SESSION_ID}</c>, which Stripe fills in.</summary>
public sealed record CheckoutRequest(decimal? AmountUsd, string? SuccessUrl, string? CancelUrl, string? IdempotencyKey);

public sealed record CheckoutResponse(string SessionId, string? Url, decimal AmountUsd, decimal FeeUsd, decimal TotalUsd);

/// <summary>A top-up as the portal shows it after the payment page: <c>pending</c>, <c>completed</c>, <c>refunded</c> or <c>disputed</c>.</summary>
public sealed record CheckoutStatusResponse(string SessionId, string Status, decimal AmountUsd, decimal FeeUsd, decimal TotalUsd, decimal BalanceUsd);

public sealed record TopUpPriceResponse(decimal AmountUsd, decimal FeeUsd, decimal TotalUsd, decimal FeePercent, decimal MinimumFeeUsd,
    decimal MinimumTopUpUsd, decimal MaximumTopUpUsd, string Currency);

/// <summary>One ledger transaction from the customer's side: <c>amount_usd</c> is what it did to their credits.</summary>
public sealed record TransactionResponse(Guid Id, string Kind, decimal AmountUsd, string? Description, DateTimeOffset CreatedAt, string Reference);

public sealed record TransactionListResponse(IReadOnlyList<TransactionResponse> Data, int Offset, int Limit, int Total);

/// <summary>What the webhook answers Stripe once the event is committed.</summary>
public sealed record WebhookReceipt(bool Received, string Outcome);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CheckoutRequest))]
[JsonSerializable(typeof(CheckoutResponse))]
[JsonSerializable(typeof(CheckoutStatusResponse))]
[JsonSerializable(typeof(TopUpPriceResponse))]
[JsonSerializable(typeof(TransactionListResponse))]
[JsonSerializable(typeof(WebhookReceipt))]
internal sealed partial class PaymentsJsonContext : JsonSerializerContext;
