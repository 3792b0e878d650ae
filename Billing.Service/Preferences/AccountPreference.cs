namespace Billing.Service.Preferences;

/// <summary>
/// An account's default provider preferences; no row means the defaults (data collection allowed, no provider
/// ignored). One row per account, keyed by it.
/// </summary>
public sealed class AccountPreference
{
    public Guid AccountId { get; set; }

    /// <summary><c>allow</c> or <c>deny</c>.</summary>
    public required string DataCollection { get; set; }

    /// <summary>Provider slugs, lowercase, without duplicates.</summary>
    public List<string> IgnoredProviders { get; set; } = [];

    public DateTimeOffset UpdatedAt { get; set; }
}
