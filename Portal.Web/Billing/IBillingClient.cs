namespace Portal.Web.Billing;

/// <summary>
/// Billing.Service's internal account API, always for one portal user. Callers pass the signed-in user's id
/// from the authentication state, never an id taken from a URL or a form.
/// </summary>
public interface IBillingClient
{
    /// <summary>Creates the user's billing account if missing; idempotent.</summary>
    Task<BillingAccount> EnsureAccountAsync(string userId, string email, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApiKeyInfo>> ListKeysAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Creates an ordinary inference key; the answer carries the secret, which is never available again.</summary>
    Task<CreatedApiKey> CreateKeyAsync(string userId, string name, decimal? limitUsd = null, KeyLimitReset limitReset = KeyLimitReset.None,
        DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default);

    Task<ApiKeyInfo> SetKeyDisabledAsync(string userId, string hash, bool disabled, CancellationToken cancellationToken = default);

    Task DeleteKeyAsync(string userId, string hash, CancellationToken cancellationToken = default);

    Task<CreditTotals> GetCreditsAsync(string userId, CancellationToken cancellationToken = default);
}
