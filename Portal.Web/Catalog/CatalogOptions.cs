namespace Portal.Web.Catalog;

/// <summary>Where Catalog.Service's public model API lives (configuration section "Catalog").</summary>
public sealed class CatalogOptions
{
    public const string SectionName = "Catalog";

    /// <summary>Resolved through Aspire service discovery by default.</summary>
    public Uri BaseUrl { get; set; } = new("http://catalog");
}
