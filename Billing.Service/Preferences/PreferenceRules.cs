using OpenRouterClone.Shared;

namespace Billing.Service.Preferences;

/// <summary>What an account's preferences may hold, and their stored (normalised) form.</summary>
public static class PreferenceRules
{
    private const int MaxSlugLength = 64;

    /// <summary>Null and the normalised preferences when acceptable, else a message for a 400 answer.</summary>
    public static (AccountPreferences? Preferences, string? Problem) Normalize(AccountPreferences? request)
    {
        if (request is null)
        {
            return (null, "A body with 'data_collection' and 'ignored_providers' is required");
        }
        var dataCollection = request.DataCollection?.Trim().ToLowerInvariant();
        if (dataCollection is not (AccountPreferencesContract.Allow or AccountPreferencesContract.Deny))
        {
            return (null, "'data_collection' must be allow or deny");
        }
        var ignored = request.IgnoredProviders ?? [];
        if (ignored.Count > AccountPreferencesContract.MaxIgnoredProviders)
        {
            return (null, $"'ignored_providers' may name at most {AccountPreferencesContract.MaxIgnoredProviders} providers");
        }
        if (ignored.Any(slug => string.IsNullOrWhiteSpace(slug) || slug.Trim().Length > MaxSlugLength))
        {
            return (null, $"'ignored_providers' must hold provider slugs of 1 to {MaxSlugLength} characters");
        }
        var slugs = ignored.Select(slug => slug.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return (new AccountPreferences(dataCollection, slugs), null);
    }
}
