namespace EndToEndTests;

/// <summary>
/// A forgotten password, end to end: the reset mail reaches the development mail sink, its link opens the reset
/// form, and afterwards only the new password signs in. Done at a small phone's width (360 px), so the converted
/// account pages are also checked to fit a phone screen.
/// </summary>
public sealed class PasswordResetTests(AppHostFixture app, BrowserFixture browser) : BrowserTest(app, browser)
{
    private const string NewPassword = "Battery-Staple-77!";

    [Fact]
    public async Task Forgotten_password_is_reset_through_the_mailed_link_and_only_the_new_one_signs_in()
    {
        var email = UniqueEmail();
        await RegisterAsync(email, Password);
        await Expect(SignedInAs(email)).ToBeVisibleAsync();
        await SignOutAsync();

        // From here on a small phone's screen (the logout button above lives in the drawer, off screen on a phone).
        await Page.SetViewportSizeAsync(360, 740);

        await Page.GotoAsync("/Account/Login");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?", Exact = true }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Forgot your password?" })).ToBeVisibleAsync();
        await AssertFitsScreenAsync();
        await Page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Reset password", Exact = true }).ClickAsync();
        await Expect(Page.GetByText("Please check your email to reset your password.")).ToBeVisibleAsync();

        var link = await WaitForPasswordResetLinkAsync(email);
        await Page.GotoAsync(link.ToString());
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Reset password" })).ToBeVisibleAsync();
        await AssertFitsScreenAsync();
        await Page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(NewPassword);
        await Page.GetByLabel("Confirm password", new() { Exact = true }).FillAsync(NewPassword);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Reset", Exact = true }).ClickAsync();
        await Expect(Page.GetByText("Your password has been reset.")).ToBeVisibleAsync();

        await LogInAsync(email, Password);
        await Expect(Page.GetByText("Error: Invalid login attempt.")).ToBeVisibleAsync();
        await Expect(SignedInAs(email)).ToHaveCountAsync(0);

        await LogInAsync(email, NewPassword);
        await Expect(SignedInAs(email)).ToBeVisibleAsync();

        // The account pages behind the sign-in fit the phone screen too.
        foreach (var path in new[] { "/Account/Manage", "/Account/Manage/ChangePassword", "/Account/Manage/EnableAuthenticator" })
        {
            await Page.GotoAsync(path);
            await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await AssertFitsScreenAsync();
        }
        await Expect(Page.GetByLabel("Verification Code")).ToBeVisibleAsync();
    }

    /// <summary>Nothing on the page is wider than the (phone) screen.</summary>
    private async Task AssertFitsScreenAsync()
    {
        var widths = await Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1] + 1, $"{Page.Url} is {widths[0]} px wide on a {widths[1]} px screen");
    }
}
