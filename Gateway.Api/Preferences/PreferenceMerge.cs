using Gateway.Api.Routing;
using OpenRouterClone.Catalog.Snapshot;
using OpenRouterClone.Shared;

namespace Gateway.Api.Preferences;

/// <summary>
/// How an account's defaults combine with a request's <c>provider</c> object: the request's own values win,
/// <c>ignore</c> lists are unioned (an ignored provider stays ignored), and the account's
/// <c>data_collection: deny</c> applies unless the request sets <c>data_collection</c> itself.
/// </summary>
public static class PreferenceMerge
{
    public static ProviderPreferences? Merge(ProviderPreferences? request, AccountPreferences account)
    {
        if (account.IsDefault)
        {
            return request;
        }
        request ??= new ProviderPreferences();
        var ignore = account.IgnoredProviders.Count == 0
            ? request.Ignore
            : [.. (request.Ignore ?? []).Concat(account.IgnoredProviders).Distinct(StringComparer.OrdinalIgnoreCase)];
        return new ProviderPreferences
        {
            Order = request.Order,
            Only = request.Only,
            Ignore = ignore,
            AllowFallbacks = request.AllowFallbacks,
            RequireParameters = request.RequireParameters,
            DataCollection = request.DataCollection ?? (account.DataCollection == AccountPreferencesContract.Deny ? AccountPreferencesContract.Deny : null),
            Zdr = request.Zdr,
            Quantizations = request.Quantizations,
            Sort = request.Sort,
            MaxPrice = request.MaxPrice,
        };
    }

    /// <summary>Whether the account's defaults let requests reach this provider at all (for <c>models/user</c>).</summary>
    public static bool Allows(AccountPreferences account, SnapshotProvider provider)
        => !account.IgnoredProviders.Any(name => string.Equals(name, provider.Slug, StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, provider.Name, StringComparison.OrdinalIgnoreCase))
            && (account.DataCollection != AccountPreferencesContract.Deny || EndpointRouter.KeepsNoData(provider));
}
