namespace Billing.Service.Ledger;

/// <summary>
/// One balanced money movement: its entries sum to zero. Immutable once written; a correction is a new
/// transaction. <see cref="Reference"/> is unique, which makes every posting idempotent (a generation id, a
/// Stripe event id, an adjustment request id).
/// </summary>
public sealed class LedgerTransaction
{
    public Guid Id { get; set; }
    public Guid AccountId { get; set; }
    public LedgerTransactionKind Kind { get; set; }
    public required string Reference { get; set; }
    public Guid? ApiKeyId { get; set; }
    public string? Description { get; set; }

    /// <summary>Who caused it, for adjustments made by an administrator.</summary>
    public string? Actor { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<LedgerEntry> Entries { get; set; } = [];
}

public sealed class LedgerEntry
{
    public long Id { get; set; }
    public Guid TransactionId { get; set; }
    public LedgerBook Book { get; set; }

    /// <summary>Set for <see cref="LedgerBook.CustomerCredits"/> entries: whose credits move.</summary>
    public Guid? AccountId { get; set; }

    /// <summary>Nano-dollars; positive adds to the book, negative takes from it.</summary>
    public long Amount { get; set; }
}

public enum LedgerTransactionKind
{
    TopUp,
    Usage,
    PlatformFee,
    /// <summary>Credits taken back because a payment was refunded.</summary>
    Refund,
    Adjustment,
    /// <summary>Credits taken back because the payer disputed the payment with their bank.</summary>
    Chargeback,
}

/// <summary>The books money moves between. A customer's balance is the sum of their CustomerCredits entries.</summary>
public enum LedgerBook
{
    CustomerCredits,
    PaymentClearing,
    PlatformRevenue,
    ProviderPayable,
    Adjustments,

    /// <summary>What the platform owes the web search provider: the search fees charged with generations.</summary>
    SearchPayable,
}
