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

    protected static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    protected static IPageAssertions Expect(IPage page) => Assertions.Expect(page);
}
