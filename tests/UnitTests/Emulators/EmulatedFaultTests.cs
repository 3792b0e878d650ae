using Emulators.Common;

namespace UnitTests.Emulators;

public class EmulatedFaultTests
{
    private static readonly (string, string, string) Names = ("Fail", "AfterTokens", "Mode");

    private static EmulatedFault? Parse(string? fail, string? afterTokens = null, string? mode = null)
    {
        Assert.True(EmulatedFault.TryParse(fail, afterTokens, mode, Names, out var fault, out var error), error);
        return fault;
    }

    private static string ParseError(string? fail, string? afterTokens = null, string? mode = null)
    {
        Assert.False(EmulatedFault.TryParse(fail, afterTokens, mode, Names, out _, out var error));
        return error;
    }

    [Fact]
    public void Nothing_set_means_no_fault() => Assert.Null(Parse(null, "", " "));

    [Fact]
    public void None_means_no_fault() => Assert.Null(Parse("none"));

    [Theory]
    [InlineData("429", 429)]
    [InlineData("503", 503)]
    [InlineData("529", 529)]
    public void A_status_is_an_error_before_the_reply(string fail, int status) =>
        Assert.Equal(new EmulatedFault(FaultKind.Error, status), Parse(fail));

    [Theory]
    [InlineData("hang", FaultKind.Hang)]
    [InlineData("reset", FaultKind.Reset)]
    [InlineData("MALFORMED", FaultKind.Malformed)]
    [InlineData("error", FaultKind.Error)]
    public void A_keyword_is_that_kind_of_fault(string fail, FaultKind kind) =>
        Assert.Equal(new EmulatedFault(kind), Parse(fail));

    [Fact]
    public void A_mode_and_token_count_alone_are_a_mid_stream_fault() =>
        Assert.Equal(new EmulatedFault(FaultKind.Reset, AfterTokens: 3), Parse(null, "3", "reset"));

    [Fact]
    public void A_token_count_alone_is_a_mid_stream_error_with_status_500() =>
        Assert.Equal(new EmulatedFault(FaultKind.Error, 500, AfterTokens: 0), Parse(null, "0"));

    [Fact]
    public void A_status_with_a_token_count_is_the_status_of_the_in_stream_error() =>
        Assert.Equal(new EmulatedFault(FaultKind.Error, 529, AfterTokens: 2), Parse("529", "2", "error"));

    [Theory]
    [InlineData("200", null, null, "Fail")]
    [InlineData("600", null, null, "Fail")]
    [InlineData("boom", null, null, "Fail")]
    [InlineData(null, "-1", null, "AfterTokens")]
    [InlineData(null, "many", null, "AfterTokens")]
    [InlineData(null, null, "explode", "Mode")]
    [InlineData("hang", null, "reset", "Mode")]
    [InlineData("503", null, "reset", "Mode")]
    [InlineData("none", "2", null, "Fail")]
    public void Invalid_or_conflicting_settings_are_rejected_naming_the_setting(string? fail, string? afterTokens, string? mode, string named) =>
        Assert.Contains(named, ParseError(fail, afterTokens, mode));
}
