using System.ComponentModel.DataAnnotations;

namespace Emulators.Common;

/// <summary>
/// Latency every emulated provider adds to its replies, bound from the "Emulator" configuration section, and
/// per-provider overrides (latency and faults) under "Emulator:Providers:&lt;name&gt;". Latencies default to 0 so
/// tests run at full speed; benchmarks and demos raise them.
/// </summary>
public sealed class EmulatorOptions
{
    public const string SectionName = "Emulator";

    /// <summary>Delay before the first token: the first streamed chunk, or the start of a non-streaming reply.</summary>
    [Range(0, EmulatedProviderOptions.MaxTimeToFirstTokenMs)]
    public int TimeToFirstTokenMs { get; set; }

    /// <summary>Delay between two consecutive tokens of a reply.</summary>
    [Range(0, EmulatedProviderOptions.MaxInterTokenDelayMs)]
    public int InterTokenDelayMs { get; set; }

    /// <summary>
    /// Settings for one emulated provider, chosen by the <c>/providers/{name}</c> route prefix or the
    /// <c>X-Emulator-Provider</c> header. Names are compared without case.
    /// </summary>
    public Dictionary<string, EmulatedProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The latency and fault one request gets before its own headers are applied.</summary>
    /// <exception cref="InvalidOperationException">The provider's settings are invalid (validation runs at start).</exception>
    public EmulatorProfile ProfileFor(string? provider) =>
        EmulatorProfile.Create(this, provider is not null && Providers.TryGetValue(provider, out var settings) ? settings : null);
}

/// <summary>
/// One emulated provider's settings; anything left out falls back to the emulator-wide value (latency) or to
/// no fault. The fault settings take the same values as the <c>X-Emulator-Fail*</c> headers.
/// </summary>
public sealed class EmulatedProviderOptions
{
    public const int MaxTimeToFirstTokenMs = 600_000;

    public const int MaxInterTokenDelayMs = 60_000;

    public int? TimeToFirstTokenMs { get; set; }

    public int? InterTokenDelayMs { get; set; }

    /// <summary>An HTTP status (400-599), <c>hang</c>, <c>reset</c> or <c>malformed</c>.</summary>
    public string? Fail { get; set; }

    /// <summary>Let a stream deliver this many tokens before the fault strikes.</summary>
    public int? FailAfterTokens { get; set; }

    /// <summary><c>error</c>, <c>reset</c>, <c>malformed</c> or <c>hang</c>.</summary>
    public string? FailMode { get; set; }

    /// <summary>
    /// When set, the provider answers only requests carrying this key (as a bearer token, <c>x-api-key</c> or
    /// <c>x-goog-api-key</c>) and refuses others with 401, as a real provider refuses a wrong key.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>The problems with these settings, each naming its configuration key under <paramref name="path"/>.</summary>
    public IEnumerable<string> Validate(string path)
    {
        if (TimeToFirstTokenMs is < 0 or > MaxTimeToFirstTokenMs)
        {
            yield return $"{path}:TimeToFirstTokenMs must be from 0 to {MaxTimeToFirstTokenMs}.";
        }
        if (InterTokenDelayMs is < 0 or > MaxInterTokenDelayMs)
        {
            yield return $"{path}:InterTokenDelayMs must be from 0 to {MaxInterTokenDelayMs}.";
        }
        if (FailAfterTokens is < 0)
        {
            yield return $"{path}:FailAfterTokens must not be negative.";
        }
        else if (!TryGetFault(path, out _, out var error))
        {
            yield return error;
        }
    }

    public bool TryGetFault(string path, out EmulatedFault? fault, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error) =>
        EmulatedFault.TryParse(
            Fail,
            FailAfterTokens?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            FailMode,
            ($"{path}:Fail", $"{path}:FailAfterTokens", $"{path}:FailMode"),
            out fault,
            out error);
}

/// <summary>The effective latency and fault for one emulated provider.</summary>
public sealed record EmulatorProfile(EmulatedLatency Latency, EmulatedFault? Fault)
{
    public static EmulatorProfile Create(EmulatorOptions defaults, EmulatedProviderOptions? provider)
    {
        var latency = new EmulatedLatency(
            TimeSpan.FromMilliseconds(provider?.TimeToFirstTokenMs ?? defaults.TimeToFirstTokenMs),
            TimeSpan.FromMilliseconds(provider?.InterTokenDelayMs ?? defaults.InterTokenDelayMs));

        EmulatedFault? fault = null;
        if (provider is not null && !provider.TryGetFault("Emulator:Providers", out fault, out var error))
        {
            throw new InvalidOperationException(error);
        }
        return new EmulatorProfile(latency, fault);
    }
}
