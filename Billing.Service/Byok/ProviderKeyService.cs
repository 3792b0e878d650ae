using Billing.Service.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OpenRouterClone.Shared;
using StackExchange.Redis;

namespace Billing.Service.Byok;

/// <summary>
/// Stores, lists and removes an account's provider keys. Secrets are encrypted with Data Protection (the key
/// ring lives in billingdb, so every billing replica can read what another wrote) and only decrypted for
/// gateways; every change is announced so gateways stop using a removed key at once.
/// </summary>
public sealed class ProviderKeyService(BillingDbContext db, IDataProtectionProvider protection, IConnectionMultiplexer redis, TimeProvider clock)
{
    private readonly IDataProtector _protector = protection.CreateProtector("OpenRouterClone.Billing.ProviderKeys.v1");

    public async Task<IReadOnlyList<ProviderKeyResponse>> ListAsync(Guid accountId, CancellationToken cancellationToken)
        => await db.Set<ProviderKey>().AsNoTracking()
            .Where(key => key.AccountId == accountId)
            .OrderBy(key => key.ProviderSlug)
            .Select(key => new ProviderKeyResponse(key.ProviderSlug, key.Hint, key.AlwaysUse, key.CreatedAt, key.UpdatedAt))
            .ToListAsync(cancellationToken);

    /// <summary>Creates or replaces the account's key for a provider; null when there is none and no secret was given.</summary>
    public async Task<ProviderKeyResponse?> SaveAsync(Guid accountId, string provider, SaveProviderKeyRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var key = await db.Set<ProviderKey>().SingleOrDefaultAsync(key => key.AccountId == accountId && key.ProviderSlug == provider, cancellationToken);
        if (key is null)
        {
            if (request.ApiKey is null)
            {
                return null;
            }
            key = new ProviderKey
            {
                Id = Guid.CreateVersion7(),
                AccountId = accountId,
                ProviderSlug = provider,
                ProtectedSecret = _protector.Protect(request.ApiKey),
                Hint = ProviderKeyRules.HintFor(request.ApiKey),
                AlwaysUse = request.AlwaysUse ?? false,
                CreatedAt = now,
            };
            db.Add(key);
        }
        else
        {
            if (request.ApiKey is { } secret)
            {
                key.ProtectedSecret = _protector.Protect(secret);
                key.Hint = ProviderKeyRules.HintFor(secret);
            }
            key.AlwaysUse = request.AlwaysUse ?? key.AlwaysUse;
            key.UpdatedAt = now;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Two saves raced for a new provider: the other one stored its key; this one replaces it.
            db.ChangeTracker.Clear();
            return await SaveAsync(accountId, provider, request, cancellationToken);
        }
        await AnnounceAsync(accountId);
        return new ProviderKeyResponse(key.ProviderSlug, key.Hint, key.AlwaysUse, key.CreatedAt, key.UpdatedAt);
    }

    public async Task<bool> DeleteAsync(Guid accountId, string provider, CancellationToken cancellationToken)
    {
        var deleted = await db.Set<ProviderKey>()
            .Where(key => key.AccountId == accountId && key.ProviderSlug == provider)
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            await AnnounceAsync(accountId);
        }
        return deleted > 0;
    }

    /// <summary>The account's keys in clear text, for a gateway about to call the providers with them.</summary>
    public async Task<ByokSecrets> SecretsAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var keys = await db.Set<ProviderKey>().AsNoTracking()
            .Where(key => key.AccountId == accountId)
            .ToListAsync(cancellationToken);
        return new ByokSecrets([.. keys.Select(key => new ByokSecret(key.ProviderSlug, _protector.Unprotect(key.ProtectedSecret), key.AlwaysUse))]);
    }

    private Task AnnounceAsync(Guid accountId)
        => redis.GetSubscriber().PublishAsync(RedisChannel.Literal(ByokContract.ChangedChannel), accountId.ToString("D"));
}
