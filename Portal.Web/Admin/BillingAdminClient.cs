using System.Globalization;
using System.Net.Http.Json;
using Portal.Web.Http;

namespace Portal.Web.Admin;

/// <summary>Billing's administrator calls: manual credit adjustments and the platform reports.</summary>
public interface IBillingAdminClient
{
    /// <summary>Adds (positive) or takes (negative) credits; the reason and the actor are kept in the ledger.</summary>
    Task<CreditAdjustmentResult> AdjustCreditsAsync(string userId, CreditAdjustment adjustment, CancellationToken cancellationToken = default);

    /// <summary>The newest manual adjustments over every account.</summary>
    Task<IReadOnlyList<AdjustmentRecord>> ListAdjustmentsAsync(int limit, CancellationToken cancellationToken = default);

    Task<PlatformTotals> GetTotalsAsync(CancellationToken cancellationToken = default);
}

/// <summary>Typed HttpClient for billing's <c>/internal</c> admin calls (base address and key from <see cref="Billing.BillingOptions"/>).</summary>
public sealed class BillingAdminClient(HttpClient http, ILogger<BillingAdminClient> logger) : IBillingAdminClient
{
    private readonly ServiceHttp service = new(http, logger, "billing service",
        (statusCode, message, innerException) => new AdminApiException(statusCode, message, innerException));

    public Task<CreditAdjustmentResult> AdjustCreditsAsync(string userId, CreditAdjustment adjustment, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var content = JsonContent.Create(adjustment, AdminJsonContext.Default.CreditAdjustment);
        return service.SendAsync(HttpMethod.Post, $"internal/accounts/{Uri.EscapeDataString(userId)}/adjustments",
            content, AdminJsonContext.Default.CreditAdjustmentResult, cancellationToken);
    }

    public async Task<IReadOnlyList<AdjustmentRecord>> ListAdjustmentsAsync(int limit, CancellationToken cancellationToken = default)
        => (await service.SendAsync(HttpMethod.Get,
            $"internal/admin/adjustments?limit={Math.Clamp(limit, 1, 200).ToString(CultureInfo.InvariantCulture)}", null,
            AdminJsonContext.Default.AdjustmentList, cancellationToken)).Data;

    public Task<PlatformTotals> GetTotalsAsync(CancellationToken cancellationToken = default)
        => service.SendAsync(HttpMethod.Get, "internal/admin/totals", null,
            AdminJsonContext.Default.PlatformTotals, cancellationToken);
}
