using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Emulators.Common;

/// <summary>
/// The latency and fault one request gets: its provider's profile, overridden by test headers the caller sends.
/// The three fault headers replace the provider's configured fault as a whole (<c>X-Emulator-Fail: none</c>
/// switches it off); the latency headers replace one value each.
/// </summary>
public sealed record EmulatorDirectives(EmulatedLatency Latency, EmulatedFault? Fault)
{
    /// <summary>An HTTP error status (400-599) to answer with, or <c>hang</c>, <c>reset</c>, <c>malformed</c>, <c>none</c>.</summary>
    public const string FailHeader = "X-Emulator-Fail";

    /// <summary>Tokens a stream delivers before the fault strikes (the stream has started by then).</summary>
    public const string FailAfterTokensHeader = "X-Emulator-Fail-After-Tokens";

    /// <summary><c>error</c> (default), <c>reset</c>, <c>malformed</c> or <c>hang</c>.</summary>
    public const string FailModeHeader = "X-Emulator-Fail-Mode";

    /// <summary>Milliseconds before the first token, overriding the provider's time to first token.</summary>
    public const string LatencyHeader = "X-Emulator-Latency-Ms";

    /// <summary>Milliseconds between two tokens, overriding the provider's inter-token delay.</summary>
    public const string InterTokenDelayHeader = "X-Emulator-Inter-Token-Delay-Ms";

    /// <summary>The status of a fault that answers with an HTTP error before any reply, else null.</summary>
    public int? FailureStatusCode => Fault is { Kind: FaultKind.Error, AfterTokens: null } fault ? fault.StatusCode : null;

    public static bool TryParse(
        IHeaderDictionary headers,
        EmulatorOptions options,
        [NotNullWhen(true)] out EmulatorDirectives? directives,
        [NotNullWhen(false)] out string? error) =>
        TryParse(headers, options.ProfileFor(null), out directives, out error);

    public static bool TryParse(
        IHeaderDictionary headers,
        EmulatorProfile profile,
        [NotNullWhen(true)] out EmulatorDirectives? directives,
        [NotNullWhen(false)] out string? error)
    {
        directives = null;
        var latency = profile.Latency;

        if (!TryReadMilliseconds(headers, LatencyHeader, EmulatedProviderOptions.MaxTimeToFirstTokenMs, out var firstTokenMs, out error)
            || !TryReadMilliseconds(headers, InterTokenDelayHeader, EmulatedProviderOptions.MaxInterTokenDelayMs, out var interTokenMs, out error))
        {
            return false;
        }
        if (firstTokenMs is { } first)
        {
            latency = latency with { TimeToFirstToken = TimeSpan.FromMilliseconds(first) };
        }
        if (interTokenMs is { } inter)
        {
            latency = latency with { InterTokenDelay = TimeSpan.FromMilliseconds(inter) };
        }

        var fault = profile.Fault;
        if (headers.ContainsKey(FailHeader) || headers.ContainsKey(FailAfterTokensHeader) || headers.ContainsKey(FailModeHeader))
        {
            if (!EmulatedFault.TryParse(
                    headers[FailHeader].ToString(),
                    headers[FailAfterTokensHeader].ToString(),
                    headers[FailModeHeader].ToString(),
                    ("Header " + FailHeader, "Header " + FailAfterTokensHeader, "Header " + FailModeHeader),
                    out fault,
                    out error))
            {
                return false;
            }
        }

        directives = new EmulatorDirectives(latency, fault);
        return true;
    }

    private static bool TryReadMilliseconds(
        IHeaderDictionary headers, string name, int max, out int? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        error = null;
        if (!headers.TryGetValue(name, out var raw))
        {
            return true;
        }
        if (!int.TryParse(raw.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds) || milliseconds > max)
        {
            error = $"Header {name} must be a whole number of milliseconds from 0 to {max}.";
            return false;
        }
        value = milliseconds;
        return true;
    }
}
