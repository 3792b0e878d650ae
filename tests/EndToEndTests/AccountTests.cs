using System.Text.RegularExpressions;

namespace EndToEndTests;

/// <summary>
/// Sign-up and sign-in in a real browser through the gateway: Identity on Postgres, antiforgery tokens and
/// auth cookies all have to survive the YARP hop for these to pass.
/// </summary>
public sealed class AccountTests(AppHostFixture app, BrowserFixture browser) : BrowserTest(app, browser)
{
    [Fact]
    public async Task New_user_signs_up_signs_out_and_signs_back_in()
    {
        var email = UniqueEmail();

        // Sign-up, the link from the mail sink, then the first log in (BrowserTest.RegisterAsync).
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
}
