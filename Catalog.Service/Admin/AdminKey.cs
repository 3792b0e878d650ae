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

    /// <summary>Who is changing the catalog, from <c>X-Admin-Actor</c> (trimmed, at most 128 characters).</summary>
    public static string Actor(HttpRequest request)
    {
        var actor = request.Headers[ActorHeaderName].ToString().Trim();
        return actor.Length == 0 ? UnknownActor : actor[..Math.Min(actor.Length, MaxActorLength)];
    }

    public static IApplicationBuilder UseCatalogAdminKey(this IApplicationBuilder app)
        => app.UseServiceKey(CatalogAdminApi.BasePath, HeaderName, "catalog admin API",
            services => services.GetRequiredService<IOptionsMonitor<CatalogAdminOptions>>().CurrentValue.ApiKey);
}
