using System.ComponentModel.DataAnnotations;

namespace Gateway.Api.Credits;

/// <summary>How the gateway holds and charges credits (section <c>Credits</c>).</summary>
public sealed class CreditOptions
{
    public const string SectionName = "Credits";

    /// <summary>
    /// A hold outlives any request (the total timeout) and then lapses by itself, so a gateway that dies
    /// mid-request does not keep the credits locked.
    /// </summary>
    public TimeSpan HoldLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The lowest balance (USD) reservations may reach; 0 means no overdraft.</summary>
    public decimal FloorUsd { get; set; }

    /// <summary>The fewest completion tokens a request must be able to pay for to be let through.</summary>
    [Range(1, 1_000_000)]
    public int MinimumCompletionTokens { get; set; } = 16;

    /// <summary>
    /// The completion tokens a hold covers when neither the request nor the endpoint caps them; within what
    /// the caller can afford, the request's <c>max_tokens</c> is lowered to what was held.
    /// </summary>
    [Range(1, 10_000_000)]
    public int DefaultMaximumCompletionTokens { get; set; } = 32_768;

    /// <summary>Free-model (<c>:free</c>) requests an account may make in any 60 seconds.</summary>
    [Range(1, 100_000)]
    public int FreeModelRequestsPerMinute { get; set; } = 20;

    /// <summary>Free-model requests per UTC day, until the account has bought <see cref="FreeModelPurchaseThresholdUsd"/>.</summary>
    [Range(1, 10_000_000)]
    public int FreeModelRequestsPerDay { get; set; } = 50;

    [Range(1, 10_000_000)]
    public int FreeModelRequestsPerDayAfterPurchase { get; set; } = 1000;

    public decimal FreeModelPurchaseThresholdUsd { get; set; } = 10;

    /// <summary>Requests an account may make in any 60 seconds, over all its keys; null for no cap.</summary>
    [Range(1, 10_000_000)]
    public int? AccountRequestsPerMinute { get; set; }

    /// <summary>Requests an account may have in flight at once, over all its keys; null for no cap.</summary>
    [Range(1, 1_000_000)]
    public int? AccountConcurrentRequests { get; set; }

    /// <summary>
    /// With the caller's own provider key (BYOK) the provider bills them; the platform charges this share of
    /// what the call would have cost, from credits.
    /// </summary>
    [Range(typeof(decimal), "0", "1")]
    public decimal ByokFeeRate { get; set; } = 0.05m;

    /// <summary>Credit leases (<see cref="CreditLeases"/>): credit this gateway sets aside per account and hands out itself.</summary>
    public CreditLeaseOptions Leases { get; set; } = new();
}

/// <summary>How the gateway leases credit (section <c>Credits:Leases</c>).</summary>
public sealed class CreditLeaseOptions
{
    /// <summary>Off: every request places a hold of its own in Redis before its upstream call (a round trip more).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A lease grows by this many times the worst case of the request that finds it short.</summary>
    [Range(1, 10_000)]
    public int RequestsPerGrowth { get; set; } = 16;

    /// <summary>
    /// A lease grows by at most what is available divided by this (but always by what the request needs), so one
    /// replica does not set aside the credit that requests on the others need.
    /// </summary>
    [Range(1, 1_000)]
    public int AvailableShare { get; set; } = 4;

    /// <summary>How long a lease accepts requests; then a new one starts and the old goes back once its requests end.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Term { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A lease that no request has used for this long goes back to the account.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00")]
    public TimeSpan IdleReturn { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>Where the gateway asks Billing.Service to load an account's credits (section <c>Billing</c>).</summary>
public sealed class BillingOptions
{
    public const string SectionName = "Billing";
    public const string InternalKeyHeader = "X-Internal-Key";

    [Required]
    public Uri? BaseUrl { get; set; } = new("http://billing");

    /// <summary>Billing's internal API key (<c>X-Internal-Key</c>).</summary>
    [Required]
    public string? InternalApiKey { get; set; }

    /// <summary>
    /// The most a request waits for billing (loading credits or BYOK keys) on its way to a provider, retries
    /// included: should billing hang, requests fail or go on without it quickly instead of stalling.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.5", "00:01:00")]
    public TimeSpan HotPathTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
