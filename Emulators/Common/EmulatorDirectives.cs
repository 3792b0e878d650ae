using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Emulators.Common;

/// <summary>
/// Per-request test controls a caller sends as headers: a failure to answer with instead of a reply
/// (to exercise the gateway's fallbacks) and a time-to-first-token override.
/// </summary>
public sealed record EmulatorDirectives(int? FailureStatusCode, EmulatedLatency Latency)
{
    /// <summary>An HTTP error status (400-599) to answer with, after the time to first token has passed.</summary>
    public const string FailHeader = "X-Emulator-Fail";

    /// <summary>Milliseconds before the first token, overriding <see cref="EmulatorOptions.TimeToFirstTokenMs"/>.</summary>
    public const string LatencyHeader = "X-Emulator-Latency-Ms";

    private const int MaxLatencyMs = 600_000;

    public static bool TryParse(
        IHeaderDictionary headers,
        EmulatorOptions options,
        [NotNullWhen(true)] out EmulatorDirectives? directives,
        [NotNullWhen(false)] out string? error)
    {
        directives = null;
        var latency = EmulatedLatency.From(options);

        if (headers.TryGetValue(LatencyHeader, out var latencyValue))
        {
            if (!int.TryParse(latencyValue.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var latencyMs)
                || latencyMs > MaxLatencyMs)
            {
                error = $"Header {LatencyHeader} must be a whole number of milliseconds from 0 to {MaxLatencyMs}.";
                return false;
            }
            latency = latency with { TimeToFirstToken = TimeSpan.FromMilliseconds(latencyMs) };
        }

        int? failureStatusCode = null;
        if (headers.TryGetValue(FailHeader, out var failValue))
        {
            if (!int.TryParse(failValue.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var statusCode)
                || statusCode is < 400 or > 599)
            {
                error = $"Header {FailHeader} must be an HTTP error status code from 400 to 599.";
                return false;
            }
            failureStatusCode = statusCode;
        }

        directives = new EmulatorDirectives(failureStatusCode, latency);
        error = null;
        return true;
    }
}
