using System.Net;
using System.Net.Http.Json;

namespace EndToEndTests;

/// <summary>
/// The admin area in the browser: the administrator seeded from the AppHost's parameters changes an endpoint's
/// price and the public model page shows it; an ordinary user is refused /admin.
/// </summary>
public sealed class AdminTests : BrowserTest
{
    private readonly AppHostFixture app;

    public AdminTests(AppHostFixture app, BrowserFixture browser) : base(app, browser) => this.app = app;

    private const string Model = "deepseek/deepseek-chat";
    private const string Provider = "together";
    private const decimal SeedPromptPerToken = 0.00000125m;

    [Fact]
    public async Task The_administrator_changes_an_endpoints_price_and_the_public_model_page_shows_it()
    {
        var email = await TestAppHost.GetParameterValueAsync(app.App, "admin-email");
        var password = await TestAppHost.GetParameterValueAsync(app.App, "admin-password");
        await LogInAsync(email, password);
        await Expect(SignedInAs(email)).ToBeVisibleAsync();
        // Administrators get the admin group in the navigation.
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Catalog", Exact = true })).ToBeVisibleAsync();

        await Page.GotoAsync("/models/deepseek/deepseek-chat");
        await Expect(ProviderRow("Together").Locator(".provider-prompt-price")).ToHaveTextAsync("$1.25/M");

        try
        {
            await Page.GotoAsync("/admin/catalog");
            await Page.Locator("#catalog-search").FillAsync(Model);
            // The search applies after a short debounce and shrinks the table; clicking before it settles can
            // hit a row that is moving away.
            await Expect(Page.Locator(".endpoints-table tbody tr").Filter(new() { HasNotText = "deepseek" })).ToHaveCountAsync(0);
            var edit = Page.GetByRole(AriaRole.Button, new() { Name = $"Edit prices of {Model} at {Provider}", Exact = true });
            await ClickUntilAsync(edit, () => Expect(Page.Locator(".price-editor")).ToBeVisibleAsync(new() { Timeout = 5_000 }));
            await Expect(Page.Locator(".price-editor")).ToContainTextAsync($"Prices of {Model} at {Provider}");
            await Expect(Page.Locator("#price-prompt")).ToHaveValueAsync("1.25");
            await Page.Locator("#price-prompt").FillAsync("0.77");
            await Page.GetByRole(AriaRole.Button, new() { Name = "Save prices", Exact = true }).ClickAsync();

            await Expect(Page.Locator(".price-editor")).ToHaveCountAsync(0);
            var row = Page.Locator(".endpoints-table tbody tr")
                .Filter(new() { Has = Page.Locator(".endpoint-provider", new() { HasTextString = Provider }) })
                .Filter(new() { Has = Page.Locator(".endpoint-model", new() { HasTextString = Model }) });
            await Expect(row.Locator(".endpoint-prompt-price")).ToHaveTextAsync("$0.77/M");

            // The public model page reads the catalog afresh: the new price is there at once.
            await Page.GotoAsync("/models/deepseek/deepseek-chat");
            await Expect(ProviderRow("Together").Locator(".provider-prompt-price")).ToHaveTextAsync("$0.77/M");
            await Expect(ProviderRow("Together").Locator(".provider-completion-price")).ToHaveTextAsync("$1.25/M");
        }
        finally
        {
            await RestorePriceAsync();
        }
    }

    [Fact]
    public async Task An_ordinary_user_is_denied_the_admin_area()
    {
        var email = UniqueEmail();
        await RegisterAsync(email, Password);
        await Expect(SignedInAs(email)).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Catalog", Exact = true })).ToHaveCountAsync(0);

        await Page.GotoAsync("/admin");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Access denied" })).ToBeVisibleAsync();
        Assert.Contains("/Account/AccessDenied", Page.Url, StringComparison.Ordinal);

        await Page.GotoAsync("/admin/catalog");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Access denied" })).ToBeVisibleAsync();
        await Expect(Page.Locator(".endpoints-table")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_user_locked_by_the_administrator_cannot_sign_in_until_unlocked()
    {
        var user = UniqueEmail();
        await RegisterAsync(user, Password);
        await Expect(SignedInAs(user)).ToBeVisibleAsync();
        await SignOutAsync();

        var admin = await TestAppHost.GetParameterValueAsync(app.App, "admin-email");
        await LogInAsync(admin, await TestAppHost.GetParameterValueAsync(app.App, "admin-password"));
        await Expect(SignedInAs(admin)).ToBeVisibleAsync();
        await Page.GotoAsync("/admin/users");
        await Page.Locator("#user-search").FillAsync(user);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        var row = Page.Locator(".users-table tbody tr").Filter(new() { Has = Page.Locator(".user-email", new() { HasTextString = user }) });
        await Expect(Page.Locator(".users-table tbody tr")).ToHaveCountAsync(1);
        await row.GetByRole(AriaRole.Button, new() { Name = "Lock", Exact = true }).ClickAsync();
        await Expect(row.Locator(".user-status")).ToContainTextAsync("Locked");
        await SignOutAsync();

        await LogInAsync(user, Password);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Locked out" })).ToBeVisibleAsync();

        await LogInAsync(admin, await TestAppHost.GetParameterValueAsync(app.App, "admin-password"));
        await Expect(SignedInAs(admin)).ToBeVisibleAsync();
        await Page.GotoAsync("/admin/users");
        await Page.Locator("#user-search").FillAsync(user);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Expect(Page.Locator(".users-table tbody tr")).ToHaveCountAsync(1);
        await row.GetByRole(AriaRole.Button, new() { Name = "Unlock", Exact = true }).ClickAsync();
        await Expect(row.Locator(".user-status")).ToContainTextAsync("Active");
        await SignOutAsync();

        await LogInAsync(user, Password);
        await Expect(SignedInAs(user)).ToBeVisibleAsync();
    }

    private ILocator ProviderRow(string providerName)
        => Page.Locator(".providers-table tbody tr").Filter(new() { Has = Page.Locator(".provider-name", new() { HasTextString = providerName }) });

    /// <summary>Puts the seed price back through the catalog admin API, so other tests see the catalog as seeded.</summary>
    private async Task RestorePriceAsync()
    {
        using var catalog = await TestAppHost.CreateCatalogAdminClientAsync(app.App, "e2e cleanup");
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/admin/catalog/models/{Model}/endpoints/{Provider}/pricing")
        {
            Content = JsonContent.Create(new { prompt = SeedPromptPerToken }),
        };
        using var response = await catalog.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
