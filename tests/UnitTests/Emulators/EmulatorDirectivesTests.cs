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
    public void Invalid_header_values_are_rejected_with_a_message_naming_the_header(string header, string value)
    {
        var headers = new HeaderDictionary { [header] = value };

        Assert.False(EmulatorDirectives.TryParse(headers, Options, out _, out var error));

        Assert.Contains(header, error);
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
