using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Web.Billing;
using Portal.Web.Catalog;
using Portal.Web.Components.Pages;

namespace ComponentTests;

public sealed class ProviderKeysPageTests : BillingContext
{
    private readonly FakeCatalogClient _catalog = new()
    {
        Providers =
        {
            new CatalogProvider("OpenAI", "openai", null, "US"),
            new CatalogProvider("Anthropic", "anthropic", null, "US"),
            new CatalogProvider("Mistral", "mistral", null, "FR"),
        },
    };

    public ProviderKeysPageTests() => Services.AddSingleton<ICatalogClient>(_catalog);

    private static ProviderKeyInfo Stored(string provider, string hint, bool alwaysUse = false)
        => new(provider, hint, alwaysUse, new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero), null);

    [Fact]
    public void Lists_the_users_provider_keys_by_provider_name_with_only_their_hint()
    {
        Billing.ProviderKeys[UserId] = [Stored("openai", "…a1b2", alwaysUse: true)];
        Billing.ProviderKeys["user-bob"] = [Stored("mistral", "…zzzz")];

        var page = Render<ProviderKeys>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll(".provider-keys-table tbody tr")));
        var row = page.Find(".provider-keys-table tbody tr");
        Assert.Contains("OpenAI", row.TextContent);
        Assert.Equal("…a1b2", row.QuerySelector(".key-hint")?.TextContent.Trim());
        Assert.Contains("2 Mar 2026", row.TextContent);
        Assert.DoesNotContain("…zzzz", page.Markup);
        Assert.Equal([$"ensure {UserId} {Email}", $"provider-keys {UserId}"], Billing.Calls);
    }

    [Fact]
    public void Saving_a_key_sends_it_for_the_chosen_provider_then_forgets_it()
    {
        var popovers = Render<MudPopoverProvider>();
        var page = Render<ProviderKeys>();
        page.WaitForAssertion(() => Assert.Contains("No provider keys yet", page.Markup));

        // The picker offers the catalog's providers by name.
        var select = page.FindComponent<MudSelect<string>>();
        page.InvokeAsync(select.Instance.OpenMenu);
        popovers.WaitForAssertion(() => Assert.Equal(["Anthropic", "Mistral", "OpenAI"],
            popovers.FindAll(".mud-list-item").Select(item => item.TextContent.Trim())));
        page.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync("mistral"));
        page.Find(".api-key-input input").Change("mistral-secret-9876");
        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Single(page.FindAll(".provider-keys-table tbody tr")));
        Assert.Equal(["mistral-secret-9876"], Billing.SavedSecrets);
        Assert.Contains($"save-provider-key {UserId} mistral key=new always=False", Billing.Calls);
        Assert.Equal("…9876", page.Find(".key-hint").TextContent.Trim());
        // The secret is gone from the page once stored.
        Assert.DoesNotContain("mistral-secret-9876", page.Markup);
    }

    [Fact]
    public void A_key_is_required_before_anything_is_saved()
    {
        var page = Render<ProviderKeys>();
        page.WaitForAssertion(() => Assert.Contains("No provider keys yet", page.Markup));

        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("Enter the provider's API key", page.Markup));
        Assert.Contains("Choose a provider", page.Markup);
        Assert.DoesNotContain(Billing.Calls, call => call.StartsWith("save-provider-key", StringComparison.Ordinal));
    }

    [Fact]
    public void Always_use_is_switched_without_sending_the_key_again()
    {
        Billing.ProviderKeys[UserId] = [Stored("anthropic", "…c3d4")];
        var page = Render<ProviderKeys>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".provider-keys-table tbody tr")));

        page.Find(".provider-keys-table input[type=checkbox]").Change(true);

        page.WaitForAssertion(() => Assert.Contains($"save-provider-key {UserId} anthropic key=kept always=True", Billing.Calls));
        Assert.Empty(Billing.SavedSecrets);
        Assert.True(Billing.ProviderKeys[UserId].Single().AlwaysUse);
    }

    [Fact]
    public void Removing_a_key_asks_for_confirmation_first()
    {
        Billing.ProviderKeys[UserId] = [Stored("openai", "…a1b2")];
        var dialogs = RenderProviders();
        var page = Render<ProviderKeys>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".provider-keys-table tbody tr")));

        page.Find("button[aria-label='Remove the OpenAI key']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Remove your OpenAI key?", dialogs.Markup));
        ButtonNamed(dialogs, "Cancel").Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Remove your OpenAI key?", dialogs.Markup));
        Assert.DoesNotContain(Billing.Calls, call => call.StartsWith("delete-provider-key", StringComparison.Ordinal));

        page.Find("button[aria-label='Remove the OpenAI key']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Remove your OpenAI key?", dialogs.Markup));
        ButtonNamed(dialogs, "Remove").Click();

        page.WaitForAssertion(() => Assert.Contains("No provider keys yet", page.Markup));
        Assert.Contains($"delete-provider-key {UserId} openai", Billing.Calls);
    }
}
