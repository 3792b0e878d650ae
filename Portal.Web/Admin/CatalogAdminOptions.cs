namespace Portal.Web.Admin;

/// <summary>The catalog admin API's service key (configuration section "CatalogAdmin", from the AppHost parameter <c>catalog-admin-key</c>).</summary>
public sealed class CatalogAdminOptions
{
    public const string SectionName = "CatalogAdmin";
    public const string ApiKeyHeader = "X-Admin-Key";
    public const string ActorHeader = "X-Admin-Actor";

    public string? ApiKey { get; set; }
}
