using System.Text.Json;
using Emulators.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Emulators.OpenAI;

/// <summary>The OpenAI Chat Completions and Embeddings APIs, answered offline with deterministic replies.</summary>
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
            new ModelInfo { Id = "text-embedding-3-small", Created = 1705948997, OwnedBy = "system" },
            new ModelInfo { Id = "text-embedding-3-large", Created = 1705953180, OwnedBy = "system" },
        ],
    };

    public static IEndpointRouteBuilder MapOpenAIEmulatorApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/v1");
        api.MapPost("/chat/completions", CreateChatCompletionAsync);
        api.MapPost("/embeddings", CreateEmbeddingsAsync);
        api.MapGet("/models", ListModels);
        return endpoints;
    }

    private static JsonHttpResult<ModelList> ListModels() =>
        TypedResults.Json(Models, OpenAIJsonContext.Default.ModelList);

    private static async Task<IResult> CreateChatCompletionAsync(
        HttpContext httpContext, EmulatedProviders providers, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var (request, readError) = await RequestBody.ReadAsync(
            httpContext.Request, OpenAIJsonContext.Default.ChatCompletionRequest, cancellationToken);
        if (request is null)
        {
            return BadRequest(OpenAIErrors.InvalidRequest(readError!));
        }

        if (ChatCompletionRequestValidator.Validate(request) is { } invalid)
        {
            return BadRequest(invalid);
        }

        if (!providers.TryGetDirectives(httpContext, out var directives, out var headerError))
        {
            return BadRequest(OpenAIErrors.InvalidRequest(headerError));
        }

        var stamp = CompletionStamp.Create(timeProvider);
        var response = ChatCompletionFactory.CreateResponse(request, stamp);
        var events = request.Stream
            ? ChatCompletionFactory.CreateChunks(request, stamp)
                .Select(chunk => new StreamEvent(JsonSerializer.Serialize(chunk, OpenAIJsonContext.Default.ChatCompletionChunk), CarriesToken: chunk.CarriesToken))
                .Append(new StreamEvent(DoneSentinel))
                .ToList()
            : null;
        var reply = new PreparedReply(
            JsonSerializer.Serialize(response, OpenAIJsonContext.Default.ChatCompletionResponse),
            response.Usage.CompletionTokens,
            events);

        return await EmulatedResponder.RespondAsync(httpContext, directives, OpenAIWireFormat.Instance, reply, timeProvider);
    }

    private static async Task<IResult> CreateEmbeddingsAsync(
        HttpContext httpContext, EmulatedProviders providers, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var (request, readError) = await RequestBody.ReadAsync(
            httpContext.Request, OpenAIJsonContext.Default.EmbeddingRequest, cancellationToken);
        if (request is null)
        {
            return BadRequest(OpenAIErrors.InvalidRequest(readError!));
        }

        if (EmbeddingRequestValidator.Validate(request, out var inputs) is { } invalid)
        {
            return BadRequest(invalid);
        }

        if (!providers.TryGetDirectives(httpContext, out var directives, out var headerError))
        {
            return BadRequest(OpenAIErrors.InvalidRequest(headerError));
        }

        // Embeddings have no completion tokens: the reply comes after the time to first token.
        var response = EmbeddingFactory.CreateResponse(request, inputs);
        var reply = new PreparedReply(JsonSerializer.Serialize(response, OpenAIJsonContext.Default.EmbeddingResponse), CompletionTokens: 0);
        return await EmulatedResponder.RespondAsync(httpContext, directives, OpenAIWireFormat.Instance, reply, timeProvider);
    }

    private static JsonHttpResult<OpenAIErrorResponse> BadRequest(OpenAIErrorResponse error) =>
        TypedResults.Json(error, OpenAIJsonContext.Default.OpenAIErrorResponse, statusCode: StatusCodes.Status400BadRequest);
}
