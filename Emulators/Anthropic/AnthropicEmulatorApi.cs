using System.Text.Json;
using Emulators.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Emulators.Anthropic;

/// <summary>The Anthropic Messages API, answered offline with deterministic echo replies.</summary>
public static class AnthropicEmulatorApi
{
    public const string ApiKeyHeader = "x-api-key";

    public const string VersionHeader = "anthropic-version";

    public static IEndpointRouteBuilder MapAnthropicEmulatorApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/messages", CreateMessageAsync);
        endpoints.MapPost("/v1/messages/count_tokens", CountTokensAsync);
        return endpoints;
    }

    private static async Task<IResult> CreateMessageAsync(
        HttpContext httpContext,
        EmulatedProviders providers,
        AnthropicPromptCache promptCache,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var (request, error) = await ReadRequestAsync(httpContext, countingTokens: false, cancellationToken);
        if (request is null)
        {
            return error!;
        }

        if (!providers.TryGetDirectives(httpContext, out var directives, out var headerError))
        {
            return Error(StatusCodes.Status400BadRequest, AnthropicErrors.InvalidRequest(headerError));
        }

        var stamp = MessageStamp.Create();
        var cache = promptCache.Use(MessagesFactory.CacheBreakpoints(request));
        var response = MessagesFactory.CreateResponse(request, stamp, cache);
        var reply = new PreparedReply(
            JsonSerializer.Serialize(response, AnthropicJsonContext.Default.MessagesResponse),
            response.Usage.OutputTokens,
            request.Stream ? MessagesFactory.CreateEvents(request, stamp, cache) : null);

        return await EmulatedResponder.RespondAsync(httpContext, directives, AnthropicWireFormat.Instance, reply, timeProvider);
    }

    private static async Task<IResult> CountTokensAsync(HttpContext httpContext, CancellationToken cancellationToken)
    {
        var (request, error) = await ReadRequestAsync(httpContext, countingTokens: true, cancellationToken);
        return request is null
            ? error!
            : TypedResults.Json(new TokenCountResponse(MessagesFactory.CountInputTokens(request)), AnthropicJsonContext.Default.TokenCountResponse);
    }

    /// <summary>Checks the headers Anthropic requires (any non-empty key is accepted), then reads and validates the body.</summary>
    private static async Task<(MessagesRequest? Request, IResult? Error)> ReadRequestAsync(
        HttpContext httpContext, bool countingTokens, CancellationToken cancellationToken)
    {
        var headers = httpContext.Request.Headers;
        // Anthropic also takes OAuth-style bearer tokens, which some gateways and SDK setups send instead.
        if (string.IsNullOrWhiteSpace(headers[ApiKeyHeader]) && !headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Error(StatusCodes.Status401Unauthorized, AnthropicErrors.Authentication("x-api-key header is required")));
        }
        if (string.IsNullOrWhiteSpace(headers[VersionHeader]))
        {
            return (null, Error(StatusCodes.Status400BadRequest, AnthropicErrors.InvalidRequest("anthropic-version: header is required")));
        }

        var (request, readError) = await RequestBody.ReadAsync(httpContext.Request, AnthropicJsonContext.Default.MessagesRequest, cancellationToken);
        if (request is null)
        {
            return (null, Error(StatusCodes.Status400BadRequest, AnthropicErrors.InvalidRequest(readError!)));
        }

        return MessagesRequestValidator.Validate(request, countingTokens) is { } invalid
            ? (null, Error(StatusCodes.Status400BadRequest, invalid))
            : (request, null);
    }

    private static JsonHttpResult<AnthropicErrorResponse> Error(int statusCode, AnthropicErrorResponse error) =>
        TypedResults.Json(error, AnthropicJsonContext.Default.AnthropicErrorResponse, statusCode: statusCode);
}
