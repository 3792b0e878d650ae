using Microsoft.Extensions.Options;
using OpenRouterClone.Catalog.Snapshot;
using StackExchange.Redis;

namespace Gateway.Api.Routing;

/// <summary>
/// Shares this replica's circuit breakers with the others through Redis (<see cref="CircuitBreakerRedis"/>): each
/// opening and closing <see cref="EndpointHealth"/> queues is written to the open-circuits hash and announced;
/// every announcement from another replica, and the hash at start and every <see cref="CircuitBreakerOptions.SyncInterval"/>,
/// is applied locally. Off the request path: with Redis away the breakers go on with what this replica sees.
/// </summary>
public sealed partial class CircuitBreakerSync(
    IConnectionMultiplexer redis, EndpointHealth health, IOptions<CircuitBreakerOptions> options, TimeProvider clock,
    ILogger<CircuitBreakerSync> logger) : BackgroundService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(CircuitBreakerRedis.ChangedChannel);

    // Kept a little past the open time, so a replica whose clock runs behind still reads it; readers skip ended entries.
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(10);

    private volatile bool _subscribed;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Shared)
        {
            await SubscribeSafelyAsync();
            await LoadSafelyAsync();
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Shared)
        {
            return;
        }
        var publishing = PublishAllAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.SyncInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!_subscribed)
                {
                    await SubscribeSafelyAsync();
                }
                await LoadSafelyAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        await publishing;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_subscribed)
        {
            try
            {
                await redis.GetSubscriber().UnsubscribeAsync(Channel);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                // Stopping anyway.
            }
        }
        await base.StopAsync(cancellationToken);
    }

    private async Task PublishAllAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var change in health.Changes.ReadAllAsync(stoppingToken))
            {
                await PublishSafelyAsync(change);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>The hash first, then the message: a replica reading the hash on a message sees the change.</summary>
    private async Task PublishSafelyAsync(CircuitChange change)
    {
        var field = CircuitBreakerRedis.Field(change.EndpointId);
        var json = CircuitBreakerRedis.Serialize(change);
        try
        {
            var database = redis.GetDatabase();
            if (change.Open && change.OpenUntil is { } openUntil)
            {
                var expiry = openUntil - clock.GetUtcNow() + ExpiryMargin;
                var transaction = database.CreateTransaction();
                _ = transaction.HashSetAsync(CircuitBreakerRedis.OpenKey, field, json);
                // The hash lives as long as its longest open entry: set on a new hash, only ever pushed out after.
                _ = transaction.KeyExpireAsync(CircuitBreakerRedis.OpenKey, expiry, ExpireWhen.HasNoExpiry);
                _ = transaction.KeyExpireAsync(CircuitBreakerRedis.OpenKey, expiry, ExpireWhen.GreaterThanCurrentExpiry);
                await transaction.ExecuteAsync();
                LogOpened(change.EndpointId, change.Reason, openUntil);
            }
            else
            {
                await database.HashDeleteAsync(CircuitBreakerRedis.OpenKey, field);
                LogClosed(change.EndpointId);
            }
            await redis.GetSubscriber().PublishAsync(Channel, json);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogPublishFailed(exception, change.EndpointId);
        }
    }

    private async Task SubscribeSafelyAsync()
    {
        try
        {
            await redis.GetSubscriber().SubscribeAsync(Channel, (_, message) =>
            {
                if (!message.IsNullOrEmpty && CircuitBreakerRedis.Parse((byte[])message!) is { } change && change.Instance != health.Instance)
                {
                    health.ApplyAnnouncement(change);
                    LogApplied(change.EndpointId, change.Open ? "opened" : "closed", change.Instance, change.Reason);
                }
            });
            _subscribed = true;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogSubscribeFailed(exception);
        }
    }

    /// <summary>The circuits other replicas hold open now (at start, and to catch up lost messages).</summary>
    private async Task LoadSafelyAsync()
    {
        try
        {
            foreach (var entry in await redis.GetDatabase().HashGetAllAsync(CircuitBreakerRedis.OpenKey))
            {
                if (!entry.Value.IsNullOrEmpty && CircuitBreakerRedis.Parse((byte[])entry.Value!) is { } change)
                {
                    health.Apply(change);
                }
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogLoadFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Circuit of endpoint {EndpointId} opened until {OpenUntil} ({Reason}); shared with the other replicas")]
    private partial void LogOpened(int endpointId, string? reason, DateTimeOffset openUntil);

    [LoggerMessage(Level = LogLevel.Information, Message = "Circuit of endpoint {EndpointId} closed; shared with the other replicas")]
    private partial void LogClosed(int endpointId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Circuit of endpoint {EndpointId} {Change} by {Instance} ({Reason})")]
    private partial void LogApplied(int endpointId, string change, string instance, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sharing the circuit of endpoint {EndpointId} failed; this replica goes on with its own state")]
    private partial void LogPublishFailed(Exception exception, int endpointId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing to shared circuit changes failed; retrying")]
    private partial void LogSubscribeFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the shared open circuits failed; retrying")]
    private partial void LogLoadFailed(Exception exception);
}
