using Billing.Service.Data;
using Billing.Service.Keys;
using Microsoft.EntityFrameworkCore;
using OpenRouterClone.Shared.Credits;

namespace Billing.Service.Ledger;

/// <summary>
/// Rebuilds an account's Redis credits (<see cref="CreditStore"/>) from Postgres, the truth: the balance,
/// each key's spending in its current limit period, and which settled generations Postgres already holds.
/// It runs under the account's row lock, the same lock every posting takes, so no posting lands between
/// reading Postgres and writing Redis.
/// </summary>
public sealed class CreditSync(BillingDbContext db, LedgerService ledger, CreditStore credits, TimeProvider clock)
{
    /// <summary>False when there is no such account.</summary>
    public async Task<bool> SyncAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var locked = await db.Accounts
                .FromSql($"SELECT * FROM accounts WHERE \"Id\" = {accountId} FOR UPDATE")
                .AsNoTracking()
                .ToListAsync(cancellationToken);
            if (locked.Count == 0)
            {
                return false;
            }

            var unposted = await credits.UnpostedGenerationIdsAsync(accountId);
            var persisted = unposted.Count == 0
                ? []
                : await db.Generations
                    .Where(generation => generation.AccountId == accountId && unposted.Contains(generation.Id))
                    .Select(generation => generation.Id)
                    .ToListAsync(cancellationToken);
            var totals = await ledger.TotalsAsync(accountId, cancellationToken);
            var now = clock.GetUtcNow();
            var usage = await ledger.KeyUsageByKeyAsync(accountId, now, cancellationToken);
            var keys = await db.ApiKeys.AsNoTracking()
                .Where(key => key.AccountId == accountId)
                .Select(key => new { key.Id, key.LimitReset })
                .ToListAsync(cancellationToken);
            var spends = keys
                .Select(key =>
                {
                    var reset = ApiKeyRules.FormatReset(key.LimitReset);
                    return new KeySpend(key.Id, UsagePeriods.PeriodId(reset, now), usage.GetValueOrDefault(key.Id, KeyUsage.None).InPeriod(reset));
                })
                .ToList();

            await credits.ReconcileAsync(accountId, totals.BalanceNanos, persisted, spends, totals.PurchasedNanos);
            await transaction.CommitAsync(cancellationToken);
            return true;
        });
    }
}
