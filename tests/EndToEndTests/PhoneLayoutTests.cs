using System.Text.RegularExpressions;

namespace EndToEndTests;

/// <summary>
/// The signed-in pages at a phone's width (390 x 844, an iPhone 14's viewport): nothing wider than the screen,
/// and the navigation reachable from the app bar's menu button.
/// </summary>
public sealed class PhoneLayoutTests(AppHostFixture app, BrowserFixture browser) : BrowserTest(app, browser)
{
    private static readonly string[] SignedInPages = ["/", "/keys", "/credits", "/activity", "/models"];

    [Fact]
    public async Task Main_pages_fit_a_phone_screen_and_the_menu_button_opens_the_navigation()
    {
        await Page.SetViewportSizeAsync(390, 844);
        var email = UniqueEmail();
        await RegisterAsync(email, Password);

        foreach (var path in SignedInPages)
        {
            await Page.GotoAsync(path);
            await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var (scrollWidth, clientWidth) = await WidthsAsync();
            Assert.True(scrollWidth <= clientWidth + 1, $"{path} is {scrollWidth} px wide on a {clientWidth} px screen");

            // The drawer is off screen until asked for: the content has the whole width.
            var keysLink = Page.Locator(".portal-drawer").GetByRole(AriaRole.Link, new() { Name = "Keys", Exact = true });
            await Expect(keysLink).Not.ToBeInViewportAsync();
        }

        var menu = Page.GetByRole(AriaRole.Button, new() { Name = "Menu", Exact = true });
        await Expect(menu).ToBeVisibleAsync();
        await menu.ClickAsync();
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "true");
        var credits = Page.Locator(".portal-drawer").GetByRole(AriaRole.Link, new() { Name = "Credits", Exact = true });
        await Expect(credits).ToBeInViewportAsync();
        await Expect(Page.Locator(".portal-drawer").GetByRole(AriaRole.Link, new() { Name = email, Exact = true })).ToBeInViewportAsync();

        // A link in the menu goes to its page and closes the menu.
        await credits.ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/credits$"));
        await Expect(credits).Not.ToBeInViewportAsync();
    }

    [Fact]
    public async Task On_a_desktop_screen_the_navigation_stays_open_without_a_menu_button()
    {
        await Page.SetViewportSizeAsync(1280, 900);
        await Page.GotoAsync("/models");

        await Expect(Page.Locator(".portal-drawer").GetByRole(AriaRole.Link, new() { Name = "Models", Exact = true })).ToBeInViewportAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Menu", Exact = true })).ToBeHiddenAsync();
    }

    private async Task<(int ScrollWidth, int ClientWidth)> WidthsAsync()
    {
        var widths = await Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        return (widths[0], widths[1]);
    }
}
