using OpenRouterClone.Shared;

namespace Billing.Service.Keys;

/// <summary>The key that authenticated the current request, set by <see cref="ApiKeyAuthenticationFilter"/>.</summary>
public sealed record AuthenticatedApiKey(ApiKey Key)
{
    public static ApiKey From(HttpContext context)
        => context.Features.Get<AuthenticatedApiKey>()?.Key
            ?? throw new InvalidOperationException("The endpoint is not behind ApiKeyAuthenticationFilter");
}

/// <summary>Admits requests that carry a valid, enabled, unexpired key as a bearer token.</summary>
public sealed class ApiKeyAuthenticationFilter(KeyService keys) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var httpContext = context.HttpContext;
        if (!BearerToken.TryRead(httpContext.Request.Headers.Authorization, out var secret))
        {
            return ApiError.Unauthorized("No auth credentials found");
        }

        var key = await keys.AuthenticateAsync(secret, httpContext.RequestAborted);
        if (key is null)
        {
            // One answer for unknown, disabled and expired keys: nothing to learn by probing.
            return ApiError.Unauthorized("Invalid, disabled or expired API key");
        }

        httpContext.Features.Set(new AuthenticatedApiKey(key));
        return await next(context);
    }
}

/// <summary>Key management needs a provisioning key, as on OpenRouter.</summary>
public sealed class ProvisioningKeyFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        => AuthenticatedApiKey.From(context.HttpContext).IsProvisioningKey
            ? await next(context)
            : ApiError.Create(StatusCodes.Status403Forbidden, "Only a provisioning key can manage API keys");
}
