using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OpenRouterClone.Shared;

/// <summary>OpenRouter's error body: <c>{"error":{"code":402,"message":"...","metadata":{...}}}</c>.</summary>
public sealed record ErrorResponse(ErrorBody Error);

public sealed record ErrorBody(int Code, string Message, IReadOnlyDictionary<string, string>? Metadata = null);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorResponse))]
public sealed partial class ErrorJsonContext : JsonSerializerContext;

/// <summary>The one way every service answers an error to a caller.</summary>
public static class ApiError
{
    public static JsonHttpResult<ErrorResponse> Create(int statusCode, string message, IReadOnlyDictionary<string, string>? metadata = null)
        => TypedResults.Json(
            new ErrorResponse(new ErrorBody(statusCode, message, metadata)),
            ErrorJsonContext.Default.ErrorResponse,
            statusCode: statusCode);

    public static JsonHttpResult<ErrorResponse> BadRequest(string message) => Create(StatusCodes.Status400BadRequest, message);

    public static JsonHttpResult<ErrorResponse> NotFound(string message) => Create(StatusCodes.Status404NotFound, message);

    public static JsonHttpResult<ErrorResponse> Unauthorized(string message) => Create(StatusCodes.Status401Unauthorized, message);
}
