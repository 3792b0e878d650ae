using OpenRouterClone.Shared;
using Billing.Service.Data;
using Billing.Service.Ledger;
using OpenRouterClone.Shared.Credits;
using Microsoft.EntityFrameworkCore;

namespace Billing.Service.Keys;

/// <summary>
/// Key management for one account at a time: every method takes the owning account, so a caller can never
/// reach another account's key (it simply is not found).
/// </summary>
public sealed class KeyService(BillingDbContext db, LedgerService ledger, CreditSync creditSync, KeyDirectory directory, TimeProvider clock)
{
    private const int MaxPageSize = 100;

    /// <summary>The key behind a bearer secret, if it exists and is neither disabled nor expired.</summary>
    public async Task<ApiKey?> AuthenticateAsync(string secret, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.HasValidFormat(secret))
        {
            return null;
        }
        var hash = ApiKeySecret.Hash(secret);
        var key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(candidate => candidate.Hash == hash, cancellationToken);
        return key is not null && key.IsUsableAt(clock.GetUtcNow()) ? key : null;
    }

    public async Task<(ApiKey Key, string Secret)> CreateAsync(Guid accountId, CreateKeyRequest request, bool allowProvisioning, CancellationToken cancellationToken)
    {
        ApiKeyRules.TryParseReset(request.LimitReset, out var reset);
        var secret = ApiKeySecret.Generate();
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(),
            AccountId = accountId,
            Hash = ApiKeySecret.Hash(secret),
            Label = ApiKeySecret.Label(secret),
            Name = request.Name!.Trim(),
            IsProvisioningKey = allowProvisioning && request.Provisioning == true,
            LimitNanos = request.Limit is { } limit ? Nanos.FromUsd(limit) : null,
            LimitReset = reset,
            IncludeByokInLimit = request.IncludeByokInLimit ?? false,
            RequestsPerMinute = request.RateLimitPerMinute is { } perMinute ? ApiKeyRules.CapOrNone(perMinute) : null,
            MaxConcurrentRequests = request.MaxConcurrentRequests is { } concurrent ? ApiKeyRules.CapOrNone(concurrent) : null,
            ExpiresAt = request.ExpiresAt,
            CreatorUserId = request.CreatorUserId,
            CreatedAt = clock.GetUtcNow(),
        };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        await directory.PublishAsync(key);
        return (key, secret);
    }

    /// <summary>A page of the account's keys, newest first, each described with its usage.</summary>
    public async Task<KeyListEnvelope> ListAsync(Guid accountId, int offset, bool includeDisabled, CancellationToken cancellationToken)
    {
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(key => key.AccountId == accountId && (includeDisabled || !key.IsDisabled))
            .OrderByDescending(key => key.CreatedAt)
            .Skip(Math.Max(0, offset))
            .Take(MaxPageSize)
            .ToListAsync(cancellationToken);

        var usage = await ledger.KeyUsageByKeyAsync(accountId, clock.GetUtcNow(), cancellationToken);
        var byokUsage = await ByokUsageByKeyAsync(accountId, keyId: null, cancellationToken);
        return new KeyListEnvelope([.. keys.Select(key =>
            Describe(key, usage.GetValueOrDefault(key.Id, KeyUsage.None), byokUsage.GetValueOrDefault(key.Id, KeyUsage.None)))]);
    }

    public Task<ApiKey?> FindAsync(Guid accountId, string hash, CancellationToken cancellationToken)
        => db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(key => key.AccountId == accountId && key.Hash == hash, cancellationToken);

    public async Task<ApiKey?> UpdateAsync(Guid accountId, string hash, UpdateKeyRequest request, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(candidate => candidate.AccountId == accountId && candidate.Hash == hash, cancellationToken);
        if (key is null)
        {
            return null;
        }

        if (request.Name is { } name)
        {
            key.Name = name.Trim();
        }
        if (request.Disabled is { } disabled)
        {
            key.IsDisabled = disabled;
        }
        if (request.Limit is { } limit)
        {
            key.LimitNanos = Nanos.FromUsd(limit);
        }
        if (request.LimitReset is not null && ApiKeyRules.TryParseReset(request.LimitReset, out var reset))
        {
            key.LimitReset = reset;
        }
        if (request.IncludeByokInLimit is { } includeByok)
        {
            key.IncludeByokInLimit = includeByok;
        }
        if (request.RateLimitPerMinute is { } perMinute)
        {
            key.RequestsPerMinute = ApiKeyRules.CapOrNone(perMinute);
        }
        if (request.MaxConcurrentRequests is { } concurrent)
        {
            key.MaxConcurrentRequests = ApiKeyRules.CapOrNone(concurrent);
        }
        key.UpdatedAt = clock.GetUtcNow();

        await db.SaveChangesAsync(cancellationToken);
        await directory.PublishAsync(key);
        if (request.Limit is not null || request.LimitReset is not null)
        {
            // A new reset period changes what the key has spent "so far": recount it from the ledger.
            await creditSync.SyncAsync(accountId, cancellationToken);
        }
        return key;
    }

    /// <summary>
    /// Deletes a key. Its past usage stays in the ledger (which only names the key id), so the account's
    /// history is intact.
    /// </summary>
    public async Task<bool> DeleteAsync(Guid accountId, string hash, CancellationToken cancellationToken)
    {
        var deleted = await db.ApiKeys.Where(key => key.AccountId == accountId && key.Hash == hash).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return false;
        }
        await directory.RemoveAsync(hash);
        return true;
    }

    public async Task<KeyResponse> DescribeAsync(ApiKey key, CancellationToken cancellationToken)
        => Describe(key, await ledger.KeyUsageAsync(key.Id, clock.GetUtcNow(), cancellationToken),
            (await ByokUsageByKeyAsync(key.AccountId, key.Id, cancellationToken)).GetValueOrDefault(key.Id, KeyUsage.None));

    /// <summary>
    /// What calls with the account's own provider keys cost at the providers' prices (billed by the providers,
    /// not from credits), per key: OpenRouter's <c>byok_usage</c> fields.
    /// </summary>
    private async Task<IReadOnlyDictionary<Guid, KeyUsage>> ByokUsageByKeyAsync(Guid accountId, Guid? keyId, CancellationToken cancellationToken)
    {
        var periods = UsagePeriods.At(clock.GetUtcNow());
        var rows = await db.Generations.AsNoTracking()
            .Where(generation => generation.AccountId == accountId && generation.IsByok && (keyId == null || generation.ApiKeyId == keyId))
            .GroupBy(generation => generation.ApiKeyId)
            .Select(group => new
            {
                KeyId = group.Key,
                Usage = new KeyUsage(
                    group.Sum(generation => generation.UpstreamCostNanos),
                    group.Sum(generation => generation.CreatedAt >= periods.DayStart ? generation.UpstreamCostNanos : 0),
                    group.Sum(generation => generation.CreatedAt >= periods.WeekStart ? generation.UpstreamCostNanos : 0),
                    group.Sum(generation => generation.CreatedAt >= periods.MonthStart ? generation.UpstreamCostNanos : 0)),
            })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(row => row.KeyId, row => row.Usage);
    }

    private static KeyResponse Describe(ApiKey key, KeyUsage usage, KeyUsage byokUsage)
    {
        var (limit, remaining) = LimitView(key, usage);
        return new KeyResponse(
            Hash: key.Hash,
            Name: key.Name,
            Label: key.Label,
            Disabled: key.IsDisabled,
            Limit: limit,
            LimitRemaining: remaining,
            LimitReset: ApiKeyRules.FormatReset(key.LimitReset),
            IncludeByokInLimit: key.IncludeByokInLimit,
            Usage: Nanos.ToUsd(usage.TotalNanos),
            UsageDaily: Nanos.ToUsd(usage.DailyNanos),
            UsageWeekly: Nanos.ToUsd(usage.WeeklyNanos),
            UsageMonthly: Nanos.ToUsd(usage.MonthlyNanos),
            ByokUsage: Nanos.ToUsd(byokUsage.TotalNanos),
            ByokUsageDaily: Nanos.ToUsd(byokUsage.DailyNanos),
            ByokUsageWeekly: Nanos.ToUsd(byokUsage.WeeklyNanos),
            ByokUsageMonthly: Nanos.ToUsd(byokUsage.MonthlyNanos),
            CreatedAt: key.CreatedAt,
            UpdatedAt: key.UpdatedAt,
            ExpiresAt: key.ExpiresAt,
            CreatorUserId: key.CreatorUserId,
            IsProvisioningKey: key.IsProvisioningKey,
            RateLimitPerMinute: key.RequestsPerMinute,
            MaxConcurrentRequests: key.MaxConcurrentRequests);
    }

    public async Task<CurrentKeyResponse> DescribeCurrentAsync(ApiKey key, CancellationToken cancellationToken)
    {
        var described = await DescribeAsync(key, cancellationToken);
        var totals = await ledger.TotalsAsync(key.AccountId, cancellationToken);
        return new CurrentKeyResponse(
            Label: described.Label,
            Limit: described.Limit,
            LimitRemaining: described.LimitRemaining,
            LimitReset: described.LimitReset,
            IncludeByokInLimit: described.IncludeByokInLimit,
            Usage: described.Usage,
            UsageDaily: described.UsageDaily,
            UsageWeekly: described.UsageWeekly,
            UsageMonthly: described.UsageMonthly,
            ByokUsage: described.ByokUsage,
            ByokUsageDaily: described.ByokUsageDaily,
            ByokUsageWeekly: described.ByokUsageWeekly,
            ByokUsageMonthly: described.ByokUsageMonthly,
            // An account is on the free tier until it has bought credits.
            IsFreeTier: !totals.HasPurchased,
            IsProvisioningKey: key.IsProvisioningKey,
            ExpiresAt: key.ExpiresAt,
            CreatorUserId: key.CreatorUserId);
    }

    /// <summary>The limit in USD and what is left of it in the current reset period.</summary>
    public static (decimal? Limit, decimal? Remaining) LimitView(ApiKey key, KeyUsage usage)
    {
        if (key.LimitNanos is not { } limit)
        {
            return (null, null);
        }
        var spentInPeriod = usage.InPeriod(ApiKeyRules.FormatReset(key.LimitReset));
        return (Nanos.ToUsd(limit), Nanos.ToUsd(Math.Max(0, limit - spentInPeriod)));
    }
}
