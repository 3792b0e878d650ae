using System.Text.Json;
using Emulators.Common;

namespace UnitTests.Emulators;

/// <summary>The deterministic rules every wire format shares: stop sequences, tool arguments, reasoning and caching.</summary>
public class SharedBehaviourTests
{
    [Fact]
    public void A_stop_sequence_cuts_the_reply_before_it_and_is_reported()
    {
        var reply = EchoReply.For("alpha beta STOP gamma", maxTokens: null, ["STOP", "gamma"]);

        Assert.Equal("Echo: alpha beta", reply.Text);
        Assert.Equal("STOP", reply.StopSequence);
        Assert.False(reply.IsTruncated);
    }

    [Fact]
    public void The_token_limit_wins_when_it_is_reached_before_the_stop_sequence()
    {
        var reply = EchoReply.For("alpha beta STOP gamma", maxTokens: 2, ["STOP"]);

        Assert.Equal("Echo: alpha", reply.Text);
        Assert.True(reply.IsTruncated);
        Assert.Null(reply.StopSequence);
    }

    [Fact]
    public void Stop_sequences_that_do_not_occur_change_nothing()
    {
        var reply = EchoReply.For("alpha beta", maxTokens: null, ["", "zeta"]);

        Assert.Equal("Echo: alpha beta", reply.Text);
        Assert.Null(reply.StopSequence);
    }

    [Fact]
    public void Tool_arguments_fill_each_required_property_by_its_type_in_schema_order()
    {
        using var schema = JsonDocument.Parse("""
            {
              "type": "object",
              "properties": {
                "unit": { "type": "string", "enum": ["celsius", "fahrenheit"] },
                "city": { "type": "string" },
                "days": { "type": "integer" },
                "detailed": { "type": "boolean" },
                "tags": { "type": "array" },
                "note": { "type": "string" }
              },
              "required": ["city", "unit", "days", "detailed", "tags"]
            }
            """);

        var arguments = ToolArguments.For(schema.RootElement, "  weather in Paris ");

        Assert.Equal("""{"city":"weather in Paris","unit":"celsius","days":1,"detailed":true,"tags":[]}""", arguments);
    }

    [Fact]
    public void Tool_arguments_read_Gemini_capitalised_types_and_are_empty_without_required_properties()
    {
        using var gemini = JsonDocument.Parse("""{"type":"OBJECT","properties":{"n":{"type":"NUMBER"}},"required":["n"]}""");
        using var optional = JsonDocument.Parse("""{"type":"object","properties":{"q":{"type":"string"}}}""");

        Assert.Equal("""{"n":1}""", ToolArguments.For(gemini.RootElement, "x"));
        Assert.Equal("{}", ToolArguments.For(optional.RootElement, "x"));
        Assert.Equal("{}", ToolArguments.For(null, "x"));
    }

    [Theory]
    [InlineData("none", 0)]
    [InlineData("minimal", 8)]
    [InlineData("low", 16)]
    [InlineData("medium", 32)]
    [InlineData("HIGH", 64)]
    [InlineData("xhigh", 128)]
    public void Reasoning_effort_sets_the_reasoning_budget(string effort, int tokens) =>
        Assert.Equal(tokens, ReasoningTrace.BudgetFor(effort));

    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(100)]
    public void A_reasoning_trace_has_exactly_its_budget_of_tokens(int budget)
    {
        var trace = ReasoningTrace.For("some user words", budget);

        Assert.Equal(budget, trace.TokenCount);
        Assert.Equal(budget, TokenCounter.Count(trace.Text));
        var sentences = string.Join(' ', Enumerable.Repeat("The user wrote 3 words, so I will echo them back.", 20));
        Assert.StartsWith(trace.Text, sentences);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1023, 0)]
    [InlineData(1024, 1024)]
    [InlineData(1151, 1024)]
    [InlineData(1152, 1152)]
    [InlineData(5000, 4992)]
    public void Long_prompts_report_cached_tokens_in_whole_increments(int promptTokens, int cached) =>
        Assert.Equal(cached, PromptCaching.CachedTokens(promptTokens));
}
