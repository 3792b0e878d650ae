using Billing.Service.Data;
using Microsoft.EntityFrameworkCore;

namespace Billing.Service.Keys;

/// <summary>
/// Rewrites the Redis key directory from Postgres at start, so that a Redis that lost its data (or a fresh
/// one) knows every key again. Postgres is the truth; Redis is a cache of it.
/// </summary>
public sealed class KeyDirectoryRebuilder(IServiceScopeFactory scopes, KeyDirectory directory, ILogger<KeyDirectoryRebuilder> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var count = 0;
        await foreach (var key in db.ApiKeys.AsNoTracking().AsAsyncEnumerable().WithCancellation(stoppingToken))
        {
            await directory.PublishAsync(key);
            count++;
        }
        logger.LogInformation("Key directory rebuilt in Redis from {KeyCount} keys", count);
    }
}
