using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace OpenRouterClone.Shared;

/// <summary>The one JSON setup of every public API: snake_case names and source-generated metadata first.</summary>
public static class OpenRouterJson
{
    public static IServiceCollection AddOpenRouterJson(this IServiceCollection services, IJsonTypeInfoResolver resolver)
        => services.Configure<JsonOptions>(options =>
        {
            // The naming policy of these options wins over the one a source-generated context was built with.
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, resolver);
            options.SerializerOptions.TypeInfoResolverChain.Insert(1, ErrorJsonContext.Default);
        });
}
