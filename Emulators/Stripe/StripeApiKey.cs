using Microsoft.AspNetCore.Http.HttpResults;

namespace Emulators.Stripe;

/// <summary>
/// The secret key on a Stripe API request: <c>Authorization: Bearer sk_test_...</c>. Any test-mode key is
/// accepted; live keys are refused so a misconfigured service cannot mistake the emulator for Stripe.
/// </summary>
public static class StripeApiKey
{
    private const string BearerPrefix = "Bearer ";
    private const string TestKeyPrefix = "sk_test_";

    /// <summary>The key, or null when the request has none (the endpoint filter has already refused those).</summary>
    public static string? Read(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            ? authorization[BearerPrefix.Length..].Trim()
            : null;
    }

    /// <summary>Refuses requests without a test secret key with Stripe's 401 body.</summary>
    public static async ValueTask<object?> RequireTestKeyAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        Check(Read(context.HttpContext.Request)) ?? await next(context);

    private static JsonHttpResult<StripeErrorResponse>? Check(string? key) => key switch
    {
        null or "" => StripeErrors.Unauthorized(
            "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."),
        _ when !key.StartsWith(TestKeyPrefix, StringComparison.Ordinal) => StripeErrors.Unauthorized(
            $"Invalid API Key provided: {Redact(key)}. The Stripe emulator accepts only test secret keys (sk_test_...)."),
        _ => null,
    };

    private static string Redact(string key) => key.Length <= 8 ? "****" : $"{key[..8]}****{key[^4..]}";
}
