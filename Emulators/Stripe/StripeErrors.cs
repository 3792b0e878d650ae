using Microsoft.AspNetCore.Http.HttpResults;

namespace Emulators.Stripe;

/// <summary>Stripe's errors, with the messages, params and codes Stripe uses for the same mistakes.</summary>
public static class StripeErrors
{
    public static StripeError MissingParam(string param) =>
        new("invalid_request_error", $"Missing required param: {param}.", param, "parameter_missing");

    public static StripeError InvalidInteger(string param, string value) =>
        new("invalid_request_error", $"Invalid integer: {value}", param, "parameter_invalid_integer");

    public static StripeError InvalidParam(string param, string message) =>
        new("invalid_request_error", message, param, "parameter_invalid");

    public static StripeError NoSuch(string objectName, string param, string id) =>
        new("invalid_request_error", $"No such {objectName}: '{id}'", param, "resource_missing");

    public static JsonHttpResult<StripeErrorResponse> BadRequest(StripeError error) => Result(error, StatusCodes.Status400BadRequest);

    public static JsonHttpResult<StripeErrorResponse> NotFound(StripeError error) => Result(error, StatusCodes.Status404NotFound);

    public static JsonHttpResult<StripeErrorResponse> Unauthorized(string message) =>
        Result(new StripeError("invalid_request_error", message), StatusCodes.Status401Unauthorized);

    public static JsonHttpResult<StripeErrorResponse> IdempotencyKeyReused(string key) =>
        Result(
            new StripeError(
                "idempotency_error",
                $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request."),
            StatusCodes.Status400BadRequest);

    private static JsonHttpResult<StripeErrorResponse> Result(StripeError error, int statusCode) =>
        TypedResults.Json(new StripeErrorResponse(error), StripeJsonContext.Default.StripeErrorResponse, statusCode: statusCode);
}
