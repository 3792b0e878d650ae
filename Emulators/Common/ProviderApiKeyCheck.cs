using System.Security.Cryptography;
using System.Text;

namespace Emulators.Common;

/// <summary>
/// Refuses requests to an emulated provider configured with an <see cref="EmulatedProviderOptions.ApiKey"/>
/// that do not carry it, with a 401 whose body every wire format's client reads (<c>error.message</c>).
/// </summary>
public static class ProviderApiKeyCheck
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (EmulatedProviders.NameFrom(http) is { } provider
            && http.RequestServices.GetRequiredService<EmulatedProviders>().RequiredApiKey(provider) is { } required
            && !Matches(PresentedKey(http.Request), required))
        {
            return TypedResults.Json(
                new ProviderKeyError("error", new ProviderKeyErrorDetail("authentication_error", "invalid_api_key", "Incorrect API key provided")),
                statusCode: StatusCodes.Status401Unauthorized);
        }
        return await next(context);
    }

    private static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }
        var key = request.Headers["x-api-key"].ToString();
        if (key.Length == 0)
        {
            key = request.Headers["x-goog-api-key"].ToString();
        }
        if (key.Length == 0)
        {
            key = request.Query["key"].ToString();
        }
        return key.Length == 0 ? null : key;
    }

    private static bool Matches(string? presented, string required)
        => presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(required));
}

public sealed record ProviderKeyError(string Type, ProviderKeyErrorDetail Error);

public sealed record ProviderKeyErrorDetail(string Type, string Code, string Message);
