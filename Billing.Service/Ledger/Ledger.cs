using Billing.Service.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OpenRouterClone.Shared.Credits;
using StackExchange.Redis;

namespace Billing.Service.Ledger;

/// <summary>A movement to post: the entries must balance to zero.</summary>
public sealed record LedgerPosting(
    Guid AccountId,
    LedgerTransactionKind Kind,
    string Reference,
    IReadOnlyList<LedgerPostingEntry> Entries,
    string? Description = null,
    string? Actor = null,
    Guid? ApiKeyId = null);

public sealed record LedgerPostingEntry(LedgerBook Book, long Amount, Guid? AccountId = null);

public enum PostingOutcome
{
    Posted,
    /// <summary>A transaction with the same reference exists: nothing new was written.</summary>
    AlreadyPosted,
    /// <summary>It would take the customer's credits below zero: nothing was written.</summary>
    InsufficientCredits,
}

/// <summary>The customer's credit position, derived from the ledger.</summary>
public sealed record CreditTotals(long TotalCreditsNanos, long TotalUsageNanos, long PurchasedNanos)
{
    public bool HasPurchased => PurchasedNanos > 0;

    public long BalanceNanos => TotalCreditsNanos - TotalUsageNanos;
}

/// <summary>Writes balanced, idempotent transactions and derives balances from them.</summary>
public sealed partial class LedgerService(BillingDbContext db, CreditStore credits, TimeProvider clock, ILogger<LedgerService> logger)
{
    // The running-totals trigger (LedgerRunningTotals migration) names these kinds too.
    private static readonly LedgerTransactionKind[] UsageKinds = [LedgerTransactionKind.Usage, LedgerTransactionKind.PlatformFee];

    /// <summary>Usage has already happened upstream when it is posted: it is recorded even if it overdraws.</summary>
    public static bool IsUsage(LedgerTransactionKind kind) => UsageKinds.Contains(kind);

    /// <summary>
    /// Usage, and money that has already gone back to the payer (a Stripe refund or dispute), is recorded even if it
    /// takes the customer's credits below zero; everything else (adjustments) is refused instead.
    /// </summary>
    public static bool MayOverdraw(LedgerTransactionKind kind)
        => IsUsage(kind) || kind is LedgerTransactionKind.Refund or LedgerTransactionKind.Chargeback;

    public static void EnsureBalanced(LedgerPosting posting)
    {
        if (posting.Entries.Count < 2)
        {
            throw new ArgumentException("A ledger transaction needs at least two entries", nameof(posting));
        }
        if (posting.Entries.Any(entry => entry.Amount == 0))
        {
            throw new ArgumentException("Ledger entries must move money", nameof(posting));
        }
        if (posting.Entries.Any(entry => (entry.Book == LedgerBook.CustomerCredits) != (entry.AccountId is not null)))
        {
            throw new ArgumentException("Exactly the customer-credit entries name an account", nameof(posting));
        }
        if (posting.Entries.Sum(entry => entry.Amount) != 0)
        {
            throw new ArgumentException("Ledger entries must sum to zero", nameof(posting));
        }
    }

    /// <summary>
    /// Posts atomically. Takes a row lock on the account so that concurrent debits see each other, and
    /// refuses a posting (other than usage and payment reversals, see <see cref="MayOverdraw"/>) that would leave
    /// the customer's credits negative.
    /// <paramref name="alongside"/> adds rows that must commit with the posting (a generation with its usage).
    /// Credits that arrive (top-ups, refunds, adjustments) reach the account's Redis balance under the same
    /// lock; usage is already counted there by the gateway's settlement.
    /// </summary>
    public async Task<PostingOutcome> PostAsync(LedgerPosting posting, CancellationToken cancellationToken, Action<BillingDbContext>? alongside = null)
    {
        EnsureBalanced(posting);

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

            await db.Accounts
                .FromSql($"SELECT * FROM accounts WHERE \"Id\" = {posting.AccountId} FOR UPDATE")
                .AsNoTracking()
                .SingleAsync(cancellationToken);

            if (await db.LedgerTransactions.AnyAsync(existing => existing.Reference == posting.Reference, cancellationToken))
            {
                return PostingOutcome.AlreadyPosted;
            }

            var customerChange = posting.Entries
                .Where(entry => entry.Book == LedgerBook.CustomerCredits && entry.AccountId == posting.AccountId)
                .Sum(entry => entry.Amount);
            if (customerChange < 0 && !MayOverdraw(posting.Kind) && await BalanceAsync(posting.AccountId, cancellationToken) + customerChange < 0)
            {
                return PostingOutcome.InsufficientCredits;
            }

            db.LedgerTransactions.Add(ToTransaction(posting));

            alongside?.Invoke(db);

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // Same reference posted concurrently for another account's lock: still exactly once.
                return PostingOutcome.AlreadyPosted;
            }

