using System.Globalization;
using StackExchange.Redis;

namespace OpenRouterClone.Shared.Credits;

/// <summary>Whether a hold was placed, and if not, why.</summary>
public enum ReservationOutcome
{
    /// <summary>The account's credits are not in Redis yet: Billing.Service must load them first.</summary>
    NotLoaded,
    Granted,
    /// <summary>The account's balance minus its holds is below what the request needs at least (402).</summary>
    InsufficientCredits,
    /// <summary>The key's spending limit for its period is used up (403).</summary>
    KeyLimitReached,
    /// <summary>A request-rate or concurrency limit is reached (429, with a retry time); <see cref="Reservation.LimitedBy"/> says which.</summary>
    RateLimited,
}

/// <summary>Which limit refused a request with <see cref="ReservationOutcome.RateLimited"/>.</summary>
public enum RateLimitScope
{
    None,
    /// <summary>Free-model requests per minute or per day.</summary>
    FreeModel,
    KeyRequestsPerMinute,
    KeyConcurrency,
    AccountRequestsPerMinute,
    AccountConcurrency,
}

/// <summary>
/// Request-rate and concurrency caps, each null for none: per key (set on the key) and per account (the
/// operator's setting). Requests count in any 60 seconds; concurrent requests are the holds outstanding.
/// </summary>
public sealed record RequestLimits(int? KeyPerMinute = null, int? KeyConcurrent = null, int? AccountPerMinute = null, int? AccountConcurrent = null)
{
    public static readonly RequestLimits None = new();
}

/// <summary>
/// OpenRouter's limits on free models, per account: requests in any 60 seconds, and per UTC day (more once
/// the account has bought at least <see cref="PurchaseThresholdNanos"/> of credits).
/// </summary>
public sealed record FreeModelLimits(int PerMinute, int PerDay, int PerDayAfterPurchase, long PurchaseThresholdNanos);

/// <summary>
/// A hold to place: at least <see cref="MinimumNanos"/>, at most <see cref="MaximumNanos"/> (the worst case);
/// the store grants as much of the maximum as the balance and the key limit allow.
/// </summary>
public sealed record HoldRequest(
    Guid AccountId,
    Guid KeyId,
    string HoldId,
    long MinimumNanos,
    long MaximumNanos,
    long? KeyLimitNanos,
    string PeriodId,
    DateTimeOffset ExpiresAt,
    DateTimeOffset Now,
    long FloorNanos,
    FreeModelLimits? FreeLimits = null,
    RequestLimits? Limits = null);

/// <param name="Nanos">The amount held when granted; otherwise what was still available (may be negative).</param>
/// <param name="RetryAfter">When rate limited: how long until a request would pass.</param>
/// <param name="LimitedBy">When rate limited: the limit that refused it.</param>
public sealed record Reservation(ReservationOutcome Outcome, long Nanos, TimeSpan? RetryAfter = null, RateLimitScope LimitedBy = RateLimitScope.None);

/// <summary>
/// A lease to place or grow (<see cref="CreditStore.GrowLeaseAsync"/>): by at least <see cref="NeedNanos"/>, and by at
/// most <see cref="WantedNanos"/> or what is available divided by <see cref="AvailableShare"/> (so one gateway does not
/// set aside what other replicas' requests need), whichever is less.
/// </summary>
/// <param name="Extends">The lease exists already (it is gone if Redis lost or expired it); false for a new one.</param>
public sealed record LeaseRequest(
    Guid AccountId,
    string LeaseId,
    bool Extends,
    long NeedNanos,
    long WantedNanos,
    DateTimeOffset Now,
    DateTimeOffset ExpiresAt,
    long FloorNanos,
    int AvailableShare);

public enum LeaseOutcome
{
    NotLoaded,
    Granted,
    /// <summary>Less than the need is available (<see cref="LeaseGrant.Nanos"/> says how much).</summary>
    InsufficientCredits,
    /// <summary>The lease to extend is no longer in Redis (expired, or Redis lost it), or a new one's id is taken.</summary>
    Gone,
}

/// <param name="Nanos">By how much the lease grew when granted; what was available when refused for credit.</param>
public sealed record LeaseGrant(LeaseOutcome Outcome, long Nanos);

