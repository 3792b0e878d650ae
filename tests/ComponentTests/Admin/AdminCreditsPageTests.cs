using Portal.Web.Admin;
using Portal.Web.Components.Admin;

namespace ComponentTests.Admin;

public sealed class AdminCreditsPageTests : AdminContext
{
    public AdminCreditsPageTests()
    {
        Users.Users.Add(new AdminUser("user-bob", "bob@example.com", true, false, null));
        BillingAdmin.Audit.Add(new AdjustmentRecord(Guid.NewGuid(), "user-eve", "eve@example.org", -3m, "Duplicate top-up", "root@localhost (user-root)",
            Now.AddDays(-1)));
    }

    [Fact]
    public void Shows_the_recent_adjustments_with_actor_and_reason()
    {
        var page = Render<AdminCredits>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll(".adjustments-table tbody tr")));
        var row = page.Find(".adjustments-table tbody tr");
        Assert.Equal("eve@example.org", row.QuerySelector(".adjustment-user")?.TextContent.Trim());
        Assert.Equal("-$3.00", row.QuerySelector(".adjustment-amount")?.TextContent.Trim());
        Assert.Equal("Duplicate top-up", row.QuerySelector(".adjustment-reason")?.TextContent.Trim());
        Assert.Equal("root@localhost (user-root)", row.QuerySelector(".adjustment-actor")?.TextContent.Trim());
    }

    [Fact]
    public void An_adjustment_without_a_reason_is_refused_and_nothing_is_posted()
    {
        var page = Render<AdminCredits>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".adjustments-table tbody tr")));

        page.Find("#adjust-email").Change("bob@example.com");
        page.Find("#adjust-amount").Change("5");
        page.Find("#adjust-reason").Change("   ");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("A reason is required.", page.Markup));
        Assert.Empty(BillingAdmin.Adjustments);
    }

    [Fact]
    public void A_valid_adjustment_is_posted_for_the_user_with_reason_and_actor_and_appears_in_the_audit_list()
    {
        var page = Render<AdminCredits>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".adjustments-table tbody tr")));

        page.Find("#adjust-email").Change("Bob@Example.com");
        page.Find("#adjust-amount").Change("-2.5");
        page.Find("#adjust-reason").Change("Refund for an outage");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".adjustments-table tbody tr").Count));
        var (userId, adjustment) = Assert.Single(BillingAdmin.Adjustments);
        Assert.Equal("user-bob", userId);
        Assert.Equal(-2.5m, adjustment.AmountUsd);
        Assert.Equal("Refund for an outage", adjustment.Reason);
        Assert.Equal(Actor, adjustment.Actor);
        Assert.Equal("Refund for an outage", page.Find(".adjustments-table tbody tr .adjustment-reason").TextContent.Trim());
    }

    [Fact]
    public void An_unknown_email_is_reported_and_nothing_is_posted()
    {
        var page = Render<AdminCredits>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".adjustments-table tbody tr")));

        page.Find("#adjust-email").Change("nobody@example.com");
        page.Find("#adjust-amount").Change("5");
        page.Find("#adjust-reason").Change("Goodwill");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("No user with the email nobody@example.com.", page.Find("[role='alert']").TextContent));
        Assert.Empty(BillingAdmin.Adjustments);
    }
}
