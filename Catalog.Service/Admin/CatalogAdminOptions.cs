namespace Catalog.Service.Admin;

/// <summary>The service-to-service credential of the admin API (configuration section "CatalogAdmin").</summary>
public sealed class CatalogAdminOptions
{
    public const string SectionName = "CatalogAdmin";

    /// <summary>The key callers send in <c>X-Admin-Key</c>. Without one, the admin API refuses every request.</summary>
    public string? ApiKey { get; set; }
}
