namespace Portal.Web.Catalog;

/// <summary>The catalog's public model API, as the gateway serves it at /api/v1/models.</summary>
public interface ICatalogClient
{
    Task<IReadOnlyList<CatalogModel>> ListModelsAsync(CancellationToken cancellationToken = default);

    /// <summary>A model and the providers serving it, or null when the catalog has no such model.</summary>
    Task<ModelEndpoints?> GetEndpointsAsync(string author, string slug, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CatalogProvider>> ListProvidersAsync(CancellationToken cancellationToken = default);
}

/// <summary>A catalog call that failed; the message is safe to show.</summary>
public sealed class CatalogException(string message, Exception? innerException = null) : Exception(message, innerException);
