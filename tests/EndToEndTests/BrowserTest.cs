using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace EndToEndTests;

/// <summary>
/// Base of the browser tests: each test gets a fresh browser context (its own cookies) pointed at the gateway,
/// the single public origin of the site, and leaves a screenshot in /tmp when it fails.
/// </summary>
[Collection(EndToEndCollection.Name)]
public abstract class BrowserTest(AppHostFixture app, BrowserFixture browser) : IAsyncLifetime
{
    private static readonly TimeSpan ActionTimeout = TimeSpan.FromSeconds(30);

    // The first page a fresh portal serves also warms it up (JIT, component discovery, static asset
    // manifests); with builds running alongside on this 2-core machine that first response took 47 s.
    private static readonly TimeSpan NavigationTimeout = TimeSpan.FromMinutes(2);

    private IBrowserContext? _context;
    private IPage? _page;

    protected IPage Page => _page ?? throw new InvalidOperationException("The page has not been opened");

    /// <summary>The gateway's public address, which relative URLs in the tests resolve against.</summary>
    protected Uri Gateway => app.App.GetEndpoint("gateway", "http");

    /// <summary>The running app (for parameters such as the seeded administrator's credentials).</summary>
    protected DistributedApplication App => app.App;

    public async ValueTask InitializeAsync()
    {
        _context = await browser.Browser.NewContextAsync(new() { BaseURL = Gateway.ToString() }).WaitAsync(ActionTimeout);
        _context.SetDefaultTimeout((float)ActionTimeout.TotalMilliseconds);
        _context.SetDefaultNavigationTimeout((float)NavigationTimeout.TotalMilliseconds);
        _page = await _context.NewPageAsync().WaitAsync(ActionTimeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (_page is not null && TestContext.Current.TestState?.Result == TestResult.Failed)
        {
            var path = Path.Combine(Path.GetTempPath(), $"e2e-{TestContext.Current.TestMethod?.MethodName}-{DateTime.UtcNow:HHmmss}.png");
            await _page.ScreenshotAsync(new() { Path = path, FullPage = true }).WaitAsync(ActionTimeout);
            TestContext.Current.SendDiagnosticMessage($"Screenshot of the failed page: {path}");
        }
        if (_context is not null)
        {
            await _context.CloseAsync().WaitAsync(ActionTimeout);
        }
    }

    protected const string Password = "Correct-Horse-42!";

    protected static string UniqueEmail() => $"e2e-{Guid.NewGuid():N}@example.com";

    /// <summary>The layout's navigation shows a signed-in user's email as the link to their account.</summary>
    protected ILocator SignedInAs(string email) => Page.GetByRole(AriaRole.Link, new() { Name = email, Exact = true });

    /// <summary>
    /// Signs up, follows the confirmation link mailed to the emulators' mail sink (accounts must be confirmed) and
    /// logs in, so the test goes on as the signed-in new user.
    /// </summary>
    protected async Task RegisterAsync(string email, string password)
    {
        await RegisterUnconfirmedAsync(email, password);
        await ConfirmEmailAsync(email);
        await LogInAsync(email, password);
    }

    /// <summary>Fills in and posts the sign-up form; the portal answers with "check your e-mail".</summary>
    protected async Task RegisterUnconfirmedAsync(string email, string password)
    {
        await Page.GotoAsync("/Account/Register");
        await Page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await Page.GetByLabel("Confirm password", new() { Exact = true }).FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Check your e-mail" })).ToBeVisibleAsync();
    }

    /// <summary>Opens the confirmation link from the mail sink in the browser, as the user clicks it in their mail.</summary>
    protected async Task ConfirmEmailAsync(string email)
    {
        var link = await MailSink.WaitForConfirmationLinkAsync(app.App, email, TestContext.Current.CancellationToken);
        await Page.GotoAsync(link.ToString());
        await Expect(Page.GetByText("Thank you for confirming your email.")).ToBeVisibleAsync();
    }

    /// <summary>The newest password reset link the portal mailed to <paramref name="email"/>, read from the mail sink.</summary>
    protected Task<Uri> WaitForPasswordResetLinkAsync(string email) =>
        MailSink.WaitForPasswordResetLinkAsync(app.App, email, TestContext.Current.CancellationToken);

    protected async Task LogInAsync(string email, string password)
    {
        await Page.GotoAsync("/Account/Login");
        await Page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
    }

    /// <summary>Buys $10 of credits through the Stripe emulator's pay page, as a user does on /credits.</summary>
    protected async Task BuyTenDollarsOfCreditsAsync()
    {
        await Page.GotoAsync("/credits");
        await Page.Locator(".preset-chip", new() { HasTextRegex = new Regex(@"^\s*\$10\s*$") }).ClickAsync();
        // The total is asked from billing first; paying before it arrived would do nothing.
        await Expect(Page.Locator(".topup-total")).ToHaveTextAsync("$10.80");
        await ClickUntilAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Pay with Stripe" }),
            () => Page.WaitForURLAsync(new Regex("/stripe/pay/cs_test_"), new() { Timeout = 15_000 }));
        await Page.Locator("#pay").ClickAsync();
        await Page.WaitForURLAsync(new Regex("/credits/return\\?session_id=cs_test_"));
        await Expect(Page.Locator(".checkout-balance")).ToHaveTextAsync("$10.00");
    }

    /// <summary>Creates an API key on /keys and returns the secret the page shows once.</summary>
    protected async Task<string> CreateKeyOnKeysPageAsync(string name)
    {
        await Page.GotoAsync("/keys");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create key", Exact = true }).ClickAsync();
        var dialog = Page.Locator(".mud-dialog");
        await dialog.GetByLabel("Name").FillAsync(name);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        var shown = Page.Locator("#new-key-secret");
        await Expect(shown).ToBeVisibleAsync();
        var secret = (await shown.TextContentAsync())?.Trim() ?? "";
        Assert.Matches("^sk-or-v1-[0-9a-f]{64}$", secret);
        return secret;
    }

    /// <summary>A client for the gateway's API that sends <paramref name="key"/> as a bearer token.</summary>
    protected HttpClient GatewayClient(string key)
    {
        var client = new HttpClient { BaseAddress = Gateway, Timeout = TestAppHost.RequestTimeout };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    protected async Task SignOutAsync()
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Logout", Exact = true }).ClickAsync();
        // Wait for the signed-out page, so that the next navigation cannot cut the logout post short.
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Login", Exact = true })).ToBeVisibleAsync();
    }

    /// <summary>
    /// Clicks until <paramref name="outcome"/> holds: on a loaded machine a click can land before the page's circuit
    /// is interactive or while it re-renders, and is then lost. A target gone by the next attempt means the click
    /// landed and its outcome is only slow (a page still loading): then it waits again without clicking.
    /// </summary>
    protected static async Task ClickUntilAsync(ILocator target, Func<Task> outcome, int attempts = 3)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (attempt == 1 || await target.IsVisibleAsync())
            {
                await target.ClickAsync();
            }
            try
            {
                await outcome();
                return;
            }
            catch (Exception ex) when (ex is PlaywrightException or TimeoutException && attempt < attempts)
            {
            }
        }
    }

    protected static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    protected static IPageAssertions Expect(IPage page) => Assertions.Expect(page);
}
