using System.Text.RegularExpressions;

namespace EndToEndTests;

/// <summary>
/// Sign-up and sign-in in a real browser through the gateway: Identity on Postgres, antiforgery tokens and
/// auth cookies all have to survive the YARP hop for these to pass.
/// </summary>
public sealed class AccountTests(AppHostFixture app, BrowserFixture browser) : BrowserTest(app, browser)
{
    private const string Password = "Correct-Horse-42!";

    [Fact]
    public async Task New_user_signs_up_signs_out_and_signs_back_in()
    {
        var email = UniqueEmail();

        await RegisterAsync(email, Password);
        await Expect(SignedInAs(email)).ToBeVisibleAsync();

        await SignOutAsync();
        await Expect(SignedInAs(email)).ToHaveCountAsync(0);

        await LogInAsync(email, Password);
        await Expect(SignedInAs(email)).ToBeVisibleAsync();
        // The auth cookie also opens pages that require a signed-in user.
        await Page.GotoAsync("/Account/Manage");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Profile" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Wrong_password_is_rejected_and_leaves_the_visitor_signed_out()
    {
        var email = UniqueEmail();
        await RegisterAsync(email, Password);
        await SignOutAsync();

        await LogInAsync(email, "Wrong-Horse-42!");

        await Expect(Page.GetByText("Error: Invalid login attempt.")).ToBeVisibleAsync();
        await Expect(SignedInAs(email)).ToHaveCountAsync(0);
        // The account pages need a signed-in user, so they send this visitor to the login page.
        await Page.GotoAsync("/Account/Manage");
        await Expect(Page).ToHaveURLAsync(new Regex("/Account/Login"));
    }

    private static string UniqueEmail() => $"e2e-{Guid.NewGuid():N}@example.com";

    /// <summary>The layout's navigation shows a signed-in user's email as the link to their account.</summary>
    private ILocator SignedInAs(string email) => Page.GetByRole(AriaRole.Link, new() { Name = email, Exact = true });

    private async Task RegisterAsync(string email, string password)
    {
        await Page.GotoAsync("/Account/Register");
        await Page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await Page.GetByLabel("Confirm password", new() { Exact = true }).FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true }).ClickAsync();
    }

    private async Task LogInAsync(string email, string password)
    {
        await Page.GotoAsync("/Account/Login");
        await Page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
    }

    private async Task SignOutAsync()
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Logout", Exact = true }).ClickAsync();
        // Wait for the signed-out page, so that the next navigation cannot cut the logout post short.
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Login", Exact = true })).ToBeVisibleAsync();
    }
}
