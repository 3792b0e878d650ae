using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Admin;
using Portal.Web.Components.Admin;
using Portal.Web.Components.Layout;

namespace ComponentTests.Admin;

public sealed class AdminAreaTests : AdminContext
{
    [Fact]
    public void Every_admin_page_requires_the_Admin_role()
    {
        var adminPages = typeof(AdminCatalog).Assembly.GetTypes()
            .Where(type => type.GetCustomAttributes<RouteAttribute>().Any(route => route.Template.StartsWith("/admin", StringComparison.OrdinalIgnoreCase)))
            .ToList();

        Assert.Equal(["AdminCatalog", "AdminCredits", "AdminOverview", "AdminUsers"], adminPages.Select(type => type.Name).Order());
        Assert.All(adminPages, page => Assert.Contains(page.GetCustomAttributes<AuthorizeAttribute>(inherit: true), attribute => attribute.Roles == PortalRoles.Admin));
    }

    [Fact]
    public void The_admin_nav_group_is_shown_to_administrators_only()
    {
        Services.AddSingleton<AntiforgeryStateProvider>(new FixedAntiforgeryStateProvider());
        var menu = Render<NavMenu>();
        Assert.Contains(menu.FindAll("a"), link => link.GetAttribute("href") == "admin/catalog");
        Assert.Contains(menu.FindAll("a"), link => link.GetAttribute("href") == "admin/credits");

        Authorization.SetRoles();
        var userMenu = Render<NavMenu>();
        Assert.DoesNotContain(userMenu.FindAll("a"), link => link.GetAttribute("href")?.StartsWith("admin", StringComparison.Ordinal) == true);
        Assert.Contains(userMenu.FindAll("a"), link => link.GetAttribute("href") == "keys");
    }

    [Fact]
    public void The_system_page_shows_each_services_health_and_the_money_totals()
    {
        var page = Render<AdminOverview>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".health-table tbody tr").Count));
        var billing = Assert.Single(page.FindAll(".health-table tbody tr"), row => row.QuerySelector(".health-service")?.TextContent == "billing");
        Assert.Contains("Unreachable", billing.QuerySelector(".health-status")?.TextContent);
        Assert.Equal("$5.50", page.Find(".total-fees").TextContent.Trim());
        Assert.Equal("$100.00", page.Find(".total-top-ups").TextContent.Trim());
        Assert.Equal("$12.25", page.Find(".total-usage").TextContent.Trim());
    }

    [Fact]
    public void The_system_page_lists_provider_endpoints_worst_first_with_error_rate_latency_and_status()
    {
        var lastFailure = new DateTimeOffset(2026, 11, 26, 5, 0, 0, TimeSpan.Zero);
        CatalogAdmin.EndpointHealth.AddRange(
        [
            EndpointRow("openai/gpt-4o-mini", "openai", calls: 100, failures: 1, latency: 300),
            EndpointRow("meta-llama/llama-3.1-8b-instruct", "idle", calls: 0, failures: 0, latency: null),
            EndpointRow("meta-llama/llama-3.1-8b-instruct", "deepinfra", calls: 20, failures: 5, latency: 900, lastFailure: lastFailure),
            EndpointRow("openai/gpt-4o", "openai", calls: 50, failures: 1, latency: 1200),
            EndpointRow("mistralai/mistral-small", "mistral", calls: 0, failures: 0, latency: null, status: "Down"),
        ]);

        var page = Render<AdminOverview>();

        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll(".endpoint-health-table tbody tr").Count));
        var rows = page.FindAll(".endpoint-health-table tbody tr");
        // Marked down first; then by error rate (25%, 2%, 1%); endpoints without calls last.
        Assert.Equal(
            [
                "mistralai/mistral-small · mistral",
                "meta-llama/llama-3.1-8b-instruct · deepinfra",
                "openai/gpt-4o · openai",
                "openai/gpt-4o-mini · openai",
                "meta-llama/llama-3.1-8b-instruct · idle",
            ],
            rows.Select(row => row.QuerySelector(".endpoint-name")!.TextContent.Trim()));
        Assert.Contains("Down", rows[0].QuerySelector(".endpoint-status")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("25% (5 of 20)", rows[1].QuerySelector(".endpoint-error-rate")!.TextContent.Trim());
        Assert.Equal("900 ms", rows[1].QuerySelector(".endpoint-latency")!.TextContent.Trim());
        Assert.Equal("75% / 75%", rows[1].QuerySelector(".endpoint-uptime")!.TextContent.Trim());
        Assert.Contains("26 Nov 2026 05:00 UTC", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Equal("no calls", rows[4].QuerySelector(".endpoint-error-rate")!.TextContent.Trim());
    }

    [Fact]
    public void The_system_page_lists_the_newest_upstream_failures()
    {
        var newest = new DateTimeOffset(2026, 11, 26, 5, 10, 0, TimeSpan.Zero);
        CatalogAdmin.RecentFailures.AddRange(
        [
            new(newest, 3, "meta-llama/llama-3.1-8b-instruct", "deepinfra"),
            new(newest.AddMinutes(-4), 1, "openai/gpt-4o-mini", "openai"),
        ]);

        var page = Render<AdminOverview>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".recent-errors-table tbody tr").Count));
        var rows = page.FindAll(".recent-errors-table tbody tr");
        Assert.Equal("26 Nov 2026 05:10 UTC", rows[0].QuerySelector(".error-at")!.TextContent.Trim());
        Assert.Equal("deepinfra", rows[0].QuerySelector(".error-provider")!.TextContent.Trim());
        Assert.Equal("openai/gpt-4o-mini", rows[1].QuerySelector(".error-model")!.TextContent.Trim());
        Assert.Contains("endpoint failures 20", CatalogAdmin.Calls);
    }

    [Fact]
    public void A_catalog_failure_on_the_system_page_is_shown_and_the_money_totals_still_load()
    {
        CatalogAdmin.Failure = new AdminApiException(null, "The catalog admin API is unavailable.");

        var page = Render<AdminOverview>();

        page.WaitForAssertion(() => Assert.Contains("catalog admin API is unavailable", page.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        Assert.Equal("$5.50", page.Find(".total-fees").TextContent.Trim());
    }

    private static EndpointHealth EndpointRow(string modelId, string provider, int calls, int failures, double? latency,
        DateTimeOffset? lastFailure = null, string status = "Operational")
    {
        double? uptime = calls == 0 ? null : 100.0 * (calls - failures) / calls;
        return new(modelId.Length + provider.Length, modelId, provider, status, true, calls, failures, calls, failures,
            uptime, uptime, latency, latency is null ? null : 42.0, lastFailure);
    }

    private sealed class FixedAntiforgeryStateProvider : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken GetAntiforgeryToken() => new("token", "__RequestVerificationToken");
    }
}
