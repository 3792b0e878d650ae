using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Portal.Web.Catalog;

/// <summary>Typed HttpClient for Catalog.Service's public model API (base address from <see cref="CatalogOptions"/>).</summary>
public sealed class CatalogClient(HttpClient http, ILogger<CatalogClient> logger) : ICatalogClient
{
    public async Task<IReadOnlyList<CatalogModel>> ListModelsAsync(CancellationToken cancellationToken = default)
        => (await GetAsync("api/v1/models", CatalogJsonContext.Default.ModelListEnvelope, cancellationToken))?.Data
            ?? throw new CatalogException("The model catalog is not available right now.");

    public async Task<ModelEndpoints?> GetEndpointsAsync(string author, string slug, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(author);
        ArgumentException.ThrowIfNullOrWhiteSpace(slug);
        var path = $"api/v1/models/{Uri.EscapeDataString(author)}/{Uri.EscapeDataString(slug)}/endpoints";
        return (await GetAsync(path, CatalogJsonContext.Default.ModelEndpointsEnvelope, cancellationToken))?.Data;
    }

    public async Task<IReadOnlyList<CatalogProvider>> ListProvidersAsync(CancellationToken cancellationToken = default)
        => (await GetAsync("api/v1/providers", CatalogJsonContext.Default.ProviderListEnvelope, cancellationToken))?.Data
            ?? throw new CatalogException("The provider list is not available right now.");

    /// <summary>The answer, or null for 404; any other failure becomes a <see cref="CatalogException"/>.</summary>
    private async Task<T?> GetAsync<T>(string path, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) where T : class
    {
        try
        {
            using var response = await http.GetAsync(path, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("The catalog answered GET {Path} with {StatusCode}", path, (int)response.StatusCode);
                throw new CatalogException($"The model catalog answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }
            return await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken)
                ?? throw new CatalogException("The model catalog sent an empty answer.");
        }
        catch (JsonException ex)
        {
            logger.LogError(ex, "The catalog answered GET {Path} with unreadable JSON", path);
            throw new CatalogException("The model catalog sent an answer the portal could not read.", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning(ex, "The catalog could not be reached for GET {Path}", path);
            throw new CatalogException("The model catalog is not reachable right now. Please try again in a moment.", ex);
        }
    }
}