/// <summary>What a generation took from a gateway's lease: settling it pays its cost out of the lease up to this.</summary>
public sealed record LeaseShare(string LeaseId, long Nanos);

/// <summary>A generation to settle: its usage, its key's spending period, and the lease share that paid for it if any.</summary>
public sealed record Settlement(UsageEvent Usage, string PeriodId, LeaseShare? Lease = null);

public enum SettleOutcome
{
    /// <summary>Settled before (a retry): nothing changed.</summary>
    AlreadySettled,
    Settled,
    /// <summary>Settled, and the account's available credit is now below zero.</summary>
    SettledOverdrawn,
}

/// <summary>A key's spending in its current period, as Postgres knows it, for <see cref="CreditStore.ReconcileAsync"/>.</summary>
public sealed record KeySpend(Guid KeyId, string PeriodId, long SpentNanos);

/// <summary>An account's credit position in Redis: the posted balance, settled usage not yet in Postgres, holds.</summary>
public sealed record CreditPosition(long PostedNanos, long UnpostedNanos, long HeldNanos)
{
    public long AvailableNanos => PostedNanos - UnpostedNanos - HeldNanos;
}

/// <summary>
/// The hot-path copy of every account's credits in Redis, changed only by atomic Lua scripts.
/// <para>
/// Per account (one hash tag, so one cluster slot): a hash with <c>posted</c> (the balance Postgres holds),
/// <c>unposted</c> (usage settled here but not yet written to Postgres) and <c>held</c> (outstanding holds);
/// a hash of holds (id → <c>amount|keyId</c>; a gateway's credit lease has no key id) with a sorted set of their
/// expiry times; a hash of unposted generations (id → <c>cost|keyId</c>); and per key its period, spending and holds. Available credit is
/// posted − unposted − held. Settlement appends the usage event to the <see cref="UsageStream"/> in the same
/// script, so a debit and its event exist together or not at all.
/// </para>
/// <para>
/// Postgres is the truth: Billing.Service marks each generation posted once its ledger entries are committed
/// and rebuilds an account from Postgres (<see cref="ReconcileAsync"/>) at start and on demand.
/// </para>
/// </summary>
public sealed class CreditStore(IConnectionMultiplexer redis)
{
    /// <summary>The Redis Stream of usage events that Billing.Service consumes.</summary>
    public const string UsageStream = "usage:events";

    private static string AccountTag(Guid accountId) => "{acct:" + accountId.ToString("N") + "}";
    private static RedisKey AccountKey(Guid accountId) => AccountTag(accountId);
    private static RedisKey HoldsKey(Guid accountId) => AccountTag(accountId) + ":holds";
    private static RedisKey HoldExpiryKey(Guid accountId) => AccountTag(accountId) + ":hold-expiry";
    private static RedisKey UnpostedKey(Guid accountId) => AccountTag(accountId) + ":unposted";
    private static RedisKey FreeMinuteKey(Guid accountId) => AccountTag(accountId) + ":free:minute";
    private static RedisKey AccountMinuteKey(Guid accountId) => AccountTag(accountId) + ":minute";
    private static RedisKey KeyMinuteKey(Guid accountId, Guid keyId) => KeySpendPrefix(accountId) + keyId.ToString("N") + ":minute";
    private static RedisKey FreeDayKey(Guid accountId, DateTimeOffset now) => AccountTag(accountId) + ":free:day:" + now.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
    private static string KeySpendPrefix(Guid accountId) => AccountTag(accountId) + ":key:";
    private static RedisKey KeySpendKey(Guid accountId, Guid keyId) => KeySpendPrefix(accountId) + keyId.ToString("N");

