using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Gateway.Api.Accounts;

/// <summary>
/// Per-account settings that billing owns (BYOK keys, provider preferences), held in memory: loaded on an
/// account's first request, kept for a few minutes, and dropped at once when billing announces a change, so
/// an edit applies on every replica within a second. Accounts with nothing set are cached too, so the hot path
/// normally makes no call. As a hosted service it subscribes to <see cref="ChangedChannel"/>, on which billing
/// publishes the account id of every change. When billing cannot be reached the last known value stays in use (or
/// <see cref="Unloaded"/> for an account never loaded), and billing is asked again only after a pause.
/// </summary>
public abstract class AccountCache<T>(IConnectionMultiplexer redis, TimeProvider clock, ILogger logger) : IHostedService where T : class
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<Guid, CacheEntry> _cache = new();

    // Bumped by every eviction: a load that raced with one is not cached, so it cannot bring an old value back.
    private long _evictions;

    private sealed record CacheEntry(T Value, DateTimeOffset ExpiresAt);

    /// <summary>What an account gets while billing has never answered for it.</summary>
    protected abstract T Unloaded { get; }

    /// <summary>Names what is cached in the log line of a failed load.</summary>
    protected abstract string Describes { get; }

    /// <summary>Where billing announces a change to an account's value (its id as the message).</summary>
    protected abstract string ChangedChannel { get; }

    protected abstract Task<T> LoadAsync(Guid accountId, CancellationToken cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken)
        => redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(ChangedChannel), (_, message) =>
        {
            if (Guid.TryParse(message.ToString(), out var accountId))
            {
                Evict(accountId);
            }
        });

    public Task StopAsync(CancellationToken cancellationToken)
        => redis.GetSubscriber().UnsubscribeAsync(RedisChannel.Literal(ChangedChannel));

    public async ValueTask<T> ForAccountAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        _cache.TryGetValue(accountId, out var cached);
        if (cached is not null && cached.ExpiresAt > now)
        {
            return cached.Value;
        }

        var evictions = Interlocked.Read(ref _evictions);
        T value;
        try
        {
            value = await LoadAsync(accountId, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.ExecutionRejectedException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            AccountCacheLog.LoadFailed(logger, ex, Describes, accountId);
            value = cached?.Value ?? Unloaded;
            _cache[accountId] = new CacheEntry(value, now + RetryAfterFailure);
            return value;
        }
        if (Interlocked.Read(ref _evictions) == evictions)
        {
            _cache[accountId] = new CacheEntry(value, now + CacheLifetime);
        }
        return value;
    }

    public void Evict(Guid accountId)
    {
        Interlocked.Increment(ref _evictions);
        _cache.TryRemove(accountId, out _);
    }
}

internal static partial class AccountCacheLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Setting} of account {AccountId} could not be loaded from billing; using the last known ones")]
    public static partial void LoadFailed(ILogger logger, Exception exception, string setting, Guid accountId);
}
