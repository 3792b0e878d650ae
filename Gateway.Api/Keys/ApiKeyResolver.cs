using System.Collections.Concurrent;
using System.Globalization;
using OpenRouterClone.Shared;
using StackExchange.Redis;
using Fields = OpenRouterClone.Shared.KeyDirectoryContract.Fields;

namespace Gateway.Api.Keys;

/// <summary>
/// Resolves bearer secrets to keys on the hot path: SHA-256 of the secret, then an in-process cache, then the
/// Redis key directory that Billing.Service keeps (<see cref="KeyDirectoryContract"/>). Billing announces
/// every change; <see cref="KeyChangeListener"/> evicts the entry, so a revoked key stops working on every
/// replica within a second, and the cache lifetime bounds staleness should a message be lost.
/// </summary>
public sealed class ApiKeyResolver(IConnectionMultiplexer redis, TimeProvider clock)
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, CacheEntry> _cache = new(StringComparer.Ordinal);

    private sealed record CacheEntry(GatewayKey? Key, DateTimeOffset ExpiresAt);

    /// <summary>The key for a secret, or null when it is malformed, unknown, disabled or expired.</summary>
    public async ValueTask<GatewayKey?> ResolveAsync(string secret)
    {
        if (!ApiKeySecret.HasValidFormat(secret))
        {
            return null;
        }

        var hash = ApiKeySecret.Hash(secret);
        var now = clock.GetUtcNow();
        if (!_cache.TryGetValue(hash, out var entry) || entry.ExpiresAt <= now)
        {
            entry = new CacheEntry(await LoadAsync(hash), now + CacheLifetime);
            _cache[hash] = entry;
        }
        return entry.Key is { } key && key.IsUsableAt(now) ? key : null;
    }

    public void Evict(string hash) => _cache.TryRemove(hash, out _);

    private async Task<GatewayKey?> LoadAsync(string hash)
    {
        var fields = await redis.GetDatabase().HashGetAllAsync(KeyDirectoryContract.RedisKey(hash));
        if (fields.Length == 0)
        {
            return null;
        }
        var values = fields.ToDictionary(field => field.Name.ToString(), field => field.Value.ToString(), StringComparer.Ordinal);
        return new GatewayKey(
            KeyId: Guid.Parse(values[Fields.KeyId]),
            AccountId: Guid.Parse(values[Fields.AccountId]),
            IsDisabled: values[Fields.Disabled] == "1",
            IsProvisioningKey: values[Fields.Provisioning] == "1",
            ExpiresAt: values[Fields.ExpiresAt] is { Length: > 0 } expires
                ? DateTimeOffset.FromUnixTimeSeconds(long.Parse(expires, CultureInfo.InvariantCulture))
                : null,
            LimitNanos: values[Fields.LimitNanos] is { Length: > 0 } limit ? long.Parse(limit, CultureInfo.InvariantCulture) : null,
            LimitReset: values[Fields.LimitReset],
            RequestsPerMinute: OptionalInt(values, Fields.RequestsPerMinute),
            MaxConcurrentRequests: OptionalInt(values, Fields.MaxConcurrentRequests));
    }

    /// <summary>Fields added later are absent from keys written before them.</summary>
    private static int? OptionalInt(Dictionary<string, string> values, string field)
        => values.TryGetValue(field, out var value) && value.Length > 0 ? int.Parse(value, CultureInfo.InvariantCulture) : null;
}

/// <summary>Subscribes to key changes so that revocations reach this replica's cache at once.</summary>
public sealed class KeyChangeListener(IConnectionMultiplexer redis, ApiKeyResolver resolver) : IHostedService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(KeyDirectoryContract.ChangedChannel);

    public Task StartAsync(CancellationToken cancellationToken)
        => redis.GetSubscriber().SubscribeAsync(Channel, (_, hash) => resolver.Evict(hash.ToString()));

    public Task StopAsync(CancellationToken cancellationToken) => redis.GetSubscriber().UnsubscribeAsync(Channel);
}
