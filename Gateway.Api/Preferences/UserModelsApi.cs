using System.Text.Json.Nodes;
using Gateway.Api.Inference;
using Gateway.Api.Keys;
using Gateway.Api.Routing;
using Microsoft.Extensions.Options;
using OpenRouterClone.Shared;

namespace Gateway.Api.Preferences;

/// <summary>
/// <c>GET /api/v1/models/user</c>: the catalog's model list filtered by the caller's account preferences, so it
/// lists only models a request from that key can reach (at least one provider not ignored and, with
/// <c>data_collection: deny</c>, keeping no data). Without a key it is the full list, as before; a bad key is 401.
/// </summary>
public static class UserModelsApi
{
    public static IEndpointRouteBuilder MapUserModelsApi(this IEndpointRouteBuilder app)
    {
        // More specific than the YARP catch-all route for /api/v1/models/{**rest}, so routing picks this one.
        app.MapGet("/api/v1/models/user", GetAsync);
        return app;
    }

    public static async Task<IResult> GetAsync(
        HttpContext context, ApiKeyResolver keys, AccountPreferencesCache preferences, CatalogSnapshotCache catalog,
        CatalogModelsClient models, CancellationToken cancellationToken)
    {
        var account = AccountPreferences.Default;
        if (BearerToken.TryRead(context.Request.Headers.Authorization, out var secret))
        {
            if (await keys.ResolveAsync(secret) is not { } key)
            {
                return ApiError.Unauthorized("Invalid, disabled or expired API key");
            }
            account = await preferences.ForAccountAsync(key.AccountId, cancellationToken);
        }

        using var response = await models.GetUserModelsAsync(context.Request.QueryString, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || account.IsDefault)
        {
            return Results.Bytes(body, "application/json");
        }
        if (catalog.Current is not { } index)
        {
            return ApiError.Create(StatusCodes.Status503ServiceUnavailable, "The model catalog is not loaded yet; try again shortly");
        }
        if (JsonNode.Parse(body) is not JsonObject list || list["data"] is not JsonArray data)
        {
            return Results.Bytes(body, "application/json");
        }
        foreach (var model in data.OfType<JsonObject>().ToList())
        {
            var id = model["id"]?.GetValue<string>();
            if (id is not null && index.FindModel(id) is { } known && !known.Endpoints.Any(endpoint =>
                    index.FindProvider(endpoint.Provider) is { } provider && PreferenceMerge.Allows(account, provider)))
            {
                data.Remove(model);
            }
        }
        return Results.Bytes(ResponseRewriter.Serialize(list), "application/json");
    }
}

/// <summary>Where the catalog's public model API lives for the gateway's own calls (configuration section "Catalog").</summary>
public sealed class CatalogApiOptions
{
    public const string SectionName = "Catalog";

    /// <summary>Resolved through service discovery, as YARP's catalog cluster is.</summary>
    public Uri BaseUrl { get; set; } = new("http://catalog");
}

/// <summary>Typed client for the catalog's model list (the same service YARP forwards the other model paths to).</summary>
public sealed class CatalogModelsClient(HttpClient http)
{
    public Task<HttpResponseMessage> GetUserModelsAsync(QueryString query, CancellationToken cancellationToken)
        => http.GetAsync($"api/v1/models/user{query}", cancellationToken);
}
