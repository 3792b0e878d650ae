using System.Net;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
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
        Assert.Equal([$"ensure {UserId} {Email}", $"credits {UserId}"], Billing.Calls.Take(2));
        Assert.All(Billing.Calls.Where(call => !call.StartsWith("price ", StringComparison.Ordinal)), call => Assert.Contains(UserId, call));
    }

    [Fact]
    public void The_fee_and_total_are_shown_for_the_chosen_amount_before_paying()
    {
        var page = Render<Credits>();

        // $10 is chosen at first: 5.5 % is less than the $0.80 minimum fee.
        page.WaitForAssertion(() => Assert.Equal("$0.80", page.Find(".topup-fee").TextContent.Trim()));
        Assert.Equal("$10.00", page.Find(".topup-amount").TextContent.Trim());
        Assert.Equal("$10.80", page.Find(".topup-total").TextContent.Trim());
        Assert.Equal(["$10", "$25", "$50", "$100"], page.FindAll(".preset-chip").Select(chip => chip.TextContent.Trim()));

        Preset(page, "$50").Click();

        page.WaitForAssertion(() => Assert.Equal("$2.75", page.Find(".topup-fee").TextContent.Trim()));
        Assert.Equal("$50.00", page.Find(".topup-amount").TextContent.Trim());
        Assert.Equal("$52.75", page.Find(".topup-total").TextContent.Trim());
        Assert.Contains("selected", Preset(page, "$50").ClassName);
        Assert.Contains("price 50", Billing.Calls);

        var custom = page.FindComponent<MudNumericField<decimal?>>();
        page.InvokeAsync(() => custom.Instance.ValueChanged.InvokeAsync(200m));

        page.WaitForAssertion(() => Assert.Equal("$11.00", page.Find(".topup-fee").TextContent.Trim()));
        Assert.Equal("$211.00", page.Find(".topup-total").TextContent.Trim());
        Assert.DoesNotContain("selected", Preset(page, "$50").ClassName);
        Assert.False(ButtonNamed(page, "Pay with Stripe").HasAttribute("disabled"));
    }

    [Fact]
    public void A_custom_amount_outside_the_limits_is_refused_without_asking_billing()
    {
        var page = Render<Credits>();
        page.WaitForAssertion(() => Assert.Equal("$10.80", page.Find(".topup-total").TextContent.Trim()));

        var custom = page.FindComponent<MudNumericField<decimal?>>();
        page.InvokeAsync(() => custom.Instance.ValueChanged.InvokeAsync(3m));

        page.WaitForAssertion(() => Assert.Contains("Choose between $5.00 and $10,000.00", page.Markup));
        Assert.Empty(page.FindAll(".topup-total"));
        Assert.True(ButtonNamed(page, "Pay with Stripe").HasAttribute("disabled"));
        Assert.DoesNotContain("price 3", Billing.Calls);
    }

    [Fact]
    public void Pay_creates_a_checkout_for_the_amount_and_goes_to_stripe()
    {
        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        var page = Render<Credits>();
        page.WaitForAssertion(() => Assert.Equal("$10.80", page.Find(".topup-total").TextContent.Trim()));
        Preset(page, "$25").Click();
        page.WaitForAssertion(() => Assert.Equal("$26.38", page.Find(".topup-total").TextContent.Trim()));

        ButtonNamed(page, "Pay with Stripe").Click();

        page.WaitForAssertion(() => Assert.Equal("https://checkout.example/pay/cs_test_0", navigation.Uri));
        Assert.Contains($"checkout {UserId} 25 http://localhost/credits/return?session_id={{CHECKOUT_SESSION_ID}} http://localhost/credits", Billing.Calls);
        Assert.True(navigation.History.First().Options.ForceLoad);
    }

    [Fact]
    public void History_lists_the_users_transactions_with_signed_amounts_and_kinds()
    {
        Billing.Transactions[UserId] =
        [
            Transaction("top_up", 10m, "Stripe top-up", minutesAgo: 60),
            Transaction("usage", -0.0012m, "openai/gpt-4o-mini", minutesAgo: 30),
            Transaction("refund", -5m, "Stripe refund", minutesAgo: 10),
            Transaction("adjustment", 2m, "Goodwill", minutesAgo: 0),
        ];
        Billing.Transactions["user-bob"] = [Transaction("top_up", 999m, "Bob's top-up", minutesAgo: 5)];

        var page = Render<Credits>();

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll(".transactions-table tbody tr").Count));
        var rows = page.FindAll(".transactions-table tbody tr");
        Assert.Equal(["+$2.00", "-$5.00", "-$0.0012", "+$10.00"], rows.Select(row => row.QuerySelector(".transaction-amount")!.TextContent.Trim()));
        Assert.Equal(["Adjustment", "Refund", "Usage", "Top-up"], rows.Select(row => row.QuerySelector(".transaction-kind")!.TextContent.Trim()));
        Assert.Equal("15 Mar 2026, 11:00 UTC", rows[3].QuerySelector(".transaction-date")!.TextContent.Trim());
        Assert.Equal("Goodwill", rows[0].QuerySelector(".transaction-description")!.TextContent.Trim());
        Assert.Contains("negative", rows[1].QuerySelector(".transaction-amount")!.ClassName);
        Assert.DoesNotContain("Bob's top-up", page.Markup);
        Assert.Contains($"transactions {UserId} offset=0 limit={Credits.PageSize}", Billing.Calls);
    }

    [Fact]
    public void History_pages_through_billing()
    {
        Billing.Transactions[UserId] = [.. Enumerable.Range(0, 13).Select(i => Transaction("usage", -0.01m * (i + 1), $"request {i}", minutesAgo: i))];

        var page = Render<Credits>();
        page.WaitForAssertion(() => Assert.Equal(Credits.PageSize, page.FindAll(".transactions-table tbody tr").Count));

        page.Find(".mud-table-pagination-actions button[aria-label='Next page']").Click();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".transactions-table tbody tr").Count));
        Assert.Contains($"transactions {UserId} offset={Credits.PageSize} limit={Credits.PageSize}", Billing.Calls);
        Assert.Equal("-$0.13", page.FindAll(".transactions-table .transaction-amount")[^1].TextContent.Trim());
    }

    [Fact]
    public void Billing_errors_are_shown_instead_of_amounts()
    {
        Billing.Failure = new BillingException(HttpStatusCode.NotFound, "No billing account for this user");

        var page = Render<Credits>();

        page.WaitForAssertion(() => Assert.Contains("No billing account for this user", page.Find("[role=alert]").TextContent));
        Assert.Empty(page.FindAll(".credit-balance"));
        Assert.Empty(page.FindAll(".pay-button"));
    }

    private static AngleSharp.Dom.IElement Preset(IRenderedComponent<Credits> page, string text)
        => Assert.Single(page.FindAll(".preset-chip"), chip => chip.TextContent.Trim() == text);

    private static LedgerTransaction Transaction(string kind, decimal amount, string description, int minutesAgo)
        => new(Guid.NewGuid(), kind, amount, description, Now.AddMinutes(-minutesAgo), $"ref-{Guid.NewGuid():N}");
}