    // Lua numbers are doubles: format integers explicitly, or large values would turn into "1e+15"; and
    // never as "-0", which Redis refuses as an integer.
    private const string Helpers = """
        local function int(x)
          if x == 0 then return '0' end
          return string.format('%.0f', x)
        end
        local function split(entry)
          local sep = string.find(entry, '|', 1, true)
          return tonumber(string.sub(entry, 1, sep - 1)), string.sub(entry, sep + 1)
        end
        -- KEYS[1] account, KEYS[2] holds, KEYS[3] hold expiry; spend keys are KEYS[1]'s tag + ':key:' + id.
        local function release(id, spendPrefix)
          local hold = redis.call('HGET', KEYS[2], id)
          redis.call('ZREM', KEYS[3], id)
          if not hold then return 0 end
          local amount, keyId = split(hold)
          redis.call('HDEL', KEYS[2], id)
          redis.call('HINCRBY', KEYS[1], 'held', int(-amount))
          -- A gateway's lease (no key id) is credit set aside, not a request in flight nor any key's.
          if keyId == '' then return 1 end
          redis.call('HINCRBY', KEYS[1], 'inflight', -1)
          redis.call('HINCRBY', spendPrefix .. keyId, 'held', int(-amount))
          redis.call('HINCRBY', spendPrefix .. keyId, 'inflight', -1)
          return 1
        end
        local function enterPeriod(spendKey, period)
          if redis.call('HGET', spendKey, 'period') ~= period then
            redis.call('HSET', spendKey, 'period', period, 'spent', '0')
          end
        end
        """ + "\n";

    // KEYS: account, holds, hold expiry, key spend, free requests in the last minute (sorted set), free requests today,
    // the key's requests in the last minute, the account's requests in the last minute (sorted sets).
    // ARGV: hold id, minimum, maximum, now (ms), expiry (ms), floor, key limit or '', period, key id, spend prefix,
    // key per minute, key concurrent, account per minute, account concurrent (each '' for none),
    // then for free models: per minute, per day, per day after purchase, purchase threshold, ms to the day's end.
    // A refusal for a limit answers {4, '0', ms until a request would pass, scope}.
    private static readonly RedisLuaScript ReserveScript = new(Helpers + """
        if redis.call('HEXISTS', KEYS[1], 'posted') == 0 then return {0, '0'} end
        local now = tonumber(ARGV[4])
        -- Expired holds first: they no longer count as credit held or as requests in flight.
        for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[4])) do release(id, ARGV[10]) end
        local function minuteFull(window, limit)
          redis.call('ZREMRANGEBYSCORE', window, '-inf', now - 60000)
          if redis.call('ZCARD', window) < limit then return nil end
          -- Capped: gateways' clocks differ by a few ms, so the oldest entry may be stamped after this request's now.
          return math.min(60000, tonumber(redis.call('ZRANGE', window, 0, 0, 'WITHSCORES')[2]) + 60000 - now)
        end
        local function busy(hash, limit) return tonumber(redis.call('HGET', hash, 'inflight') or '0') >= limit end
        if ARGV[14] ~= '' and busy(KEYS[1], tonumber(ARGV[14])) then return {4, '0', '1000', 'account_concurrency'} end
        if ARGV[12] ~= '' and busy(KEYS[4], tonumber(ARGV[12])) then return {4, '0', '1000', 'key_concurrency'} end
        if ARGV[13] ~= '' then
          local wait = minuteFull(KEYS[8], tonumber(ARGV[13]))
          if wait then return {4, '0', int(wait), 'account_minute'} end
        end
        if ARGV[11] ~= '' then
          local wait = minuteFull(KEYS[7], tonumber(ARGV[11]))
          if wait then return {4, '0', int(wait), 'key_minute'} end
        end
        local free = ARGV[15] ~= nil
        if free then
          local wait = minuteFull(KEYS[5], tonumber(ARGV[15]))
          if wait then return {4, '0', int(wait), 'free'} end
          local purchased = tonumber(redis.call('HGET', KEYS[1], 'purchased') or '0')
          local perDay = purchased >= tonumber(ARGV[18]) and tonumber(ARGV[17]) or tonumber(ARGV[16])
          if tonumber(redis.call('GET', KEYS[6]) or '0') >= perDay then return {4, '0', ARGV[19], 'free'} end
        end
        local account = redis.call('HMGET', KEYS[1], 'posted', 'unposted', 'held')
        local available = tonumber(account[1]) - tonumber(account[2] or '0') - tonumber(account[3] or '0') - tonumber(ARGV[6])
        local minimum = tonumber(ARGV[2])
        if available < minimum then return {2, int(available)} end
        local grant = math.min(tonumber(ARGV[3]), available)
        if ARGV[7] ~= '' then
          enterPeriod(KEYS[4], ARGV[8])
          local spend = redis.call('HMGET', KEYS[4], 'spent', 'held')
          local keyAvailable = tonumber(ARGV[7]) - tonumber(spend[1] or '0') - tonumber(spend[2] or '0')
          if keyAvailable < minimum then return {3, int(keyAvailable)} end
          grant = math.min(grant, keyAvailable)
        end
        redis.call('HSET', KEYS[2], ARGV[1], int(grant) .. '|' .. ARGV[9])
        redis.call('ZADD', KEYS[3], ARGV[5], ARGV[1])
        redis.call('HINCRBY', KEYS[1], 'held', int(grant))
        redis.call('HINCRBY', KEYS[1], 'inflight', 1)
        redis.call('HINCRBY', KEYS[4], 'held', int(grant))
        redis.call('HINCRBY', KEYS[4], 'inflight', 1)
        local function count(window)
          redis.call('ZADD', window, now, ARGV[1])
          redis.call('PEXPIRE', window, 61000)
        end
        if ARGV[11] ~= '' then count(KEYS[7]) end
        if ARGV[13] ~= '' then count(KEYS[8]) end
        if free then
          count(KEYS[5])
          redis.call('INCR', KEYS[6])
          redis.call('PEXPIRE', KEYS[6], tonumber(ARGV[19]) + 3600000)
        end
        return {1, int(grant)}
        """);

