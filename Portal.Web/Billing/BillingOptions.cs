namespace Portal.Web.Billing;

/// <summary>Where Billing.Service's internal API lives (configuration section "Billing").</summary>
public sealed class BillingOptions
{
    public const string SectionName = "Billing";
    public const string InternalApiKeyHeader = "X-Internal-Key";

    /// <summary>Resolved through Aspire service discovery by default.</summary>
    public Uri BaseUrl { get; set; } = new("http://billing");

    /// <summary>The service key billing's internal API requires (header <c>X-Internal-Key</c>).</summary>
    public string? InternalApiKey { get; set; }
}
