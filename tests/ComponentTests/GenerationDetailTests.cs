using Portal.Web.Components.Pages;

namespace ComponentTests;

public sealed class GenerationDetailTests : BillingContext
{
    [Fact]
    public void Shows_cost_tokens_provider_latency_time_to_first_token_and_finish_reason()
    {
        Billing.Generations[UserId] = [FakeBillingClient.Generation("gen-1742040000-abc", cost: 0.000675m, prompt: 1_200, completion: 300)];

        var page = Render<GenerationDetail>(parameters => parameters.Add(p => p.Id, "gen-1742040000-abc"));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".generation-details")));
        Assert.Equal("$0.000675", page.Find(".detail-cost .value").TextContent.Trim());
        Assert.Equal("1,500", page.Find(".detail-tokens .value").TextContent.Trim());
        Assert.Equal("850 ms", page.Find(".detail-latency .value").TextContent.Trim());
        Assert.Equal("310 ms", page.Find(".detail-latency .ttft").TextContent.Trim());
        Assert.Equal("stop", page.Find(".detail-finish .value").TextContent.Trim());
        Assert.Equal("OpenAI", page.Find(".detail-provider").TextContent.Trim());
        Assert.Equal("openai/gpt-4o-mini", page.Find(".detail-model").TextContent.Trim());
        Assert.Equal("1,200 (20 cached)", page.Find(".detail-prompt-tokens").TextContent.Trim());
        Assert.Equal("300 (5 reasoning)", page.Find(".detail-completion-tokens").TextContent.Trim());
        Assert.Equal("Yes", page.Find(".detail-streamed").TextContent.Trim());
        Assert.Contains("Production app (sk-or-v1-abc...def)", page.Find(".detail-key").TextContent);
        Assert.Contains($"generation {UserId} gen-1742040000-abc", Billing.Calls);
        // No web search, no row for it.
        Assert.Empty(page.FindAll(".detail-search"));
    }

    [Fact]
    public void A_generation_with_a_web_search_shows_its_results_and_fee()
    {
        Billing.Generations[UserId] = [FakeBillingClient.Generation("gen-online", cost: 0.020675m) with { SearchResults = 5, SearchFee = 0.02m }];

        var page = Render<GenerationDetail>(parameters => parameters.Add(p => p.Id, "gen-online"));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".generation-details")));
        Assert.Equal("5 results · $0.02", page.Find(".detail-search").TextContent.Trim());
        Assert.Equal("$0.020675", page.Find(".detail-cost .value").TextContent.Trim());
    }

    [Fact]
    public void Another_users_generation_is_not_found()
    {
        Billing.Generations["user-bob"] = [FakeBillingClient.Generation("gen-bob")];

        var page = Render<GenerationDetail>(parameters => parameters.Add(p => p.Id, "gen-bob"));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".not-found")));
        Assert.Empty(page.FindAll(".generation-details"));
        Assert.Contains($"generation {UserId} gen-bob", Billing.Calls);
    }
}
