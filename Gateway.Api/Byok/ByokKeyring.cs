using System.Collections.Concurrent;
using OpenRouterClone.Shared;
using StackExchange.Redis;

namespace Gateway.Api.Byok;

/// <summary>
/// Each account's own provider keys (bring-your-own-key), held in memory: loaded from Billing.Service on an
/// account's first request, kept for a few minutes, and dropped at once when billing announces a change, so
/// a removed key stops being used on every replica within a second. Accounts without keys are cached too,
/// so the hot path normally makes no call at all. When billing cannot be reached the last known keys stay
/// in use, and an account never loaded is served with the platform's keys.
/// </summary>
public sealed partial class ByokKeyring(ByokClient billing, TimeProvider clock, ILogger<ByokKeyring> logger)
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);
    private static readonly IReadOnlyDictionary<string, ByokSecret> None = new Dictionary<string, ByokSecret>();

    private readonly ConcurrentDictionary<Guid, CacheEntry> _cache = new();

    // Bumped by every eviction: a load that raced with one is not cached, so it cannot bring a removed key back.
    private long _evictions;

    private sealed record CacheEntry(IReadOnlyDictionary<string, ByokSecret> Keys, DateTimeOffset ExpiresAt);

    /// <summary>The account's keys by provider slug (compared without case).</summary>
    public async ValueTask<IReadOnlyDictionary<string, ByokSecret>> ForAccountAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        _cache.TryGetValue(accountId, out var cached);
        if (cached is not null && cached.ExpiresAt > now)
        {
            return cached.Keys;
        }

        var evictions = Interlocked.Read(ref _evictions);
        IReadOnlyDictionary<string, ByokSecret> keys;
        try
        {
            var secrets = await billing.GetAsync(accountId, cancellationToken);
            keys = secrets.Keys.Count == 0
                ? None
                : secrets.Keys.ToDictionary(secret => secret.Provider, StringComparer.OrdinalIgnoreCase);
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.ExecutionRejectedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogLoadFailed(logger, ex, accountId);
            // Asked again only after a pause, so an outage of billing does not slow every request down.
            keys = cached?.Keys ?? None;
            _cache[accountId] = new CacheEntry(keys, now + RetryAfterFailure);
            return keys;
        }
        if (Interlocked.Read(ref _evictions) == evictions)
        {
            _cache[accountId] = new CacheEntry(keys, now + CacheLifetime);
        }
        return keys;
    }

    public void Evict(Guid accountId)
    {
        Interlocked.Increment(ref _evictions);
        _cache.TryRemove(accountId, out _);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider keys of account {AccountId} could not be loaded; using the last known ones")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception, Guid accountId);
}

/// <summary>Subscribes to BYOK changes so that a removed or replaced key leaves this replica's cache at once.</summary>
public sealed class ByokChangeListener(IConnectionMultiplexer redis, ByokKeyring keyring) : IHostedService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(ByokContract.ChangedChannel);

    public Task StartAsync(CancellationToken cancellationToken)
        => redis.GetSubscriber().SubscribeAsync(Channel, (_, message) =>
        {
            if (Guid.TryParse(message.ToString(), out var accountId))
            {
                keyring.Evict(accountId);
            }
        });

    public Task StopAsync(CancellationToken cancellationToken) => redis.GetSubscriber().UnsubscribeAsync(Channel);
}

/// <summary>Typed client for the account keys on Billing.Service's internal API.</summary>
public sealed class ByokClient(HttpClient httpClient)
{
    public async Task<ByokSecrets> GetAsync(Guid accountId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ByokContract.InternalPath(accountId));
        using var response = await httpClient.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(ByokJsonContext.Default.ByokSecrets, cancellationToken)
            ?? throw new HttpRequestException("Billing answered without provider keys");
    }
}
