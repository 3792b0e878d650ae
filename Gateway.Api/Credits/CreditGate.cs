using Gateway.Api.Keys;
using Microsoft.Extensions.Options;
using OpenRouterClone.Shared.Credits;
using StackExchange.Redis;

namespace Gateway.Api.Credits;

/// <summary>
/// The billing seam of the inference path: a hold before the upstream call (from a <see cref="CreditLeases"/> lease
/// when no limit applies, otherwise one of its own in Redis), and after it either settlement (release the hold, debit
/// the actual cost, emit the usage event, in one Redis script) or a plain release when nothing was generated. An
/// account whose credits are not in Redis yet is loaded by Billing.Service once, then the reservation is tried again.
/// </summary>
public sealed class CreditGate(CreditStore store, CreditLeases leases, SettlementBatches settlements, BillingSyncClient billing, LateSettlements late,
    IOptions<CreditOptions> options, TimeProvider clock)
{
    /// <param name="freeModel">The request is for a <c>:free</c> model: OpenRouter's free-model rate limits apply.</param>
    public async Task<Reservation> ReserveAsync(GatewayKey key, string generationId, HoldPlan plan, bool freeModel, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (CanLease(key, freeModel, settings))
        {
            var leased = await leases.TryHoldAsync(key.AccountId, generationId, plan.MaximumNanos, cancellationToken);
            if (leased == LeaseHoldOutcome.NotLoaded && await LoadAsync(key.AccountId, cancellationToken))
            {
                leased = await leases.TryHoldAsync(key.AccountId, generationId, plan.MaximumNanos, cancellationToken);
            }
            switch (leased)
            {
                case LeaseHoldOutcome.Granted:
                    return new Reservation(ReservationOutcome.Granted, plan.MaximumNanos);
                case LeaseHoldOutcome.NotLoaded:
                    return new Reservation(ReservationOutcome.NotLoaded, 0);
            }
        }
        var now = clock.GetUtcNow();
        var hold = new HoldRequest(
            key.AccountId,
            key.KeyId,
            generationId,
            plan.MinimumNanos,
            plan.MaximumNanos,
            key.LimitNanos,
            UsagePeriods.PeriodId(key.LimitReset, now),
            ExpiresAt: now + settings.HoldLifetime,
            Now: now,
            FloorNanos: Nanos.FromUsd(settings.FloorUsd),
            FreeLimits: freeModel
                ? new FreeModelLimits(settings.FreeModelRequestsPerMinute, settings.FreeModelRequestsPerDay,
                    settings.FreeModelRequestsPerDayAfterPurchase, Nanos.FromUsd(settings.FreeModelPurchaseThresholdUsd))
                : null,
            Limits: new RequestLimits(key.RequestsPerMinute, key.MaxConcurrentRequests, settings.AccountRequestsPerMinute, settings.AccountConcurrentRequests));
        var reservation = await store.ReserveAsync(hold);
        if (reservation.Outcome == ReservationOutcome.NotLoaded && await LoadAsync(key.AccountId, cancellationToken))
        {
            reservation = await store.ReserveAsync(hold);
        }
        return reservation;
    }

    /// <summary>
    /// Only requests that no limit applies to take credit from a lease: the spending and rate limits are counted
    /// per request in Redis, across replicas.
    /// </summary>
    private static bool CanLease(GatewayKey key, bool freeModel, CreditOptions settings)
        => settings.Leases.Enabled && !freeModel
           && key is { LimitNanos: null, RequestsPerMinute: null, MaxConcurrentRequests: null }
           && settings is { AccountRequestsPerMinute: null, AccountConcurrentRequests: null };

    // One load per account at a time: a burst of first requests on a cold account waits for a single call to
    // billing instead of sending it dozens and running out of the hot-path budget.
    private readonly SingleFlight<Guid, bool> _loads = new();

    // Shared by every waiting request, so no single caller's token; billing calls have their own time budget.
    private Task<bool> LoadAsync(Guid accountId, CancellationToken cancellationToken)
        => _loads.RunAsync(accountId, id => billing.SyncAsync(id, CancellationToken.None), cancellationToken);

    /// <summary>
    /// Sends the settlement to Redis (<see cref="SettlementBatches"/>) without making the caller wait for its answer;
    /// <see cref="LateSettlements"/> follows it to the end, retrying it should Redis be unreachable. Until it lands the
    /// generation's hold (or lease share) stays in Redis, so a reservation that overtakes it sees less credit, never more.
    /// </summary>
    public void Settle(GatewayKey key, UsageEvent usage)
    {
        var periodId = UsagePeriods.PeriodId(key.LimitReset, usage.CreatedAt);
        var lease = leases.Finish(usage.GenerationId, usage.CostNanos);
        var settlement = new Settlement(usage, periodId, lease);
        Task settling = settlements.SettleAsync(settlement);
        if (lease is not null)
        {
            settling = WatchLeaseSettlementAsync((Task<SettleOutcome>)settling, usage.AccountId);
        }
        // An async method: a Redis failure faults the task, which Follow handles; it never throws here.
        late.Follow(settling, settlement);
    }

    /// <summary>
    /// The account is overdrawn (a refund or adjustment took credit its lease had set aside): its lease stops handing
    /// out credit, so its next requests meet their own holds' 402. A settlement Redis did not take (unreachable, or
    /// hung while the connection looks alive): no lease hands out credit, so requests fail closed as with holds of
    /// their own rather than pile up charges in memory.
    /// </summary>
    private async Task WatchLeaseSettlementAsync(Task<SettleOutcome> settling, Guid accountId)
    {
        try
        {
            if (await settling == SettleOutcome.SettledOverdrawn)
            {
                leases.Retire(accountId);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            leases.RetireAll();
            throw;
        }
    }

    /// <summary>Gives the request's credit back: to its lease here, or its own hold in Redis.</summary>
    public async Task<bool> ReleaseAsync(GatewayKey key, string generationId)
        => leases.Finish(generationId, costNanos: 0) is not null || await store.ReleaseAsync(key.AccountId, generationId);
}

/// <summary>Typed client for Billing.Service's internal credit API.</summary>
public sealed class BillingSyncClient(HttpClient httpClient)
{
    /// <summary>Asks billing to load the account's credits into Redis; false when there is no such account.</summary>
    public async Task<bool> SyncAsync(Guid accountId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/internal/credits/{accountId}/sync");
        using var response = await httpClient.SendAsync(request, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
        response.EnsureSuccessStatusCode();
        return true;
    }
}
