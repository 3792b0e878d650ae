using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Portal.Web.Admin;

/// <summary>One service's answer to <c>/health</c>: Healthy, Degraded, Unhealthy or Unreachable, and how long it took.</summary>
public sealed record ServiceHealthResult(string Service, string Status, TimeSpan Elapsed, string? Detail = null)
{
    public bool IsHealthy => Status == "Healthy";
}

/// <summary>The services the system page checks (configuration section "Admin:Health").</summary>
public sealed class ServiceHealthOptions
{
    public const string SectionName = "Admin:Health";

    /// <summary>Service names resolved by service discovery (<c>http://{name}/health</c>).</summary>
    public List<string> Services { get; set; } = ["gateway", "catalog", "billing", "emulators"];

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}

public interface IServiceHealthProbe
{
    /// <summary>Every configured service's health and the portal's own, checked in parallel.</summary>
    Task<IReadOnlyList<ServiceHealthResult>> CheckAllAsync(CancellationToken cancellationToken = default);
}

/// <summary>Asks each service's <c>/health</c> through service discovery; the portal checks itself in process.</summary>
public sealed class ServiceHealthProbe(
    IHttpClientFactory clients, IOptions<ServiceHealthOptions> options, HealthCheckService ownChecks) : IServiceHealthProbe
{
    public const string ClientName = "admin-health";

    public async Task<IReadOnlyList<ServiceHealthResult>> CheckAllAsync(CancellationToken cancellationToken = default)
    {
        var checks = options.Value.Services.Select(service => CheckAsync(service, cancellationToken)).Append(CheckSelfAsync(cancellationToken));
        return await Task.WhenAll(checks);
    }

    private async Task<ServiceHealthResult> CheckAsync(string service, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            var http = clients.CreateClient(ClientName);
            using var response = await http.GetAsync($"http://{service}/health", timeout.Token);
            var body = (await response.Content.ReadAsStringAsync(timeout.Token)).Trim();
            var status = body is "Healthy" or "Degraded" or "Unhealthy" ? body : response.IsSuccessStatusCode ? "Healthy" : "Unhealthy";
            return new ServiceHealthResult(service, status, clock.Elapsed, $"HTTP {(int)response.StatusCode}");
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new ServiceHealthResult(service, "Unreachable", clock.Elapsed, ex is OperationCanceledException ? "timed out" : ex.Message);
        }
    }

    private async Task<ServiceHealthResult> CheckSelfAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var report = await ownChecks.CheckHealthAsync(cancellationToken);
        return new ServiceHealthResult("portal", report.Status.ToString(), clock.Elapsed, "in process");
    }
}
