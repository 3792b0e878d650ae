using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Web.Catalog;
using Portal.Web.Components.Pages;

namespace ComponentTests;

public sealed class ModelsPageTests : PortalContext
{
    private readonly FakeCatalogClient _catalog = new();

    public ModelsPageTests()
    {
        Services.AddSingleton<ICatalogClient>(_catalog);
        _catalog.Models.AddRange(
        [
            FakeCatalogClient.Model("openai/gpt-4o-mini", "OpenAI: GPT-4o mini", "0.00000015", "0.0000006", context: 128_000, created: 1_721_260_800,
                input: ["text", "image"], parameters: ["max_tokens", "tools"]),
            FakeCatalogClient.Model("anthropic/claude-sonnet-4", "Anthropic: Claude Sonnet 4", "0.000003", "0.000015", context: 200_000, created: 1_747_872_000,
                input: ["text", "image"], description: "Anthropic's balanced model."),
            FakeCatalogClient.Model("google/gemma-3-27b-it:free", "Google: Gemma 3 27B (free)", "0", "0", context: 96_000, created: 1_741_737_600),
        ]);
    }

    [Fact]
    public void Lists_every_model_newest_first_with_prices_per_million_tokens()
    {
        var page = Render<Models>();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".model-row").Count));
        Assert.Equal(["Anthropic: Claude Sonnet 4", "Google: Gemma 3 27B (free)", "OpenAI: GPT-4o mini"], Names(page));
        var mini = Assert.Single(page.FindAll(".model-row"), row => row.TextContent.Contains("openai/gpt-4o-mini", StringComparison.Ordinal));
        Assert.Equal("$0.15/M", mini.QuerySelector(".model-prompt-price")?.TextContent.Trim());
        Assert.Equal("$0.60/M", mini.QuerySelector(".model-completion-price")?.TextContent.Trim());
        Assert.Equal("128K context", mini.QuerySelector(".model-context")?.TextContent.Trim());
        Assert.Equal("models/openai/gpt-4o-mini", mini.QuerySelector("a.model-name")?.GetAttribute("href"));
        Assert.Equal("3 of 3 models", page.Find(".model-count").TextContent.Trim());
    }

    [Fact]
    public void Search_narrows_the_list_by_name_id_or_description()
    {
        var page = Render<Models>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".model-row").Count));

        page.Find(".model-search input").Input("balanced");

        page.WaitForAssertion(() => Assert.Equal(["Anthropic: Claude Sonnet 4"], Names(page)));
        Assert.Equal("1 of 3 models", page.Find(".model-count").TextContent.Trim());

        page.Find(".model-search input").Input("GPT-4O");

        page.WaitForAssertion(() => Assert.Equal(["OpenAI: GPT-4o mini"], Names(page)));

        page.Find(".model-search input").Input("no such model");

        page.WaitForAssertion(() => Assert.Contains("No models match", page.Markup));
        Assert.Empty(page.FindAll(".model-row"));
    }

    [Fact]
    public void Sorting_by_price_context_or_name_reorders_the_list()
    {
        var page = Render<Models>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".model-row").Count));
        var sort = page.FindComponent<MudSelect<ModelSort>>();

        page.InvokeAsync(() => sort.Instance.ValueChanged.InvokeAsync(ModelSort.PriceLowToHigh));
        page.WaitForAssertion(() => Assert.Equal(["Google: Gemma 3 27B (free)", "OpenAI: GPT-4o mini", "Anthropic: Claude Sonnet 4"], Names(page)));

        page.InvokeAsync(() => sort.Instance.ValueChanged.InvokeAsync(ModelSort.PriceHighToLow));
        page.WaitForAssertion(() => Assert.Equal(["Anthropic: Claude Sonnet 4", "OpenAI: GPT-4o mini", "Google: Gemma 3 27B (free)"], Names(page)));

        page.InvokeAsync(() => sort.Instance.ValueChanged.InvokeAsync(ModelSort.ContextHighToLow));
        page.WaitForAssertion(() => Assert.Equal(["Anthropic: Claude Sonnet 4", "OpenAI: GPT-4o mini", "Google: Gemma 3 27B (free)"], Names(page)));

        page.InvokeAsync(() => sort.Instance.ValueChanged.InvokeAsync(ModelSort.Name));
        page.WaitForAssertion(() => Assert.Equal(["Anthropic: Claude Sonnet 4", "Google: Gemma 3 27B (free)", "OpenAI: GPT-4o mini"], Names(page)));
    }

    [Fact]
    public void Filters_by_provider_modality_context_price_and_parameter()
    {
        var models = _catalog.Models;

        Assert.Equal(["openai/gpt-4o-mini"], Ids(ModelBrowser.Apply(models, new ModelFilter(Provider: "openai"))));
        Assert.Equal(["anthropic/claude-sonnet-4", "openai/gpt-4o-mini"], Ids(ModelBrowser.Apply(models, new ModelFilter(InputModality: "image"))));
        Assert.Equal(["anthropic/claude-sonnet-4", "openai/gpt-4o-mini"], Ids(ModelBrowser.Apply(models, new ModelFilter(MinContextLength: 128_000))));
        Assert.Equal(["google/gemma-3-27b-it:free", "openai/gpt-4o-mini"], Ids(ModelBrowser.Apply(models, new ModelFilter(MaxPromptPricePerMillion: 0.5m))));
        Assert.Equal(["openai/gpt-4o-mini"], Ids(ModelBrowser.Apply(models, new ModelFilter(SupportedParameter: "tools"))));
        Assert.Empty(ModelBrowser.Apply(models, new ModelFilter(OutputModality: "image")));

        var page = Render<Models>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".model-row").Count));
        var provider = Assert.Single(page.FindComponents<MudSelect<string>>(), select => select.Instance.Class?.Contains("filter-provider", StringComparison.Ordinal) == true);

        page.InvokeAsync(() => provider.Instance.ValueChanged.InvokeAsync("anthropic"));

        page.WaitForAssertion(() => Assert.Equal(["Anthropic: Claude Sonnet 4"], Names(page)));
    }

    [Fact]
    public void A_catalog_failure_is_shown()
    {
        var failing = new FailingCatalog();
        Services.AddSingleton<ICatalogClient>(failing);

        var page = Render<Models>();

        page.WaitForAssertion(() => Assert.Contains("not reachable", page.Find("[role=alert]").TextContent));
    }

    private static string[] Names(IRenderedComponent<Models> page) => [.. page.FindAll(".model-name").Select(name => name.TextContent.Trim())];

    private static string[] Ids(IEnumerable<CatalogModel> models) => [.. models.Select(model => model.Id).Order(StringComparer.Ordinal)];

    private sealed class FailingCatalog : ICatalogClient
    {
        public Task<IReadOnlyList<CatalogModel>> ListModelsAsync(CancellationToken cancellationToken = default)
            => throw new CatalogException("The model catalog is not reachable right now.");

        public Task<ModelEndpoints?> GetEndpointsAsync(string author, string slug, CancellationToken cancellationToken = default)
            => throw new CatalogException("The model catalog is not reachable right now.");

        public Task<IReadOnlyList<CatalogProvider>> ListProvidersAsync(CancellationToken cancellationToken = default)
            => throw new CatalogException("The model catalog is not reachable right now.");
    }
}
