namespace EndToEndTests;

/// <summary>
/// One headless Chromium shared by the collection. It is the system's browser: Playwright cannot download its
/// own here, so its installer is never called.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private static readonly TimeSpan LaunchTimeout = TimeSpan.FromSeconds(60);

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started");

    public async ValueTask InitializeAsync()
    {
        // Expectations retry until they hold. The default 5 s is too short for a first form post on a busy
        // 2-core machine (a new user's first sign-up, password hashing and all, has taken 6 s).
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync().WaitAsync(LaunchTimeout);
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Timeout = (float)LaunchTimeout.TotalMilliseconds,
            // No sandbox: the tests run as root. The rest keeps Chromium off the network and quiet.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run",
            ],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync().WaitAsync(LaunchTimeout);
        }
        _playwright?.Dispose();
    }
}
