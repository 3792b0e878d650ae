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
        // Web search fees are shown apart from revenue: owed to the search provider.
        Assert.Equal("$0.02", page.Find(".total-search-fees").TextContent.Trim());
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
    public void The_system_page_lists_the_open_circuits_with_their_reason_and_until_when()
    {
        var opened = new DateTimeOffset(2026, 11, 26, 5, 10, 3, TimeSpan.Zero);
        CatalogAdmin.OpenCircuits.AddRange(
        [
            new(3, "qwen/qwen3-32b", "deepinfra", opened.AddSeconds(30), "HTTP 503", "gw-host-1234", opened),
            new(99, null, null, opened.AddSeconds(12), "timeout", "gw-host-5678", opened.AddSeconds(-18)),
        ]);

        var page = Render<AdminOverview>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".open-circuits-table tbody tr").Count));
        var rows = page.FindAll(".open-circuits-table tbody tr");
        Assert.Equal("qwen/qwen3-32b · deepinfra", rows[0].QuerySelector(".circuit-endpoint")!.TextContent.Trim());
        Assert.Equal("HTTP 503", rows[0].QuerySelector(".circuit-reason")!.TextContent.Trim());
        Assert.Equal("26 Nov 2026 05:10:33 UTC", rows[0].QuerySelector(".circuit-until")!.TextContent.Trim());
        Assert.Equal("26 Nov 2026 05:10:03 UTC", rows[0].QuerySelector(".circuit-opened")!.TextContent.Trim());
        Assert.Equal("gw-host-1234", rows[0].QuerySelector(".circuit-instance")!.TextContent.Trim());
        // An endpoint the catalog no longer has is still shown, by id.
        Assert.Equal("endpoint 99", rows[1].QuerySelector(".circuit-endpoint")!.TextContent.Trim());
        Assert.Equal("timeout", rows[1].QuerySelector(".circuit-reason")!.TextContent.Trim());
        // Labelled cells: below the Sm breakpoint (a 360 px phone) each row stacks as label: value.
        Assert.Equal("Open until", rows[0].QuerySelector(".circuit-until")!.GetAttribute("data-label"));
        Assert.Contains("open circuits", CatalogAdmin.Calls);
    }

    [Fact]
    public void Without_open_circuits_the_system_page_says_every_endpoint_is_tried_in_order()
    {
        var page = Render<AdminOverview>();

        page.WaitForAssertion(() => Assert.Contains("No open circuits", page.Find(".open-circuits-table").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll(".open-circuits-table .circuit-endpoint"));
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
