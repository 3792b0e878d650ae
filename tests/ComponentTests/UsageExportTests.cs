using Portal.Web.Billing;

namespace ComponentTests;

public sealed class UsageExportTests
{
    [Fact]
    public void Csv_has_a_header_and_one_escaped_row_per_generation()
    {
        var generation = FakeBillingClient.Generation("gen-1", keyName: "My \"app\", v2", cost: 0.000675m);
        var formula = FakeBillingClient.Generation("gen-2", keyName: "=HYPERLINK(\"http://evil\")") with { TimeToFirstToken = null };

        var csv = UsageExport.ToCsv([generation, formula]);

        var lines = csv.Split("\r\n");
        Assert.Equal(4, lines.Length);
        Assert.Equal("id,created_at,model,provider,key_name,key_label,tokens_prompt,tokens_completion,tokens_reasoning,tokens_cached,"
            + "cost_usd,latency_ms,time_to_first_token_ms,finish_reason,streamed,cancelled", lines[0]);
        Assert.Equal("gen-1,2026-03-15T12:00:00.000Z,openai/gpt-4o-mini,OpenAI,\"My \"\"app\"\", v2\",sk-or-v1-abc...def,120,45,5,20,0.000675,850,310,stop,true,false",
            lines[1]);
        // A key name a spreadsheet would run as a formula is written as text.
        Assert.StartsWith("gen-2,2026-03-15T12:00:00.000Z,openai/gpt-4o-mini,OpenAI,\"'=HYPERLINK(\"\"http://evil\"\")\",", lines[2]);
        Assert.EndsWith(",850,,stop,true,false", lines[2]);
        Assert.Equal("", lines[3]);
    }

    [Fact]
    public void Export_link_carries_the_dashboards_filters()
    {
        Assert.Equal("activity/export?from=2026-03-01&to=2026-03-15",
            UsageExport.LinkFor(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 15), null, null));
        Assert.Equal("activity/export?from=2026-03-01&to=2026-03-15&model=google%2Fgemma-3-27b-it%3Afree&key_hash=abc",
            UsageExport.LinkFor(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 15), "google/gemma-3-27b-it:free", "abc"));
    }
}
