using Billing.Service.Keys;
using Billing.Service.Money;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Billing.Service.Ledger;

/// <summary>OpenRouter's GET /api/v1/credits for the account behind the calling key.</summary>
public static class CreditsApi
{
    public static IEndpointRouteBuilder MapCreditsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1")
            .AddEndpointFilter<ApiKeyAuthenticationFilter>()
            .MapGet("/credits", GetCreditsAsync);
        return app;
    }

    public static async Task<Ok<CreditsEnvelope>> GetCreditsAsync(HttpContext context, LedgerService ledger)
    {
        var totals = await ledger.TotalsAsync(AuthenticatedApiKey.From(context).AccountId, context.RequestAborted);
        return TypedResults.Ok(ToEnvelope(totals));
    }

    internal static CreditsEnvelope ToEnvelope(CreditTotals totals)
        => new(new CreditsResponse(Nanos.ToUsd(totals.TotalCreditsNanos), Nanos.ToUsd(totals.TotalUsageNanos)));
}
