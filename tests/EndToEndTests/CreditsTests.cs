using System.Text.RegularExpressions;

namespace EndToEndTests;

/// <summary>
/// Buying credits end to end: the portal creates a Checkout Session in billing, the browser pays on the Stripe
/// emulator's hosted page (its PublicBaseUrl, set by the AppHost, is an address the browser reaches), the emulator
/// redirects back to the portal through the gateway and sends its signed webhook to billing, and the return page
/// shows the new balance once billing has credited the payment.
/// </summary>
public sealed class CreditsTests(AppHostFixture app, BrowserFixture browser) : BrowserTest(app, browser)
{
    [Fact]
    public async Task New_user_buys_ten_dollars_of_credits_through_stripe_checkout()
    {
        var email = UniqueEmail();
        await RegisterAsync(email, Password);
        await Expect(SignedInAs(email)).ToBeVisibleAsync();

        await Page.GotoAsync("/credits");
        await Expect(Page.Locator(".credit-balance .amount")).ToHaveTextAsync("$0.00");
        await Page.Locator(".preset-chip", new() { HasTextRegex = new Regex(@"^\s*\$10\s*$") }).ClickAsync();
        // The fee and total are shown before paying: 5.5 % of $10 is below the $0.80 minimum fee.
        await Expect(Page.Locator(".topup-fee")).ToHaveTextAsync("$0.80");
        await Expect(Page.Locator(".topup-total")).ToHaveTextAsync("$10.80");

        // The emulator's hosted pay page, outside the portal.
        await ClickUntilAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Pay with Stripe" }),
            () => Page.WaitForURLAsync(new Regex("/stripe/pay/cs_test_"), new() { Timeout = 15_000 }));
        Assert.NotEqual(Gateway.Authority, new Uri(Page.Url).Authority);
        await Page.Locator("#pay").ClickAsync();

        // Back on the portal's origin; the page polls billing until the webhook has credited the payment.
        await Page.WaitForURLAsync(new Regex("/credits/return\\?session_id=cs_test_"));
        Assert.Equal(Gateway.Authority, new Uri(Page.Url).Authority);
        await Expect(Page.Locator(".checkout-completed")).ToContainTextAsync("Credits added");
        await Expect(Page.Locator(".checkout-balance")).ToHaveTextAsync("$10.00");

        await Page.GetByRole(AriaRole.Link, new() { Name = "Back to credits" }).ClickAsync();
        await Expect(Page.Locator(".credit-balance .amount")).ToHaveTextAsync("$10.00");
        var topUp = Page.Locator(".transactions-table tbody tr", new() { HasText = "Top-up" });
        await Expect(topUp).ToHaveCountAsync(1);
        await Expect(topUp.Locator(".transaction-amount")).ToHaveTextAsync("+$10.00");
    }
}
