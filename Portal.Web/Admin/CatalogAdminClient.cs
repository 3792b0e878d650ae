using System.Net.Http.Json;
using Portal.Web.Http;

namespace Portal.Web.Admin;

/// <summary>The catalog's admin API (providers, models, endpoints and prices), for the portal's administrators.</summary>
public interface ICatalogAdminClient
{
    Task<IReadOnlyList<AdminProvider>> ListProvidersAsync(CancellationToken cancellationToken = default);

    /// <summary>Every model with its endpoints, disabled ones included.</summary>
    Task<IReadOnlyList<AdminModel>> ListModelsAsync(CancellationToken cancellationToken = default);

    /// <summary>The newest entries of the catalog's audit trail.</summary>
    Task<IReadOnlyList<CatalogChange>> ListChangesAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Every endpoint's calls, failures, uptime and latency as the gateways reported them (unordered).</summary>
    Task<IReadOnlyList<EndpointHealth>> ListEndpointHealthAsync(CancellationToken cancellationToken = default);

    /// <summary>The newest failed upstream calls, newest first.</summary>
    Task<IReadOnlyList<EndpointFailure>> ListRecentFailuresAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>The endpoints whose circuit breakers the gateways hold open now, the longest open first.</summary>
    Task<IReadOnlyList<OpenCircuit>> ListOpenCircuitsAsync(CancellationToken cancellationToken = default);

    /// <summary>Changes an endpoint's prices; <paramref name="actor"/> is recorded in the catalog's audit trail.</summary>
    Task<AdminEndpoint> UpdatePricingAsync(string modelId, string provider, PricingUpdate pricing, string actor, CancellationToken cancellationToken = default);

    Task<AdminProvider> SetProviderEnabledAsync(string slug, bool enabled, string actor, CancellationToken cancellationToken = default);

    Task<AdminModel> SetModelEnabledAsync(string modelId, bool enabled, string actor, CancellationToken cancellationToken = default);

    Task<AdminEndpoint> SetEndpointEnabledAsync(string modelId, string provider, bool enabled, string actor, CancellationToken cancellationToken = default);
}

/// <summary>
/// Typed HttpClient for <c>/api/admin/catalog</c> on the catalog service; sends the service key
/// (<see cref="CatalogAdminOptions"/>) and names the administrator in <c>X-Admin-Actor</c>. Every change is
/// published by the catalog to the gateways at once.
/// </summary>
public sealed class CatalogAdminClient(HttpClient http, ILogger<CatalogAdminClient> logger) : ICatalogAdminClient
{
    private readonly ServiceHttp service = new(http, logger, "catalog admin API",
        (statusCode, message, innerException) => new AdminApiException(statusCode, message, innerException));

    private const string BasePath = "api/admin/catalog";

    public async Task<IReadOnlyList<AdminProvider>> ListProvidersAsync(CancellationToken cancellationToken = default)
        => (await SendAsync(HttpMethod.Get, $"{BasePath}/providers", null, null, AdminJsonContext.Default.AdminProviderList, cancellationToken)).Data;

    public async Task<IReadOnlyList<AdminModel>> ListModelsAsync(CancellationToken cancellationToken = default)
        => (await SendAsync(HttpMethod.Get, $"{BasePath}/models", null, null, AdminJsonContext.Default.AdminModelList, cancellationToken)).Data;

    public async Task<IReadOnlyList<CatalogChange>> ListChangesAsync(int limit, CancellationToken cancellationToken = default)
        => (await SendAsync(HttpMethod.Get, $"{BasePath}/changes?limit={Math.Clamp(limit, 1, 500).ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            null, null, AdminJsonContext.Default.CatalogChangeList, cancellationToken)).Data;

    public async Task<IReadOnlyList<EndpointHealth>> ListEndpointHealthAsync(CancellationToken cancellationToken = default)
        => (await SendAsync(HttpMethod.Get, $"{BasePath}/endpoint-health", null, null, AdminJsonContext.Default.EndpointHealthList, cancellationToken)).Data;

    public async Task<IReadOnlyList<EndpointFailure>> ListRecentFailuresAsync(int limit, CancellationToken cancellationToken = default)
        => (await SendAsync(HttpMethod.Get, $"{BasePath}/endpoint-failures?limit={Math.Clamp(limit, 1, 200).ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            null, null, AdminJsonContext.Default.EndpointFailureList, cancellationToken)).Data;

    public async Task<IReadOnlyList<OpenCircuit>> ListOpenCircuitsAsync(CancellationToken cancellationToken = default)
        => (await SendAsync(HttpMethod.Get, $"{BasePath}/open-circuits", null, null, AdminJsonContext.Default.OpenCircuitList, cancellationToken)).Data;

    public async Task<AdminEndpoint> UpdatePricingAsync(string modelId, string provider, PricingUpdate pricing, string actor,
        CancellationToken cancellationToken = default)
    {
        var content = JsonContent.Create(pricing, AdminJsonContext.Default.PricingUpdate);
        return (await SendAsync(HttpMethod.Patch, $"{EndpointPath(modelId, provider)}/pricing", content, actor,
            AdminJsonContext.Default.AdminEndpointResult, cancellationToken)).Data;
    }

    public async Task<AdminProvider> SetProviderEnabledAsync(string slug, bool enabled, string actor, CancellationToken cancellationToken = default)
        => (await SendAsync(HttpMethod.Post, $"{BasePath}/providers/{Uri.EscapeDataString(slug)}/{Toggle(enabled)}", null, actor,
            AdminJsonContext.Default.AdminProviderResult, cancellationToken)).Data;

    public async Task<AdminModel> SetModelEnabledAsync(string modelId, bool enabled, string actor, CancellationToken cancellationToken = default)
        => (await SendAsync(HttpMethod.Post, $"{ModelPath(modelId)}/{Toggle(enabled)}", null, actor,
            AdminJsonContext.Default.AdminModelResult, cancellationToken)).Data;

    public async Task<AdminEndpoint> SetEndpointEnabledAsync(string modelId, string provider, bool enabled, string actor,
        CancellationToken cancellationToken = default)
        => (await SendAsync(HttpMethod.Post, $"{EndpointPath(modelId, provider)}/{Toggle(enabled)}", null, actor,
            AdminJsonContext.Default.AdminEndpointResult, cancellationToken)).Data;

    private static string Toggle(bool enabled) => enabled ? "enable" : "disable";

    /// <summary>Model ids are <c>author/slug</c>: each part is escaped on its own, the slash stays a path separator.</summary>
    private static string ModelPath(string modelId)
    {
        var parts = modelId.Split('/', 2);
        if (parts.Length != 2 || parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"'{modelId}' is not an author/slug model id", nameof(modelId));
        }
        return $"{BasePath}/models/{Uri.EscapeDataString(parts[0])}/{Uri.EscapeDataString(parts[1])}";
    }

    private static string EndpointPath(string modelId, string provider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        return $"{ModelPath(modelId)}/endpoints/{Uri.EscapeDataString(provider)}";
    }

    private Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, string? actor,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        => service.SendAsync(method, path, content, typeInfo, cancellationToken,
            actor is null ? null : request => request.Headers.Add(CatalogAdminOptions.ActorHeader, actor));
}
