using Gateway.Api.Accounts;
using OpenRouterClone.Shared;
using StackExchange.Redis;

namespace Gateway.Api.Preferences;

/// <summary>Each account's default provider preferences; the defaults while billing has never answered for it.</summary>
public sealed class AccountPreferencesCache(PreferencesClient billing, TimeProvider clock, ILogger<AccountPreferencesCache> logger)
    : AccountCache<AccountPreferences>(clock, logger)
{
    protected override AccountPreferences Unloaded => AccountPreferences.Default;

    protected override string Describes => "provider preferences";

    protected override Task<AccountPreferences> LoadAsync(Guid accountId, CancellationToken cancellationToken)
        => billing.GetAsync(accountId, cancellationToken);
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
