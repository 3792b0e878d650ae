namespace Portal.Web.Playground;

/// <summary>Where the gateway's public API lives for the playground (configuration section "Gateway").</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>
    /// Resolved through Aspire service discovery by default: the AppHost gives the portal a reference to the
    /// gateway's http endpoint (an endpoint reference, so there is no start-up cycle).
    /// </summary>
    public Uri BaseUrl { get; set; } = new("http://gateway");
}
