using Portal.Web.Admin;
using Portal.Web.Components.Admin;

namespace ComponentTests.Admin;

public sealed class AdminCatalogPageTests : AdminContext
{
    [Fact]
    public void Lists_every_endpoint_with_its_prices_per_million_and_search_narrows_the_list()
    {
        Render<MudBlazor.MudPopoverProvider>();
        var page = Render<AdminCatalog>();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".endpoints-table tbody tr").Count));
        var mini = Assert.Single(page.FindAll(".endpoints-table tbody tr"), row => row.QuerySelector(".endpoint-model")?.TextContent == "openai/gpt-4o-mini");
        Assert.Equal("$0.15/M", mini.QuerySelector(".endpoint-prompt-price")?.TextContent.Trim());
        Assert.Equal("$0.60/M", mini.QuerySelector(".endpoint-completion-price")?.TextContent.Trim());

        page.Find("#catalog-search").Input("deepinfra");

        page.WaitForAssertion(() =>
        {
            var row = Assert.Single(page.FindAll(".endpoints-table tbody tr"));
            Assert.Equal("deepinfra", row.QuerySelector(".endpoint-provider")?.TextContent);
        });
    }

    [Fact]
    public void Editing_a_price_sends_only_the_changed_price_per_token_with_the_actor_and_shows_it()
    {
        Render<MudBlazor.MudPopoverProvider>();
        var page = Render<AdminCatalog>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".endpoints-table tbody tr")));

        page.Find("button[aria-label='Edit prices of openai/gpt-4o-mini at openai']").Click();
        Assert.Contains("Prices of openai/gpt-4o-mini at openai", page.Find(".price-editor").TextContent);
        Assert.Equal("0.15", page.Find("#price-prompt").GetAttribute("value"));

        page.Find("#price-prompt").Change("0.3");
        page.Find(".price-editor form").Submit();

        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".price-editor")));
        Assert.Equal($"pricing openai/gpt-4o-mini openai by {Actor}", Assert.Single(CatalogAdmin.Calls, call => call.StartsWith("pricing", StringComparison.Ordinal)));
        var update = Assert.Single(CatalogAdmin.PricingUpdates);
        Assert.Equal(0.0000003m, update.Prompt);
        // Untouched fields are left out, so the catalog keeps them as they are.
        Assert.Null(update.Completion);
        Assert.Null(update.InputCacheRead);
        var mini = Assert.Single(page.FindAll(".endpoints-table tbody tr"), row => row.QuerySelector(".endpoint-model")?.TextContent == "openai/gpt-4o-mini");
        Assert.Equal("$0.30/M", mini.QuerySelector(".endpoint-prompt-price")?.TextContent.Trim());
    }

    [Fact]
    public void A_refused_price_edit_shows_the_catalogs_message_and_keeps_the_editor_open()
    {
        Render<MudBlazor.MudPopoverProvider>();
        var page = Render<AdminCatalog>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".endpoints-table tbody tr")));
        page.Find("button[aria-label='Edit prices of openai/gpt-4o-mini at openai']").Click();
        CatalogAdmin.Failure = new AdminApiException(System.Net.HttpStatusCode.BadRequest, "'prompt' must not be negative");

        page.Find("#price-prompt").Change("0.5");
        page.Find(".price-editor form").Submit();

        page.WaitForAssertion(() => Assert.Contains("'prompt' must not be negative", page.Find("[role='alert']").TextContent));
        Assert.NotEmpty(page.FindAll(".price-editor"));
    }

    [Fact]
    public void Disabling_an_endpoint_goes_to_the_catalog_with_the_actor()
    {
        Render<MudBlazor.MudPopoverProvider>();
        var page = Render<AdminCatalog>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".endpoints-table tbody tr")));

        page.Find("input[aria-label='Enable openai/gpt-4o-mini at openai']").Change(false);

        page.WaitForAssertion(() => Assert.Contains($"endpoint openai/gpt-4o-mini openai enabled=False by {Actor}", CatalogAdmin.Calls));
        Assert.False(CatalogAdmin.Models[0].Endpoints[0].IsEnabled);
        page.WaitForAssertion(() => Assert.False(page.Find("input[aria-label='Enable openai/gpt-4o-mini at openai']").HasAttribute("checked")));
    }

    [Fact]
    public void The_recent_changes_tab_shows_the_catalogs_audit_trail_with_the_actor()
    {
        CatalogAdmin.Changes.Add(new CatalogChange(42, BillingContext.Now, Actor, "endpoint", "openai/gpt-4o-mini@openai", "update", "pricing.prompt 0.00000015 -> 0.0000003"));
        Render<MudBlazor.MudPopoverProvider>();
        var page = Render<AdminCatalog>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".endpoints-table tbody tr")));
        Assert.DoesNotContain(CatalogAdmin.Calls, call => call.StartsWith("changes", StringComparison.Ordinal));

        Assert.Single(page.FindAll(".mud-tab"), tab => tab.TextContent.Trim() == "Recent changes").Click();

        page.WaitForAssertion(() => Assert.Single(page.FindAll(".changes-table tbody tr")));
        Assert.Equal(Actor, page.Find(".changes-table .change-actor").TextContent.Trim());
        Assert.Contains("pricing.prompt 0.00000015 -> 0.0000003", page.Find(".changes-table .change-summary").TextContent);
        Assert.Contains("changes 50", CatalogAdmin.Calls);
    }
}
