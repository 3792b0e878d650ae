using Gateway.Api.Credits;
using Gateway.Api.Keys;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenRouterClone.Shared.Credits;

namespace IntegrationTests.Credits;

/// <summary>
/// The gateway's credit leases (<see cref="CreditLeases"/>) through its <see cref="CreditGate"/>, against a real
/// redis-server: requests without limits share a lease instead of each placing a hold, the balance still bounds
/// what is handed out, and what a lease sets aside goes back.
/// </summary>
public sealed class CreditLeaseTests(LocalRedisServer redis) : IClassFixture<LocalRedisServer>
{
    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);

    private CreditStore Store => new(redis.Connection);

    private sealed record Gateway(CreditGate Gate, CreditLeases Leases);

    private Gateway NewGateway(CreditOptions? settings = null)
    {
        var options = Options.Create(settings ?? new CreditOptions());
        var leases = new CreditLeases(Store, redis.Connection, options, _clock, NullLogger<CreditLeases>.Instance);
        // Billing is never called: every account here is loaded already.
        var gate = new CreditGate(Store, leases, new SettlementBatches(Store), new BillingSyncClient(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9") }),
            new LateSettlements(Store, NullLogger<LateSettlements>.Instance), options, _clock);
        return new Gateway(gate, leases);
    }

    private async Task<Guid> LoadedAccountAsync(long balance)
    {
        var account = Guid.NewGuid();
        await Store.ReconcileAsync(account, balance, [], []);
        return account;
    }

    private static GatewayKey Key(Guid account, long? limit = null) => new(Guid.NewGuid(), account, false, false, null, limit, "none");

    private static HoldPlan Plan(long maximum, long minimum = 1) => new(minimum, maximum, 100, null);

    private UsageEvent Usage(GatewayKey key, string id, long cost) => new()
    {
        GenerationId = id,
        AccountId = key.AccountId,
        KeyId = key.KeyId,
        Model = "m/x",
        ProviderSlug = "p",
        ProviderName = "P",
        CostNanos = cost,
        UpstreamCostNanos = cost,
        CreatedAt = _clock.Now,
    };

    private async Task<int> HoldEntriesAsync(Guid account)
        => (int)await redis.Connection.GetDatabase().HashLengthAsync("{acct:" + account.ToString("N") + "}:holds");

    // Settlements are sent without waiting: what follows from them is read once it shows, or after 5 s as it is then.
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }

    private Task<CreditPosition> PositionAfterSettlementsAsync(Guid account, long expectedUnposted)
        => EventuallyAsync(async () => (await Store.ReadAsync(account))!, position => position.UnpostedNanos == expectedUnposted);

    [Fact]
    public async Task Requests_without_limits_share_one_lease_and_settle_out_of_it()
    {
        var account = await LoadedAccountAsync(1_000_000);
        var key = Key(account);
        var gateway = NewGateway();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(new Reservation(ReservationOutcome.Granted, 1_000),
                await gateway.Gate.ReserveAsync(key, $"gen-{i}", Plan(1_000), freeModel: false, TestContext.Current.CancellationToken));
        }

        // One lease of 16 worst cases in Redis, no hold per request.
        Assert.Equal(1, await HoldEntriesAsync(account));
        Assert.Equal(new CreditPosition(1_000_000, 0, 16_000), await Store.ReadAsync(account));

        for (var i = 0; i < 4; i++)
        {
            gateway.Gate.Settle(key, Usage(key, $"gen-{i}", 300));
        }
        // A request that produced nothing gives its share back without asking Redis.
        Assert.True(await gateway.Gate.ReleaseAsync(key, "gen-4"));

        Assert.Equal(new CreditPosition(1_000_000, 1_200, 14_800), await PositionAfterSettlementsAsync(account, 1_200));
        Assert.Equal(1_200, (await Store.ReadKeySpendAsync(account, key.KeyId)).SpentNanos);
    }

    [Fact]
    public async Task A_generation_dearer_than_its_share_leaves_the_other_shares_backed_in_redis()
    {
        var account = await LoadedAccountAsync(1_000_000);
        var key = Key(account);
        var gateway = NewGateway();
        for (var i = 0; i < 3; i++)
        {
            await gateway.Gate.ReserveAsync(key, $"gen-{i}", Plan(1_000), freeModel: false, TestContext.Current.CancellationToken);
        }

        // The provider charged more than the hold (it ignored max_tokens): the lease pays the share, the rest is usage.
        gateway.Gate.Settle(key, Usage(key, "gen-0", 5_000));

        var position = await PositionAfterSettlementsAsync(account, 5_000);
        Assert.Equal(new CreditPosition(1_000_000, 5_000, 15_000), position);
        // What the lease still holds in Redis covers the two shares in flight and the 13 it can still hand out: no growth.
        var remaining = Enumerable.Range(0, 13).Select(i => gateway.Gate.ReserveAsync(key, $"gen-more-{i}", Plan(1_000), false, TestContext.Current.CancellationToken));
        await Task.WhenAll(remaining);
        Assert.Equal(1, await HoldEntriesAsync(account));
        Assert.Equal(15_000, (await Store.ReadAsync(account))!.HeldNanos);
    }

    [Fact]
    public async Task A_refund_that_leaves_the_account_below_its_lease_stops_the_lease_at_the_next_settlement()
    {
        var account = await LoadedAccountAsync(1_000_000);
        var key = Key(account);
        var gateway = NewGateway();
        await gateway.Gate.ReserveAsync(key, "gen-a", Plan(1_000), false, TestContext.Current.CancellationToken);
        await gateway.Gate.ReserveAsync(key, "gen-b", Plan(1_000), false, TestContext.Current.CancellationToken);

        // The balance drops to 10,000 while the lease sets aside 16,000.
        Assert.True(await Store.ApplyPostedChangeAsync(account, -990_000));
        gateway.Gate.Settle(key, Usage(key, "gen-a", 500));

        Assert.False(await EventuallyAsync(() => Task.FromResult(gateway.Leases.IsLeasing(account)), leasing => !leasing));
        // The next request is refused as a hold of its own would be, though the lease had 14,000 unused.
        var next = await gateway.Gate.ReserveAsync(key, "gen-c", Plan(1_000), false, TestContext.Current.CancellationToken);
        Assert.Equal(ReservationOutcome.InsufficientCredits, next.Outcome);
    }

    [Fact]
    public async Task Keys_with_limits_and_free_models_keep_holds_of_their_own()
    {
        var account = await LoadedAccountAsync(1_000_000);
        var gateway = NewGateway();

        await gateway.Gate.ReserveAsync(Key(account, limit: 500_000), "gen-limited", Plan(1_000), freeModel: false, TestContext.Current.CancellationToken);
        await gateway.Gate.ReserveAsync(Key(account), "gen-free", Plan(0, 0), freeModel: true, TestContext.Current.CancellationToken);
        var capped = NewGateway(new CreditOptions { AccountConcurrentRequests = 10 });
        await capped.Gate.ReserveAsync(Key(account), "gen-capped", Plan(1_000), freeModel: false, TestContext.Current.CancellationToken);

        Assert.Equal(3, await HoldEntriesAsync(account));
        Assert.Equal(0, gateway.Leases.Count + capped.Leases.Count);
        Assert.Equal(new CreditPosition(1_000_000, 0, 2_000), await Store.ReadAsync(account));
    }

    [Fact]
    public async Task Parallel_requests_on_two_gateways_never_take_more_than_the_balance()
    {
        var account = await LoadedAccountAsync(50_000);
        var key = Key(account);
        var first = NewGateway();
        var second = NewGateway();

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            (i % 2 == 0 ? first : second).Gate.ReserveAsync(key, $"gen-{i}", Plan(1_000, minimum: 1_000), freeModel: false, TestContext.Current.CancellationToken)));

        var granted = results.Where(result => result.Outcome == ReservationOutcome.Granted).Sum(result => result.Nanos);
        var position = (await Store.ReadAsync(account))!;
        Assert.InRange(granted, 40_000, position.HeldNanos);
        Assert.Equal(0, granted % 1_000);
        Assert.All(results, result => Assert.Contains(result.Outcome, new[] { ReservationOutcome.Granted, ReservationOutcome.InsufficientCredits }));
        Assert.InRange(position.AvailableNanos, 0, 999);
        Assert.Equal(50_000, position.HeldNanos + position.AvailableNanos);
    }

    [Fact]
    public async Task A_lease_too_small_goes_back_so_the_request_s_own_hold_can_grant_all_that_is_left()
    {
        var account = await LoadedAccountAsync(10_000);
        var key = Key(account);
        var gateway = NewGateway();

        // The lease takes a quarter of the balance (16 worst cases would be more).
        Assert.Equal(ReservationOutcome.Granted, (await gateway.Gate.ReserveAsync(key, "gen-small", Plan(1_000), false, TestContext.Current.CancellationToken)).Outcome);
        Assert.Equal(2_500, (await Store.ReadAsync(account))!.HeldNanos);
        await gateway.Gate.ReleaseAsync(key, "gen-small");

        // 12,000 at most is more than the lease can grow to: it goes back, and the request's own hold gets all 10,000
        // (its max_tokens lowered to fit), as without leases.
        var large = await gateway.Gate.ReserveAsync(key, "gen-large", Plan(12_000), false, TestContext.Current.CancellationToken);

        Assert.Equal(new Reservation(ReservationOutcome.Granted, 10_000), large);
        Assert.Equal(0, gateway.Leases.Count);
        Assert.Equal(1, await HoldEntriesAsync(account));
        Assert.Equal(new CreditPosition(10_000, 0, 10_000), await Store.ReadAsync(account));
    }

    [Fact]
    public async Task An_idle_lease_goes_back_and_one_past_its_term_once_its_last_request_ends()
    {
        var account = await LoadedAccountAsync(1_000_000);
        var key = Key(account);
        var gateway = NewGateway();
        var start = _clock.Now;

        await gateway.Gate.ReserveAsync(key, "gen-long", Plan(1_000), false, TestContext.Current.CancellationToken);
        // Still in use: it stays, however long.
        await gateway.Leases.ReturnIdleAsync(start + TimeSpan.FromMinutes(5));
        Assert.Equal(16_000, (await Store.ReadAsync(account))!.HeldNanos);

        // Past its term a new lease serves new requests; the old one waits for its request.
        _clock.Now = start + TimeSpan.FromMinutes(2);
        await gateway.Gate.ReserveAsync(key, "gen-next", Plan(1_000), false, TestContext.Current.CancellationToken);
        Assert.Equal(2, gateway.Leases.Count);
        Assert.Equal(32_000, (await Store.ReadAsync(account))!.HeldNanos);
        await gateway.Gate.ReleaseAsync(key, "gen-long");
        await gateway.Leases.ReturnIdleAsync(_clock.Now);
        Assert.Equal(1, gateway.Leases.Count);
        Assert.Equal(16_000, (await Store.ReadAsync(account))!.HeldNanos);

        // The new one, once its request ended and nothing used it for the idle time.
        await gateway.Gate.ReleaseAsync(key, "gen-next");
        await gateway.Leases.ReturnIdleAsync(_clock.Now + TimeSpan.FromSeconds(1));
        Assert.Equal(1, gateway.Leases.Count);
        await gateway.Leases.ReturnIdleAsync(_clock.Now + TimeSpan.FromSeconds(3));
        Assert.Equal(0, gateway.Leases.Count);
        Assert.Equal(new CreditPosition(1_000_000, 0, 0), await Store.ReadAsync(account));
        Assert.Equal(0, await HoldEntriesAsync(account));
    }

    [Fact]
    public async Task Settlements_that_come_faster_than_redis_answers_go_in_shared_script_calls_and_each_lands_once()
    {
        var first = Key(await LoadedAccountAsync(1_000_000));
        var second = Key(await LoadedAccountAsync(1_000_000));
        var batches = new SettlementBatches(Store);
        // INFO is an admin command: a connection of its own for it.
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Connection.Configuration + ",allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        var callsBefore = await ScriptCallsAsync(server);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            batches.SettleAsync(new Settlement(Usage(i % 2 == 0 ? first : second, $"gen-batched-{i}", 10 + i % 2), "all"))));

        Assert.All(outcomes, outcome => Assert.Equal(SettleOutcome.Settled, outcome));
        Assert.Equal(new CreditPosition(1_000_000, 1_000, 0), await Store.ReadAsync(first.AccountId));
        Assert.Equal(new CreditPosition(1_000_000, 1_100, 0), await Store.ReadAsync(second.AccountId));
        // One call per account per batch: the first settlement goes alone, the others gather while it is answered.
        Assert.InRange(await ScriptCallsAsync(server) - callsBefore, 2, 100);
        Assert.Equal(SettleOutcome.AlreadySettled, await batches.SettleAsync(new Settlement(Usage(first, "gen-batched-0", 10), "all")));
    }

    private static async Task<long> ScriptCallsAsync(StackExchange.Redis.IServer server)
        => (await server.InfoAsync("commandstats")).SelectMany(group => group)
            .Where(stat => stat.Key is "cmdstat_evalsha" or "cmdstat_eval")
            .Sum(stat => long.Parse(stat.Value.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture));
}
