using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EndToEndTests;

/// <summary>
/// The signed-in pages at a phone's width (390 x 844, an iPhone 14's viewport): nothing wider than the screen,
/// and the navigation reachable from the app bar's menu button.
/// </summary>
public sealed class PhoneLayoutTests(AppHostFixture app, BrowserFixture browser) : BrowserTest(app, browser)
{
    private static readonly string[] SignedInPages = ["/", "/keys", "/credits", "/activity", "/models", "/settings/preferences", "/settings/provider-keys"];

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
    public async Task The_playground_and_the_admin_pages_fit_a_phone_screen()
    {
        // An adjustment on a fresh account, so the audit table has a row with a long email to lay out.
        var account = await TestAccounts.CreateAsync(App, creditsUsd: 1);
        await Page.SetViewportSizeAsync(390, 844);
        var email = await TestAppHost.GetParameterValueAsync(App, "admin-email");
        await LogInAsync(email, await TestAppHost.GetParameterValueAsync(App, "admin-password"));
        await Expect(SignedInAs(email)).ToBeVisibleAsync();

        // Each page with something that shows it rendered its data (the pages render after the circuit connects).
        (string Path, ILocator Ready)[] pages =
        [
            ("/playground", Page.Locator(".provider-sort")),
            ("/admin", Page.Locator(".health-table tbody tr .health-service").First),
            ("/admin/catalog", Page.Locator(".endpoints-table tbody tr .endpoint-model").First),
            ("/admin/users", Page.Locator(".users-table tbody tr .user-email").First),
            ("/admin/credits", Page.Locator(".adjustments-table tbody tr .adjustment-user", new() { HasText = account.UserId }).First),
        ];
        foreach (var (path, ready) in pages)
        {
            await Page.GotoAsync(path);
            await Expect(ready).ToBeVisibleAsync();
            await AssertFitsAsync(path);
        }

        // The catalog's other tabs hold tables of their own.
        await Page.GotoAsync("/admin/catalog");
        foreach (var (tab, table) in new[] { ("Models", ".models-table"), ("Providers", ".providers-table") })
        {
            await ClickUntilAsync(Page.GetByRole(AriaRole.Tab, new() { Name = tab, Exact = true }),
                () => Expect(Page.Locator($"{table} tbody tr").First).ToBeVisibleAsync(new() { Timeout = 5_000 }));
            await AssertFitsAsync($"/admin/catalog, tab {tab}");
        }

        // The price editor opens above the endpoints table: its fields stack on a phone too.
        await Page.GotoAsync("/admin/catalog");
        var edit = Page.GetByRole(AriaRole.Button, new() { Name = "Edit prices of deepseek/deepseek-chat at together", Exact = true });
        await Page.Locator("#catalog-search").FillAsync("deepseek/deepseek-chat");
        await ClickUntilAsync(edit, () => Expect(Page.Locator(".price-editor")).ToBeVisibleAsync(new() { Timeout = 5_000 }));
        await AssertFitsAsync("the price editor");
    }

    [Fact]
    public async Task A_model_page_and_a_generation_page_fit_a_phone_screen()
    {
        // A generation of the user's own: credits, a key and one call through the gateway.
        await RegisterAsync(UniqueEmail(), Password);
        await BuyTenDollarsOfCreditsAsync();
        using var gateway = GatewayClient(await CreateKeyOnKeysPageAsync("phone"));
        using var response = await gateway.PostAsJsonAsync("/api/v1/chat/completions", new
        {
            model = "openai/gpt-4o-mini",
            messages = new[] { new { role = "user", content = "hello" } },
            max_tokens = 16,
        }, TestContext.Current.CancellationToken);
        var answer = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {answer}");
        using var json = JsonDocument.Parse(answer);
        var generationId = json.RootElement.GetProperty("id").GetString()!;
        // Usage is recorded asynchronously; the page says "no generation" until it is.
        (await TestAccounts.WaitForGenerationAsync(gateway, generationId)).Dispose();

        await Page.SetViewportSizeAsync(390, 844);
        await Page.GotoAsync("/models/openai/gpt-4o-mini");
        await Expect(Page.Locator(".providers-table tbody tr .provider-name").First).ToBeVisibleAsync();
        await AssertFitsAsync("/models/openai/gpt-4o-mini");
        // Each code sample is a long command line: it has to wrap, not widen the page or scroll sideways.
        foreach (var (tab, sample) in new[] { ("cURL", ".sample-curl"), ("Python", ".sample-python"), ("TypeScript", ".sample-typescript") })
        {
            await ClickUntilAsync(Page.GetByRole(AriaRole.Tab, new() { Name = tab, Exact = true }),
                () => Expect(Page.Locator(sample)).ToBeVisibleAsync(new() { Timeout = 5_000 }));
            await AssertFitsAsync($"/models/openai/gpt-4o-mini, sample {tab}");
        }

        await Page.GotoAsync($"/activity/{generationId}");
        await Expect(Page.Locator(".detail-id")).ToHaveTextAsync(generationId);
        await AssertFitsAsync($"/activity/{generationId}");
    }

    /// <summary>Nothing wider than the screen, and no table hidden in a box that scrolls sideways.</summary>
    private async Task AssertFitsAsync(string what)
    {
        var (scrollWidth, clientWidth) = await WidthsAsync();
        Assert.True(scrollWidth <= clientWidth + 1, $"{what} is {scrollWidth} px wide on a {clientWidth} px screen; too wide: {await TooWideAsync()}");
        // A table in a sideways-scrolling box keeps the page narrow but still hides columns off screen.
        var sideways = await ScrollsSidewaysAsync();
        Assert.True(sideways.Length == 0, $"{what} scrolls sideways: {sideways}");
    }

    [Fact]
    public async Task On_a_desktop_screen_the_navigation_stays_open_without_a_menu_button()
    {
        await Page.SetViewportSizeAsync(1280, 900);
        await Page.GotoAsync("/models");

        await Expect(Page.Locator(".portal-drawer").GetByRole(AriaRole.Link, new() { Name = "Models", Exact = true })).ToBeInViewportAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Menu", Exact = true })).ToBeHiddenAsync();
    }

    /// <summary>The innermost elements reaching past the screen's right edge, to say what to fix when a page is too wide.</summary>
    private Task<string> TooWideAsync() => Page.EvaluateAsync<string>("""
        () => {
            const width = document.documentElement.clientWidth;
            const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 1);
            return wide.filter(e => ![...e.children].some(c => wide.includes(c))).slice(0, 5)
                .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} (${Math.round(e.getBoundingClientRect().right)} px)`).join(', ');
        }
        """);

    /// <summary>Boxes in the page's content that scroll sideways because what they hold is wider than they are.</summary>
    private Task<string> ScrollsSidewaysAsync() => Page.EvaluateAsync<string>("""
        () => [...document.querySelectorAll('.mud-main-content *')]
            .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1)
            .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} (${e.scrollWidth} px in ${e.clientWidth} px)`).join(', ')
        """);

    private async Task<(int ScrollWidth, int ClientWidth)> WidthsAsync()
    {
        var widths = await Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        return (widths[0], widths[1]);
    }
}
