using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OpenRouterClone.Shared;

/// <summary>
/// Service-to-service credentials: APIs that only other services call (the catalog admin API, billing's
/// internal API) require a shared key in a header, checked before routing or body binding.
/// </summary>
public static class ServiceKey
{
    /// <summary>
    /// Compares in constant time: both sides are hashed to 32 bytes first, so neither the content nor the
    /// length of the configured key leaks through timing. No configured key matches nothing.
    /// </summary>
    public static bool Matches(string? configuredKey, string? presentedKey)
    {
        if (string.IsNullOrEmpty(configuredKey) || string.IsNullOrEmpty(presentedKey))
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(configuredKey), expected);
        SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey), actual);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary>Answers 401 in OpenRouter's format for requests under <paramref name="pathPrefix"/> without the key.</summary>
    public static IApplicationBuilder UseServiceKey(
        this IApplicationBuilder app, PathString pathPrefix, string headerName, string apiName, Func<IServiceProvider, string?> configuredKey)
        => app.UseWhen(
            context => context.Request.Path.StartsWithSegments(pathPrefix),
            branch => branch.Use(async (context, next) =>
            {
                var configured = configuredKey(context.RequestServices);
                if (string.IsNullOrEmpty(configured))
                {
                    await ApiError.Unauthorized($"The {apiName} is disabled: no key is configured").ExecuteAsync(context);
                    return;
                }
                if (!Matches(configured, context.Request.Headers[headerName].ToString()))
                {
                    await ApiError.Unauthorized($"Missing or invalid {headerName}").ExecuteAsync(context);
                    return;
                }
                await next(context);
            }));
}