    // KEYS: account, holds, hold expiry. ARGV: lease id, '1' when the lease should exist already ('0' for a new one),
    // need, wanted, now (ms), expiry (ms), floor, share, spend prefix. A lease is a hold without a key id; it grows by
    // at least the need and by at most the wanted amount or 1/share of what is available, whichever is less.
    private static readonly RedisLuaScript GrowLeaseScript = new(Helpers + """
        if redis.call('HEXISTS', KEYS[1], 'posted') == 0 then return {0, '0'} end
        for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[5])) do release(id, ARGV[9]) end
        local current = redis.call('HGET', KEYS[2], ARGV[1])
        if (current ~= false) ~= (ARGV[2] == '1') then return {5, '0'} end
        local account = redis.call('HMGET', KEYS[1], 'posted', 'unposted', 'held')
        local available = tonumber(account[1]) - tonumber(account[2] or '0') - tonumber(account[3] or '0') - tonumber(ARGV[7])
        local need = tonumber(ARGV[3])
        if available < need then return {2, int(available)} end
        local grant = math.min(available, math.max(need, math.min(tonumber(ARGV[4]), math.floor(available / tonumber(ARGV[8])))))
        local amount = current and split(current) or 0
        redis.call('HSET', KEYS[2], ARGV[1], int(amount + grant) .. '|')
        redis.call('ZADD', KEYS[3], ARGV[6], ARGV[1])
        redis.call('HINCRBY', KEYS[1], 'held', int(grant))
        return {1, int(grant)}
        """);

    // ARGV: hold id, spend prefix.
    private static readonly RedisLuaScript ReleaseScript = new(Helpers + "return release(ARGV[1], ARGV[2])");

