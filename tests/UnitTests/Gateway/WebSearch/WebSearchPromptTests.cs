using System.Text.Json.Nodes;
using Gateway.Api.Credits;
using Gateway.Api.WebSearch;

namespace UnitTests.Gateway.WebSearch;

public class WebSearchPromptTests
{
    private static readonly WebSearchResult[] Results =
    [
        new("Rust 2.0 released", "https://example-news.test/rust/1", "The Rust team announced..."),
        new("What changed in Rust", "https://blog.example/rust-changes", "A list of changes."),
    ];

    private static JsonObject Request(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void The_query_is_the_last_user_message_text_from_a_string_or_its_text_parts()
    {
        Assert.Equal("second question", WebSearchPrompt.QueryFrom(Request("""
            {"messages":[{"role":"user","content":"first"},{"role":"assistant","content":"answer"},{"role":"user","content":"  second question "}]}
            """)));
        Assert.Equal("look at this\nand this", WebSearchPrompt.QueryFrom(Request("""
            {"messages":[{"role":"user","content":[{"type":"text","text":"look at this"},{"type":"image_url","image_url":{"url":"https://x/y.png"}},{"type":"text","text":"and this"}]}]}
            """)));
        Assert.Null(WebSearchPrompt.QueryFrom(Request("""{"messages":[{"role":"system","content":"only a system prompt"}]}""")));
        Assert.Null(WebSearchPrompt.QueryFrom(Request("""{"messages":[{"role":"user","content":"   "}]}""")));
        Assert.Equal(WebSearchPrompt.MaxQueryLength, WebSearchPrompt.QueryFrom(Request($$"""{"messages":[{"role":"user","content":"{{new string('q', 5000)}}"}]}"""))!.Length);
    }

    [Fact]
    public void The_default_context_is_dated_and_lists_each_result_with_its_title_url_and_snippet()
    {
        var context = WebSearchPrompt.Context(new WebPluginRequest(true, 5, null), Results, new DateOnly(2026, 11, 26));

        Assert.StartsWith("A web search was conducted on 2026-11-26. Incorporate the following web search results into your response.\n\n"
            + "IMPORTANT: Cite them using markdown links named using the domain of the source.\nExample: [nytimes.com](https://nytimes.com/some-page).", context);
        Assert.Contains("[1] Rust 2.0 released\nURL: https://example-news.test/rust/1\nThe Rust team announced...", context);
        Assert.Contains("[2] What changed in Rust\nURL: https://blog.example/rust-changes\nA list of changes.", context);
    }

    [Fact]
    public void A_search_prompt_replaces_the_default_text()
    {
        var context = WebSearchPrompt.Context(new WebPluginRequest(true, 5, "Use these sources:"), Results, new DateOnly(2026, 11, 26));

        Assert.StartsWith("Use these sources:\n\n[1] Rust 2.0 released", context);
        Assert.DoesNotContain("A web search was conducted", context);
    }

    [Fact]
    public void The_context_goes_after_the_last_user_message_text_and_earlier_messages_stay_as_they_were()
    {
        var request = Request("""
            {"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"first"},{"role":"assistant","content":"ok"},{"role":"user","content":"news?"}]}
            """);
        var parts = Request("""{"messages":[{"role":"user","content":[{"type":"text","text":"news?"}]}]}""");

        WebSearchPrompt.Inject(request, "CONTEXT");
        WebSearchPrompt.Inject(parts, "CONTEXT");

        var messages = request["messages"]!.AsArray();
        Assert.Equal("news?\n\nCONTEXT", messages[3]!["content"]!.GetValue<string>());
        Assert.Equal("first", messages[1]!["content"]!.GetValue<string>());
        Assert.Equal("be brief", messages[0]!["content"]!.GetValue<string>());
        Assert.Equal("""[{"type":"text","text":"news?"},{"type":"text","text":"CONTEXT"}]""", parts["messages"]![0]!["content"]!.ToJsonString());
    }

    [Theory]
    [InlineData(1, null)]
    [InlineData(10, null)]
    [InlineData(10, "Quellen (bitte zitieren) — 資料を引用してください")]
    public void The_prompt_bound_held_for_covers_the_largest_context_a_search_can_add(int maxResults, string? searchPrompt)
    {
        var web = new WebPluginRequest(true, maxResults, searchPrompt);
        // Every field at its bound, in characters that cost the tokenizer the most.
        var largest = Enumerable.Range(1, maxResults).Select(_ => WebSearchResult.Bounded(
            string.Concat(Enumerable.Repeat("漢🙂", 200)), "https://" + string.Concat(Enumerable.Repeat("€", 600)), string.Concat(Enumerable.Repeat("\u0301ß", 800)))).ToList();
        var context = "\n\n" + WebSearchPrompt.Context(web, largest, new DateOnly(2026, 11, 26));

        Assert.True(TokenCounter.Shared.Count(context) <= HoldPlan.PromptTokenBoundFor(WebSearchPrompt.ExtraRequestBytes(web)));
    }

    [Fact]
    public void Each_result_costs_four_tenths_of_a_cent_and_the_hold_covers_every_result_asked_for()
    {
        var options = new WebSearchOptions();

        Assert.Equal(20_000_000, WebSearchPrompt.MaxFeeNanos(new WebPluginRequest(true, 5, null), options));
        Assert.Equal(12_000_000, WebSearchPrompt.FeeNanos(3, options));
        Assert.Equal(0, WebSearchPrompt.FeeNanos(0, options));
    }
}
