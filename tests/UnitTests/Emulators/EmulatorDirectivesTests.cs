using Emulators.Common;
using Microsoft.AspNetCore.Http;

namespace UnitTests.Emulators;

public class EmulatorDirectivesTests
{
    private static readonly EmulatorOptions Options = new() { TimeToFirstTokenMs = 200, InterTokenDelayMs = 20 };

    [Fact]
    public void Without_headers_the_configured_latency_applies_and_nothing_fails()
    {
        Assert.True(EmulatorDirectives.TryParse(new HeaderDictionary(), Options, out var directives, out _));

        Assert.Null(directives.FailureStatusCode);
        Assert.Equal(TimeSpan.FromMilliseconds(200), directives.Latency.TimeToFirstToken);
        Assert.Equal(TimeSpan.FromMilliseconds(20), directives.Latency.InterTokenDelay);
    }

    [Fact]
    public void The_latency_header_overrides_only_the_time_to_first_token()
    {
        var headers = new HeaderDictionary { [EmulatorDirectives.LatencyHeader] = "1500" };

        Assert.True(EmulatorDirectives.TryParse(headers, Options, out var directives, out _));

        Assert.Equal(TimeSpan.FromMilliseconds(1500), directives.Latency.TimeToFirstToken);
        Assert.Equal(TimeSpan.FromMilliseconds(20), directives.Latency.InterTokenDelay);
    }

    [Theory]
    [InlineData("429")]
    [InlineData("500")]
    [InlineData("503")]
    public void The_fail_header_asks_for_that_status(string status)
    {
        var headers = new HeaderDictionary { [EmulatorDirectives.FailHeader] = status };

        Assert.True(EmulatorDirectives.TryParse(headers, Options, out var directives, out _));

        Assert.Equal(int.Parse(status), directives.FailureStatusCode);
    }

    [Theory]
    [InlineData(EmulatorDirectives.FailHeader, "200")]
    [InlineData(EmulatorDirectives.FailHeader, "600")]
    [InlineData(EmulatorDirectives.FailHeader, "boom")]
    [InlineData(EmulatorDirectives.LatencyHeader, "-5")]
    [InlineData(EmulatorDirectives.LatencyHeader, "fast")]
    [InlineData(EmulatorDirectives.LatencyHeader, "600001")]
    [InlineData(EmulatorDirectives.InterTokenDelayHeader, "slow")]
    [InlineData(EmulatorDirectives.FailAfterTokensHeader, "-1")]
    [InlineData(EmulatorDirectives.FailModeHeader, "explode")]
    public void Invalid_header_values_are_rejected_with_a_message_naming_the_header(string header, string value)
    {
        var headers = new HeaderDictionary { [header] = value };

        Assert.False(EmulatorDirectives.TryParse(headers, Options, out _, out var error));

        Assert.Contains(header, error);
    }

    [Fact]
    public void The_inter_token_header_overrides_only_the_inter_token_delay()
    {
        var headers = new HeaderDictionary { [EmulatorDirectives.InterTokenDelayHeader] = "75" };

        Assert.True(EmulatorDirectives.TryParse(headers, Options, out var directives, out _));

        Assert.Equal(TimeSpan.FromMilliseconds(200), directives.Latency.TimeToFirstToken);
        Assert.Equal(TimeSpan.FromMilliseconds(75), directives.Latency.InterTokenDelay);
    }

    [Theory]
    [InlineData("hang", null, null, FaultKind.Hang, null)]
    [InlineData(null, "3", "reset", FaultKind.Reset, 3)]
    [InlineData(null, "0", "malformed", FaultKind.Malformed, 0)]
    [InlineData("429", "5", null, FaultKind.Error, 5)]
    public void The_fault_headers_describe_the_fault(string? fail, string? afterTokens, string? mode, FaultKind kind, int? expectedAfter)
    {
        var headers = new HeaderDictionary();
        if (fail is not null) headers[EmulatorDirectives.FailHeader] = fail;
        if (afterTokens is not null) headers[EmulatorDirectives.FailAfterTokensHeader] = afterTokens;
        if (mode is not null) headers[EmulatorDirectives.FailModeHeader] = mode;

        Assert.True(EmulatorDirectives.TryParse(headers, Options, out var directives, out _));

        Assert.Equal(kind, directives.Fault?.Kind);
        Assert.Equal(expectedAfter, directives.Fault?.AfterTokens);
        // Only a status failure before the reply is reported as the status to answer with.
        Assert.Null(directives.FailureStatusCode);
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(1, 100)]
    [InlineData(4, 130)]
    public void Total_latency_is_the_first_token_then_one_delay_per_further_token(int tokens, int expectedMs)
    {
        var latency = new EmulatedLatency(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(10));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), latency.TotalFor(tokens));
    }
}
