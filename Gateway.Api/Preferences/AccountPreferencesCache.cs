using System.Collections.Concurrent;
using OpenRouterClone.Shared;
using StackExchange.Redis;

namespace Gateway.Api.Preferences;

/// <summary>
/// Each account's default provider preferences, held in memory like BYOK keys: loaded from Billing.Service on
/// an account's first request, kept for a few minutes, and dropped at once when billing announces a change, so
/// a saved preference applies on every replica within a second. Accounts with the defaults are cached too, so
/// the hot path normally makes no call. When billing cannot be reached the last known preferences stay in use.
/// </summary>
public sealed partial class AccountPreferencesCache(PreferencesClient billing, TimeProvider clock, ILogger<AccountPreferencesCache> logger)
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<Guid, CacheEntry> _cache = new();

    // Bumped by every eviction: a load that raced with one is not cached, so it cannot bring old preferences back.
    private long _evictions;

    private sealed record CacheEntry(AccountPreferences Preferences, DateTimeOffset ExpiresAt);

    public async ValueTask<AccountPreferences> ForAccountAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        _cache.TryGetValue(accountId, out var cached);
        if (cached is not null && cached.ExpiresAt > now)
        {
            return cached.Preferences;
        }

        var evictions = Interlocked.Read(ref _evictions);
        AccountPreferences preferences;
        try
        {
            preferences = await billing.GetAsync(accountId, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogLoadFailed(logger, ex, accountId);
            preferences = cached?.Preferences ?? AccountPreferences.Default;
            _cache[accountId] = new CacheEntry(preferences, now + RetryAfterFailure);
            return preferences;
        }
        if (Interlocked.Read(ref _evictions) == evictions)
        {
            _cache[accountId] = new CacheEntry(preferences, now + CacheLifetime);
        }
        return preferences;
    }

    public void Evict(Guid accountId)
    {
        Interlocked.Increment(ref _evictions);
        _cache.TryRemove(accountId, out _);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Provider preferences of account {AccountId} could not be loaded; using the last known ones")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception, Guid accountId);
}

/// <summary>Subscribes to preference changes so that a saved preference reaches this replica's cache at once.</summary>
public sealed class PreferencesChangeListener(IConnectionMultiplexer redis, AccountPreferencesCache cache) : IHostedService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(AccountPreferencesContract.ChangedChannel);

    public Task StartAsync(CancellationToken cancellationToken)
        => redis.GetSubscriber().SubscribeAsync(Channel, (_, message) =>
        {
            if (Guid.TryParse(message.ToString(), out var accountId))
            {
                cache.Evict(accountId);
            }
        });

    public Task StopAsync(CancellationToken cancellationToken) => redis.GetSubscriber().UnsubscribeAsync(Channel);
}

/// <summary>Typed client for the account preferences on Billing.Service's internal API.</summary>
public sealed class PreferencesClient(HttpClient httpClient)
{
    public async Task<AccountPreferences> GetAsync(Guid accountId, CancellationToken cancellationToken)
    {
        using var response = await httpClient.GetAsync(AccountPreferencesContract.InternalPath(accountId), cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync(AccountPreferencesJsonContext.Default.AccountPreferences, cancellationToken)
            ?? throw new HttpRequestException("Billing answered without preferences");
    }
}
