using Billing.Service.Data;
using Billing.Service.Keys;
using Billing.Service.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Billing.Service.RedisState;

/// <summary>How often billing checks that Redis still holds what it wrote there.</summary>
public sealed class RedisStateOptions
{
    public const string SectionName = "RedisState";

    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Redis is a cache of Postgres for the hot path: the key directory and every account's credits. This writes both
/// from Postgres at start and again whenever Redis comes back without them (restarted without its data, flushed,
/// failed over to an empty replica), which a marker key written before each rebuild reveals. Until then gateways
/// would refuse every key as unknown; after it, balances are exactly the ledger's.
/// </summary>
public sealed partial class RedisStateKeeper(
    IConnectionMultiplexer redis,
    IServiceScopeFactory scopes,
    KeyDirectory directory,
    IOptions<RedisStateOptions> options,
    ILogger<RedisStateKeeper> logger) : BackgroundService
{
    /// <summary>Present while Redis holds a rebuild's results; a Redis that lost its data has lost this too.</summary>
    public const string MarkerKey = "billing:redis-state";

    private const int PageSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval);
        // Always at start: a Redis that kept its data may still be stale (a restored backup, an edit while billing was down).
        var rebuildAnyway = true;
        // Accounts the last rebuild could not load: only they are tried again on the next tick.
        IReadOnlyList<Guid> failedAccounts = [];
        do
        {
            try
            {
                // Marked first: should Redis empty again during the rebuild, the marker goes too and the next check repeats it.
                var markerWasMissing = await redis.GetDatabase().StringSetAsync(
                    MarkerKey, DateTimeOffset.UtcNow.ToString("O"), when: rebuildAnyway ? When.Always : When.NotExists);
                if (markerWasMissing || rebuildAnyway)
                {
                    failedAccounts = await RebuildAsync(stoppingToken);
                    rebuildAnyway = false;
                }
                else if (failedAccounts.Count > 0)
                {
                    failedAccounts = await RetryAccountsAsync(failedAccounts, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Redis or Postgres unreachable: try the whole rebuild again on the next tick.
                LogRebuildFailed(logger, ex);
                rebuildAnyway = true;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<IReadOnlyList<Guid>> RebuildAsync(CancellationToken cancellationToken)
    {
        var keys = await RebuildKeyDirectoryAsync(cancellationToken);
        var (accounts, failed) = await RebuildCreditsAsync(cancellationToken);
        LogRebuilt(logger, keys, accounts - failed.Count, failed.Count);
        return failed;
    }

    private async Task<IReadOnlyList<Guid>> RetryAccountsAsync(IReadOnlyList<Guid> accountIds, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var sync = scope.ServiceProvider.GetRequiredService<CreditSync>();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var failed = await AccountRebuild.SyncEachAsync(accountIds, sync.SyncAsync, token => EnsureReachableAsync(db, token), logger, cancellationToken);
        LogRetried(logger, accountIds.Count - failed.Count, failed.Count);
        return failed;
    }

    /// <summary>Throws when Redis or Postgres cannot be reached: then failing accounts are an outage, not bad data.</summary>
    private async Task EnsureReachableAsync(BillingDbContext db, CancellationToken cancellationToken)
    {
        await redis.GetDatabase().PingAsync();
        await db.Database.ExecuteSqlAsync($"SELECT 1", cancellationToken);
    }

    private async Task<int> RebuildKeyDirectoryAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var count = 0;
        await foreach (var key in db.ApiKeys.AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            await directory.PublishAsync(key);
            count++;
        }
        return count;
    }

    /// <summary>Page by page, each account under its own row lock (<see cref="CreditSync"/>).</summary>
    private async Task<(int Count, List<Guid> Failed)> RebuildCreditsAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        List<Guid> failed = [];
        Guid? after = null;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
            var sync = scope.ServiceProvider.GetRequiredService<CreditSync>();
            var page = await db.Accounts.AsNoTracking()
                .Where(account => after == null || account.Id > after)
                .OrderBy(account => account.Id)
                .Select(account => account.Id)
                .Take(PageSize)
                .ToListAsync(cancellationToken);
            failed.AddRange(await AccountRebuild.SyncEachAsync(page, sync.SyncAsync, token => EnsureReachableAsync(db, token), logger, cancellationToken));
            count += page.Count;
            if (page.Count < PageSize)
            {
                return (count, failed);
            }
            after = page[^1];
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis rebuilt from Postgres: {KeyCount} keys in the key directory, credits of {AccountCount} accounts ({FailedCount} failed, retried on the next check)")]
    private static partial void LogRebuilt(ILogger logger, int keyCount, int accountCount, int failedCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retried the credits of accounts that failed to rebuild: {AccountCount} loaded, {FailedCount} still failing")]
    private static partial void LogRetried(ILogger logger, int accountCount, int failedCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rebuilding Redis from Postgres failed; retrying on the next check")]
    private static partial void LogRebuildFailed(ILogger logger, Exception exception);
}

/// <summary>Loads accounts' credits one by one so that one account that fails does not keep the others out of Redis.</summary>
internal static partial class AccountRebuild
{
    /// <summary>After this many failures in a row, check whether Redis and Postgres are reachable at all.</summary>
    public const int ConsecutiveFailuresBeforeOutageCheck = 3;

    /// <summary>
    /// Syncs each account; returns those that failed, each logged with its id. When several fail in a row,
    /// <paramref name="ensureReachable"/> tells bad accounts from an outage: if it throws, so does this, and the caller
    /// retries the whole rebuild later instead of logging a failure for every account.
    /// </summary>
    public static async Task<List<Guid>> SyncEachAsync(
        IEnumerable<Guid> accountIds,
        Func<Guid, CancellationToken, Task<bool>> sync,
        Func<CancellationToken, Task> ensureReachable,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        List<Guid> failed = [];
        var inARow = 0;
        foreach (var accountId in accountIds)
        {
            try
            {
                await sync(accountId, cancellationToken);
                inARow = 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogAccountFailed(logger, ex, accountId);
                failed.Add(accountId);
                if (++inARow >= ConsecutiveFailuresBeforeOutageCheck)
                {
                    await ensureReachable(cancellationToken);
                    inARow = 0;
                }
            }
        }
        return failed;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Rebuilding the Redis credits of account {AccountId} failed; the other accounts go on, it is retried on the next check")]
    private static partial void LogAccountFailed(ILogger logger, Exception exception, Guid accountId);
}
