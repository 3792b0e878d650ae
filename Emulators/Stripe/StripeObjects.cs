using System.Text.Json;
using System.Text.Json.Serialization;

namespace Emulators.Stripe;

// Stripe's API objects, trimmed to the fields Billing needs and shaped so Stripe.net deserializes them. Stripe
// writes unset fields as null rather than leaving them out (payment_intent: null), and so do these. Times are
// Unix seconds.

/// <summary>A Checkout Session in payment mode (<c>cs_test_...</c>).</summary>
public sealed record CheckoutSession
{
    public required string Id { get; init; }

    public string Object => "checkout.session";

    public required long AmountSubtotal { get; init; }

    public required long AmountTotal { get; init; }

    public required string Currency { get; init; }

    public required string Mode { get; init; }

    /// <summary><c>open</c>, then <c>complete</c> once paid.</summary>
    public required string Status { get; init; }

    /// <summary><c>unpaid</c>, then <c>paid</c>.</summary>
    public required string PaymentStatus { get; init; }

    /// <summary>Null until the session is paid, as in Stripe's payment mode.</summary>
    public string? PaymentIntent { get; init; }

    public string? ClientReferenceId { get; init; }

    public string? CustomerEmail { get; init; }

    public required IReadOnlyDictionary<string, string> Metadata { get; init; }

    public required string SuccessUrl { get; init; }

    public string? CancelUrl { get; init; }

    /// <summary>The hosted pay page; Stripe clears it once the session is complete.</summary>
    public string? Url { get; init; }

    public required long Created { get; init; }

    public required long ExpiresAt { get; init; }

    public bool Livemode => false;
}

/// <summary>The charge behind a paid session's payment intent (<c>ch_...</c>); refunds and disputes refer to it.</summary>
public sealed record Charge
{
    public required string Id { get; init; }

    public string Object => "charge";

    public required long Amount { get; init; }

    public long AmountCaptured => Amount;

    public required long AmountRefunded { get; init; }

    public required string Currency { get; init; }

    public bool Captured => true;

    public bool Paid => true;

    /// <summary>True once the whole amount is refunded.</summary>
    public bool Refunded => AmountRefunded >= Amount;

    public required bool Disputed { get; init; }

    public string Status => "succeeded";

    public required string PaymentIntent { get; init; }

    public required long Created { get; init; }

    public bool Livemode => false;

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}

/// <summary>A refund of (part of) a charge (<c>re_...</c>).</summary>
public sealed record Refund
{
    public required string Id { get; init; }

    public string Object => "refund";

    public required long Amount { get; init; }

    public required string Charge { get; init; }

    public required string Currency { get; init; }

    public required string PaymentIntent { get; init; }

    public string? Reason { get; init; }

    public string Status => "succeeded";

    public required long Created { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}

/// <summary>A dispute (chargeback) opened against a charge (<c>dp_...</c>).</summary>
public sealed record Dispute
{
    public required string Id { get; init; }

    public string Object => "dispute";

    public required long Amount { get; init; }

    public required string Charge { get; init; }

    public required string Currency { get; init; }

    public required string PaymentIntent { get; init; }

    public required string Reason { get; init; }

    public string Status => "needs_response";

    public bool IsChargeRefundable => false;

    public required long Created { get; init; }

    public bool Livemode => false;

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A webhook event (<c>evt_...</c>). <c>data.object</c> is whichever object the event is about, kept as JSON so
/// that one event type serves sessions, charges and disputes.
/// </summary>
public sealed record StripeEvent
{
    public required string Id { get; init; }

    public string Object => "event";

    public required string ApiVersion { get; init; }

    public required long Created { get; init; }

    public required StripeEventData Data { get; init; }

    public bool Livemode => false;

    /// <summary>How many endpoints the event was sent to when it was created.</summary>
    public required int PendingWebhooks { get; init; }

    public required StripeEventRequest Request { get; init; }

    public required string Type { get; init; }
}

public sealed record StripeEventData(JsonElement Object);

/// <summary>The API request that caused the event; both null when a person did it (paying on the hosted page).</summary>
public sealed record StripeEventRequest(string? Id, string? IdempotencyKey);

/// <summary>Stripe's list envelope.</summary>
public sealed record StripeList<T>(IReadOnlyList<T> Data, string Url)
{
    public string Object => "list";

    public bool HasMore => false;
}

/// <summary>Stripe's error body: <c>{"error":{"type":"invalid_request_error","message":...,"param":...,"code":...}}</c>.</summary>
public sealed record StripeErrorResponse(StripeError Error);

public sealed record StripeError(
    string Type,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Param = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Code = null);
