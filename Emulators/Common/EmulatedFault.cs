using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Emulators.Common;

/// <summary>How an injected failure shows itself to the caller.</summary>
public enum FaultKind
{
    /// <summary>An HTTP error status with the provider's error body; mid-stream, the provider's error event.</summary>
    Error,

    /// <summary>Accept the request and never answer (or stop sending mid-stream) until the client gives up.</summary>
    Hang,

    /// <summary>Abort the connection: before the response, or mid-stream after some tokens.</summary>
    Reset,

    /// <summary>Send a truncated, non-JSON payload: half of the body, or a half chunk mid-stream, then stop.</summary>
    Malformed,
}

/// <summary>
/// A failure to inject into one reply. Without <see cref="AfterTokens"/> it happens before the reply starts;
/// with it, a stream starts normally and fails right before token N+1 would be sent (or after its last token
/// when the reply is shorter), and a non-streaming reply fails after the time N tokens take.
/// </summary>
public sealed record EmulatedFault(FaultKind Kind, int StatusCode = EmulatedFault.DefaultStatusCode, int? AfterTokens = null)
{
    public const int DefaultStatusCode = StatusCodes.Status500InternalServerError;

    private const int MaxAfterTokens = 1_000_000;

    /// <summary>
    /// Reads a fault from its three settings, the same for headers and configuration:
    /// <paramref name="fail"/> is a status (400-599), <c>hang</c>, <c>reset</c>, <c>malformed</c>, <c>error</c> or
    /// <c>none</c>; <paramref name="mode"/> is one of the four kinds; <paramref name="afterTokens"/> a count.
    /// A fault needs any one of them: a mode or token count alone means that kind, or an error with status 500.
    /// </summary>
    /// <param name="names">The names of the three settings, for error messages.</param>
    /// <param name="fault">Null when no fault is asked for (or <c>none</c> is).</param>
    public static bool TryParse(
        string? fail,
        string? afterTokens,
        string? mode,
        (string Fail, string AfterTokens, string Mode) names,
        out EmulatedFault? fault,
        [NotNullWhen(false)] out string? error)
    {
        fault = null;
        error = null;
        fail = Blank(fail);
        afterTokens = Blank(afterTokens);
        mode = Blank(mode);

        if (string.Equals(fail, "none", StringComparison.OrdinalIgnoreCase))
        {
            if (afterTokens is not null || mode is not null)
            {
                error = $"{names.Fail} 'none' cannot be combined with {names.AfterTokens} or {names.Mode}.";
                return false;
            }
            return true;
        }

        int? statusCode = null;
        FaultKind? failKind = null;
        if (fail is not null)
        {
            if (int.TryParse(fail, NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                if (status is < 400 or > 599)
                {
                    error = $"{names.Fail} must be an HTTP error status code from 400 to 599, or hang, reset, malformed or none.";
                    return false;
                }
                statusCode = status;
                failKind = FaultKind.Error;
            }
            else if (TryParseKind(fail, out var kind))
            {
                failKind = kind;
            }
            else
            {
                error = $"{names.Fail} must be an HTTP error status code from 400 to 599, or hang, reset, malformed or none.";
                return false;
            }
        }

        FaultKind? modeKind = null;
        if (mode is not null)
        {
            if (!TryParseKind(mode, out var kind))
            {
                error = $"{names.Mode} must be one of error, reset, malformed or hang.";
                return false;
            }
            modeKind = kind;
        }

        if (failKind is not null && modeKind is not null && failKind != modeKind)
        {
            error = statusCode is not null
                ? $"A status code in {names.Fail} needs {names.Mode} error (or no mode)."
                : $"{names.Fail} and {names.Mode} ask for different failures.";
            return false;
        }

        int? after = null;
        if (afterTokens is not null)
        {
            if (!int.TryParse(afterTokens, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > MaxAfterTokens)
            {
                error = $"{names.AfterTokens} must be a whole number of tokens from 0 to {MaxAfterTokens}.";
                return false;
            }
            after = count;
        }

        var faultKind = failKind ?? modeKind ?? (after is not null ? FaultKind.Error : null);
        if (faultKind is { } resolved)
        {
            fault = new EmulatedFault(resolved, statusCode ?? DefaultStatusCode, after);
        }
        return true;
    }

    private static bool TryParseKind(string value, out FaultKind kind)
    {
        kind = default;
        // Enum.TryParse would also take numbers, which here are status codes.
        return value.All(char.IsAsciiLetter) && Enum.TryParse(value, ignoreCase: true, out kind);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
