using Emulators.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace UnitTests.Emulators;

public class ProviderSettingsTests
{
    private static EmulatorOptions Options() => new()
    {
        TimeToFirstTokenMs = 100,
        InterTokenDelayMs = 10,
        Providers =
        {
            ["slow"] = new EmulatedProviderOptions { TimeToFirstTokenMs = 2000 },
            ["flaky"] = new EmulatedProviderOptions { Fail = "503" },
            ["cut"] = new EmulatedProviderOptions { FailAfterTokens = 2, FailMode = "reset" },
        },
    };

    [Fact]
    public void Unknown_or_missing_providers_get_the_emulator_wide_latency_and_no_fault()
    {
        foreach (var name in new[] { null, "unknown" })
        {
            var profile = Options().ProfileFor(name);
            Assert.Equal(new EmulatedLatency(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(10)), profile.Latency);
            Assert.Null(profile.Fault);
        }
    }

    [Fact]
    public void A_provider_overrides_only_the_settings_it_has()
    {
        var profile = Options().ProfileFor("SLOW");

        Assert.Equal(TimeSpan.FromSeconds(2), profile.Latency.TimeToFirstToken);
        Assert.Equal(TimeSpan.FromMilliseconds(10), profile.Latency.InterTokenDelay);
    }

    [Fact]
    public void A_provider_fault_applies_to_its_requests()
    {
        Assert.Equal(new EmulatedFault(FaultKind.Error, 503), Options().ProfileFor("flaky").Fault);
        Assert.Equal(new EmulatedFault(FaultKind.Reset, AfterTokens: 2), Options().ProfileFor("cut").Fault);
    }

    [Fact]
    public void Fault_headers_replace_the_provider_fault_and_none_switches_it_off()
    {
        var profile = Options().ProfileFor("flaky");

        Assert.True(EmulatorDirectives.TryParse(new HeaderDictionary(), profile, out var configured, out _));
        Assert.True(EmulatorDirectives.TryParse(new HeaderDictionary { [EmulatorDirectives.FailHeader] = "none" }, profile, out var off, out _));
        Assert.True(EmulatorDirectives.TryParse(new HeaderDictionary { [EmulatorDirectives.FailModeHeader] = "hang" }, profile, out var replaced, out _));

        Assert.Equal(503, configured.FailureStatusCode);
        Assert.Null(off.Fault);
        Assert.Equal(new EmulatedFault(FaultKind.Hang), replaced.Fault);
    }

    [Fact]
    public void The_validator_names_the_configuration_key_of_each_bad_setting()
    {
        var options = new EmulatorOptions
        {
            Providers =
            {
                ["a"] = new EmulatedProviderOptions { Fail = "oops" },
                ["b"] = new EmulatedProviderOptions { InterTokenDelayMs = -1 },
                ["c"] = new EmulatedProviderOptions { FailAfterTokens = -3 },
            },
        };

        var result = new EmulatorOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.StartsWith("Emulator:Providers:a:Fail", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, failure => failure.StartsWith("Emulator:Providers:b:InterTokenDelayMs", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, failure => failure.StartsWith("Emulator:Providers:c:FailAfterTokens", StringComparison.Ordinal));
        Assert.True(new EmulatorOptionsValidator().Validate(null, Options()).Succeeded);
    }

    [Fact]
    public void Runtime_settings_replace_configured_ones_until_reset()
    {
        var providers = new EmulatedProviders(new StaticOptionsMonitor(Options()));

        Assert.Empty(providers.Override("flaky", new EmulatedProviderOptions { Fail = "hang" }));
        Assert.Equal(FaultKind.Hang, providers.ProfileFor("FLAKY").Fault?.Kind);
        Assert.Equal("hang", providers.Settings()["flaky"].Fail);

        Assert.True(providers.Reset("flaky"));
        Assert.Equal(503, providers.ProfileFor("flaky").Fault?.StatusCode);
        Assert.False(providers.Reset("flaky"));
    }

    [Fact]
    public void Invalid_runtime_settings_are_refused_and_change_nothing()
    {
        var providers = new EmulatedProviders(new StaticOptionsMonitor(Options()));

        Assert.NotEmpty(providers.Override("slow", new EmulatedProviderOptions { Fail = "200" }));
        Assert.Null(providers.ProfileFor("slow").Fault);
    }

    private sealed class StaticOptionsMonitor(EmulatorOptions value) : IOptionsMonitor<EmulatorOptions>
    {
        public EmulatorOptions CurrentValue => value;

        public EmulatorOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<EmulatorOptions, string?> listener) => null;
    }
}
