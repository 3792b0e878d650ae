using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

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

/// <summary>Turns unhandled failures into OpenRouter's error format, never a stack trace or ProblemDetails.</summary>
public static class ApiErrorHandling
{
    /// <summary>Makes minimal-API binding failures throw, so that <see cref="UseApiErrorHandling"/> can word them.</summary>
    public static IServiceCollection AddApiErrorHandling(this IServiceCollection services)
        => services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

    public static IApplicationBuilder UseApiErrorHandling(this IApplicationBuilder app)
        => app.UseExceptionHandler(errorApp => errorApp.Run(async context =>
        {
            var failure = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error;
            var result = failure switch
            {
                // Malformed JSON, wrong types or a body too large: the caller's fault, said plainly.
                BadHttpRequestException badRequest => ApiError.Create(badRequest.StatusCode, "Invalid request body: it must be JSON of the documented shape"),
                // Redis, Postgres or a sibling service is unreachable: passing, so the caller may retry (and nothing was done).
                _ when IsUnreachableDependency(failure)
                    => ApiError.Create(StatusCodes.Status503ServiceUnavailable, "Service temporarily unavailable; try again shortly"),
                _ => ApiError.Create(StatusCodes.Status500InternalServerError, "Internal server error"),
            };
            await result.ExecuteAsync(context);
        }));

    /// <summary>EF Core and the execution strategy wrap the store's own exception, so the whole chain is looked at.</summary>
    private static bool IsUnreachableDependency(Exception? failure)
    {
        for (var current = failure; current is not null; current = current.InnerException)
        {
            if (current is StackExchange.Redis.RedisException or System.Data.Common.DbException { IsTransient: true } or HttpRequestException or TimeoutException)
            {
                return true;
            }
        }
        return false;
    }
}
