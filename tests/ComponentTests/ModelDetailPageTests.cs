using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Catalog;
using Portal.Web.Components.Pages;

namespace ComponentTests;

public sealed class ModelDetailPageTests : PortalContext
{
    private readonly FakeCatalogClient _catalog = new();

    public ModelDetailPageTests()
    {
        Services.AddSingleton<ICatalogClient>(_catalog);
        var architecture = new ModelArchitecture("text+image->text", ["text", "image"], ["text"], "GPT", null);
        _catalog.Endpoints["openai/gpt-4o-mini"] = new ModelEndpoints("openai/gpt-4o-mini", "OpenAI: GPT-4o mini", 1_721_260_800,
            "Small and fast.", architecture,
            [
                new ModelEndpoint("OpenAI | openai/gpt-4o-mini", "openai/gpt-4o-mini", "OpenAI: GPT-4o mini", 128_000,
                    new ModelPricing("0.00000015", "0.0000006", "0", "0", "0", InputCacheRead: "0.000000075"), "OpenAI", "openai", "unknown",
                    16_384, null, ["max_tokens", "tools"], 0, 99.5, 99.9, true,
                    new PercentileStats(420, 500, 700, 900), new PercentileStats(85.2, 80, 70, 60)),
                new ModelEndpoint("Azure | openai/gpt-4o-mini", "openai/gpt-4o-mini", "OpenAI: GPT-4o mini", 64_000,
                    new ModelPricing("0.0000002", "0.0000008"), "Azure", "azure", "fp8",
                    null, null, ["max_tokens"], 0, null, null, false, null, null),
            ]);
    }

    [Fact]
    public void Lists_each_provider_with_prices_per_million_context_quantization_and_stats()
    {
        var page = Render<ModelDetail>(parameters => parameters.Add(p => p.Author, "openai").Add(p => p.Slug, "gpt-4o-mini"));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".providers-table tbody tr").Count));
        Assert.Equal("OpenAI: GPT-4o mini", page.Find("h1").TextContent.Trim());
        var rows = page.FindAll(".providers-table tbody tr");
        Assert.Equal("OpenAI", rows[0].QuerySelector(".provider-name")?.TextContent.Trim());
        Assert.Equal("$0.15/M", rows[0].QuerySelector(".provider-prompt-price")?.TextContent.Trim());
        Assert.Equal("$0.60/M", rows[0].QuerySelector(".provider-completion-price")?.TextContent.Trim());
        Assert.Equal("$0.075/M", rows[0].QuerySelector(".provider-cache-price")?.TextContent.Trim());
        Assert.Equal("128K", rows[0].QuerySelector(".provider-context")?.TextContent.Trim());
        Assert.Equal("16.4K", rows[0].QuerySelector(".provider-max-output")?.TextContent.Trim());
        Assert.Equal("99.5%", rows[0].QuerySelector(".provider-uptime")?.TextContent.Trim());
        Assert.Equal("420 ms", rows[0].QuerySelector(".provider-latency")?.TextContent.Trim());
        Assert.Equal("85.2 tok/s", rows[0].QuerySelector(".provider-throughput")?.TextContent.Trim());

        Assert.Equal("Azure", rows[1].QuerySelector(".provider-name")?.TextContent.Trim());
        Assert.Equal("$0.20/M", rows[1].QuerySelector(".provider-prompt-price")?.TextContent.Trim());
        Assert.Equal("$0.80/M", rows[1].QuerySelector(".provider-completion-price")?.TextContent.Trim());
        Assert.Equal("fp8", rows[1].QuerySelector(".provider-quantization")?.TextContent.Trim());
        Assert.Equal("—", rows[1].QuerySelector(".provider-uptime")?.TextContent.Trim());
        Assert.Equal(["endpoints openai/gpt-4o-mini"], _catalog.Calls);
    }

    [Fact]
    public void Code_sample_calls_the_model_through_the_gateways_chat_completions()
    {
        var page = Render<ModelDetail>(parameters => parameters.Add(p => p.Author, "openai").Add(p => p.Slug, "gpt-4o-mini"));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".sample-curl")));
        var curl = page.Find(".sample-curl").TextContent;
        Assert.StartsWith("curl http://localhost/api/v1/chat/completions \\", curl);
        Assert.Contains("\"model\": \"openai/gpt-4o-mini\"", curl);
        Assert.Contains("Python", page.Find(".code-samples").TextContent);
        Assert.Contains("TypeScript", page.Find(".code-samples").TextContent);
    }

    [Fact]
    public void An_unknown_model_is_not_found()
    {
        var page = Render<ModelDetail>(parameters => parameters.Add(p => p.Author, "nobody").Add(p => p.Slug, "nothing"));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".not-found")));
        Assert.Contains("nobody/nothing", page.Find(".not-found").TextContent);
        Assert.Empty(page.FindAll(".providers-table"));
    }
}
