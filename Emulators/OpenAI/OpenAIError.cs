namespace Emulators.OpenAI;

/// <summary>OpenAI's error body: <c>{"error":{"message":"...","type":"...","param":...,"code":...}}</c>.</summary>
public sealed record OpenAIErrorResponse(OpenAIError Error);

public sealed record OpenAIError(string Message, string Type, string? Param, string? Code);

public static class OpenAIErrors
{
    public static OpenAIErrorResponse InvalidRequest(string message, string? param = null) =>
        new(new OpenAIError(message, "invalid_request_error", param, Code: null));

    /// <summary>The error OpenAI would send with this status, for a failure injected by a test header.</summary>
    public static OpenAIErrorResponse InjectedFailure(int statusCode)
    {
        var prefix = $"Emulated failure ({statusCode}): ";
        var error = statusCode switch
        {
            401 => new OpenAIError(prefix + "Incorrect API key provided.", "invalid_request_error", null, "invalid_api_key"),
            404 => new OpenAIError(prefix + "The model does not exist.", "invalid_request_error", "model", "model_not_found"),
            429 => new OpenAIError(prefix + "Rate limit reached.", "requests", null, "rate_limit_exceeded"),
            >= 500 => new OpenAIError(prefix + "The server had an error while processing your request.", "server_error", null, null),
            _ => new OpenAIError(prefix + "The request was rejected.", "invalid_request_error", null, null),
        };
        return new OpenAIErrorResponse(error);
    }
}

/// <summary>OpenAI's errors for the shared fault machinery; in a stream, OpenAI sends the error body as a data event.</summary>
public sealed class OpenAIWireFormat : Common.IWireFormat
{
    public static OpenAIWireFormat Instance { get; } = new();

    public IResult ErrorResult(int statusCode) =>
        TypedResults.Json(OpenAIErrors.InjectedFailure(statusCode), OpenAIJsonContext.Default.OpenAIErrorResponse, statusCode: statusCode);

    public Common.StreamEvent StreamError(int statusCode) =>
        new(System.Text.Json.JsonSerializer.Serialize(OpenAIErrors.InjectedFailure(statusCode), OpenAIJsonContext.Default.OpenAIErrorResponse));
}
