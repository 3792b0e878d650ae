using Billing.Service.RedisState;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace UnitTests.Billing;

public class AccountRebuildTests
{
    private static readonly Guid[] Accounts = [.. Enumerable.Range(1, 6).Select(index => new Guid(index, 0, 0, new byte[8]))];

    private readonly FakeLogger logger = new();
    private readonly List<Guid> synced = [];
    private int reachabilityChecks;

    private Task<bool> SyncAllBut(Guid accountId, ISet<Guid> bad)
    {
        if (bad.Contains(accountId))
        {
            throw new InvalidOperationException("bad data");
        }
        synced.Add(accountId);
        return Task.FromResult(true);
    }

    private Task Reachable(CancellationToken cancellationToken)
    {
        reachabilityChecks++;
        return Task.CompletedTask;
    }

    [Fact]
    public async Task One_failing_account_is_logged_with_its_id_and_the_others_still_load()
    {
        var bad = new HashSet<Guid> { Accounts[1] };

        var failed = await AccountRebuild.SyncEachAsync(Accounts, (id, _) => SyncAllBut(id, bad), Reachable, logger, CancellationToken.None);

        Assert.Equal([Accounts[1]], failed);
        Assert.Equal(Accounts.Where(id => id != Accounts[1]), synced);
        var logged = Assert.Single(logger.Collector.GetSnapshot(), record => record.Level == LogLevel.Error);
        Assert.Contains(Accounts[1].ToString(), logged.Message, StringComparison.Ordinal);
        Assert.Equal(0, reachabilityChecks);
    }

    [Fact]
    public async Task Several_bad_accounts_in_a_row_with_Redis_and_Postgres_reachable_do_not_stop_the_rest()
    {
        var bad = Accounts.Take(4).ToHashSet();

        var failed = await AccountRebuild.SyncEachAsync(Accounts, (id, _) => SyncAllBut(id, bad), Reachable, logger, CancellationToken.None);

        Assert.Equal(Accounts.Take(4), failed);
        Assert.Equal(Accounts.Skip(4), synced);
        Assert.Equal(1, reachabilityChecks);
    }

    [Fact]
    public async Task An_outage_stops_the_rebuild_after_a_few_failures_instead_of_logging_every_account()
    {
        var bad = Accounts.ToHashSet();

        await Assert.ThrowsAsync<TimeoutException>(() => AccountRebuild.SyncEachAsync(
            Accounts, (id, _) => SyncAllBut(id, bad), _ => throw new TimeoutException("Postgres is down"), logger, CancellationToken.None));

        Assert.Equal(AccountRebuild.ConsecutiveFailuresBeforeOutageCheck, logger.Collector.Count);
        Assert.Empty(synced);
    }

    [Fact]
    public async Task Stopping_cancels_the_rebuild_rather_than_counting_as_a_failed_account()
    {
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AccountRebuild.SyncEachAsync(
            Accounts, (_, token) => Task.FromCanceled<bool>(token), Reachable, logger, stopping.Token));

        Assert.Equal(0, logger.Collector.Count);
    }
}
