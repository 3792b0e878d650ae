using Microsoft.AspNetCore.Http.HttpResults;
using OpenRouterClone.Shared;

namespace Billing.Service.Keys;

/// <summary>OpenRouter's key APIs, reached through the gateway at /api/v1/key and /api/v1/keys.</summary>
public static class KeysApi
{
    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").AddEndpointFilter<ApiKeyAuthenticationFilter>();
        api.MapGet("/key", GetCurrentKeyAsync);

        var keys = api.MapGroup("/keys").AddEndpointFilter<ProvisioningKeyFilter>();
        keys.MapGet("/", ListKeysAsync);
        keys.MapPost("/", CreateKeyAsync);
        keys.MapGet("/{hash}", GetKeyAsync);
        keys.MapPatch("/{hash}", UpdateKeyAsync);
        keys.MapDelete("/{hash}", DeleteKeyAsync);
        return app;
    }

    public static async Task<Ok<CurrentKeyEnvelope>> GetCurrentKeyAsync(HttpContext context, KeyService keys)
        => TypedResults.Ok(new CurrentKeyEnvelope(await keys.DescribeCurrentAsync(AuthenticatedApiKey.From(context), context.RequestAborted)));

    public static async Task<Ok<KeyListEnvelope>> ListKeysAsync(
        HttpContext context, KeyService keys, int? offset, bool? includeDisabled)
    {
        var caller = AuthenticatedApiKey.From(context);
        return TypedResults.Ok(await keys.ListAsync(caller.AccountId, offset ?? 0, includeDisabled ?? false, context.RequestAborted));
    }

    public static async Task<Results<Created<CreatedKeyEnvelope>, JsonHttpResult<ErrorResponse>>> CreateKeyAsync(
        HttpContext context, CreateKeyRequest request, KeyService keys, TimeProvider clock)
    {
        if (KeyRequestValidator.Validate(request, clock.GetUtcNow()) is { } problem)
        {
            return ApiError.BadRequest(problem);
        }

        var caller = AuthenticatedApiKey.From(context);
        // Keys made through the public API are inference keys; provisioning keys come from the portal only.
        var (key, secret) = await keys.CreateAsync(caller.AccountId, request with { CreatorUserId = caller.CreatorUserId }, allowProvisioning: false, context.RequestAborted);
        var described = await keys.DescribeAsync(key, context.RequestAborted);
        return TypedResults.Created($"/api/v1/keys/{key.Hash}", new CreatedKeyEnvelope(described, secret));
    }

    public static async Task<Results<Ok<KeyEnvelope>, JsonHttpResult<ErrorResponse>>> GetKeyAsync(
        HttpContext context, string hash, KeyService keys)
    {
        var key = await keys.FindAsync(AuthenticatedApiKey.From(context).AccountId, hash, context.RequestAborted);
        return key is null
            ? KeyNotFound()
            : TypedResults.Ok(new KeyEnvelope(await keys.DescribeAsync(key, context.RequestAborted)));
    }

    public static async Task<Results<Ok<KeyEnvelope>, JsonHttpResult<ErrorResponse>>> UpdateKeyAsync(
        HttpContext context, string hash, UpdateKeyRequest request, KeyService keys)
    {
        if (KeyRequestValidator.Validate(request) is { } problem)
        {
            return ApiError.BadRequest(problem);
        }
        var key = await keys.UpdateAsync(AuthenticatedApiKey.From(context).AccountId, hash, request, context.RequestAborted);
        return key is null
            ? KeyNotFound()
            : TypedResults.Ok(new KeyEnvelope(await keys.DescribeAsync(key, context.RequestAborted)));
    }

    public static async Task<Results<Ok<DeletedKeyResponse>, JsonHttpResult<ErrorResponse>>> DeleteKeyAsync(
        HttpContext context, string hash, KeyService keys)
        => await keys.DeleteAsync(AuthenticatedApiKey.From(context).AccountId, hash, context.RequestAborted)
            ? TypedResults.Ok(new DeletedKeyResponse(true))
            : KeyNotFound();

    // Another account's key and a missing key look the same: no way to probe for hashes.
    internal static JsonHttpResult<ErrorResponse> KeyNotFound() => ApiError.NotFound("API key not found");
}
