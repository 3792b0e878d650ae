using OpenRouterClone.Shared.Credits;
using StackExchange.Redis;

namespace IntegrationTests.Credits;

/// <summary>The credit scripts against a real redis-server: holds, limits, settlement, posting and rebuilds.</summary>
public sealed class CreditStoreTests(LocalRedisServer redis) : IClassFixture<LocalRedisServer>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private CreditStore Store => new(redis.Connection);

    private static HoldRequest Hold(Guid account, Guid key, string id, long minimum, long maximum, long? keyLimit = null,
        string period = "all", DateTimeOffset? now = null, TimeSpan? lifetime = null, long floor = 0)
    {
        var at = now ?? Now;
        return new HoldRequest(account, key, id, minimum, maximum, keyLimit, period, at + (lifetime ?? TimeSpan.FromMinutes(15)), at, floor);
    }

    private static UsageEvent Usage(Guid account, Guid key, string id, long cost) => new()
    {
        GenerationId = id,
        AccountId = account,
        KeyId = key,
        Model = "m/x",
        ProviderSlug = "p",
        ProviderName = "P",
        PromptTokens = 10,
        CompletionTokens = 5,
        CostNanos = cost,
        UpstreamCostNanos = cost,
        CreatedAt = Now,
    };

    private async Task<(Guid Account, Guid Key)> LoadedAccountAsync(long balance)
    {
        var account = Guid.NewGuid();
        await Store.ReconcileAsync(account, balance, [], []);
        return (account, Guid.NewGuid());
    }

    [Fact]
    public async Task An_account_that_is_not_loaded_gets_no_hold()
    {
        var reservation = await Store.ReserveAsync(Hold(Guid.NewGuid(), Guid.NewGuid(), "gen-1", 0, 10));

        Assert.Equal(ReservationOutcome.NotLoaded, reservation.Outcome);
    }

    [Fact]
    public async Task Scripts_that_redis_forgot_are_sent_again_and_run_once()
    {
        var (account, key) = await LoadedAccountAsync(10_000);
        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Hold(account, key, "gen-before-flush", 1_000, 2_000))).Outcome);

        // What a Redis restart (or failover to a replica without the scripts) leaves: the store calls scripts by SHA-1.
        await redis.Connection.GetDatabase().ExecuteAsync("SCRIPT", "FLUSH");
        var after = await Store.ReserveAsync(Hold(account, key, "gen-after-flush", 1_000, 2_000));
        await redis.Connection.GetDatabase().ExecuteAsync("SCRIPT", "FLUSH");
        var settled = await Store.SettleAsync(Usage(account, key, "gen-after-flush", 1_500), "all");

        Assert.Equal(new Reservation(ReservationOutcome.Granted, 2_000), after);
        Assert.Equal(SettleOutcome.Settled, settled);
        // Each ran exactly once: one hold left (2,000), 1,500 settled and unposted.
        Assert.Equal(new CreditPosition(10_000, 1_500, 2_000), await Store.ReadAsync(account));
    }

    [Fact]
    public async Task A_hold_grants_the_worst_case_when_affordable_and_what_is_left_otherwise()
    {
        var (account, key) = await LoadedAccountAsync(10_000);

        var first = await Store.ReserveAsync(Hold(account, key, "gen-a", 1_000, 6_000));
        var second = await Store.ReserveAsync(Hold(account, key, "gen-b", 1_000, 6_000));
        var third = await Store.ReserveAsync(Hold(account, key, "gen-c", 1_000, 6_000));

        Assert.Equal(new Reservation(ReservationOutcome.Granted, 6_000), first);
        Assert.Equal(new Reservation(ReservationOutcome.Granted, 4_000), second);
        Assert.Equal(new Reservation(ReservationOutcome.InsufficientCredits, 0), third);
        Assert.Equal(new CreditPosition(10_000, 0, 10_000), await Store.ReadAsync(account));
    }

    [Fact]
    public async Task The_floor_allows_a_configured_overdraft_and_no_more()
    {
        var (account, key) = await LoadedAccountAsync(0);

        Assert.Equal(ReservationOutcome.InsufficientCredits, (await Store.ReserveAsync(Hold(account, key, "gen-1", 1, 5))).Outcome);
        Assert.Equal(new Reservation(ReservationOutcome.Granted, 500), await Store.ReserveAsync(Hold(account, key, "gen-2", 1, 900, floor: -500)));
    }

    [Fact]
    public async Task A_free_request_passes_at_zero_balance_but_not_below_it()
    {
        var (account, key) = await LoadedAccountAsync(0);
        Assert.Equal(new Reservation(ReservationOutcome.Granted, 0), await Store.ReserveAsync(Hold(account, key, "gen-free", 0, 0)));

        var (indebted, other) = await LoadedAccountAsync(-1);
        Assert.Equal(ReservationOutcome.InsufficientCredits, (await Store.ReserveAsync(Hold(indebted, other, "gen-free", 0, 0))).Outcome);
    }

    [Fact]
    public async Task A_key_limit_caps_spending_plus_holds_in_its_period_and_a_new_period_starts_over()
    {
        var (account, key) = await LoadedAccountAsync(1_000_000);

        Assert.Equal(new Reservation(ReservationOutcome.Granted, 700), await Store.ReserveAsync(Hold(account, key, "gen-1", 100, 700, keyLimit: 1_000, period: "d20261125")));
        Assert.Equal(SettleOutcome.Settled, await Store.SettleAsync(Usage(account, key, "gen-1", 600), "d20261125"));
        Assert.Equal(new Reservation(ReservationOutcome.Granted, 400), await Store.ReserveAsync(Hold(account, key, "gen-2", 100, 700, keyLimit: 1_000, period: "d20261125")));
        Assert.Equal(new Reservation(ReservationOutcome.KeyLimitReached, 0), await Store.ReserveAsync(Hold(account, key, "gen-3", 100, 700, keyLimit: 1_000, period: "d20261125")));

        // The next day only the outstanding hold counts.
        Assert.Equal(new Reservation(ReservationOutcome.Granted, 600), await Store.ReserveAsync(Hold(account, key, "gen-4", 100, 700, keyLimit: 1_000, period: "d20261126")));
        // Another key of the same account is not limited by it.
        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Hold(account, Guid.NewGuid(), "gen-5", 100, 700, keyLimit: 1_000))).Outcome);
    }

    [Fact]
    public async Task Settlement_releases_the_hold_debits_the_cost_and_appends_the_event_once()
    {
        var (account, key) = await LoadedAccountAsync(10_000);
        await Store.ReserveAsync(Hold(account, key, "gen-settle", 1_000, 5_000));
        var streamBefore = await redis.Connection.GetDatabase().StreamLengthAsync(CreditStore.UsageStream);

        Assert.Equal(SettleOutcome.Settled, await Store.SettleAsync(Usage(account, key, "gen-settle", 1_234), "all"));
        Assert.Equal(SettleOutcome.AlreadySettled, await Store.SettleAsync(Usage(account, key, "gen-settle", 1_234), "all"));

        Assert.Equal(new CreditPosition(10_000, 1_234, 0), await Store.ReadAsync(account));
        Assert.Equal(streamBefore + 1, await redis.Connection.GetDatabase().StreamLengthAsync(CreditStore.UsageStream));
        var last = (await redis.Connection.GetDatabase().StreamRangeAsync(CreditStore.UsageStream, "-", "+", 1, Order.Descending))[0];
        var recorded = UsageEvent.FromStreamFields(last.Values);
        Assert.Equal("gen-settle", recorded.GenerationId);
        Assert.Equal(1_234, recorded.CostNanos);
        Assert.Equal(account, recorded.AccountId);
    }

    [Fact]
    public async Task Settlements_of_one_account_in_one_call_each_settle_once_in_order_and_say_when_the_account_is_overdrawn()
    {
        var (account, key) = await LoadedAccountAsync(10_000);
        var otherKey = Guid.NewGuid();
        await Store.ReserveAsync(Hold(account, key, "gen-many-1", 100, 2_000));
        await Store.ReserveAsync(Hold(account, otherKey, "gen-many-2", 100, 2_000));
        await Store.GrowLeaseAsync(Lease(account, "lease:many", false, 3_000, 3_000));
        var streamBefore = await redis.Connection.GetDatabase().StreamLengthAsync(CreditStore.UsageStream);

        Assert.Equal([SettleOutcome.Settled, SettleOutcome.Settled, SettleOutcome.Settled], await Store.SettleAsync([
            new Settlement(Usage(account, key, "gen-many-1", 300), "all"),
            new Settlement(Usage(account, otherKey, "gen-many-2", 400), "all"),
            new Settlement(Usage(account, key, "gen-many-3", 500), "all", new LeaseShare("lease:many", 1_000)),
        ]));

        // Both holds are gone and the lease paid its generation's cost: 3,000 - 500 is still set aside.
        Assert.Equal(new CreditPosition(10_000, 1_200, 2_500), await Store.ReadAsync(account));
        Assert.Equal(800, (await Store.ReadKeySpendAsync(account, key)).SpentNanos);
        Assert.Equal(400, (await Store.ReadKeySpendAsync(account, otherKey)).SpentNanos);
        var events = await redis.Connection.GetDatabase().StreamRangeAsync(CreditStore.UsageStream, "-", "+", 3, Order.Descending);
        Assert.Equal(streamBefore + 3, await redis.Connection.GetDatabase().StreamLengthAsync(CreditStore.UsageStream));
        Assert.Equal(["gen-many-1", "gen-many-2", "gen-many-3"], events.Reverse().Select(entry => UsageEvent.FromStreamFields(entry.Values).GenerationId));

        // A repeat changes nothing; once a refund leaves less than the lease sets aside, every new settlement says so.
        Assert.True(await Store.ApplyPostedChangeAsync(account, -8_000));
        Assert.Equal([SettleOutcome.AlreadySettled, SettleOutcome.SettledOverdrawn, SettleOutcome.SettledOverdrawn], await Store.SettleAsync([
            new Settlement(Usage(account, key, "gen-many-3", 500), "all", new LeaseShare("lease:many", 1_000)),
            new Settlement(Usage(account, key, "gen-many-4", 100), "all"),
            new Settlement(Usage(account, key, "gen-many-5", 100), "all"),
        ]));
        Assert.Equal(new CreditPosition(2_000, 1_400, 2_500), await Store.ReadAsync(account));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SettleAsync([
            new Settlement(Usage(account, key, "gen-mixed-1", 1), "all"),
            new Settlement(Usage(Guid.NewGuid(), key, "gen-mixed-2", 1), "all"),
        ]));
    }

    [Fact]
    public async Task A_batch_pays_from_a_lease_up_to_what_it_has_left_and_crosses_a_key_s_period_as_one_by_one_would()
    {
        async Task<(CreditPosition? Position, (string? PeriodId, long SpentNanos, long HeldNanos) Key, (string? PeriodId, long SpentNanos, long HeldNanos) OtherKey,
            List<SettleOutcome> Outcomes)> SettleAsync(bool batched)
        {
            var (account, key) = await LoadedAccountAsync(100_000);
            var otherKey = Guid.NewGuid();
            await Store.GrowLeaseAsync(Lease(account, "lease:b", false, 1_000, 1_000));
            await Store.ReserveAsync(Hold(account, otherKey, "gen-b4", 100, 2_000, period: "d2"));
            Settlement[] settlements =
            [
                new(Usage(account, key, "gen-b1", 400), "d1", new LeaseShare("lease:b", 600)),
                new(Usage(account, key, "gen-b2", 500), "d1", new LeaseShare("lease:b", 300)),
                new(Usage(account, key, "gen-b1", 400), "d1", new LeaseShare("lease:b", 600)),
                new(Usage(account, key, "gen-b3", 700), "d2", new LeaseShare("lease:b", 1_000)),
                new(Usage(account, otherKey, "gen-b4", 200), "d2"),
            ];
            List<SettleOutcome> outcomes = [];
            if (batched)
            {
                outcomes.AddRange(await Store.SettleAsync(settlements));
            }
            else
            {
                foreach (var settlement in settlements)
                {
                    outcomes.Add(await Store.SettleAsync(settlement.Usage, settlement.PeriodId, settlement.Lease));
                }
            }
            return (await Store.ReadAsync(account), await Store.ReadKeySpendAsync(account, key), await Store.ReadKeySpendAsync(account, otherKey), outcomes);
        }

        var batched = await SettleAsync(batched: true);

        Assert.Equal([SettleOutcome.Settled, SettleOutcome.Settled, SettleOutcome.AlreadySettled, SettleOutcome.Settled, SettleOutcome.Settled], batched.Outcomes);
        // The lease paid 400, then the 300 share, then the 300 it had left; the hold is released.
        Assert.Equal(new CreditPosition(100_000, 1_800, 0), batched.Position);
        // The key's spending starts over in d2 with the 700; the other key spent 200 and holds nothing more.
        Assert.Equal(("d2", 700L, 0L), batched.Key);
        Assert.Equal(("d2", 200L, 0L), batched.OtherKey);
        var oneByOne = await SettleAsync(batched: false);
        Assert.Equal(oneByOne.Outcomes, batched.Outcomes);
        Assert.Equal((oneByOne.Position, oneByOne.Key, oneByOne.OtherKey), (batched.Position, batched.Key, batched.OtherKey));
    }

    [Fact]
    public async Task A_free_generation_holds_settles_and_posts_nothing_without_error()
    {
        var (account, key) = await LoadedAccountAsync(0);

        Assert.Equal(new Reservation(ReservationOutcome.Granted, 0), await Store.ReserveAsync(Hold(account, key, "gen-zero", 0, 0)));
        Assert.Equal(SettleOutcome.Settled, await Store.SettleAsync(Usage(account, key, "gen-zero", 0), "all"));
        Assert.True(await Store.MarkPostedAsync(account, "gen-zero"));
        await Store.ReserveAsync(Hold(account, key, "gen-zero-2", 0, 0));
        Assert.True(await Store.ReleaseAsync(account, "gen-zero-2"));

        Assert.Equal(new CreditPosition(0, 0, 0), await Store.ReadAsync(account));
    }

    [Fact]
    public async Task Free_model_requests_are_limited_per_sliding_minute_and_per_day_with_more_after_a_purchase()
    {
        var (account, key) = await LoadedAccountAsync(0);
        var limits = new FreeModelLimits(PerMinute: 2, PerDay: 3, PerDayAfterPurchase: 5, PurchaseThresholdNanos: 10_000_000_000);
        HoldRequest Free(string id, DateTimeOffset at) => Hold(account, key, id, 0, 0, now: at) with { FreeLimits = limits };

        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Free("f1", Now))).Outcome);
        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Free("f2", Now.AddSeconds(10)))).Outcome);
        var third = await Store.ReserveAsync(Free("f3", Now.AddSeconds(20)));
        Assert.Equal(ReservationOutcome.RateLimited, third.Outcome);
        // The oldest request leaves the window 60 s after it was made.
        Assert.Equal(TimeSpan.FromSeconds(40), third.RetryAfter);

        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Free("f4", Now.AddSeconds(61)))).Outcome);
        var overDay = await Store.ReserveAsync(Free("f5", Now.AddMinutes(5)));
        Assert.Equal(ReservationOutcome.RateLimited, overDay.Outcome);
        Assert.Equal(TimeSpan.FromHours(12).Subtract(TimeSpan.FromMinutes(5)), overDay.RetryAfter);

        // A purchase of $10 raises the day's allowance; paid requests were never limited.
        Assert.True(await Store.ApplyPostedChangeAsync(account, 10_000_000_000, purchasedNanos: 10_000_000_000));
        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Free("f6", Now.AddMinutes(6)))).Outcome);
        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Hold(account, key, "paid", 1, 1, now: Now.AddMinutes(6)))).Outcome);
    }

    [Fact]
    public async Task A_refusal_never_asks_to_wait_longer_than_the_window_even_when_gateway_clocks_differ()
    {
        var (account, key) = await LoadedAccountAsync(1_000);
        var limits = new RequestLimits(KeyPerMinute: 1);
        HoldRequest Request(string id, DateTimeOffset at) => Hold(account, key, id, 1, 1, now: at) with { Limits = limits };

        // A gateway whose clock runs 5 ms ahead took the only slot; one 5 ms behind is refused.
        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Request("ahead", Now.AddMilliseconds(5)))).Outcome);
        var behind = await Store.ReserveAsync(Request("behind", Now));

        Assert.Equal(ReservationOutcome.RateLimited, behind.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(60), behind.RetryAfter);
    }

    [Fact]
    public async Task A_key_s_requests_per_minute_are_capped_in_a_sliding_window_and_refusals_do_not_count()
    {
        var (account, key) = await LoadedAccountAsync(1_000);
        var otherKey = Guid.NewGuid();
        var limits = new RequestLimits(KeyPerMinute: 2);
        HoldRequest Request(Guid forKey, string id, DateTimeOffset at) => Hold(account, forKey, id, 1, 1, now: at) with { Limits = limits };

        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Request(key, "k1", Now))).Outcome);
        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Request(key, "k2", Now.AddSeconds(15)))).Outcome);
        var third = await Store.ReserveAsync(Request(key, "k3", Now.AddSeconds(30)));
        Assert.Equal(ReservationOutcome.RateLimited, third.Outcome);
        Assert.Equal(RateLimitScope.KeyRequestsPerMinute, third.LimitedBy);
        Assert.Equal(TimeSpan.FromSeconds(30), third.RetryAfter);
        // Each key has its own window, and the refused request took no credit.
        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Request(otherKey, "o1", Now.AddSeconds(30)))).Outcome);
        Assert.Equal(3, (await Store.ReadAsync(account))!.HeldNanos);
        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Request(key, "k4", Now.AddSeconds(61)))).Outcome);
    }

    [Fact]
    public async Task Concurrent_requests_are_capped_by_outstanding_holds_which_settling_releasing_or_expiring_frees()
    {
        var (account, key) = await LoadedAccountAsync(1_000);
        var limits = new RequestLimits(KeyConcurrent: 2, AccountConcurrent: 3);
        HoldRequest Request(Guid forKey, string id, DateTimeOffset? at = null, TimeSpan? lifetime = null)
            => Hold(account, forKey, id, 1, 1, now: at, lifetime: lifetime) with { Limits = limits };

        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Request(key, "c1"))).Outcome);
        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Request(key, "c2", lifetime: TimeSpan.FromSeconds(5)))).Outcome);
        var busyKey = await Store.ReserveAsync(Request(key, "c3"));
        Assert.Equal((ReservationOutcome.RateLimited, RateLimitScope.KeyConcurrency), (busyKey.Outcome, busyKey.LimitedBy));

        var secondKey = Guid.NewGuid();
        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Request(secondKey, "s1"))).Outcome);
        var busyAccount = await Store.ReserveAsync(Request(secondKey, "s2"));
        Assert.Equal((ReservationOutcome.RateLimited, RateLimitScope.AccountConcurrency), (busyAccount.Outcome, busyAccount.LimitedBy));

        // A settled request leaves the count; so does a released one, and one whose hold expired.
        Assert.Equal(SettleOutcome.Settled, await Store.SettleAsync(Usage(account, key, "c1", 1), "all"));
        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Request(key, "c4"))).Outcome);
        Assert.True(await Store.ReleaseAsync(account, "c4"));
        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Request(key, "c5"))).Outcome);
        Assert.Equal(ReservationOutcome.RateLimited, (await Store.ReserveAsync(Request(key, "c6"))).Outcome);
        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Request(key, "c7", at: Now.AddSeconds(6)))).Outcome);

        // A rebuild recounts the requests in flight from the holds: c5, c7 of the key and s1 of the account.
        await Store.ReconcileAsync(account, 1_000, [], [new KeySpend(key, "all", 0), new KeySpend(secondKey, "all", 0)]);
        Assert.Equal(ReservationOutcome.RateLimited, (await Store.ReserveAsync(Request(key, "c8", at: Now.AddSeconds(6)))).Outcome);
        Assert.Equal(ReservationOutcome.RateLimited, (await Store.ReserveAsync(Request(secondKey, "s3", at: Now.AddSeconds(6)))).Outcome);
        Assert.True(await Store.ReleaseAsync(account, "s1"));
        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Request(secondKey, "s4", at: Now.AddSeconds(6)))).Outcome);
    }

    [Fact]
    public async Task An_account_s_requests_per_minute_are_capped_over_all_its_keys()
    {
        var (account, key) = await LoadedAccountAsync(1_000);
        var limits = new RequestLimits(AccountPerMinute: 2);

        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Hold(account, key, "a1", 1, 1) with { Limits = limits })).Outcome);
        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Hold(account, Guid.NewGuid(), "a2", 1, 1) with { Limits = limits })).Outcome);
        var third = await Store.ReserveAsync(Hold(account, Guid.NewGuid(), "a3", 1, 1) with { Limits = limits });
        Assert.Equal((ReservationOutcome.RateLimited, RateLimitScope.AccountRequestsPerMinute), (third.Outcome, third.LimitedBy));
        Assert.Equal(TimeSpan.FromSeconds(60), third.RetryAfter);
    }

    [Fact]
    public async Task A_rebuild_restores_what_the_account_has_purchased()
    {
        var (account, key) = await LoadedAccountAsync(0);
        var limits = new FreeModelLimits(PerMinute: 100, PerDay: 1, PerDayAfterPurchase: 2, PurchaseThresholdNanos: 5);
        await Store.ReserveAsync(Hold(account, key, "r1", 0, 0) with { FreeLimits = limits });
        Assert.Equal(ReservationOutcome.RateLimited, (await Store.ReserveAsync(Hold(account, key, "r2", 0, 0) with { FreeLimits = limits })).Outcome);

        await Store.ReconcileAsync(account, 0, [], [], purchasedNanos: 5);

        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Hold(account, key, "r3", 0, 0) with { FreeLimits = limits })).Outcome);
    }

    [Fact]
    public async Task A_batch_of_postings_moves_each_cost_once_and_counts_only_those_still_unposted()
    {
        var (account, key) = await LoadedAccountAsync(10_000);
        await Store.SettleAsync(Usage(account, key, "gen-b1", 2_500), "all");
        await Store.SettleAsync(Usage(account, key, "gen-b2", 1_000), "all");
        await Store.SettleAsync(Usage(account, key, "gen-b3", 500), "all");

        Assert.Equal(2, await Store.MarkPostedAsync(account, ["gen-b1", "gen-b2", "gen-unknown"]));
        Assert.Equal(1, await Store.MarkPostedAsync(account, ["gen-b1", "gen-b3"]));
        Assert.Equal(0, await Store.MarkPostedAsync(account, ["gen-b1", "gen-b2", "gen-b3"]));

        Assert.Equal(new CreditPosition(6_000, 0, 0), await Store.ReadAsync(account));
    }

    [Fact]
    public async Task Posting_moves_the_cost_from_unposted_to_the_balance_exactly_once()
    {
        var (account, key) = await LoadedAccountAsync(10_000);
        await Store.SettleAsync(Usage(account, key, "gen-post", 2_500), "all");

        Assert.True(await Store.MarkPostedAsync(account, "gen-post"));
        Assert.False(await Store.MarkPostedAsync(account, "gen-post"));

        Assert.Equal(new CreditPosition(7_500, 0, 0), await Store.ReadAsync(account));
    }

    [Fact]
    public async Task A_released_hold_gives_everything_back_and_an_expired_one_lapses_by_itself()
    {
        var (account, key) = await LoadedAccountAsync(5_000);
        await Store.ReserveAsync(Hold(account, key, "gen-released", 5_000, 5_000));
        Assert.True(await Store.ReleaseAsync(account, "gen-released"));
        Assert.False(await Store.ReleaseAsync(account, "gen-released"));

        await Store.ReserveAsync(Hold(account, key, "gen-abandoned", 5_000, 5_000, lifetime: TimeSpan.FromMinutes(1)));
        Assert.Equal(ReservationOutcome.InsufficientCredits, (await Store.ReserveAsync(Hold(account, key, "gen-x", 1, 1))).Outcome);

        var later = await Store.ReserveAsync(Hold(account, key, "gen-later", 5_000, 5_000, now: Now.AddMinutes(2)));
        Assert.Equal(new Reservation(ReservationOutcome.Granted, 5_000), later);
        Assert.Equal((null, 0L, 5_000L), await Store.ReadKeySpendAsync(account, key));
    }

    [Fact]
    public async Task A_rebuild_counts_generations_postgres_already_has_once()
    {
        var (account, key) = await LoadedAccountAsync(10_000);
        await Store.SettleAsync(Usage(account, key, "gen-persisted", 1_000), "all");
        await Store.SettleAsync(Usage(account, key, "gen-pending", 300), "all");

        // Postgres has committed gen-persisted (its balance already includes it) but not gen-pending.
        await Store.ReconcileAsync(account, 9_000, ["gen-persisted"], [new KeySpend(key, "all", 1_000)]);

        Assert.Equal(new CreditPosition(9_000, 300, 0), await Store.ReadAsync(account));
        Assert.False(await Store.MarkPostedAsync(account, "gen-persisted"));
        Assert.Equal(["gen-pending"], await Store.UnpostedGenerationIdsAsync(account));
        Assert.Equal(("all", 1_300L, 0L), await Store.ReadKeySpendAsync(account, key));
    }

    [Fact]
    public async Task A_credit_change_reaches_only_a_loaded_account()
    {
        var (account, _) = await LoadedAccountAsync(100);
        var unloaded = Guid.NewGuid();

        Assert.True(await Store.ApplyPostedChangeAsync(account, 50));
        Assert.False(await Store.ApplyPostedChangeAsync(unloaded, 50));

        Assert.Equal(150, (await Store.ReadAsync(account))!.PostedNanos);
        Assert.Null(await Store.ReadAsync(unloaded));
    }

    [Fact]
    public async Task Balances_beyond_what_a_lua_number_prints_plainly_stay_exact()
    {
        var (account, key) = await LoadedAccountAsync(4_000_000_000_000_000);

        var granted = await Store.ReserveAsync(Hold(account, key, "gen-big", 1, 3_000_000_000_000_001));

        Assert.Equal(new Reservation(ReservationOutcome.Granted, 3_000_000_000_000_001), granted);
        Assert.Equal(3_000_000_000_000_001, (await Store.ReadAsync(account))!.HeldNanos);
    }

    private static LeaseRequest Lease(Guid account, string id, bool extends, long need, long wanted, long floor = 0, int share = 4, DateTimeOffset? now = null)
    {
        var at = now ?? Now;
        return new LeaseRequest(account, id, extends, need, wanted, at, at + TimeSpan.FromMinutes(16), floor, share);
    }

    private async Task<long> InflightAsync(Guid account)
        => (long?)await redis.Connection.GetDatabase().HashGetAsync("{acct:" + account.ToString("N") + "}", "inflight") ?? 0;

    [Fact]
    public async Task A_lease_grows_by_at_least_the_need_and_at_most_what_is_wanted_or_a_share_of_what_is_available()
    {
        var (account, _) = await LoadedAccountAsync(100_000);

        // A quarter of the 100,000 available, though more was wanted.
        Assert.Equal(new LeaseGrant(LeaseOutcome.Granted, 25_000), await Store.GrowLeaseAsync(Lease(account, "lease:a", false, 1_000, 50_000)));
        // What was wanted, being less than a quarter of the 75,000 left.
        Assert.Equal(new LeaseGrant(LeaseOutcome.Granted, 10_000), await Store.GrowLeaseAsync(Lease(account, "lease:a", true, 1_000, 10_000)));
        // The need, though more than a quarter of the 65,000 left.
        Assert.Equal(new LeaseGrant(LeaseOutcome.Granted, 40_000), await Store.GrowLeaseAsync(Lease(account, "lease:a", true, 40_000, 40_000)));
        // Not even the need is left: nothing changes, and the answer says what is.
        Assert.Equal(new LeaseGrant(LeaseOutcome.InsufficientCredits, 25_000), await Store.GrowLeaseAsync(Lease(account, "lease:b", false, 25_001, 30_000)));
        // The floor counts as for holds.
        Assert.Equal(new LeaseGrant(LeaseOutcome.Granted, 25_500), await Store.GrowLeaseAsync(Lease(account, "lease:b", false, 25_500, 25_500, floor: -500)));

        Assert.Equal(new CreditPosition(100_000, 0, 100_500), await Store.ReadAsync(account));
        // Leases are credit set aside, not requests in flight.
        Assert.Equal(0, await InflightAsync(account));
    }

    [Fact]
    public async Task A_lease_that_is_gone_is_not_extended_and_a_new_one_never_takes_an_existing_id()
    {
        var (account, _) = await LoadedAccountAsync(100_000);

        Assert.Equal(LeaseOutcome.Gone, (await Store.GrowLeaseAsync(Lease(account, "lease:missing", true, 1, 1))).Outcome);
        Assert.Equal(LeaseOutcome.Granted, (await Store.GrowLeaseAsync(Lease(account, "lease:taken", false, 1, 1))).Outcome);
        Assert.Equal(LeaseOutcome.Gone, (await Store.GrowLeaseAsync(Lease(account, "lease:taken", false, 1, 1))).Outcome);
        Assert.Equal(LeaseOutcome.NotLoaded, (await Store.GrowLeaseAsync(Lease(Guid.NewGuid(), "lease:x", false, 1, 1))).Outcome);
        Assert.Equal(new CreditPosition(100_000, 0, 1), await Store.ReadAsync(account));
    }

    [Fact]
    public async Task Settling_from_a_lease_pays_the_cost_up_to_the_share_once_and_giving_it_back_frees_the_rest()
    {
        var (account, key) = await LoadedAccountAsync(40_000);
        await Store.GrowLeaseAsync(Lease(account, "lease:s", false, 10_000, 10_000));

        Assert.Equal(SettleOutcome.Settled, await Store.SettleAsync(Usage(account, key, "gen-leased", 3_000), "all", new LeaseShare("lease:s", 4_000)));
        // A retry (the first answer was lost) pays nothing twice.
        Assert.Equal(SettleOutcome.AlreadySettled, await Store.SettleAsync(Usage(account, key, "gen-leased", 3_000), "all", new LeaseShare("lease:s", 4_000)));
        Assert.Equal(new CreditPosition(40_000, 3_000, 7_000), await Store.ReadAsync(account));
        Assert.Equal((string?)"all", (await Store.ReadKeySpendAsync(account, key)).PeriodId);
        Assert.Equal(3_000, (await Store.ReadKeySpendAsync(account, key)).SpentNanos);

        // A cost beyond the generation's share: the lease pays the share (the rest of it backs other requests' shares),
        // the debit is the whole cost.
        Assert.Equal(SettleOutcome.Settled, await Store.SettleAsync(Usage(account, key, "gen-over", 5_000), "all", new LeaseShare("lease:s", 2_000)));
        Assert.Equal(new CreditPosition(40_000, 8_000, 5_000), await Store.ReadAsync(account));

        Assert.True(await Store.ReleaseAsync(account, "lease:s"));
        // A settlement for a lease given back meanwhile (a late retry) is simply debited.
        Assert.Equal(SettleOutcome.Settled, await Store.SettleAsync(Usage(account, key, "gen-late", 1_000), "all", new LeaseShare("lease:s", 1_000)));
        Assert.Equal(new CreditPosition(40_000, 9_000, 0), await Store.ReadAsync(account));
        Assert.Equal(0, await InflightAsync(account));
        // Giving a lease back touches no key's spending.
        Assert.Equal(0, (await Store.ReadKeySpendAsync(account, key)).HeldNanos);
    }

    [Fact]
    public async Task A_settlement_says_when_a_refund_left_the_account_below_what_its_leases_set_aside()
    {
        var (account, key) = await LoadedAccountAsync(10_000);
        await Store.GrowLeaseAsync(Lease(account, "lease:o", false, 5_000, 5_000));
        Assert.Equal(SettleOutcome.Settled, await Store.SettleAsync(Usage(account, key, "gen-before", 100), "all", new LeaseShare("lease:o", 1_000)));

        // A refund takes back 8,000 of the 10,000 while the lease still sets aside 4,900.
        Assert.True(await Store.ApplyPostedChangeAsync(account, -8_000));

        Assert.Equal(SettleOutcome.SettledOverdrawn, await Store.SettleAsync(Usage(account, key, "gen-after", 100), "all", new LeaseShare("lease:o", 1_000)));
        Assert.Equal(new CreditPosition(2_000, 200, 4_800), await Store.ReadAsync(account));
    }

    [Fact]
    public async Task An_expired_lease_lapses_and_a_rebuild_keeps_a_live_one_as_credit_held_but_not_as_a_request()
    {
        var (account, key) = await LoadedAccountAsync(100_000);
        await Store.GrowLeaseAsync(Lease(account, "lease:old", false, 8_000, 8_000));
        await Store.GrowLeaseAsync(Lease(account, "lease:new", false, 6_000, 6_000, now: Now + TimeSpan.FromMinutes(10)));
        Assert.Equal(ReservationOutcome.Granted, (await Store.ReserveAsync(Hold(account, key, "gen-held", 1_000, 1_000, now: Now + TimeSpan.FromMinutes(20)))).Outcome);

        // The first lease's 16 minutes are over: the reservation swept it.
        Assert.Equal(new CreditPosition(100_000, 0, 7_000), await Store.ReadAsync(account));
        Assert.Equal(1, await InflightAsync(account));

        await Store.ReconcileAsync(account, 100_000, [], [new KeySpend(key, "all", 0)]);
        Assert.Equal(new CreditPosition(100_000, 0, 7_000), await Store.ReadAsync(account));
        Assert.Equal(1, await InflightAsync(account));
        Assert.Equal(1_000, (await Store.ReadKeySpendAsync(account, key)).HeldNanos);
    }

    [Fact]
    public async Task Parallel_reservations_never_hold_more_than_the_balance()
    {
        var (account, key) = await LoadedAccountAsync(50_000);

        var results = await Task.WhenAll(Enumerable.Range(0, 200)
            .Select(i => Store.ReserveAsync(Hold(account, key, $"gen-{i}", 1_000, 1_000))));

        Assert.Equal(50, results.Count(result => result.Outcome == ReservationOutcome.Granted));
        Assert.Equal(150, results.Count(result => result.Outcome == ReservationOutcome.InsufficientCredits));
        Assert.Equal(new CreditPosition(50_000, 0, 50_000), await Store.ReadAsync(account));
    }

    /// <summary>
    /// Random top-ups, reservations, settlements, releases, postings and rebuilds against a model of the
    /// ledger: Redis always agrees with it, and available credit never goes below the floor.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Random_operation_sequences_keep_redis_equal_to_the_ledger(int seed)
    {
        var random = new Random(seed);
        var (account, key) = await LoadedAccountAsync(20_000);
        long ledgerBalance = 20_000;
        var holds = new Dictionary<string, long>();
        var unposted = new Dictionary<string, long>();
        var next = 0;

        for (var step = 0; step < 300; step++)
        {
            switch (random.Next(6))
            {
                case 0:
                    var topUp = random.Next(1, 5_000);
                    ledgerBalance += topUp;
                    Assert.True(await Store.ApplyPostedChangeAsync(account, topUp));
                    break;
                case 1:
                    var id = $"gen-{seed}-{next++}";
                    var minimum = random.Next(0, 3_000);
                    var reservation = await Store.ReserveAsync(Hold(account, key, id, minimum, minimum + random.Next(0, 5_000)));
                    if (reservation.Outcome == ReservationOutcome.Granted)
                    {
                        holds[id] = reservation.Nanos;
                    }
                    break;
                case 2 when holds.Count > 0:
                    var settled = holds.Keys.ElementAt(random.Next(holds.Count));
                    var cost = random.NextInt64(0, holds[settled] + 1);
                    holds.Remove(settled);
                    unposted[settled] = cost;
                    Assert.Equal(SettleOutcome.Settled, await Store.SettleAsync(Usage(account, key, settled, cost), "all"));
                    break;
                case 3 when holds.Count > 0:
                    var released = holds.Keys.ElementAt(random.Next(holds.Count));
                    holds.Remove(released);
                    Assert.True(await Store.ReleaseAsync(account, released));
                    break;
                case 4 when unposted.Count > 0:
                    var posted = unposted.Keys.ElementAt(random.Next(unposted.Count));
                    ledgerBalance -= unposted[posted];
                    unposted.Remove(posted);
                    Assert.True(await Store.MarkPostedAsync(account, posted));
                    break;
                case 5:
                    // A rebuild after Postgres committed some generations whose Redis posting has not run yet.
                    var committed = unposted.Keys.Where(_ => random.Next(2) == 0).ToList();
                    foreach (var generation in committed)
                    {
                        ledgerBalance -= unposted[generation];
                        unposted.Remove(generation);
                    }
                    await Store.ReconcileAsync(account, ledgerBalance, committed, []);
                    break;
            }

            var position = await Store.ReadAsync(account);
            Assert.Equal(new CreditPosition(ledgerBalance, unposted.Values.Sum(), holds.Values.Sum()), position);
            Assert.True(position!.AvailableNanos >= 0, $"available {position.AvailableNanos} below the floor at step {step}");
        }
    }
}
