using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Billing;
using Portal.Web.Components.Billing;
using Portal.Web.Components.Pages;

namespace ComponentTests;

public sealed class CreditsReturnPageTests : BillingContext
{
    private const string SessionId = "cs_test_abc";

    public CreditsReturnPageTests()
    {
        // Polling as the page does it, only much faster: 5 attempts 10 ms apart.
        Services.AddSingleton(new CheckoutPolling { Interval = TimeSpan.FromMilliseconds(10), Timeout = TimeSpan.FromMilliseconds(40) });
    }

    [Fact]
    public void Polls_until_the_webhook_completed_the_payment_then_shows_the_new_balance()
    {
        Billing.AddCheckout(UserId, Status("pending", balance: 0m), Status("pending", balance: 0m), Status("completed", balance: 12.5m));

        var page = RenderReturn(SessionId);

        page.WaitForAssertion(() => Assert.Contains("Credits added", page.Find(".checkout-completed").TextContent));
        Assert.Equal("$10.00", page.Find(".checkout-amount").TextContent.Trim());
        Assert.Equal("$10.80", page.Find(".checkout-total").TextContent.Trim());
        Assert.Equal("$12.50", page.Find(".checkout-balance").TextContent.Trim());
        Assert.Equal(3, Billing.Calls.Count(call => call == $"checkout-status {UserId} {SessionId}"));
    }

    [Fact]
    public void Shows_progress_while_the_payment_is_pending()
    {
        Services.AddSingleton(new CheckoutPolling { Interval = TimeSpan.FromSeconds(30), Timeout = TimeSpan.FromSeconds(30) });
        Billing.AddCheckout(UserId, Status("pending", balance: 0m));

        var page = RenderReturn(SessionId);

        page.WaitForAssertion(() => Assert.Contains("Confirming your payment", page.Find(".checkout-checking").TextContent));
        Assert.Empty(page.FindAll(".checkout-completed"));
    }

    [Fact]
    public void A_payment_still_pending_after_the_timeout_is_being_confirmed()
    {
        Billing.AddCheckout(UserId, Status("pending", balance: 0m));

        var page = RenderReturn(SessionId);

        page.WaitForAssertion(() => Assert.Contains("The payment is being confirmed; your balance will update shortly.",
            page.Find(".checkout-pending").TextContent));
        Assert.Equal(5, Billing.Calls.Count(call => call.StartsWith("checkout-status", StringComparison.Ordinal)));
        Assert.Empty(page.FindAll(".checkout-completed"));
    }

    [Fact]
    public void Another_users_session_is_not_found()
    {
        Billing.AddCheckout("user-bob", Status("completed", balance: 500m));

        var page = RenderReturn(SessionId);

        page.WaitForAssertion(() => Assert.Contains("could not find this payment", page.Find(".checkout-not-found").TextContent));
        Assert.DoesNotContain("$500", page.Markup);
        Assert.Equal([$"ensure {UserId} {Email}", $"checkout-status {UserId} {SessionId}"], Billing.Calls);
    }

    [Fact]
    public void Without_a_session_id_nothing_is_asked()
    {
        var page = Render<CreditsReturn>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find(".checkout-not-found")));
        Assert.Empty(Billing.Calls);
    }

    [Fact]
    public void A_canceled_payment_says_nothing_was_charged()
    {
        Billing.AddCheckout(UserId, Status("canceled", balance: 0m));

        var page = RenderReturn(SessionId);

        page.WaitForAssertion(() => Assert.Contains("The payment was canceled", page.Find(".checkout-canceled").TextContent));
    }

    /// <summary>Renders the page as Stripe's redirect reaches it: /credits/return?session_id=...</summary>
    private IRenderedComponent<CreditsReturn> RenderReturn(string sessionId)
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(navigation.GetUriWithQueryParameter("session_id", sessionId));
        return Render<CreditsReturn>();
    }

    private static CheckoutStatus Status(string status, decimal balance) => new(SessionId, status, 10m, 0.80m, 10.80m, balance);
}