    // KEYS: account, holds, hold expiry, unposted, usage stream. ARGV: spend prefix, then per settlement: generation id
    // (= hold id), cost, period, key id, lease id ('' when the generation had a hold of its own), the generation's share
    // of the lease, the number of event fields, and the event's field/value pairs. The lease pays the cost up to that
    // share (what the gateway took from it); the rest of a dearer generation is plain usage, as with a hold. Answers a
    // code per settlement: 0 settled before, 1 settled, 2 settled and the account is now overdrawn.
    // What a batch adds to the account's held and unposted credit, to its leases and to its keys' spending is summed
    // and written once each after the loop (the same result as one by one); per settlement only its own writes remain:
    // its hold's release, its unposted entry and its event.
    private static readonly RedisLuaScript SettleScript = new(Helpers + """
        local outcomes = {}
        local unposted = 0
        local leases, leaseIds = {}, {}
        local spends, spendKeys = {}, {}
        local function addSpend(spendKey, period, cost)
          local spend = spends[spendKey]
          if spend == nil then
            spend = {period = period, amount = 0}
            spends[spendKey] = spend
            spendKeys[#spendKeys + 1] = spendKey
            enterPeriod(spendKey, period)
          elseif spend.period ~= period then
            -- Settlements either side of a period's end: the earlier period's spending is written before the reset.
            if spend.amount > 0 then redis.call('HINCRBY', spendKey, 'spent', int(spend.amount)) end
            enterPeriod(spendKey, period)
            spend.period, spend.amount = period, 0
          end
          spend.amount = spend.amount + cost
        end
        local i = 2
        while i <= #ARGV do
          local id, cost, keyId, leaseId = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 3], ARGV[i + 4]
          local fields = i + 7
          local after = fields + 2 * tonumber(ARGV[i + 6])
          -- A generation on a lease never had a hold of its own.
          if leaseId == '' then release(id, ARGV[1]) end
          if redis.call('HSETNX', KEYS[4], id, ARGV[i + 1] .. '|' .. keyId) == 0 then
            outcomes[#outcomes + 1] = 0
          else
            if leaseId ~= '' then
              local lease = leases[leaseId]
              if lease == nil then
                local entry = redis.call('HGET', KEYS[2], leaseId)
                lease = entry and {left = split(entry), paid = 0} or false
                leases[leaseId] = lease
                if lease then leaseIds[#leaseIds + 1] = leaseId end
              end
              if lease then
                local paid = math.min(lease.left, cost, tonumber(ARGV[i + 5]))
                lease.left = lease.left - paid
                lease.paid = lease.paid + paid
              end
            end
            unposted = unposted + cost
            addSpend(ARGV[1] .. keyId, ARGV[i + 2], cost)
            redis.call('XADD', KEYS[5], '*', unpack(ARGV, fields, after - 1))
            outcomes[#outcomes + 1] = 1
          end
          i = after
        end
        local held = 0
        for _, leaseId in ipairs(leaseIds) do
          local lease = leases[leaseId]
          if lease.paid > 0 then
            redis.call('HSET', KEYS[2], leaseId, int(lease.left) .. '|')
            held = held + lease.paid
          end
        end
        if held > 0 then redis.call('HINCRBY', KEYS[1], 'held', int(-held)) end
        if unposted > 0 then redis.call('HINCRBY', KEYS[1], 'unposted', int(unposted)) end
        for _, spendKey in ipairs(spendKeys) do
          if spends[spendKey].amount > 0 then redis.call('HINCRBY', spendKey, 'spent', int(spends[spendKey].amount)) end
        end
        -- Below zero (a refund or adjustment took credit that holds and leases had set aside): say so, so that the
        -- gateway's lease stops handing out what the account no longer has.
        local account = redis.call('HMGET', KEYS[1], 'posted', 'unposted', 'held')
        if account[1] and tonumber(account[1]) - tonumber(account[2] or '0') - tonumber(account[3] or '0') < 0 then
          for j = 1, #outcomes do
            if outcomes[j] == 1 then outcomes[j] = 2 end
          end
        end
        return outcomes
        """);

    // KEYS[1] account, KEYS[2] unposted. ARGV: generation ids. Returns how many were unposted here.
    private static readonly RedisLuaScript MarkPostedScript = new(Helpers + """
        local moved, total = 0, 0
        for i = 1, #ARGV do
          local entry = redis.call('HGET', KEYS[2], ARGV[i])
          if entry then
            redis.call('HDEL', KEYS[2], ARGV[i])
            total = total + split(entry)
            moved = moved + 1
          end
        end
        if moved == 0 then return 0 end
        redis.call('HINCRBY', KEYS[1], 'unposted', int(-total))
        if redis.call('HEXISTS', KEYS[1], 'posted') == 1 then redis.call('HINCRBY', KEYS[1], 'posted', int(-total)) end
        return moved
        """);

    // KEYS[1] account. ARGV: change, purchase (credits bought, counted for free-model limits).
    // An account not loaded stays unloaded: its next load reads Postgres.
    private static readonly RedisLuaScript ApplyPostedChangeScript = new("""
        if redis.call('HEXISTS', KEYS[1], 'posted') == 0 then return 0 end
        redis.call('HINCRBY', KEYS[1], 'posted', ARGV[1])
        redis.call('HINCRBY', KEYS[1], 'purchased', ARGV[2])
        return 1
        """);

