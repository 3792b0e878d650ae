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
        do
        {
            try
            {
                // Marked first: should Redis empty again during the rebuild, the marker goes too and the next check repeats it.
                var markerWasMissing = await redis.GetDatabase().StringSetAsync(
                    MarkerKey, DateTimeOffset.UtcNow.ToString("O"), when: rebuildAnyway ? When.Always : When.NotExists);
                if (markerWasMissing || rebuildAnyway)
                {
                    await RebuildAsync(stoppingToken);
                    rebuildAnyway = false;
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

    private async Task RebuildAsync(CancellationToken cancellationToken)
    {
        var keys = await RebuildKeyDirectoryAsync(cancellationToken);
        var accounts = await RebuildCreditsAsync(cancellationToken);
        LogRebuilt(logger, keys, accounts);
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
    private async Task<int> RebuildCreditsAsync(CancellationToken cancellationToken)
    {
        var count = 0;
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
            foreach (var accountId in page)
            {
                await sync.SyncAsync(accountId, cancellationToken);
            }
            count += page.Count;
            if (page.Count < PageSize)
            {
                return count;
            }
            after = page[^1];
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis rebuilt from Postgres: {KeyCount} keys in the key directory, credits of {AccountCount} accounts")]
    private static partial void LogRebuilt(ILogger logger, int keyCount, int accountCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rebuilding Redis from Postgres failed; retrying on the next check")]
    private static partial void LogRebuildFailed(ILogger logger, Exception exception);
}
