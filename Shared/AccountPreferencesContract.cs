using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenRouterClone.Shared;

/// <summary>
/// An account's default provider preferences: Billing.Service stores them and hands them to gateways over its
/// internal API (<see cref="InternalPath"/>); after every change it publishes the account id on
/// <see cref="ChangedChannel"/> so gateways drop their in-process copy at once (as with keys and BYOK).
/// </summary>
public static class AccountPreferencesContract
{
    public const string ChangedChannel = "preferences:changed";

    public const string Allow = "allow";
    public const string Deny = "deny";

    /// <summary>More would not be a preference but a misuse; the catalog has a few dozen providers.</summary>
    public const int MaxIgnoredProviders = 100;

    public static string InternalPath(Guid accountId) => $"/internal/preferences/{accountId:D}";
}

/// <summary>
/// Defaults merged into every request of the account: <see cref="DataCollection"/> <c>allow</c> or <c>deny</c>
/// (skip providers that retain or train on prompts), and provider slugs never to route to.
/// </summary>
public sealed record AccountPreferences(string DataCollection, IReadOnlyList<string> IgnoredProviders)
{
    public static readonly AccountPreferences Default = new(AccountPreferencesContract.Allow, []);

    [JsonIgnore]
    public bool IsDefault => DataCollection == AccountPreferencesContract.Allow && IgnoredProviders.Count == 0;
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AccountPreferences))]
public sealed partial class AccountPreferencesJsonContext : JsonSerializerContext;