    // KEYS[1] account, KEYS[2] holds, KEYS[3] hold expiry, KEYS[4] unposted.
    // ARGV: balance, spend prefix, n, n generation ids already in Postgres, purchased, then (key id, period, spent) triples.
    private static readonly RedisLuaScript ReconcileScript = new(Helpers + """
        local n = tonumber(ARGV[3])
        for i = 4, 3 + n do redis.call('HDEL', KEYS[4], ARGV[i]) end
        redis.call('HSET', KEYS[1], 'purchased', ARGV[4 + n])
        local function totals(hash)
          local total, byKey, count, countByKey = 0, {}, 0, {}
          local entries = redis.call('HGETALL', hash)
          for i = 2, #entries, 2 do
            local amount, keyId = split(entries[i])
            total = total + amount
            -- Leases (no key id) hold credit but are neither requests in flight nor any key's.
            if keyId ~= '' then
              byKey[keyId] = (byKey[keyId] or 0) + amount
              count = count + 1
              countByKey[keyId] = (countByKey[keyId] or 0) + 1
            end
          end
          return total, byKey, count, countByKey
        end
        local unposted, unpostedByKey = totals(KEYS[4])
        local held, heldByKey, holds, holdsByKey = totals(KEYS[2])
        redis.call('HSET', KEYS[1], 'posted', ARGV[1], 'unposted', int(unposted), 'held', int(held), 'inflight', holds)
        for i = 5 + n, #ARGV, 3 do
          local keyId = ARGV[i]
          redis.call('HSET', ARGV[2] .. keyId, 'period', ARGV[i + 1],
            'spent', int(tonumber(ARGV[i + 2]) + (unpostedByKey[keyId] or 0)), 'held', int(heldByKey[keyId] or 0),
            'inflight', holdsByKey[keyId] or 0)
        end
        return 1
        """);

    private IDatabase Database => redis.GetDatabase();

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
    private static string Format(Guid id) => id.ToString("N");

    public async Task<Reservation> ReserveAsync(HoldRequest hold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hold.MinimumNanos);
        ArgumentOutOfRangeException.ThrowIfLessThan(hold.MaximumNanos, hold.MinimumNanos);
        var arguments = new List<RedisValue>
        {
            hold.HoldId, Format(hold.MinimumNanos), Format(hold.MaximumNanos),
            Format(hold.Now.ToUnixTimeMilliseconds()), Format(hold.ExpiresAt.ToUnixTimeMilliseconds()), Format(hold.FloorNanos),
            hold.KeyLimitNanos is { } limit ? Format(limit) : "", hold.PeriodId, Format(hold.KeyId), KeySpendPrefix(hold.AccountId),
        };
        var limits = hold.Limits ?? RequestLimits.None;
        foreach (var cap in new[] { limits.KeyPerMinute, limits.KeyConcurrent, limits.AccountPerMinute, limits.AccountConcurrent })
        {
            arguments.Add(cap is { } value ? Format(value) : "");
        }
        if (hold.FreeLimits is { } free)
        {
            var dayEnd = new DateTimeOffset(hold.Now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
            arguments.AddRange([free.PerMinute, free.PerDay, free.PerDayAfterPurchase, Format(free.PurchaseThresholdNanos),
                Format((long)(dayEnd - hold.Now).TotalMilliseconds)]);
        }
        var result = (RedisResult[])(await ReserveScript.EvaluateAsync(Database,
            [AccountKey(hold.AccountId), HoldsKey(hold.AccountId), HoldExpiryKey(hold.AccountId), KeySpendKey(hold.AccountId, hold.KeyId),
             FreeMinuteKey(hold.AccountId), FreeDayKey(hold.AccountId, hold.Now),
             KeyMinuteKey(hold.AccountId, hold.KeyId), AccountMinuteKey(hold.AccountId)],
            [.. arguments]))!;
        var outcome = (int)result[0] switch
        {
            1 => ReservationOutcome.Granted,
            2 => ReservationOutcome.InsufficientCredits,
            3 => ReservationOutcome.KeyLimitReached,
            4 => ReservationOutcome.RateLimited,
            _ => ReservationOutcome.NotLoaded,
        };
        if (outcome != ReservationOutcome.RateLimited)
        {
            return new Reservation(outcome, long.Parse((string)result[1]!, CultureInfo.InvariantCulture));
        }
        var retryAfter = TimeSpan.FromMilliseconds(Math.Max(0, long.Parse((string)result[2]!, CultureInfo.InvariantCulture)));
        var scope = (string)result[3]! switch
        {
            "key_minute" => RateLimitScope.KeyRequestsPerMinute,
            "key_concurrency" => RateLimitScope.KeyConcurrency,
            "account_minute" => RateLimitScope.AccountRequestsPerMinute,
            "account_concurrency" => RateLimitScope.AccountConcurrency,
            _ => RateLimitScope.FreeModel,
        };
        return new Reservation(outcome, 0, retryAfter, scope);
    }

