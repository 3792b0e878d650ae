using System.Net;
using Portal.Web.Billing;
using Portal.Web.Components.Pages;

namespace ComponentTests;

public sealed class CreditsPageTests : BillingContext
{
    [Fact]
    public void Balance_is_total_credits_minus_total_usage()
    {
        Billing.Credits[UserId] = new CreditTotals(TotalCredits: 25.5m, TotalUsage: 3.125m);
        Billing.Credits["user-bob"] = new CreditTotals(1000m, 0m);

        var page = Render<Credits>();

        page.WaitForAssertion(() => Assert.Equal("$22.375", page.Find(".credit-balance .amount").TextContent.Trim()));
        Assert.Equal("$25.50", page.Find(".credit-total .amount").TextContent.Trim());
        Assert.Equal("$3.125", page.Find(".credit-usage .amount").TextContent.Trim());
        Assert.Equal([$"ensure {UserId} {Email}", $"credits {UserId}"], Billing.Calls);
    }

    [Fact]
    public void Buying_credits_is_disabled_until_stripe_top_ups_exist()
    {
        var page = Render<Credits>();

        page.WaitForAssertion(() => Assert.Equal("$0.00", page.Find(".credit-balance .amount").TextContent.Trim()));
        Assert.True(ButtonNamed(page, "Buy credits").HasAttribute("disabled"));
        Assert.Contains("Stripe top-ups are coming", page.Find(".buy-credits-note").TextContent);
    }

    [Fact]
    public void Billing_errors_are_shown_instead_of_amounts()
    {
        Billing.Failure = new BillingException(HttpStatusCode.NotFound, "No billing account for this user");

        var page = Render<Credits>();

        page.WaitForAssertion(() => Assert.Contains("No billing account for this user", page.Find("[role=alert]").TextContent));
        Assert.Empty(page.FindAll(".credit-balance"));
    }
}
