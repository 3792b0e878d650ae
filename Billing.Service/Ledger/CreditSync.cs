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

/// <summary>
/// Rebuilds every account's Redis credits at start, so a Redis that lost or kept stale data is corrected.
/// Gateways that meet an account before its turn ask for it at once (<c>POST /internal/credits/{id}/sync</c>).
/// </summary>
public sealed partial class CreditCacheLoader(IServiceScopeFactory scopes, ILogger<CreditCacheLoader> logger) : BackgroundService
{
    private const int PageSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var count = 0;
        Guid? after = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            var sync = scope.ServiceProvider.GetRequiredService<CreditSync>();
            var page = await db.Accounts.AsNoTracking()
                .Where(account => after == null || account.Id > after)
                .OrderBy(account => account.Id)
                .Select(account => account.Id)
                .Take(PageSize)
                .ToListAsync(stoppingToken);
            foreach (var accountId in page)
            {
                await sync.SyncAsync(accountId, stoppingToken);
            }
            count += page.Count;
            if (page.Count < PageSize)
            {
                break;
            }
            after = page[^1];
        }
        LogLoaded(logger, count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Credits of {AccountCount} accounts rebuilt in Redis from the ledger")]
    private static partial void LogLoaded(ILogger logger, int accountCount);
}