            // Still under the row lock, so a concurrent rebuild from Postgres cannot count this change twice.
            var redisChange = IsUsage(posting.Kind) ? 0 : customerChange;
            if (redisChange != 0)
            {
                await credits.ApplyPostedChangeAsync(posting.AccountId, redisChange,
                    posting.Kind == LedgerTransactionKind.TopUp ? Math.Max(0, redisChange) : 0);
            }
            try
            {
                await transaction.CommitAsync(cancellationToken);
            }
            catch when (redisChange != 0)
            {
                await UndoRedisChangeAsync(posting, redisChange);
                throw;
            }
            return PostingOutcome.Posted;
        });
    }

    /// <summary>The rows of a balanced posting, for a caller that writes them inside its own transaction.</summary>
    public LedgerTransaction ToTransaction(LedgerPosting posting)
    {
        EnsureBalanced(posting);
        var id = Guid.CreateVersion7();
        return new LedgerTransaction
        {
            Id = id,
            AccountId = posting.AccountId,
            Kind = posting.Kind,
            Reference = posting.Reference,
            ApiKeyId = posting.ApiKeyId,
            Description = posting.Description,
            Actor = posting.Actor,
            CreatedAt = clock.GetUtcNow(),
            Entries = [.. posting.Entries.Select(entry => new LedgerEntry
            {
                TransactionId = id,
                Book = entry.Book,
                AccountId = entry.AccountId,
                Amount = entry.Amount,
            })],
        };
    }

    private async Task UndoRedisChangeAsync(LedgerPosting posting, long redisChange)
    {
        try
        {
            await credits.ApplyPostedChangeAsync(posting.AccountId, -redisChange,
                posting.Kind == LedgerTransactionKind.TopUp ? -Math.Max(0, redisChange) : 0);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The Redis balance is ahead of Postgres until the next rebuild of this account.
            LogUndoFailed(logger, ex, posting.AccountId, posting.Reference);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not undo the Redis credit change of failed posting {Reference} for account {AccountId}; rebuild the account")]
    private static partial void LogUndoFailed(ILogger logger, Exception exception, Guid accountId, string reference);

    // The reads below come from running totals that a trigger on ledger_entries keeps in step with every posting,
    // in the posting's own transaction (LedgerRunningTotals migration): O(1) per account, O(days) per key.

    /// <summary>The sum of the account's customer-credit entries.</summary>
    public async Task<long> BalanceAsync(Guid accountId, CancellationToken cancellationToken)
        => (await TotalsAsync(accountId, cancellationToken)).BalanceNanos;

    public async Task<CreditTotals> TotalsAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var totals = await db.AccountCreditTotals.AsNoTracking()
            .Where(total => total.AccountId == accountId)
            .Select(total => new CreditTotals(total.CreditsNanos, total.UsageNanos, total.PurchasedNanos))
            .SingleOrDefaultAsync(cancellationToken);
        return totals ?? new CreditTotals(0, 0, 0);
    }

    /// <summary>What a key has spent (usage and fees charged through it) in total and in the current periods.</summary>
    public async Task<KeyUsage> KeyUsageAsync(Guid apiKeyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var firstDay = KeySpendingPeriods.FirstDay(now);
        var total = await db.KeySpendingTotals.AsNoTracking()
            .Where(spending => spending.ApiKeyId == apiKeyId)
            .Select(spending => (long?)spending.SpentNanos)
            .SingleOrDefaultAsync(cancellationToken);
        if (total is null)
        {
            return KeyUsage.None;
        }
        var days = await db.KeySpendingDays.AsNoTracking()
            .Where(day => day.ApiKeyId == apiKeyId && day.Day >= firstDay)
            .Select(day => new { day.Day, day.SpentNanos })
            .ToListAsync(cancellationToken);
        return KeySpendingPeriods.Sum(total.Value, days.Select(day => (day.Day, day.SpentNanos)), now);
    }

    /// <summary>What each key of an account has spent, in two small queries; keys that spent nothing are absent.</summary>
    public async Task<IReadOnlyDictionary<Guid, KeyUsage>> KeyUsageByKeyAsync(Guid accountId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var firstDay = KeySpendingPeriods.FirstDay(now);
        var totals = await db.KeySpendingTotals.AsNoTracking()
            .Where(spending => spending.AccountId == accountId)
            .Select(spending => new { spending.ApiKeyId, spending.SpentNanos })
            .ToListAsync(cancellationToken);
        if (totals.Count == 0)
        {
            return new Dictionary<Guid, KeyUsage>();
        }
        var days = (await db.KeySpendingDays.AsNoTracking()
                .Where(day => day.AccountId == accountId && day.Day >= firstDay)
                .Select(day => new { day.ApiKeyId, day.Day, day.SpentNanos })
                .ToListAsync(cancellationToken))
            .ToLookup(day => day.ApiKeyId, day => (day.Day, day.SpentNanos));
        return totals.ToDictionary(
            spending => spending.ApiKeyId,
            spending => KeySpendingPeriods.Sum(spending.SpentNanos, days[spending.ApiKeyId], now));
    }
}

/// <summary>Nano-dollars a key has spent: ever, today, this week and this month (UTC).</summary>
public sealed record KeyUsage(long TotalNanos, long DailyNanos, long WeeklyNanos, long MonthlyNanos)
{
    public static readonly KeyUsage None = new(0, 0, 0, 0);

    /// <summary>The spending that counts against a limit with this reset (<c>daily</c>, <c>weekly</c>, <c>monthly</c>, or none).</summary>
    public long InPeriod(string? limitReset) => limitReset switch
    {
        "daily" => DailyNanos,
        "weekly" => WeeklyNanos,
        "monthly" => MonthlyNanos,
        _ => TotalNanos,
    };
}
