using Portal.Web.Admin;
using Portal.Web.Billing;
using Portal.Web.Components.Admin;

namespace ComponentTests.Admin;

public sealed class AdminUsersPageTests : AdminContext
{
    public AdminUsersPageTests()
    {
        Users.Users.Add(new AdminUser(UserId, Email, true, true, null));
        Users.Users.Add(new AdminUser("user-bob", "bob@example.com", true, false, null));
        Users.Users.Add(new AdminUser("user-eve", "eve@example.org", true, false, DateTimeOffset.MaxValue));
        Billing.Credits["user-bob"] = new CreditTotals(25m, 4.5m);
        Billing.Usage["user-bob"] = new UsageReport(Today.AddDays(-29), Today, new UsageTotals(1.25m, 42, 1000, 500, 0), [], [], []);
    }

    [Fact]
    public void Search_by_email_lists_matching_users_with_role_and_lock_state()
    {
        var page = Render<AdminUsers>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".users-table tbody tr").Count));
        var eve = Row(page, "eve@example.org");
        Assert.Contains("Locked", eve.QuerySelector(".user-status")?.TextContent);
        Assert.Contains("Admin", Row(page, Email).QuerySelector(".user-role")?.TextContent);

        page.Find("#user-search").Change("example.com");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".users-table tbody tr").Count));
        Assert.Contains("search 'example.com'", Users.Calls);
    }

    [Fact]
    public void Viewing_a_user_shows_their_balance_and_usage_from_billing()
    {
        var page = Render<AdminUsers>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".users-table tbody tr")));

        page.Find("button[aria-label='View bob@example.com']").Click();

        page.WaitForAssertion(() => Assert.Equal("$20.50", page.Find(".user-balance").TextContent.Trim()));
        Assert.Equal("$25.00", page.Find(".user-credits").TextContent.Trim());
        Assert.Equal("$4.50", page.Find(".user-usage").TextContent.Trim());
        Assert.Equal("$1.25 · 42 requests", page.Find(".user-usage-30d").TextContent.Trim());
        Assert.Contains("credits user-bob", Billing.Calls);
        Assert.Contains($"usage user-bob {Today.AddDays(-29):yyyy-MM-dd} {Today:yyyy-MM-dd}", Billing.Calls);
    }

    [Fact]
    public void Locking_and_granting_admin_change_the_user_but_never_the_admin_themselves()
    {
        var page = Render<AdminUsers>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".users-table tbody tr")));

        // One's own row offers no lock or role buttons.
        var own = Row(page, Email);
        Assert.Contains("This is you", own.TextContent);
        Assert.DoesNotContain(own.QuerySelectorAll("button"), button => button.TextContent.Trim() is "Lock" or "Revoke admin");

        Assert.Single(Row(page, "bob@example.com").QuerySelectorAll("button"), button => button.TextContent.Trim() == "Lock").Click();
        page.WaitForAssertion(() => Assert.Contains("Locked", Row(page, "bob@example.com").QuerySelector(".user-status")?.TextContent));
        Assert.Contains($"lock user-bob True by {UserId}", Users.Calls);

        Assert.Single(Row(page, "eve@example.org").QuerySelectorAll("button"), button => button.TextContent.Trim() == "Unlock").Click();
        page.WaitForAssertion(() => Assert.Contains("Active", Row(page, "eve@example.org").QuerySelector(".user-status")?.TextContent));

        Assert.Single(Row(page, "bob@example.com").QuerySelectorAll("button"), button => button.TextContent.Trim() == "Make admin").Click();
        page.WaitForAssertion(() => Assert.Contains("Admin", Row(page, "bob@example.com").QuerySelector(".user-role")?.TextContent));
        Assert.Contains($"admin user-bob True by {UserId}", Users.Calls);
        Assert.True(Users.Users.Single(user => user.Id == "user-bob").IsAdmin);
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<AdminUsers> page, string email)
        => Assert.Single(page.FindAll(".users-table tbody tr"), row => row.QuerySelector(".user-email")?.TextContent.Trim() == email);
}
