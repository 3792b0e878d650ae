using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OpenRouterClone.Shared;

namespace Catalog.Service.Admin;

/// <summary>Guards <c>/api/admin/catalog</c> with the shared admin key, before any routing or body binding.</summary>
public static class AdminKey
{
    public const string HeaderName = "X-Admin-Key";
    public const string ActorHeaderName = "X-Admin-Actor";
    public const string UnknownActor = "unknown";
    private const int MaxActorLength = 128;

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

    /// <summary>Who is changing the catalog, from <c>X-Admin-Actor</c> (trimmed, at most 128 characters).</summary>
    public static string Actor(HttpRequest request)
    {
        var actor = request.Headers[ActorHeaderName].ToString().Trim();
        return actor.Length == 0 ? UnknownActor : actor[..Math.Min(actor.Length, MaxActorLength)];
    }

    public static IApplicationBuilder UseCatalogAdminKey(this IApplicationBuilder app)
        => app.UseWhen(
            context => context.Request.Path.StartsWithSegments(CatalogAdminApi.BasePath),
            branch => branch.Use(async (context, next) =>
            {
                var configured = context.RequestServices.GetRequiredService<IOptionsMonitor<CatalogAdminOptions>>().CurrentValue.ApiKey;
                if (string.IsNullOrEmpty(configured))
                {
                    await ApiError.Unauthorized("The catalog admin API is disabled: no admin key is configured").ExecuteAsync(context);
                    return;
                }
                if (!Matches(configured, context.Request.Headers[HeaderName].ToString()))
                {
                    await ApiError.Unauthorized($"Missing or invalid {HeaderName}").ExecuteAsync(context);
                    return;
                }
                await next(context);
            }));
}
