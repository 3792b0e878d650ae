namespace EndToEndTests;

/// <summary>
/// Basic accessibility: the main flows work from the keyboard alone, every form control has a label, and each page
/// has one main landmark around its content.
/// </summary>
public sealed class KeyboardAccessibilityTests(AppHostFixture app, BrowserFixture browser) : BrowserTest(app, browser)
{
    private const int MaxTabs = 80;

    /// <summary>Presses Tab until <paramref name="target"/> has the focus, as a keyboard user moves through the page.</summary>
    private async Task TabToAsync(ILocator target)
    {
        await Expect(target).ToBeVisibleAsync();
        for (var tabs = 0; tabs < MaxTabs; tabs++)
        {
            if (await target.EvaluateAsync<bool>("element => element === document.activeElement || element.contains(document.activeElement)"))
            {
                return;
            }
            await Page.Keyboard.PressAsync("Tab");
        }
        Assert.Fail($"{MaxTabs} presses of Tab never reached {target}");
    }

    /// <summary>
    /// Tabs to <paramref name="field"/> and types <paramref name="text"/> over whatever it holds. A dialog that has
    /// just opened may still move the focus (its field's autofocus) and swallow the keystrokes: then once more.
    /// </summary>
    private async Task TypeIntoAsync(ILocator field, string text)
    {
        for (var attempt = 1; ; attempt++)
        {
            await TabToAsync(field);
            await Page.Keyboard.PressAsync("Control+A");
            await Page.Keyboard.TypeAsync(text);
            try
            {
                await Expect(field).ToHaveValueAsync(text, new() { Timeout = 5_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 2)
            {
            }
        }
    }

    [Fact]
    public async Task A_user_signs_in_and_creates_a_key_with_the_keyboard_alone()
    {
        var email = UniqueEmail();
        await RegisterUnconfirmedAsync(email, Password);
        await ConfirmEmailAsync(email);

        await Page.GotoAsync("/Account/Login");
        await TabToAsync(Page.GetByLabel("Email", new() { Exact = true }));
        await Page.Keyboard.TypeAsync(email);
        await Page.Keyboard.PressAsync("Tab");
        await Expect(Page.GetByLabel("Password", new() { Exact = true })).ToBeFocusedAsync();
        await Page.Keyboard.TypeAsync(Password);
        await Page.Keyboard.PressAsync("Enter");
        await Expect(SignedInAs(email)).ToBeVisibleAsync();

        await Page.GotoAsync("/keys");
        await TabToAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Create key", Exact = true }));
        await Page.Keyboard.PressAsync("Enter");
        var dialog = Page.Locator(".mud-dialog");
        await TypeIntoAsync(dialog.GetByLabel("Name"), "typed without a mouse");
        await TabToAsync(dialog.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }));
        await Page.Keyboard.PressAsync("Enter");

        var secret = Page.Locator("#new-key-secret");
        await Expect(secret).ToBeVisibleAsync();
        Assert.Matches("^sk-or-v1-[0-9a-f]{64}$", ((await secret.TextContentAsync()) ?? "").Trim());
    }

    [Fact]
    public async Task Every_form_control_on_the_signed_in_pages_has_a_label()
    {
        await RegisterAsync(UniqueEmail(), Password);
        string[] pages = ["/credits", "/activity", "/models", "/playground", "/settings/preferences", "/settings/provider-keys", "/Account/Manage"];
        var inspected = 0;
        foreach (var path in pages)
        {
            await Page.GotoAsync(path);
            // Rendered once its first form field shows (the interactive pages render after their circuit connects).
            await Expect(Page.Locator(".mud-main-content .mud-input-control").First).ToBeVisibleAsync();
            // One main landmark, holding the page's fields: a screen reader's "go to main" lands on the content.
            await Expect(Page.Locator("main, [role=main]")).ToHaveCountAsync(1);
            await Expect(Page.Locator("main .mud-input-control, [role=main] .mud-input-control").First).ToBeVisibleAsync();
            var unlabelled = await Page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('.mud-main-content input, .mud-main-content textarea, .mud-main-content select')]
                    .filter(control => control.type !== 'hidden' && control.offsetParent !== null)
                    .filter(control => !(control.labels && control.labels.length) && !control.getAttribute('aria-label')
                        && !control.getAttribute('aria-labelledby') && !control.title)
                    .map(control => control.outerHTML.slice(0, 160))
                """);
            Assert.True(unlabelled.Length == 0, $"{path} has form controls without a label: {string.Join(" | ", unlabelled)}");
            inspected += await Page.Locator(".mud-main-content input:visible, .mud-main-content textarea:visible, .mud-main-content select:visible").CountAsync();
        }
        // The check saw the pages' fields, not pages that had not rendered them yet.
        Assert.True(inspected >= pages.Length, $"only {inspected} visible form controls on {pages.Length} pages");
    }
}
