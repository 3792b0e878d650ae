using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Api.Keys;
using Gateway.Api.Providers;
using Gateway.Api.Routing;
using Microsoft.AspNetCore.Http.Features;
using OpenRouterClone.Shared;

namespace Gateway.Api.Inference;

/// <summary>
/// The OpenAI-compatible inference surface: key check, one parse of the body, routing from the in-memory
/// catalog snapshot (<see cref="EndpointRouter"/>), the upstream call with fallback to the next endpoint
/// while nothing has been sent to the caller, and the response stamped with OpenRouter's id, model and
/// provider. Credit holds and usage accounting plug in here (issue 6).
/// </summary>
public static partial class InferenceApi
{
    // OpenRouter accepts large multimodal prompts; beyond this the caller gets 413, not a buffered giant.
    private const long MaxRequestBodyBytes = 16 * 1024 * 1024;

    public static IEndpointRouteBuilder MapInferenceApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapPost("/chat/completions", ChatCompletionsAsync);
        return app;
    }

    public static async Task<IResult> ChatCompletionsAsync(
        HttpContext context, UpstreamClient upstream, ApiKeyResolver keys, CatalogSnapshotCache catalog,
        TimeProvider clock, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        if (!BearerToken.TryRead(context.Request.Headers.Authorization, out var secret))
        {
            return ApiError.Unauthorized("No auth credentials found");
        }
        var key = await keys.ResolveAsync(secret);
        if (key is null)
        {
            return ApiError.Unauthorized("Invalid, disabled or expired API key");
        }
        if (key.IsProvisioningKey)
        {
            return ApiError.Create(StatusCodes.Status403Forbidden, "Provisioning keys can only manage API keys, not call models");
        }

        var body = await ReadBodyAsync(context.Request, cancellationToken);
        if (body is null)
        {
            return ApiError.Create(StatusCodes.Status413PayloadTooLarge, $"Request body exceeds {MaxRequestBodyBytes} bytes");
        }

        if (ChatCompletionRequestValidator.TryParse(body.Value.Span, out var envelope) is { } problem)
        {
            return ApiError.BadRequest(problem);
        }

        if (catalog.Current is not { } index)
        {
            return ApiError.Create(StatusCodes.Status503ServiceUnavailable, "The model catalog is not loaded yet; try again shortly");
        }
        var decision = EndpointRouter.Route(
            new RoutingRequest(envelope!.Model, envelope.Models, envelope.Provider, envelope.UsedParameters()), index);
        if (decision.IsError)
        {
            return ApiError.Create(decision.ErrorStatus, decision.ErrorMessage!);
        }

        var logger = loggerFactory.CreateLogger(typeof(InferenceApi));
        var upstreamRequest = ResponseRewriter.UpstreamRequest(body.Value.Span);
        var streaming = envelope.Stream == true;
        var generationId = ResponseRewriter.NewGenerationId(clock.GetUtcNow());
        UpstreamFailure? lastFailure = null;

        foreach (var candidate in decision.Candidates)
        {
            var slug = candidate.Provider.Slug;
            HttpResponseMessage response;
            try
            {
                response = await upstream.SendChatCompletionAsync(
                    slug, ResponseRewriter.UpstreamBody(upstreamRequest, candidate.Endpoint.UpstreamModel), cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                LogUpstreamUnreachable(logger, ex, candidate.ModelId, slug);
                lastFailure = new UpstreamFailure(StatusCodes.Status502BadGateway, $"{candidate.Provider.Name} could not be reached", candidate.Provider.Name);
                continue;
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The client's own timeout, not the caller leaving: a timeout, and the next endpoint may answer.
                LogUpstreamUnreachable(logger, ex, candidate.ModelId, slug);
                lastFailure = new UpstreamFailure(StatusCodes.Status408RequestTimeout, $"{candidate.Provider.Name} timed out", candidate.Provider.Name);
                continue;
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (IsRetryable(response.StatusCode))
                {
                    LogUpstreamFailed(logger, candidate.ModelId, slug, status);
                    lastFailure = await UpstreamFailure.ReadAsync(response, candidate.Provider.Name, cancellationToken);
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                {
                    // The provider refused the request itself (400, 401, 404, ...): another provider would too.
                    var refusal = await UpstreamFailure.ReadAsync(response, candidate.Provider.Name, cancellationToken);
                    return refusal.ToResult();
                }

                var stamp = new ResponseStamp(generationId, candidate.ModelId, candidate.Provider.Name);
                var isEventStream = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
                if (!streaming && !isEventStream)
                {
                    byte[]? rewritten;
                    try
                    {
                        rewritten = ResponseRewriter.RewriteCompletion(await response.Content.ReadAsByteArrayAsync(cancellationToken), stamp);
                    }
                    catch (HttpRequestException ex)
                    {
                        LogUpstreamUnreachable(logger, ex, candidate.ModelId, slug);
                        lastFailure = new UpstreamFailure(StatusCodes.Status502BadGateway, $"{candidate.Provider.Name} broke off its answer", candidate.Provider.Name);
                        continue;
                    }
                    if (rewritten is null)
                    {
                        // Nothing has gone to the caller yet, so a garbled answer falls back like a failed one.
                        LogUpstreamMalformed(logger, candidate.ModelId, slug);
                        lastFailure = new UpstreamFailure(StatusCodes.Status502BadGateway, $"{candidate.Provider.Name} sent an invalid response", candidate.Provider.Name);
                        continue;
                    }
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    context.Response.Headers["X-Generation-Id"] = generationId;
                    context.Response.ContentType = "application/json";
                    context.Response.ContentLength = rewritten.Length;
                    await context.Response.Body.WriteAsync(rewritten, cancellationToken);
                    return TypedResults.Empty;
                }

                // From here on bytes reach the caller: no retry, whatever happens.
                context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.Headers["X-Generation-Id"] = generationId;
                context.Response.ContentType = "text/event-stream";
                context.Response.Headers.CacheControl = "no-cache";
                await using var upstreamBody = await response.Content.ReadAsStreamAsync(cancellationToken);
                await RelayEventsAsync(upstreamBody, context.Response, stamp, logger, cancellationToken);
                return TypedResults.Empty;
            }
        }

        return (lastFailure ?? new UpstreamFailure(StatusCodes.Status502BadGateway, "No provider answered", null)).ToResult();
    }

    /// <summary>Relays SSE events one by one (flushed per event), rewriting each JSON <c>data:</c> line.</summary>
    internal static async Task RelayEventsAsync(Stream upstreamBody, HttpResponse response, ResponseStamp stamp, ILogger logger, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(upstreamBody, ResponseRewriter.Utf8, detectEncodingFromByteOrderMarks: false);
        var pending = new StringBuilder();
        try
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                pending.Append(ResponseRewriter.RewriteStreamLine(line, stamp)).Append('\n');
                if (line.Length == 0)
                {
                    await WriteAsync(response, pending, cancellationToken);
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // The provider broke off mid-stream; what arrived has been relayed. (An error chunk comes with issue 5's next step.)
            LogStreamBroken(logger, ex, stamp.Model, stamp.Provider);
        }
        if (pending.Length > 0)
        {
            await WriteAsync(response, pending, cancellationToken);
        }
    }

    private static async Task WriteAsync(HttpResponse response, StringBuilder pending, CancellationToken cancellationToken)
    {
        var bytes = ResponseRewriter.Utf8.GetBytes(pending.ToString());
        pending.Clear();
        await response.Body.WriteAsync(bytes, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    /// <summary>Failures another provider may not have: timeouts, rate limits and server errors.</summary>
    internal static bool IsRetryable(HttpStatusCode status)
        => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>An upstream error, answered in OpenRouter's format with the provider named in the metadata.</summary>
    private sealed record UpstreamFailure(int Status, string Message, string? ProviderName)
    {
        public IResult ToResult()
        {
            // Rate limits and timeouts keep their meaning for the caller; every other failure is a bad gateway.
            var status = Status is StatusCodes.Status408RequestTimeout or StatusCodes.Status429TooManyRequests or < 500
                ? Status : StatusCodes.Status502BadGateway;
            return ApiError.Create(status, Message,
                ProviderName is null ? null : new Dictionary<string, string> { ["provider_name"] = ProviderName });
        }

        public static async Task<UpstreamFailure> ReadAsync(HttpResponseMessage response, string providerName, CancellationToken cancellationToken)
        {
            var status = (int)response.StatusCode;
            var message = $"{providerName} answered {status}";
            try
            {
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                if (JsonNode.Parse(body) is JsonObject json && json["error"] is JsonObject error && error["message"] is JsonValue text
                    && text.TryGetValue<string>(out var upstreamMessage))
                {
                    message = $"{providerName}: {upstreamMessage}";
                }
            }
            catch (Exception ex) when (ex is JsonException or HttpRequestException or InvalidOperationException)
            {
                // Keep the plain message.
            }
            return new UpstreamFailure(status, message, providerName);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Provider} for {Model} could not be reached; trying the next endpoint")]
    private static partial void LogUpstreamUnreachable(ILogger logger, Exception exception, string model, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Provider} for {Model} answered {Status}; trying the next endpoint")]
    private static partial void LogUpstreamFailed(ILogger logger, string model, string provider, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Provider} for {Model} sent a response that is not JSON; trying the next endpoint")]
    private static partial void LogUpstreamMalformed(ILogger logger, string model, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream from {Provider} for {Model} broke off after it started")]
    private static partial void LogStreamBroken(ILogger logger, Exception exception, string model, string provider);

    /// <summary>Reads the whole body, or returns null when it is larger than the limit.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxRequestBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxRequestBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
