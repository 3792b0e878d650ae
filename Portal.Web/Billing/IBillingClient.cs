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

    /// <summary>A page of the user's generations matching the query, newest first.</summary>
    Task<GenerationPage> ListGenerationsAsync(string userId, GenerationQuery query, CancellationToken cancellationToken = default);

    /// <summary>One of the user's generations, or null when the user has none with that id.</summary>
    Task<GenerationInfo?> GetGenerationAsync(string userId, string id, CancellationToken cancellationToken = default);

    /// <summary>The user's usage per day, model and key for an inclusive range of UTC days.</summary>
    Task<UsageReport> GetUsageAsync(string userId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);

    /// <summary>The fee and total for a top-up of <paramref name="amountUsd"/>, with the allowed range (400 outside it).</summary>
    Task<TopUpPrice> GetTopUpPriceAsync(decimal amountUsd, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts a Stripe Checkout top-up; the browser goes to the answer's URL. <paramref name="successUrl"/> may contain
    /// <c>{CHECKOUT_SESSION_ID}</c>. The same <paramref name="idempotencyKey"/> for the same amount returns the same session.
    /// </summary>
    Task<CheckoutSession> CreateCheckoutAsync(string userId, decimal amountUsd, string successUrl, string cancelUrl,
        string? idempotencyKey = null, CancellationToken cancellationToken = default);

    /// <summary>One of the user's top-ups, or null when the user has no checkout with that session id.</summary>
    Task<CheckoutStatus?> GetCheckoutAsync(string userId, string sessionId, CancellationToken cancellationToken = default);

    /// <summary>A page of the user's ledger transactions, newest first.</summary>
    Task<TransactionPage> ListTransactionsAsync(string userId, int offset, int limit, CancellationToken cancellationToken = default);

    /// <summary>The user's own provider keys (bring-your-own-key), without their secrets.</summary>
    Task<IReadOnlyList<ProviderKeyInfo>> ListProviderKeysAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Stores (or replaces) the user's key for a provider; a null <paramref name="apiKey"/> keeps the stored one and changes only <paramref name="alwaysUse"/>.</summary>
    Task<ProviderKeyInfo> SaveProviderKeyAsync(string userId, string provider, string? apiKey, bool alwaysUse, CancellationToken cancellationToken = default);

    Task DeleteProviderKeyAsync(string userId, string provider, CancellationToken cancellationToken = default);

    /// <summary>The user's default provider preferences (data collection, ignored providers).</summary>
    Task<ProviderPreferencesInfo> GetPreferencesAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the user's default provider preferences; answers them as billing stored them (normalised).</summary>
    Task<ProviderPreferencesInfo> SavePreferencesAsync(string userId, ProviderPreferencesInfo preferences, CancellationToken cancellationToken = default);
}
