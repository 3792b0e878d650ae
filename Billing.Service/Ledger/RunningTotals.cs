using OpenRouterClone.Shared.Credits;

namespace Billing.Service.Ledger;

/// <summary>
/// An account's credit position, kept up to date by Postgres triggers on <c>ledger_entries</c> and
/// <c>ledger_transactions</c> in the same transaction as every posting (see the LedgerRunningTotals and
/// LedgerReportTotals migrations), so it is read without summing the ledger.
/// Sums of its <see cref="LedgerBook.CustomerCredits"/> entries: <see cref="CreditsNanos"/> of non-usage kinds,
/// <see cref="UsageNanos"/> of usage kinds (negated), <see cref="PurchasedNanos"/> of top-ups,
/// <see cref="RefundedNanos"/> of refunds and chargebacks (negated), <see cref="AdjustedNanos"/> of adjustments.
/// The rest serve the platform's totals and the account's transaction list, which would otherwise scan the ledger:
/// the <see cref="LedgerBook.PlatformRevenue"/> and <see cref="LedgerBook.SearchPayable"/> entries of the account's
/// transactions, and how many transactions it has.
/// </summary>
public sealed class AccountCreditTotal
{
    public Guid AccountId { get; set; }
    public long CreditsNanos { get; set; }
    public long UsageNanos { get; set; }
    public long PurchasedNanos { get; set; }
    public long RefundedNanos { get; set; }
    public long AdjustedNanos { get; set; }
    public long PlatformRevenueNanos { get; set; }
    public long SearchPayableNanos { get; set; }
    public long TransactionCount { get; set; }
}

/// <summary>What a key has ever spent (usage kinds, customer credits), maintained like <see cref="AccountCreditTotal"/>.</summary>
public sealed class KeySpendingTotal
{
    public Guid ApiKeyId { get; set; }
    public Guid AccountId { get; set; }
    public long SpentNanos { get; set; }
}

/// <summary>What a key spent on one UTC day (by its ledger transactions' <c>CreatedAt</c>), maintained like <see cref="AccountCreditTotal"/>.</summary>
public sealed class KeySpendingDay
{
    public Guid ApiKeyId { get; set; }
    public DateOnly Day { get; set; }
    public Guid AccountId { get; set; }
    public long SpentNanos { get; set; }
}

/// <summary>Turns a key's day buckets into its daily, weekly and monthly spending.</summary>
public static class KeySpendingPeriods
{
    /// <summary>
    /// The earliest day bucket that counts at <paramref name="now"/>: the week can start in the previous month.
    /// </summary>
    public static DateOnly FirstDay(DateTimeOffset now)
    {
        var periods = UsagePeriods.At(now);
        return DateOnly.FromDateTime((periods.WeekStart < periods.MonthStart ? periods.WeekStart : periods.MonthStart).UtcDateTime);
    }

    public static KeyUsage Sum(long totalNanos, IEnumerable<(DateOnly Day, long SpentNanos)> days, DateTimeOffset now)
    {
        var periods = UsagePeriods.At(now);
        var dayStart = DateOnly.FromDateTime(periods.DayStart.UtcDateTime);
        var weekStart = DateOnly.FromDateTime(periods.WeekStart.UtcDateTime);
        var monthStart = DateOnly.FromDateTime(periods.MonthStart.UtcDateTime);
        long daily = 0, weekly = 0, monthly = 0;
        foreach (var (day, spent) in days)
        {
            // No upper bound, as the ledger queries these replace had none: a later day still counts.
            daily += day >= dayStart ? spent : 0;
            weekly += day >= weekStart ? spent : 0;
            monthly += day >= monthStart ? spent : 0;
        }
        return new KeyUsage(totalNanos, daily, weekly, monthly);
    }
}
