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

    /// <summary>All-time totals from the ledger: credits bought, platform fees, usage (web search fees apart), refunds and adjustments.</summary>
    public static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<PlatformTotalsResponse>> GetTotalsAsync(
        BillingDbContext db, CancellationToken cancellationToken)
    {
        var byKindAndBook = await db.LedgerTransactions.AsNoTracking()
            .SelectMany(transaction => transaction.Entries.Select(entry => new { transaction.Kind, entry.Book, entry.Amount }))
            .GroupBy(row => new { row.Kind, row.Book })
            .Select(group => new { group.Key.Kind, group.Key.Book, Amount = group.Sum(row => row.Amount) })
            .ToListAsync(cancellationToken);
        var accounts = await db.Accounts.CountAsync(cancellationToken);

        long Credits(params LedgerTransactionKind[] kinds) => byKindAndBook
            .Where(row => row.Book == LedgerBook.CustomerCredits && kinds.Contains(row.Kind))
            .Sum(row => row.Amount);

        var fees = byKindAndBook.Where(row => row.Book == LedgerBook.PlatformRevenue).Sum(row => row.Amount);
        return TypedResults.Ok(new PlatformTotalsResponse(
            Accounts: accounts,
            TopUpsUsd: Nanos.ToUsd(Credits(LedgerTransactionKind.TopUp)),
            PlatformFeesUsd: Nanos.ToUsd(fees),
            UsageUsd: Nanos.ToUsd(-Credits(LedgerTransactionKind.Usage, LedgerTransactionKind.PlatformFee)),
            RefundsUsd: Nanos.ToUsd(-Credits(LedgerTransactionKind.Refund, LedgerTransactionKind.Chargeback)),
            AdjustmentsUsd: Nanos.ToUsd(Credits(LedgerTransactionKind.Adjustment)),
            OutstandingCreditsUsd: Nanos.ToUsd(byKindAndBook.Where(row => row.Book == LedgerBook.CustomerCredits).Sum(row => row.Amount)),
            SearchFeesUsd: Nanos.ToUsd(byKindAndBook.Where(row => row.Book == LedgerBook.SearchPayable).Sum(row => row.Amount))));
    }
}
