using System.Runtime.CompilerServices;
using System.Text.Json;
using Emulators.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Emulators.OpenAI;

/// <summary>The OpenAI Chat Completions API, answered offline with deterministic echo replies.</summary>
public static class OpenAIEmulatorApi
{
    private const string DoneSentinel = "[DONE]";

    private static readonly ModelList Models = new()
    {
        Data =
        [
            new ModelInfo { Id = "gpt-4o", Created = 1715367049, OwnedBy = "system" },
            new ModelInfo { Id = "gpt-4o-mini", Created = 1721172741, OwnedBy = "system" },
            new ModelInfo { Id = "gpt-4.1-mini", Created = 1744318173, OwnedBy = "system" },
        ],
    };

    public static IEndpointRouteBuilder MapOpenAIEmulatorApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/v1");
        api.MapPost("/chat/completions", CreateChatCompletionAsync);
        api.MapGet("/models", ListModels);
        return endpoints;
    }

    private static JsonHttpResult<ModelList> ListModels() =>
        TypedResults.Json(Models, OpenAIJsonContext.Default.ModelList);

    private static async Task<Results<JsonHttpResult<ChatCompletionResponse>, ServerSentEventsResult<string>, JsonHttpResult<OpenAIErrorResponse>>>
        CreateChatCompletionAsync(
            HttpRequest httpRequest,
            IOptionsMonitor<EmulatorOptions> options,
            TimeProvider timeProvider,
            CancellationToken cancellationToken)
    {
        // The body is read by hand, not bound, so that malformed JSON gets an OpenAI-style error body.
        ChatCompletionRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(
                httpRequest.Body, OpenAIJsonContext.Default.ChatCompletionRequest, cancellationToken);
        }
        catch (JsonException exception)
        {
            return Error(StatusCodes.Status400BadRequest,
                OpenAIErrors.InvalidRequest($"We could not parse the JSON body of your request: {exception.Message}"));
        }

        if (request is null)
        {
            return Error(StatusCodes.Status400BadRequest, OpenAIErrors.InvalidRequest("The request body must be a JSON object."));
        }

        if (ChatCompletionRequestValidator.Validate(request) is { } invalid)
        {
            return Error(StatusCodes.Status400BadRequest, invalid);
        }

        if (!EmulatorDirectives.TryParse(httpRequest.Headers, options.CurrentValue, out var directives, out var headerError))
        {
            return Error(StatusCodes.Status400BadRequest, OpenAIErrors.InvalidRequest(headerError));
        }

        if (directives.FailureStatusCode is { } failureStatusCode)
        {
            // Failing only after the first-token delay lets tests emulate slow failures as well as fast ones.
            await Task.Delay(directives.Latency.TimeToFirstToken, timeProvider, cancellationToken);
            if (failureStatusCode == StatusCodes.Status429TooManyRequests)
            {
                httpRequest.HttpContext.Response.Headers.RetryAfter = "1";
            }
            return Error(failureStatusCode, OpenAIErrors.InjectedFailure(failureStatusCode));
        }

        var stamp = CompletionStamp.Create(timeProvider);

        if (request.Stream)
        {
            var chunks = ChatCompletionFactory.CreateChunks(request, stamp);
            return TypedResults.ServerSentEvents(StreamAsync(chunks, directives.Latency, timeProvider, cancellationToken));
        }

        var response = ChatCompletionFactory.CreateResponse(request, stamp);
        await Task.Delay(directives.Latency.TotalFor(response.Usage.CompletionTokens), timeProvider, cancellationToken);
        return TypedResults.Json(response, OpenAIJsonContext.Default.ChatCompletionResponse);
    }

    /// <summary>
    /// Each chunk as the data of one server-sent event, paced like generation: the first-token delay before the
    /// first event, the inter-token delay before every token after the first, then OpenAI's closing [DONE].
    /// </summary>
    private static async IAsyncEnumerable<string> StreamAsync(
        IEnumerable<ChatCompletionChunk> chunks,
        EmulatedLatency latency,
        TimeProvider timeProvider,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(latency.TimeToFirstToken, timeProvider, cancellationToken);

        var tokensSent = 0;
        foreach (var chunk in chunks)
        {
            if (chunk.CarriesToken && tokensSent++ > 0)
            {
                await Task.Delay(latency.InterTokenDelay, timeProvider, cancellationToken);
            }
            yield return JsonSerializer.Serialize(chunk, OpenAIJsonContext.Default.ChatCompletionChunk);
        }

        yield return DoneSentinel;
    }

    private static JsonHttpResult<OpenAIErrorResponse> Error(int statusCode, OpenAIErrorResponse error) =>
        TypedResults.Json(error, OpenAIJsonContext.Default.OpenAIErrorResponse, statusCode: statusCode);
}
