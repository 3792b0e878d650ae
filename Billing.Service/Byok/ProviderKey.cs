namespace Billing.Service.Byok;

/// <summary>
/// An account's own key for one provider (bring-your-own-key). The secret is stored only encrypted with ASP.NET
/// Core Data Protection; the hint (its last characters) is what the portal shows.
/// </summary>
public sealed class ProviderKey
{
    public Guid Id { get; set; }
    public Guid AccountId { get; set; }

    /// <summary>The catalog provider's slug, e.g. <c>openai</c>.</summary>
    public required string ProviderSlug { get; set; }
    public required string ProtectedSecret { get; set; }
    public required string Hint { get; set; }

    /// <summary>Use only this key for the provider, never falling back to the platform's.</summary>
    public bool AlwaysUse { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
}
