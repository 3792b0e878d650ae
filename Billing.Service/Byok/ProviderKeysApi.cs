using Billing.Service.Accounts;
using Billing.Service.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenRouterClone.Shared;

namespace Billing.Service.Byok;

/// <summary>
/// Bring-your-own-key over billing's internal API: the portal manages a signed-in user's provider keys (write
/// only: answers carry a hint, never the secret), and gateways read an account's keys to call providers with.
/// </summary>
public static class ProviderKeysApi
{
    public static IEndpointRouteBuilder MapProviderKeysApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/internal/accounts/{ownerUserId}/provider-keys");
        keys.MapGet("/", ListAsync);
        keys.MapPut("/{provider}", SaveAsync);
        keys.MapDelete("/{provider}", DeleteAsync);

        app.MapGet("/internal/byok/{accountId:guid}", async (Guid accountId, ProviderKeyService service, CancellationToken cancellationToken)
            => TypedResults.Json(await service.SecretsAsync(accountId, cancellationToken), ByokJsonContext.Default.ByokSecrets));
        return app;
    }

    public static async Task<Results<Ok<ProviderKeyListEnvelope>, JsonHttpResult<ErrorResponse>>> ListAsync(
        string ownerUserId, BillingDbContext db, ProviderKeyService service, CancellationToken cancellationToken)
        => await AccountsApi.FindAsync(db, ownerUserId, cancellationToken) is { } account
            ? TypedResults.Ok(new ProviderKeyListEnvelope(await service.ListAsync(account.Id, cancellationToken)))
            : AccountsApi.AccountNotFound();

    public static async Task<Results<Ok<ProviderKeyResponse>, JsonHttpResult<ErrorResponse>>> SaveAsync(
        string ownerUserId, string provider, SaveProviderKeyRequest request, BillingDbContext db, ProviderKeyService service,
        CancellationToken cancellationToken)
    {
        if (await AccountsApi.FindAsync(db, ownerUserId, cancellationToken) is not { } account)
        {
            return AccountsApi.AccountNotFound();
        }
        var problem = ProviderKeyRules.ValidateProvider(provider)
            ?? (request.ApiKey is null ? null : ProviderKeyRules.ValidateSecret(request.ApiKey));
        if (problem is not null)
        {
            return ApiError.BadRequest(problem);
        }
        return await service.SaveAsync(account.Id, provider, request, cancellationToken) is { } saved
            ? TypedResults.Ok(saved)
            : ApiError.BadRequest("'api_key' is required");
    }

    public static async Task<Results<NoContent, JsonHttpResult<ErrorResponse>>> DeleteAsync(
        string ownerUserId, string provider, BillingDbContext db, ProviderKeyService service, CancellationToken cancellationToken)
    {
        if (await AccountsApi.FindAsync(db, ownerUserId, cancellationToken) is not { } account)
        {
            return AccountsApi.AccountNotFound();
        }
        return await service.DeleteAsync(account.Id, provider, cancellationToken)
            ? TypedResults.NoContent()
            : ApiError.NotFound($"No key stored for provider '{provider}'");
    }
}
