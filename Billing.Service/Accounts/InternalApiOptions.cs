namespace Billing.Service.Accounts;

/// <summary>The service-to-service credential of billing's internal API (configuration section "InternalApi").</summary>
public sealed class InternalApiOptions
{
    public const string SectionName = "InternalApi";
    public const string HeaderName = "X-Internal-Key";
    public const string BasePath = "/internal";

    /// <summary>The key callers (the portal) send in <c>X-Internal-Key</c>. Without one, the internal API refuses everything.</summary>
    public string? ApiKey { get; set; }
}
