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

    private sealed class FixedAntiforgeryStateProvider : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken GetAntiforgeryToken() => new("token", "__RequestVerificationToken");
    }
}
