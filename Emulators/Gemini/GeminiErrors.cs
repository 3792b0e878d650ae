using System.Text.Json;
using Emulators.Common;

namespace Emulators.Gemini;

public static class GeminiErrors
{
    /// <summary>The google.rpc status Google pairs with each HTTP status.</summary>
    public static string StatusFor(int statusCode) => statusCode switch
    {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ABORTED",
        429 => "RESOURCE_EXHAUSTED",
        499 => "CANCELLED",
        501 => "UNIMPLEMENTED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        >= 500 => "INTERNAL",
        _ => "FAILED_PRECONDITION",
    };

    public static GeminiErrorResponse Create(int statusCode, string message) => new(new GeminiError(statusCode, message, StatusFor(statusCode)));

    public static GeminiErrorResponse InvalidArgument(string message) => Create(StatusCodes.Status400BadRequest, message);

    /// <summary>The error Gemini would send with this status, for a failure injected by a test header or setting.</summary>
    public static GeminiErrorResponse InjectedFailure(int statusCode)
    {
        var message = StatusFor(statusCode) switch
        {
            "RESOURCE_EXHAUSTED" => "Resource has been exhausted (e.g. check quota).",
            "UNAVAILABLE" => "The model is overloaded. Please try again later.",
            "INTERNAL" => "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
            "DEADLINE_EXCEEDED" => "Deadline expired before operation could complete.",
            _ => "The request was rejected.",
        };
        return Create(statusCode, $"Emulated failure ({statusCode}): {message}");
    }
}

/// <summary>Gemini's errors for the shared fault machinery; in a stream, the error body as a data event.</summary>
public sealed class GeminiWireFormat : IWireFormat
{
    public static GeminiWireFormat Instance { get; } = new();

    public IResult ErrorResult(int statusCode) =>
        TypedResults.Json(GeminiErrors.InjectedFailure(statusCode), GeminiJsonContext.Default.GeminiErrorResponse, statusCode: statusCode);

    public StreamEvent StreamError(int statusCode) =>
        new(JsonSerializer.Serialize(GeminiErrors.InjectedFailure(statusCode), GeminiJsonContext.Default.GeminiErrorResponse));
}
