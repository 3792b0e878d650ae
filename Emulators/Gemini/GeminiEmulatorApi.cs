using System.Net.ServerSentEvents;
using System.Text.Json;
using Emulators.Common;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Emulators.Gemini;

/// <summary>The Gemini API's generateContent, streamGenerateContent and countTokens, answered offline.</summary>
public static class GeminiEmulatorApi
{
    public const string ApiKeyHeader = "x-goog-api-key";

    public const string ApiKeyQuery = "key";

    public static IEndpointRouteBuilder MapGeminiEmulatorApi(this IEndpointRouteBuilder endpoints)
    {
        // Complex segments: routing matches the literal after the colon and binds the rest to {model}.
        var api = endpoints.MapGroup("/v1beta/models");
        api.MapPost("/{model}:generateContent", GenerateContentAsync);
        api.MapPost("/{model}:streamGenerateContent", StreamGenerateContentAsync);
        api.MapPost("/{model}:countTokens", CountTokensAsync);
        return endpoints;
    }

    private static Task<IResult> GenerateContentAsync(
        string model, HttpContext httpContext, EmulatedProviders providers, TimeProvider timeProvider) =>
        RespondAsync(model, streaming: false, httpContext, providers, timeProvider);

    private static Task<IResult> StreamGenerateContentAsync(
        string model, HttpContext httpContext, EmulatedProviders providers, TimeProvider timeProvider) =>
        RespondAsync(model, streaming: true, httpContext, providers, timeProvider);

    private static async Task<IResult> RespondAsync(
        string model, bool streaming, HttpContext httpContext, EmulatedProviders providers, TimeProvider timeProvider)
    {
        var (request, error) = await ReadRequestAsync(httpContext, httpContext.RequestAborted);
        if (request is null)
        {
            return error!;
        }

        if (!providers.TryGetDirectives(httpContext, out var directives, out var headerError))
        {
            return Error(GeminiErrors.InvalidArgument(headerError));
        }

        var stamp = ResponseStamp.Create();
        var response = GenerateContentFactory.CreateResponse(model, request, stamp);
        var events = streaming
            ? GenerateContentFactory.CreateChunks(model, request, stamp)
                .Select(chunk => new StreamEvent(
                    JsonSerializer.Serialize(chunk, GeminiJsonContext.Default.GenerateContentResponse),
                    CarriesToken: GenerateContentFactory.CarriesToken(chunk)))
                .ToList()
            : null;
        var usage = response.UsageMetadata!;
        var reply = new PreparedReply(
            JsonSerializer.Serialize(response, GeminiJsonContext.Default.GenerateContentResponse),
            usage.CandidatesTokenCount + (usage.ThoughtsTokenCount ?? 0),
            events);

        // Without alt=sse Google streams one JSON array, element by element.
        var sse = string.Equals(httpContext.Request.Query["alt"], "sse", StringComparison.OrdinalIgnoreCase);
        return await EmulatedResponder.RespondAsync(
            httpContext, directives, GeminiWireFormat.Instance, reply, timeProvider,
            sse ? EmulatedResponder.ServerSentEvents : items => new JsonArrayStreamResult(items));
    }

    private static async Task<IResult> CountTokensAsync(string model, HttpContext httpContext)
    {
        var (request, error) = await ReadRequestAsync(httpContext, httpContext.RequestAborted);
        return request is null
            ? error!
            : TypedResults.Json(new CountTokensResponse(GenerateContentFactory.CountPromptTokens(request)), GeminiJsonContext.Default.CountTokensResponse);
    }

    /// <summary>Checks for an API key (any non-empty one is accepted), then reads and validates the body.</summary>
    private static async Task<(GenerateContentRequest? Request, IResult? Error)> ReadRequestAsync(HttpContext httpContext, CancellationToken cancellationToken)
    {
        var httpRequest = httpContext.Request;
        if (string.IsNullOrWhiteSpace(httpRequest.Query[ApiKeyQuery]) && string.IsNullOrWhiteSpace(httpRequest.Headers[ApiKeyHeader]))
        {
            return (null, Error(GeminiErrors.Create(StatusCodes.Status403Forbidden,
                "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.")));
        }

        var (request, readError) = await RequestBody.ReadAsync(httpRequest, GeminiJsonContext.Default.GenerateContentRequest, cancellationToken);
        if (request is null)
        {
            return (null, Error(GeminiErrors.InvalidArgument(readError!)));
        }

        return GenerateContentValidator.Validate(request) is { } invalid
            ? (null, Error(GeminiErrors.InvalidArgument(invalid)))
            : (request, null);
    }

    private static JsonHttpResult<GeminiErrorResponse> Error(GeminiErrorResponse error) =>
        TypedResults.Json(error, GeminiJsonContext.Default.GeminiErrorResponse, statusCode: error.Error.Code);
}

/// <summary>
/// Google's default stream framing (without alt=sse): one JSON array whose elements are written and flushed as
/// they come. An injected fault leaves a truncated element, ends the array with an error element, or cuts it off.
/// </summary>
public sealed class JsonArrayStreamResult(IAsyncEnumerable<SseItem<string>> items) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "application/json; charset=UTF-8";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var separator = "[";
        await foreach (var item in items.WithCancellation(httpContext.RequestAborted))
        {
            await response.WriteAsync(separator + item.Data, httpContext.RequestAborted);
            await response.Body.FlushAsync(httpContext.RequestAborted);
            separator = ",\r\n";
        }
        await response.WriteAsync(separator == "[" ? "[]" : "]", httpContext.RequestAborted);
    }
}
