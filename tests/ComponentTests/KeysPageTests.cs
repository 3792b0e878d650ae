using System.Net;
using Portal.Web.Billing;
using Portal.Web.Components.Pages;

namespace ComponentTests;

public sealed class KeysPageTests : BillingContext
{
    [Fact]
    public void Lists_the_signed_in_users_keys_with_label_limit_usage_and_state()
    {
        Billing.AddKey(UserId, "Production app", limit: 10m, limitRemaining: 7.5m, limitReset: "monthly", usage: 2.5m);
        Billing.AddKey(UserId, "Old script", disabled: true, usage: 0.000125m);
        Billing.AddKey("user-bob", "Bob's key");

        var page = Render<Keys>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("tbody tr").Count));
        var rows = page.FindAll("tbody tr");
        var production = Assert.Single(rows, row => row.QuerySelector(".key-name")?.TextContent.Trim() == "Production app");
        Assert.StartsWith("sk-or-v1-", production.QuerySelector(".key-label")?.TextContent.Trim());
        Assert.Contains("$10.00 per month", production.QuerySelector(".key-limit")?.TextContent);
        Assert.Contains("$7.50 remaining", production.QuerySelector(".key-limit")?.TextContent);
        Assert.Equal("$2.50", production.QuerySelector(".key-usage")?.TextContent.Trim());
        Assert.Contains("20 Nov 2026", production.TextContent);
        Assert.Contains("Enabled", production.TextContent);

        var old = Assert.Single(rows, row => row.QuerySelector(".key-name")?.TextContent.Trim() == "Old script");
        Assert.Contains("No limit", old.TextContent);
        Assert.Equal("$0.000125", old.QuerySelector(".key-usage")?.TextContent.Trim());
        Assert.Contains("Disabled", old.TextContent);

        // The account is ensured first, and every call is for the user id from the auth state.
        Assert.Equal([$"ensure {UserId} {Email}", $"list {UserId}"], Billing.Calls);
        Assert.DoesNotContain("Bob's key", page.Markup);
    }

    [Fact]
    public void A_user_without_keys_is_invited_to_create_one()
    {
        var page = Render<Keys>();

        page.WaitForAssertion(() => Assert.Contains("No API keys yet", page.Markup));
    }

    [Fact]
    public void Creating_a_key_shows_its_secret_once_with_a_copy_button()
    {
        var dialogs = RenderProviders();
        var page = Render<Keys>();
        page.WaitForAssertion(() => Assert.Contains("No API keys yet", page.Markup));

        ButtonNamed(page, "Create key").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Create an API key", dialogs.Markup));
        // Ordinary keys only: the portal never offers a provisioning key.
        Assert.DoesNotContain("rovisioning", dialogs.Markup);
        dialogs.Find(".mud-dialog input").Input("My app");
        ButtonNamed(dialogs, "Create").Click();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#new-key-secret")));
        var secret = page.Find("#new-key-secret").TextContent.Trim();
        Assert.StartsWith("sk-or-v1-", secret);
        Assert.Contains("only time the key is shown", page.Markup);
        Assert.NotNull(page.Find("button[aria-label='Copy key']"));
        Assert.Single(Billing.Calls, call => call.StartsWith($"create {UserId} My app  None", StringComparison.Ordinal));
        Assert.Contains(page.FindAll(".key-name"), name => name.TextContent.Trim() == "My app");

        ButtonNamed(page, "I have copied it").Click();

        Assert.DoesNotContain(secret, page.Markup);
        Assert.Contains(page.FindAll(".key-name"), name => name.TextContent.Trim() == "My app");
        // Coming back to the page (a reload) never shows it again: billing only hands it out at creation.
        var reloaded = Render<Keys>();
        reloaded.WaitForAssertion(() => Assert.Contains("My app", reloaded.Markup));
        Assert.DoesNotContain(secret, reloaded.Markup);
        Assert.Empty(reloaded.FindAll("#new-key-secret"));
    }

    [Fact]
    public void Copy_button_writes_the_secret_to_the_clipboard()
    {
        var dialogs = RenderProviders();
        var clipboard = JSInterop.SetupVoid("navigator.clipboard.writeText", _ => true);
        var page = Render<Keys>();
        page.WaitForAssertion(() => Assert.Contains("No API keys yet", page.Markup));
        ButtonNamed(page, "Create key").Click();
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll(".mud-dialog input")));
        dialogs.Find(".mud-dialog input").Input("Clipboard app");
        ButtonNamed(dialogs, "Create").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("#new-key-secret")));
        var secret = page.Find("#new-key-secret").TextContent.Trim();

        page.Find("button[aria-label='Copy key']").Click();

        var invocation = Assert.Single(clipboard.Invocations);
        Assert.Equal(secret, invocation.Arguments[0]);
    }

    [Fact]
    public void Create_dialog_requires_a_name()
    {
        var dialogs = RenderProviders();
        var page = Render<Keys>();
        page.WaitForAssertion(() => Assert.Contains("No API keys yet", page.Markup));

        ButtonNamed(page, "Create key").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Create an API key", dialogs.Markup));
        ButtonNamed(dialogs, "Create").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("Give the key a name.", dialogs.Markup));
        Assert.DoesNotContain(Billing.Calls, call => call.StartsWith("create", StringComparison.Ordinal));
        Assert.Empty(page.FindAll("#new-key-secret"));
    }

    [Fact]
    public void Deleting_a_key_asks_for_confirmation_first()
    {
        var key = Billing.AddKey(UserId, "Staging");
        var dialogs = RenderProviders();
        var page = Render<Keys>();
        page.WaitForAssertion(() => Assert.Contains("Staging", page.Markup));

        page.Find("button[aria-label='Delete key Staging']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Delete API key?", dialogs.Markup));
        ButtonNamed(dialogs, "Cancel").Click();

        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Delete API key?", dialogs.Markup));
        Assert.DoesNotContain(Billing.Calls, call => call.StartsWith("delete", StringComparison.Ordinal));
        Assert.Contains("Staging", page.Markup);

        page.Find("button[aria-label='Delete key Staging']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Delete API key?", dialogs.Markup));
        ButtonNamed(dialogs, "Delete").Click();

        page.WaitForAssertion(() => Assert.Contains("No API keys yet", page.Markup));
        Assert.Contains($"delete {UserId} {key.Hash}", Billing.Calls);
        Assert.Empty(Billing.KeysOf(UserId));
    }

    [Fact]
    public void Switch_disables_and_enables_a_key()
    {
        var key = Billing.AddKey(UserId, "Toggle me");
        var page = Render<Keys>();
        page.WaitForAssertion(() => Assert.Contains("Toggle me", page.Markup));

        page.Find("tbody input[type=checkbox]").Change(false);

        page.WaitForAssertion(() => Assert.Contains("Disabled", page.Find("tbody tr").TextContent));
        Assert.Contains($"disable {UserId} {key.Hash} True", Billing.Calls);
        Assert.True(Assert.Single(Billing.KeysOf(UserId)).Disabled);

        page.Find("tbody input[type=checkbox]").Change(true);

        page.WaitForAssertion(() => Assert.False(Assert.Single(Billing.KeysOf(UserId)).Disabled));
        Assert.Contains($"disable {UserId} {key.Hash} False", Billing.Calls);
    }

    [Fact]
    public void Billing_errors_are_shown_with_billings_message()
    {
        Billing.Failure = new BillingException(HttpStatusCode.ServiceUnavailable, "The billing service is not reachable right now.");

        var page = Render<Keys>();

        page.WaitForAssertion(() => Assert.Contains("The billing service is not reachable right now.", page.Find("[role=alert]").TextContent));
        Assert.True(ButtonNamed(page, "Create key").HasAttribute("disabled"));
    }
}
