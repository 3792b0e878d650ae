using Billing.Service.Keys;
using OpenRouterClone.Shared.Credits;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenRouterClone.Shared;

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

    /// <summary>Service-to-service: a gateway that meets an account whose credits are not in Redis asks for them.</summary>
    public static IEndpointRouteBuilder MapInternalCreditsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/internal/credits").MapPost("/{accountId:guid}/sync", SyncAccountAsync);
        return app;
    }

    public static async Task<Results<NoContent, JsonHttpResult<ErrorResponse>>> SyncAccountAsync(Guid accountId, CreditSync sync, CancellationToken cancellationToken)
        => await sync.SyncAsync(accountId, cancellationToken)
            ? TypedResults.NoContent()
            : ApiError.NotFound("No such billing account");

    public static async Task<Ok<CreditsEnvelope>> GetCreditsAsync(HttpContext context, LedgerService ledger)
    {
        var totals = await ledger.TotalsAsync(AuthenticatedApiKey.From(context).AccountId, context.RequestAborted);
        return TypedResults.Ok(ToEnvelope(totals));
    }

    internal static CreditsEnvelope ToEnvelope(CreditTotals totals)
        => new(new CreditsResponse(Nanos.ToUsd(totals.TotalCreditsNanos), Nanos.ToUsd(totals.TotalUsageNanos)));
}
