using Gateway.Api.Accounts;
using OpenRouterClone.Shared;
using StackExchange.Redis;

namespace Gateway.Api.Preferences;

/// <summary>Each account's default provider preferences; the defaults while billing has never answered for it.</summary>
public sealed class AccountPreferencesCache(PreferencesClient billing, IConnectionMultiplexer redis, TimeProvider clock, ILogger<AccountPreferencesCache> logger)
    : AccountCache<AccountPreferences>(redis, clock, logger)
{
    protected override AccountPreferences Unloaded => AccountPreferences.Default;

    protected override string Describes => "provider preferences";

    protected override string ChangedChannel => AccountPreferencesContract.ChangedChannel;

    protected override Task<AccountPreferences> LoadAsync(Guid accountId, CancellationToken cancellationToken)
        => billing.GetAsync(accountId, cancellationToken);
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
