using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Portal.Web.Http;

namespace Portal.Web.Billing;

/// <summary>Typed HttpClient for Billing.Service's /internal/accounts API (base address from <see cref="BillingOptions"/>).</summary>
public sealed class BillingClient(HttpClient http, ILogger<BillingClient> logger) : IBillingClient
{
    private readonly ServiceHttp service = new(http, logger, "billing service",
        (statusCode, message, innerException) => new BillingException(statusCode, message, innerException));

    public async Task<BillingAccount> EnsureAccountAsync(string userId, string email, CancellationToken cancellationToken = default)
    {
        var content = JsonContent.Create(new EnsureAccountRequest(email), BillingJsonContext.Default.EnsureAccountRequest);
        return await SendAsync(HttpMethod.Put, AccountPath(userId), content, BillingJsonContext.Default.BillingAccount, cancellationToken);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListKeysAsync(string userId, CancellationToken cancellationToken = default)
        => (await SendAsync(HttpMethod.Get, $"{AccountPath(userId)}/keys", null, BillingJsonContext.Default.KeyListEnvelope, cancellationToken)).Data;

    public async Task<CreatedApiKey> CreateKeyAsync(string userId, string name, decimal? limitUsd = null, KeyLimitReset limitReset = KeyLimitReset.None,
        DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default)
    {
        var reset = limitUsd is null || limitReset == KeyLimitReset.None ? null : limitReset.ToString().ToLowerInvariant();
        var request = new CreateKeyRequest(name, limitUsd, reset, expiresAt);
        var content = JsonContent.Create(request, BillingJsonContext.Default.CreateKeyRequest);
        return await SendAsync(HttpMethod.Post, $"{AccountPath(userId)}/keys", content, BillingJsonContext.Default.CreatedApiKey, cancellationToken);
    }

    public async Task<ApiKeyInfo> SetKeyDisabledAsync(string userId, string hash, bool disabled, CancellationToken cancellationToken = default)
    {
        var content = JsonContent.Create(new UpdateKeyRequest(disabled), BillingJsonContext.Default.UpdateKeyRequest);
        return (await SendAsync(HttpMethod.Patch, KeyPath(userId, hash), content, BillingJsonContext.Default.KeyEnvelope, cancellationToken)).Data;
    }

    public async Task DeleteKeyAsync(string userId, string hash, CancellationToken cancellationToken = default)
    {
        using var response = await SendCoreAsync(HttpMethod.Delete, KeyPath(userId, hash), null, cancellationToken);
    }

    public async Task<CreditTotals> GetCreditsAsync(string userId, CancellationToken cancellationToken = default)
        => (await SendAsync(HttpMethod.Get, $"{AccountPath(userId)}/credits", null, BillingJsonContext.Default.CreditsEnvelope, cancellationToken)).Data;

    public async Task<GenerationPage> ListGenerationsAsync(string userId, GenerationQuery query, CancellationToken cancellationToken = default)
    {
        var parameters = new List<string>
        {
            $"from={Day(query.From)}",
            $"to={Day(query.To)}",
            $"offset={query.Offset.ToString(CultureInfo.InvariantCulture)}",
            $"limit={Math.Clamp(query.Limit, 1, GenerationQuery.MaxLimit).ToString(CultureInfo.InvariantCulture)}",
        };
        if (!string.IsNullOrWhiteSpace(query.Model))
        {
            parameters.Add($"model={Uri.EscapeDataString(query.Model)}");
        }
        if (!string.IsNullOrWhiteSpace(query.KeyHash))
        {
            parameters.Add($"key_hash={Uri.EscapeDataString(query.KeyHash)}");
        }
        return await SendAsync(HttpMethod.Get, $"{AccountPath(userId)}/generations?{string.Join('&', parameters)}", null,
            BillingJsonContext.Default.GenerationPage, cancellationToken);
    }

    public async Task<GenerationInfo?> GetGenerationAsync(string userId, string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        try
        {
            return (await SendAsync(HttpMethod.Get, $"{AccountPath(userId)}/generations/{Uri.EscapeDataString(id)}", null,
                BillingJsonContext.Default.GenerationEnvelope, cancellationToken)).Data;
        }
        catch (BillingException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<UsageReport> GetUsageAsync(string userId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
        => (await SendAsync(HttpMethod.Get, $"{AccountPath(userId)}/usage?from={Day(from)}&to={Day(to)}", null,
            BillingJsonContext.Default.UsageReportEnvelope, cancellationToken)).Data;

    public async Task<TopUpPrice> GetTopUpPriceAsync(decimal amountUsd, CancellationToken cancellationToken = default)
        => await SendAsync(HttpMethod.Get, $"internal/pricing/top-up?amount_usd={amountUsd.ToString(CultureInfo.InvariantCulture)}", null,
            BillingJsonContext.Default.TopUpPrice, cancellationToken);

    public async Task<CheckoutSession> CreateCheckoutAsync(string userId, decimal amountUsd, string successUrl, string cancelUrl,
        string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var content = JsonContent.Create(new CheckoutRequest(amountUsd, successUrl, cancelUrl, idempotencyKey), BillingJsonContext.Default.CheckoutRequest);
        return await SendAsync(HttpMethod.Post, $"{AccountPath(userId)}/checkout", content, BillingJsonContext.Default.CheckoutSession, cancellationToken);
    }

    public async Task<CheckoutStatus?> GetCheckoutAsync(string userId, string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        try
        {
            return await SendAsync(HttpMethod.Get, $"{AccountPath(userId)}/checkout/{Uri.EscapeDataString(sessionId)}", null,
                BillingJsonContext.Default.CheckoutStatus, cancellationToken);
        }
        catch (BillingException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<TransactionPage> ListTransactionsAsync(string userId, int offset, int limit, CancellationToken cancellationToken = default)
    {
        var query = string.Create(CultureInfo.InvariantCulture, $"offset={Math.Max(0, offset)}&limit={Math.Clamp(limit, 1, TransactionPage.MaxLimit)}");
        return await SendAsync(HttpMethod.Get, $"{AccountPath(userId)}/transactions?{query}", null, BillingJsonContext.Default.TransactionPage, cancellationToken);
    }

    public async Task<IReadOnlyList<ProviderKeyInfo>> ListProviderKeysAsync(string userId, CancellationToken cancellationToken = default)
        => (await SendAsync(HttpMethod.Get, $"{AccountPath(userId)}/provider-keys", null, BillingJsonContext.Default.ProviderKeyListEnvelope, cancellationToken)).Data;

    public async Task<ProviderKeyInfo> SaveProviderKeyAsync(string userId, string provider, string? apiKey, bool alwaysUse, CancellationToken cancellationToken = default)
    {
        var content = JsonContent.Create(new SaveProviderKeyRequest(apiKey, alwaysUse), BillingJsonContext.Default.SaveProviderKeyRequest);
        return await SendAsync(HttpMethod.Put, ProviderKeyPath(userId, provider), content, BillingJsonContext.Default.ProviderKeyInfo, cancellationToken);
    }

    public async Task DeleteProviderKeyAsync(string userId, string provider, CancellationToken cancellationToken = default)
    {
        using var response = await SendCoreAsync(HttpMethod.Delete, ProviderKeyPath(userId, provider), null, cancellationToken);
    }

    public async Task<ProviderPreferencesInfo> GetPreferencesAsync(string userId, CancellationToken cancellationToken = default)
        => await SendAsync(HttpMethod.Get, $"{AccountPath(userId)}/preferences", null, BillingJsonContext.Default.ProviderPreferencesInfo, cancellationToken);

    public async Task<ProviderPreferencesInfo> SavePreferencesAsync(string userId, ProviderPreferencesInfo preferences, CancellationToken cancellationToken = default)
    {
        var content = JsonContent.Create(preferences, BillingJsonContext.Default.ProviderPreferencesInfo);
        return await SendAsync(HttpMethod.Put, $"{AccountPath(userId)}/preferences", content, BillingJsonContext.Default.ProviderPreferencesInfo, cancellationToken);
    }

    private static string ProviderKeyPath(string userId, string provider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        return $"{AccountPath(userId)}/provider-keys/{Uri.EscapeDataString(provider)}";
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string AccountPath(string userId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        return $"internal/accounts/{Uri.EscapeDataString(userId)}";
    }

    private static string KeyPath(string userId, string hash)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hash);
        return $"{AccountPath(userId)}/keys/{Uri.EscapeDataString(hash)}";
    }

    private Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        => service.SendAsync(method, path, content, typeInfo, cancellationToken);

    /// <summary>Sends the request; any answer but a success becomes a <see cref="BillingException"/> carrying billing's message.</summary>
    private Task<HttpResponseMessage> SendCoreAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
        => service.SendAsync(method, path, content, cancellationToken);
}
