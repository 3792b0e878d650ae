using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace OpenRouterClone.Shared;

/// <summary>The one JSON setup of every public API: snake_case names and source-generated metadata first.</summary>
public static class OpenRouterJson
{
    public static IServiceCollection AddOpenRouterJson(this IServiceCollection services, params IJsonTypeInfoResolver[] resolvers)
        => services.Configure<JsonOptions>(options =>
        {
            // The naming policy of these options wins over the one a source-generated context was built with.
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            IJsonTypeInfoResolver[] generated = [.. resolvers, ErrorJsonContext.Default];
            for (var i = 0; i < generated.Length; i++)
            {
                options.SerializerOptions.TypeInfoResolverChain.Insert(i, generated[i]);
            }
        });
}
