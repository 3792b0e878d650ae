using System.Collections.Concurrent;

namespace EndToEndTests;

/// <summary>
/// Account security in the browser: the portal's pages work under its Content-Security-Policy with no violation
/// (and the policy really blocks an injected script), sign-up needs the mailed link, and two-factor sign-in with
/// an authenticator code on the Identity pages inside the MudBlazor layout.
/// </summary>
public sealed class SecurityTests(AppHostFixture app, BrowserFixture browser) : BrowserTest(app, browser)
{
    private readonly ConcurrentQueue<string> _violations = new();

    /// <summary>
    /// CSP violations as the page itself sees them (the securitypolicyviolation event, reported through a binding
    /// that survives navigations) and as Chromium logs them to the console.
    /// </summary>
    private async Task WatchForCspViolationsAsync()
    {
        await Page.ExposeFunctionAsync("__reportCspViolation", (string violation) => _violations.Enqueue(violation));
        await Page.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', e =>
                window.__reportCspViolation(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.documentURI}`));
            """);
        Page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)
                || message.Text.Contains("Refused to", StringComparison.Ordinal))
            {
                _violations.Enqueue($"console: {message.Text}");
            }
        };
    }

    [Fact]
    public async Task Main_pages_work_under_the_content_security_policy_without_violations()
    {
        await WatchForCspViolationsAsync();

        var home = await Page.GotoAsync("/");
        var csp = (await home!.AllHeadersAsync())["content-security-policy"];
        Assert.Matches("script-src 'self' 'nonce-[^']+'", csp);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);

        foreach (var path in new[] { "/models", "/models/deepseek/deepseek-chat", "/Account/Login", "/Account/Register", "/Account/ForgotPassword" })
        {
            await Page.GotoAsync(path);
            await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }

        var email = UniqueEmail();
        await RegisterAsync(email, Password);
        await Expect(SignedInAs(email)).ToBeVisibleAsync();
        foreach (var path in new[] { "/credits", "/activity", "/Account/Manage", "/Account/Manage/TwoFactorAuthentication", "/Account/Manage/EnableAuthenticator" })
        {
            await Page.GotoAsync(path);
            await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }

        // The interactive circuit (WebSocket, MudBlazor's scripts and inline styles) works: a dialog opens and a key is made.
        await Page.GotoAsync("/keys");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create key", Exact = true }).ClickAsync();
        var dialog = Page.Locator(".mud-dialog");
        await dialog.GetByLabel("Name").FillAsync("csp check");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        await Expect(Page.Locator("#new-key-secret")).ToBeVisibleAsync();

        Assert.True(_violations.IsEmpty, "CSP violations: " + string.Join(Environment.NewLine, _violations));

        // And the policy is enforced: a script injected into the page (as an XSS would) does not run.
        await Page.EvaluateAsync("""
            () => { const script = document.createElement('script'); script.textContent = 'window.__injected = true'; document.body.appendChild(script); }
            """);
        await Expect(Page.Locator("body")).ToBeVisibleAsync();
        Assert.False(await Page.EvaluateAsync<bool>("() => window.__injected === true"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (_violations.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.Contains(_violations, violation => violation.Contains("script-src", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sign_up_asks_to_check_the_mail_and_sign_in_works_only_after_the_link()
    {
        var email = UniqueEmail();
        await RegisterUnconfirmedAsync(email, Password);
        await Expect(Page.GetByText("Click here to confirm your account")).ToHaveCountAsync(0);

        await LogInAsync(email, Password);
        await Expect(Page.GetByText("Error: Invalid login attempt.")).ToBeVisibleAsync();
        await Expect(SignedInAs(email)).ToHaveCountAsync(0);

        await ConfirmEmailAsync(email);
        await LogInAsync(email, Password);
        await Expect(SignedInAs(email)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Two_factor_sign_in_asks_for_the_authenticator_code_and_refuses_a_wrong_one()
    {
        await WatchForCspViolationsAsync();
        var email = UniqueEmail();
        await RegisterAsync(email, Password);
        await Expect(SignedInAs(email)).ToBeVisibleAsync();

        await Page.GotoAsync("/Account/Manage/EnableAuthenticator");
        var key = (await Page.Locator("kbd").First.TextContentAsync())!.Trim();
        await Page.GetByLabel("Verification Code").FillAsync(Totp.Compute(key, DateTimeOffset.UtcNow));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Verify", Exact = true }).ClickAsync();
        await Expect(Page.GetByText("Your authenticator app has been verified.")).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Recovery codes" })).ToBeVisibleAsync();
        // Signing out from a page that needs a signed-in user: the sign-in challenge must stay on the public origin,
        // or the CSP's form-action blocks the redirect chain of the logout post.
        await SignOutAsync();

        await LogInAsync(email, Password);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Two-factor authentication" })).ToBeVisibleAsync();
        await Expect(SignedInAs(email)).ToHaveCountAsync(0);

        var valid = Enumerable.Range(-3, 7).Select(step => Totp.Compute(key, DateTimeOffset.UtcNow + step * Totp.Step)).ToHashSet();
        var wrong = Enumerable.Range(1, 20).Select(candidate => $"{candidate * 99_991 % 1_000_000:D6}").First(code => !valid.Contains(code));
        await Page.GetByLabel("Authenticator code").FillAsync(wrong);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(Page.GetByText("Error: Invalid authenticator code.")).ToBeVisibleAsync();
        await Expect(SignedInAs(email)).ToHaveCountAsync(0);

        await Page.GetByLabel("Authenticator code").FillAsync(Totp.Compute(key, DateTimeOffset.UtcNow + Totp.Step));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(SignedInAs(email)).ToBeVisibleAsync();
        Assert.True(_violations.IsEmpty, "CSP violations: " + string.Join(Environment.NewLine, _violations));
    }
}
