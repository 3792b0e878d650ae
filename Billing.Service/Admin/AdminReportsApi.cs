using Billing.Service.Data;
using Billing.Service.Ledger;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OpenRouterClone.Shared.Credits;

namespace Billing.Service.Admin;

/// <summary>
/// Read-only reports for the portal's administrators: the audit list of manual adjustments (with actor and
/// reason) and the platform's money totals. Under /internal, so the internal service key guards it and the
/// gateway never forwards it.
/// </summary>
public static class AdminReportsApi
{
    public const string BasePath = "/internal/admin";
    private const int DefaultLimit = 50;
    private const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapAdminReportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(BasePath);
        api.MapGet("/adjustments", ListAdjustmentsAsync);
        api.MapGet("/totals", GetTotalsAsync);
        return app;
    }

    /// <summary>The newest manual adjustments over every account, newest first.</summary>
    public static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<AdjustmentListResponse>> ListAdjustmentsAsync(
        BillingDbContext db, [FromQuery] int? limit, CancellationToken cancellationToken)
    {
        var take = Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit);
        var rows = await (
                from transaction in db.LedgerTransactions.AsNoTracking()
                where transaction.Kind == LedgerTransactionKind.Adjustment
                join account in db.Accounts.AsNoTracking() on transaction.AccountId equals account.Id
                orderby transaction.CreatedAt descending, transaction.Id descending
                select new
                {
                    transaction.Id,
                    account.OwnerUserId,
                    account.Email,
                    Amount = transaction.Entries
                        .Where(entry => entry.Book == LedgerBook.CustomerCredits)
                        .Sum(entry => entry.Amount),
                    transaction.Description,
                    transaction.Actor,
                    transaction.CreatedAt,
                })
            .Take(take)
            .ToListAsync(cancellationToken);

        return TypedResults.Ok(new AdjustmentListResponse([.. rows.Select(row => new AdjustmentResponse(
            row.Id, row.OwnerUserId, row.Email, Nanos.ToUsd(row.Amount), row.Description ?? "", row.Actor ?? "", row.CreatedAt))]));
    }

    /// <summary>
    /// All-time totals: credits bought, platform fees, usage (web search fees apart), refunds and adjustments, summed
    /// over the accounts' running totals (kept by the ledger triggers) rather than over every ledger entry.
    /// </summary>
    public static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<PlatformTotalsResponse>> GetTotalsAsync(
        BillingDbContext db, CancellationToken cancellationToken)
    {
        var totals = await db.AccountCreditTotals.AsNoTracking()
            .GroupBy(_ => 1)
            .Select(all => new
            {
                Credits = all.Sum(account => account.CreditsNanos),
                Usage = all.Sum(account => account.UsageNanos),
                Purchased = all.Sum(account => account.PurchasedNanos),
                Refunded = all.Sum(account => account.RefundedNanos),
                Adjusted = all.Sum(account => account.AdjustedNanos),
                Revenue = all.Sum(account => account.PlatformRevenueNanos),
                Search = all.Sum(account => account.SearchPayableNanos),
            })
            .SingleOrDefaultAsync(cancellationToken);
        var accounts = await db.Accounts.CountAsync(cancellationToken);

        return TypedResults.Ok(new PlatformTotalsResponse(
            Accounts: accounts,
            TopUpsUsd: Nanos.ToUsd(totals?.Purchased ?? 0),
            PlatformFeesUsd: Nanos.ToUsd(totals?.Revenue ?? 0),
            UsageUsd: Nanos.ToUsd(totals?.Usage ?? 0),
            RefundsUsd: Nanos.ToUsd(totals?.Refunded ?? 0),
            AdjustmentsUsd: Nanos.ToUsd(totals?.Adjusted ?? 0),
            OutstandingCreditsUsd: Nanos.ToUsd((totals?.Credits ?? 0) - (totals?.Usage ?? 0)),
            SearchFeesUsd: Nanos.ToUsd(totals?.Search ?? 0)));
    }
}
