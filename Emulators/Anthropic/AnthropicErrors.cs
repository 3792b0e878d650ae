using System.Text.Json;
using Emulators.Common;

namespace Emulators.Anthropic;

/// <summary>Anthropic's error body: <c>{"type":"error","error":{"type":"...","message":"..."}}</c>.</summary>
public sealed record AnthropicErrorResponse(AnthropicError Error)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Type { get; init; } = "error";
}

public sealed record AnthropicError(string Type, string Message);

public static class AnthropicErrors
{
    public static AnthropicErrorResponse InvalidRequest(string message) => new(new AnthropicError("invalid_request_error", message));

    public static AnthropicErrorResponse Authentication(string message) => new(new AnthropicError("authentication_error", message));

    /// <summary>The error type Anthropic documents for each HTTP status; unlisted 4xx are invalid requests, 5xx API errors.</summary>
    public static string TypeFor(int statusCode) => statusCode switch
    {
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        504 => "timeout_error",
        529 => "overloaded_error",
        >= 500 => "api_error",
        _ => "invalid_request_error",
    };

    /// <summary>The error Anthropic would send with this status, for a failure injected by a test header or setting.</summary>
    public static AnthropicErrorResponse InjectedFailure(int statusCode)
    {
        var type = TypeFor(statusCode);
        var message = type switch
        {
            "rate_limit_error" => "Number of request tokens has exceeded your per-minute rate limit.",
            "overloaded_error" => "Overloaded",
            "api_error" => "Internal server error",
            _ => "The request was rejected.",
        };
        return new AnthropicErrorResponse(new AnthropicError(type, $"Emulated failure ({statusCode}): {message}"));
    }
}

/// <summary>Anthropic's errors for the shared fault machinery; in a stream, an <c>event: error</c>.</summary>
public sealed class AnthropicWireFormat : IWireFormat
{
    public static AnthropicWireFormat Instance { get; } = new();

    public IResult ErrorResult(int statusCode) =>
        TypedResults.Json(AnthropicErrors.InjectedFailure(statusCode), AnthropicJsonContext.Default.AnthropicErrorResponse, statusCode: statusCode);

    public StreamEvent StreamError(int statusCode) =>
        new(JsonSerializer.Serialize(AnthropicErrors.InjectedFailure(statusCode), AnthropicJsonContext.Default.AnthropicErrorResponse), "error");
}
