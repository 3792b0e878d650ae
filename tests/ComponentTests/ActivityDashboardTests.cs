using MudBlazor;
using Portal.Web.Billing;
using Portal.Web.Components.Pages;

namespace ComponentTests;

public sealed class ActivityDashboardTests : BillingContext
{
    private static readonly DateOnly From30 = Today.AddDays(-29);

    [Fact]
    public void Shows_the_periods_totals_and_the_signed_in_users_generations()
    {
        Billing.Usage[UserId] = Report(From30, spend: 1.25m, requests: 42, prompt: 12_000, completion: 3_400);
        Billing.Generations[UserId] =
        [
            FakeBillingClient.Generation("gen-older", model: "anthropic/claude-sonnet-4", cost: 0.0105m, minutesAgo: 30, keyHash: null, keyName: null),
            FakeBillingClient.Generation("gen-newest", cost: 0.0012m),
        ];
        Billing.Generations["user-bob"] = [FakeBillingClient.Generation("gen-bob")];

        var page = Render<ActivityDashboard>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".generations-table tbody tr").Count));
        Assert.Equal("$1.25", page.Find(".usage-spend .amount").TextContent.Trim());
        Assert.Equal("42", page.Find(".usage-requests .amount").TextContent.Trim());
        Assert.Equal("15.4K", page.Find(".usage-tokens .amount").TextContent.Trim());
        Assert.Contains("12K prompt · 3,400 completion", page.Find(".usage-tokens .token-split").TextContent);
        Assert.Equal(["openai/gpt-4o-mini", "anthropic/claude-sonnet-4"], page.FindAll(".top-model .name").Select(cell => cell.TextContent.Trim()));
        Assert.Equal(["Production app", "Deleted key"], page.FindAll(".key-spend .name").Select(cell => cell.TextContent.Trim()));

        var rows = page.FindAll(".generations-table tbody tr");
        Assert.Equal("openai/gpt-4o-mini", rows[0].QuerySelector(".generation-model")?.TextContent.Trim());
        Assert.Equal("$0.0012", rows[0].QuerySelector(".generation-cost")?.TextContent.Trim());
        Assert.Equal("120 → 45", rows[0].QuerySelector(".generation-tokens")?.TextContent.Trim());
        Assert.Equal("850 ms", rows[0].QuerySelector(".generation-latency")?.TextContent.Trim());
        Assert.Equal("Production app", rows[0].QuerySelector(".generation-key")?.TextContent.Trim());
        Assert.Equal("activity/gen-newest", rows[0].QuerySelector(".generation-time a")?.GetAttribute("href"));
        Assert.Equal("15 Mar 2026, 12:00:00 UTC", rows[0].QuerySelector(".generation-time")?.TextContent.Trim());
        Assert.Equal("$0.0105", rows[1].QuerySelector(".generation-cost")?.TextContent.Trim());
        Assert.Equal("Deleted key", rows[1].QuerySelector(".generation-key")?.TextContent.Trim());
        Assert.DoesNotContain("gen-bob", page.Markup);

        // Everything was asked for the signed-in user and the default period: the last 30 UTC days.
        Assert.Contains($"usage {UserId} {From30:yyyy-MM-dd} {Today:yyyy-MM-dd}", Billing.Calls);
        Assert.Contains($"generations {UserId} {From30:yyyy-MM-dd} {Today:yyyy-MM-dd} model= key= offset=0 limit=25", Billing.Calls);
        Assert.All(Billing.Calls, call => Assert.Contains(UserId, call));
    }

    [Fact]
    public void Filtering_by_model_and_key_asks_billing_for_those_rows_and_updates_the_export_link()
    {
        Billing.AddKey(UserId, "Staging");
        var staging = Billing.KeysOf(UserId)[0];
        Billing.Usage[UserId] = Report(From30, spend: 1m, requests: 3, prompt: 10, completion: 10);
        Billing.Generations[UserId] =
        [
            FakeBillingClient.Generation("gen-1", model: "openai/gpt-4o-mini", minutesAgo: 1),
            FakeBillingClient.Generation("gen-2", model: "anthropic/claude-sonnet-4", minutesAgo: 2, keyHash: staging.Hash, keyName: "Staging"),
            FakeBillingClient.Generation("gen-3", model: "anthropic/claude-sonnet-4", minutesAgo: 3),
        ];
        var page = Render<ActivityDashboard>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".generations-table tbody tr").Count));

        var modelFilter = Select(page, "filter-model");
        page.InvokeAsync(() => modelFilter.Instance.ValueChanged.InvokeAsync("anthropic/claude-sonnet-4"));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".generations-table tbody tr").Count));
        Assert.Contains($"generations {UserId} {From30:yyyy-MM-dd} {Today:yyyy-MM-dd} model=anthropic/claude-sonnet-4 key= offset=0 limit=25", Billing.Calls);
        Assert.All(page.FindAll(".generation-model"), cell => Assert.Equal("anthropic/claude-sonnet-4", cell.TextContent.Trim()));

        var keyFilter = Select(page, "filter-key");
        page.InvokeAsync(() => keyFilter.Instance.ValueChanged.InvokeAsync(staging.Hash));

        page.WaitForAssertion(() => Assert.Single(page.FindAll(".generations-table tbody tr")));
        Assert.Contains($"generations {UserId} {From30:yyyy-MM-dd} {Today:yyyy-MM-dd} model=anthropic/claude-sonnet-4 key={staging.Hash} offset=0 limit=25", Billing.Calls);
        Assert.Contains("gen-2", page.Find(".generations-table tbody tr").InnerHtml);
        var export = page.Find("a.export-csv");
        Assert.Equal($"activity/export?from={From30:yyyy-MM-dd}&to={Today:yyyy-MM-dd}&model=anthropic%2Fclaude-sonnet-4&key_hash={staging.Hash}",
            export.GetAttribute("href"));
        Assert.True(export.HasAttribute("download"));
    }

    [Fact]
    public void Pages_through_generations_on_the_server()
    {
        Billing.Usage[UserId] = Report(From30, spend: 1m, requests: 30, prompt: 10, completion: 10);
        Billing.Generations[UserId] = [.. Enumerable.Range(0, 30).Select(i => FakeBillingClient.Generation($"gen-{i:00}", minutesAgo: i))];
        var page = Render<ActivityDashboard>();
        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll(".generations-table tbody tr").Count));
        Assert.Contains("gen-00", page.FindAll(".generations-table tbody tr")[0].InnerHtml);

        page.Find(".mud-table-pagination-actions button[aria-label='Next page']").Click();

        page.WaitForAssertion(() => Assert.Equal(5, page.FindAll(".generations-table tbody tr").Count));
        Assert.Contains($"generations {UserId} {From30:yyyy-MM-dd} {Today:yyyy-MM-dd} model= key= offset=25 limit=25", Billing.Calls);
        Assert.Contains("gen-25", page.FindAll(".generations-table tbody tr")[0].InnerHtml);
        Assert.Contains("26-30 of 30", page.Find(".mud-table-pagination").TextContent);
    }

    [Fact]
    public void Choosing_seven_days_reloads_usage_and_generations_for_that_period()
    {
        var page = Render<ActivityDashboard>();
        page.WaitForAssertion(() => Assert.Contains("No generations match", page.Markup));

        ButtonNamed(page, "7 days").Click();

        var from7 = Today.AddDays(-6);
        page.WaitForAssertion(() => Assert.Contains($"usage {UserId} {from7:yyyy-MM-dd} {Today:yyyy-MM-dd}", Billing.Calls));
        page.WaitForAssertion(() => Assert.Contains(Billing.Calls, call => call.StartsWith($"generations {UserId} {from7:yyyy-MM-dd} {Today:yyyy-MM-dd}", StringComparison.Ordinal)));
        Assert.Equal("true", ButtonNamed(page, "7 days").GetAttribute("aria-pressed"));
        Assert.Equal("$0.00", page.Find(".usage-spend .amount").TextContent.Trim());
    }

    private static IRenderedComponent<MudSelect<string>> Select(IRenderedComponent<ActivityDashboard> page, string className)
        => Assert.Single(page.FindComponents<MudSelect<string>>(), select => select.Instance.Class?.Contains(className, StringComparison.Ordinal) == true);

    private static UsageReport Report(DateOnly from, decimal spend, int requests, long prompt, long completion)
    {
        var days = Enumerable.Range(0, Today.DayNumber - from.DayNumber + 1)
            .Select(i => from.AddDays(i))
            .Select(day => day == Today ? new UsageByDay(day, spend, requests, prompt, completion, 0) : new UsageByDay(day, 0, 0, 0, 0, 0))
            .ToList();
        return new UsageReport(from, Today, new UsageTotals(spend, requests, prompt, completion, 0), days,
            [
                new UsageByModel("openai/gpt-4o-mini", spend * 0.8m, requests - 2, prompt / 2, completion / 2),
                new UsageByModel("anthropic/claude-sonnet-4", spend * 0.2m, 2, prompt / 2, completion / 2),
            ],
            [
                new UsageByKey("hash-a", "Production app", "sk-or-v1-abc...def", spend * 0.9m, requests - 1, prompt, completion),
                new UsageByKey(null, null, null, spend * 0.1m, 1, 0, 0),
            ]);
    }
}
