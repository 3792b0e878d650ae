namespace Billing.Service.Payments;

/// <summary>
/// One Stripe Checkout top-up: what was asked for when the session was created, and what has happened to the
/// money since. Credits reach the ledger only when Stripe's webhook says the session is paid.
/// </summary>
public sealed class Payment
{
    public Guid Id { get; set; }

    /// <summary>The Checkout Session (<c>cs_...</c>); unique.</summary>
    public required string SessionId { get; set; }
    public Guid AccountId { get; set; }
    public long CreditsNanos { get; set; }
    public long FeeNanos { get; set; }

    /// <summary>What Stripe charges: credits plus fee, in cents.</summary>
    public long TotalCents { get; set; }
    public required string Currency { get; set; }
    public PaymentStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Known once paid; refunds and disputes name it.</summary>
    public string? PaymentIntentId { get; set; }

    /// <summary>How much of <see cref="TotalCents"/> has gone back (refunds, disputes), and how it was split.</summary>
    public long ReversedCents { get; set; }
    public long ReversedCreditsNanos { get; set; }
    public long ReversedFeeNanos { get; set; }

    /// <summary>Postgres <c>xmin</c>: two webhooks changing the same payment at once cannot both win.</summary>
    public uint Version { get; set; }

    public Payment Copy() => (Payment)MemberwiseClone();
}

public enum PaymentStatus
{
    Pending,
    Completed,
    Refunded,
    Disputed,
}

/// <summary>A Stripe event that was applied (<c>evt_...</c>); its unique id makes every delivery count once.</summary>
public sealed class StripeEventRecord
{
    public required string Id { get; set; }
    public required string Type { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}