    /// <summary>
    /// Places or grows a gateway's lease: credit set aside in one hold (without a key id) that the gateway hands out
    /// to requests itself. The lease grows by at least <see cref="LeaseRequest.NeedNanos"/>, else not at all; give it
    /// back with <see cref="ReleaseAsync"/> (its id is the hold id).
    /// </summary>
    public async Task<LeaseGrant> GrowLeaseAsync(LeaseRequest lease)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lease.NeedNanos);
        ArgumentOutOfRangeException.ThrowIfLessThan(lease.WantedNanos, lease.NeedNanos);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lease.AvailableShare);
        var result = (RedisResult[])(await GrowLeaseScript.EvaluateAsync(Database,
            [AccountKey(lease.AccountId), HoldsKey(lease.AccountId), HoldExpiryKey(lease.AccountId)],
            [lease.LeaseId, lease.Extends ? "1" : "0", Format(lease.NeedNanos), Format(lease.WantedNanos),
             Format(lease.Now.ToUnixTimeMilliseconds()), Format(lease.ExpiresAt.ToUnixTimeMilliseconds()), Format(lease.FloorNanos),
             lease.AvailableShare, KeySpendPrefix(lease.AccountId)]))!;
        var outcome = (int)result[0] switch
        {
            1 => LeaseOutcome.Granted,
            2 => LeaseOutcome.InsufficientCredits,
            5 => LeaseOutcome.Gone,
            _ => LeaseOutcome.NotLoaded,
        };
        return new LeaseGrant(outcome, long.Parse((string)result[1]!, CultureInfo.InvariantCulture));
    }

    /// <summary>Gives a hold back without charging anything (the request failed before any output).</summary>
    public async Task<bool> ReleaseAsync(Guid accountId, string holdId)
        => (int)await ReleaseScript.EvaluateAsync(Database,
            [AccountKey(accountId), HoldsKey(accountId), HoldExpiryKey(accountId)],
            [holdId, KeySpendPrefix(accountId)]) == 1;

    /// <summary>
    /// Releases the generation's hold, debits its cost and appends its usage event, atomically and once per
    /// generation id (a repeated call changes nothing: <see cref="SettleOutcome.AlreadySettled"/>). An expired hold still settles.
    /// </summary>
    /// <param name="lease">The lease share (<see cref="GrowLeaseAsync"/>) the generation's credit came from, if it had no hold of its own.</param>
    public async Task<SettleOutcome> SettleAsync(UsageEvent usage, string periodId, LeaseShare? lease = null)
        => (await SettleAsync([new Settlement(usage, periodId, lease)]))[0];

    /// <summary>
    /// Settles several generations of one account in one script call (each as <see cref="SettleAsync(UsageEvent, string, LeaseShare?)"/>
    /// does, in order); returns their outcomes in the same order.
    /// </summary>
    public async Task<IReadOnlyList<SettleOutcome>> SettleAsync(IReadOnlyList<Settlement> settlements)
    {
        ArgumentOutOfRangeException.ThrowIfZero(settlements.Count);
        var accountId = settlements[0].Usage.AccountId;
        var arguments = new List<RedisValue>(1 + settlements.Count * 9) { KeySpendPrefix(accountId) };
        foreach (var (usage, periodId, lease) in settlements)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(usage.CostNanos);
            if (usage.AccountId != accountId)
            {
                throw new ArgumentException("Settlements in one call must be of one account", nameof(settlements));
            }
            var fields = usage.ToStreamFields();
            arguments.AddRange([usage.GenerationId, Format(usage.CostNanos), periodId, Format(usage.KeyId), lease?.LeaseId ?? "",
                Format(lease?.Nanos ?? 0), fields.Length]);
            foreach (var field in fields)
            {
                arguments.Add(field.Name);
                arguments.Add(field.Value);
            }
        }
        var outcomes = (RedisResult[])(await SettleScript.EvaluateAsync(Database,
            [AccountKey(accountId), HoldsKey(accountId), HoldExpiryKey(accountId), UnpostedKey(accountId), UsageStream],
            [.. arguments]))!;
        return [.. outcomes.Select(outcome => (int)outcome switch
        {
            0 => SettleOutcome.AlreadySettled,
            2 => SettleOutcome.SettledOverdrawn,
            _ => SettleOutcome.Settled,
        })];
    }

    /// <summary>After the generation's ledger entries are committed: its cost moves from unposted into posted.</summary>
    public async Task<bool> MarkPostedAsync(Guid accountId, string generationId)
        => await MarkPostedAsync(accountId, [generationId]) == 1;

    /// <summary>
    /// <see cref="MarkPostedAsync(Guid, string)"/> for a batch of one account's generations in one script call
    /// (the billing consumer's batches); returns how many were still unposted.
    /// </summary>
    public async Task<int> MarkPostedAsync(Guid accountId, IReadOnlyCollection<string> generationIds)
        => generationIds.Count == 0 ? 0 : (int)await MarkPostedScript.EvaluateAsync(Database,
            [AccountKey(accountId), UnpostedKey(accountId)], [.. generationIds.Select(id => (RedisValue)id)]);

    /// <summary>
    /// With a top-up, refund or adjustment being committed in Postgres: the loaded balance follows, and
    /// <paramref name="purchasedNanos"/> (credits bought, when it is a top-up) counts toward free-model limits.
    /// </summary>
    public async Task<bool> ApplyPostedChangeAsync(Guid accountId, long changeNanos, long purchasedNanos = 0)
        => (int)await ApplyPostedChangeScript.EvaluateAsync(Database, [AccountKey(accountId)], [Format(changeNanos), Format(purchasedNanos)]) == 1;

    /// <summary>The generations settled here whose ledger entries may not be in Postgres yet.</summary>
    public async Task<IReadOnlyList<string>> UnpostedGenerationIdsAsync(Guid accountId)
        => [.. (await Database.HashKeysAsync(UnpostedKey(accountId))).Select(id => id.ToString())];

    /// <summary>
    /// Rebuilds an account from Postgres. Call it while holding the account's row lock in Postgres, so no
    /// generation is committed between reading the balance and this call: <paramref name="persistedGenerationIds"/>
    /// (the unposted ids that Postgres already has) leave the unposted set, so nothing is counted twice.
    /// </summary>
    public async Task ReconcileAsync(Guid accountId, long balanceNanos, IReadOnlyCollection<string> persistedGenerationIds, IReadOnlyList<KeySpend> keys,
        long purchasedNanos = 0)
    {
        var arguments = new List<RedisValue>(4 + persistedGenerationIds.Count + keys.Count * 3)
        {
            Format(balanceNanos), KeySpendPrefix(accountId), persistedGenerationIds.Count,
        };
        arguments.AddRange(persistedGenerationIds.Select(id => (RedisValue)id));
        arguments.Add(Format(purchasedNanos));
        foreach (var key in keys)
        {
            arguments.Add(Format(key.KeyId));
            arguments.Add(key.PeriodId);
            arguments.Add(Format(key.SpentNanos));
        }
        await ReconcileScript.EvaluateAsync(Database,
            [AccountKey(accountId), HoldsKey(accountId), HoldExpiryKey(accountId), UnpostedKey(accountId)], [.. arguments]);
    }

    /// <summary>The account's position, or null when it is not loaded.</summary>
    public async Task<CreditPosition?> ReadAsync(Guid accountId)
    {
        var values = await Database.HashGetAsync(AccountKey(accountId), ["posted", "unposted", "held"]);
        if (values[0].IsNull)
        {
            return null;
        }
        return new CreditPosition((long)values[0], values[1].IsNull ? 0 : (long)values[1], values[2].IsNull ? 0 : (long)values[2]);
    }

    /// <summary>A key's spending and holds in its current period (zeros when nothing was recorded).</summary>
    public async Task<(string? PeriodId, long SpentNanos, long HeldNanos)> ReadKeySpendAsync(Guid accountId, Guid keyId)
    {
        var values = await Database.HashGetAsync(KeySpendKey(accountId, keyId), ["period", "spent", "held"]);
        return (values[0].IsNull ? null : values[0].ToString(), values[1].IsNull ? 0 : (long)values[1], values[2].IsNull ? 0 : (long)values[2]);
    }
}
