using Gateway.Api.Translation;

namespace UnitTests.Gateway.Translation;

public class FinishReasonsTests
{
    [Theory]
    [InlineData("stop", "stop")]
    [InlineData("length", "length")]
    [InlineData("tool_calls", "tool_calls")]
    [InlineData("content_filter", "content_filter")]
    [InlineData("function_call", "tool_calls")]
    [InlineData("eos", "stop")]
    [InlineData("end_turn", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("MAX_TOKENS", "length")]
    [InlineData("SAFETY", "content_filter")]
    [InlineData("something_new", "something_new")]
    public void Native_finish_reasons_are_normalised_and_unknown_ones_kept(string native, string expected)
        => Assert.Equal(expected, FinishReasons.Normalize(native));

    [Fact]
    public void No_finish_reason_stays_none()
    {
        Assert.Null(FinishReasons.Normalize(null));
        Assert.Null(FinishReasons.Normalize(""));
    }

    [Theory]
    [InlineData("stop", null, "end_turn")]
    [InlineData("stop", "stop_sequence", "stop_sequence")]
    [InlineData("length", "MAX_TOKENS", "max_tokens")]
    [InlineData("tool_calls", null, "tool_use")]
    [InlineData("content_filter", "SAFETY", "refusal")]
    [InlineData("stop", "max_tokens", "end_turn")]
    public void Finish_reasons_map_back_to_anthropic_stop_reasons(string finishReason, string? native, string expected)
        => Assert.Equal(expected, FinishReasons.ToAnthropic(finishReason, native));
}
