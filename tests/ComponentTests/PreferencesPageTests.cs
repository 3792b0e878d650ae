using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Web.Billing;
using Portal.Web.Catalog;
using Portal.Web.Components.Pages;

namespace ComponentTests;

public sealed class PreferencesPageTests : BillingContext
{
    public PreferencesPageTests()
    {
        var catalog = new FakeCatalogClient();
        catalog.Providers.Add(new CatalogProvider("OpenAI", "openai", null, "US"));
        catalog.Providers.Add(new CatalogProvider("Groq", "groq", null, "US"));
        catalog.Providers.Add(new CatalogProvider("DeepInfra", "deepinfra", null, "US"));
        Services.AddSingleton<ICatalogClient>(catalog);
    }

    [Fact]
    public void Shows_the_users_saved_preferences()
    {
        Billing.Preferences[UserId] = new ProviderPreferencesInfo("deny", ["groq"]);
        Billing.Preferences["user-bob"] = new ProviderPreferencesInfo("allow", ["openai"]);

        var page = Render<PreferencesSettings>();

        page.WaitForAssertion(() => Assert.True(page.Find(".data-collection-deny input").HasAttribute("checked")));
        // The selected providers show by name.
        Assert.Equal("Groq", page.Find(".ignored-providers input").GetAttribute("value"));
        Assert.Contains($"preferences {UserId}", Billing.Calls);
        Assert.DoesNotContain(Billing.Calls, call => call.Contains("user-bob", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Saving_sends_the_switch_and_the_chosen_providers()
    {
        var popovers = Render<MudPopoverProvider>();
        var page = Render<PreferencesSettings>();
        page.WaitForAssertion(() => Assert.Contains($"preferences {UserId}", Billing.Calls));
        Assert.False(page.Find(".data-collection-deny input").HasAttribute("checked"));

        // The picker offers the catalog's providers by name.
        var select = page.FindComponent<MudSelect<string>>();
        await page.InvokeAsync(select.Instance.OpenMenu);
        popovers.WaitForAssertion(() => Assert.Equal(["DeepInfra", "Groq", "OpenAI"],
            popovers.FindAll(".mud-list-item").Select(item => item.TextContent.Trim())));
        await page.InvokeAsync(() => select.Instance.SelectedValuesChanged.InvokeAsync(["openai", "deepinfra"]));
        page.Find(".data-collection-deny input").Change(true);
        page.Find(".save-preferences").Click();

        page.WaitForAssertion(() => Assert.Contains($"save-preferences {UserId} deny deepinfra,openai", Billing.Calls));
        Assert.Equal(new ProviderPreferencesInfo("deny", ["deepinfra", "openai"]), Billing.Preferences[UserId], PreferencesComparer.Instance);
    }

    [Fact]
    public void A_billing_failure_is_shown()
    {
        Billing.Failure = new BillingException(null, "The billing service is not reachable right now.");

        var page = Render<PreferencesSettings>();

        page.WaitForAssertion(() => Assert.Contains("The billing service is not reachable right now.", page.Markup));
    }

    private sealed class PreferencesComparer : IEqualityComparer<ProviderPreferencesInfo>
    {
        public static readonly PreferencesComparer Instance = new();

        public bool Equals(ProviderPreferencesInfo? x, ProviderPreferencesInfo? y)
            => x?.DataCollection == y?.DataCollection && (x?.IgnoredProviders ?? []).SequenceEqual(y?.IgnoredProviders ?? []);

        public int GetHashCode(ProviderPreferencesInfo obj) => obj.DataCollection.GetHashCode(StringComparison.Ordinal);
    }
}
