using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Api.Credits;
using Gateway.Api.Keys;
using Gateway.Api.Providers;
using Gateway.Api.Routing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OpenRouterClone.Shared;
using OpenRouterClone.Shared.Credits;
using StackExchange.Redis;

namespace Gateway.Api.Inference;

/// <summary>
/// The OpenAI-compatible inference surface: key check, one parse of the body, routing from the in-memory
/// catalog snapshot (<see cref="EndpointRouter"/>), the upstream call with fallback to the next endpoint
/// while nothing has been sent to the caller, and the response stamped with OpenRouter's id, model and
/// provider. A credit hold is placed before the first upstream call and settled (or released) after the last.
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

    /// <summary>The services one inference call uses.</summary>
    public sealed record InferenceServices(
        UpstreamClient Upstream,
        ApiKeyResolver Keys,
        CatalogSnapshotCache Catalog,
        CreditGate Credits,
        IOptions<CreditOptions> CreditOptions,
        TimeProvider Clock,
        ILoggerFactory LoggerFactory);

    public static async Task<IResult> ChatCompletionsAsync(HttpContext context, [AsParameters] InferenceServices services, CancellationToken cancellationToken)
    {
        var startedAt = services.Clock.GetUtcNow();
        if (!BearerToken.TryRead(context.Request.Headers.Authorization, out var secret))
        {
            return ApiError.Unauthorized("No auth credentials found");
        }
        var key = await services.Keys.ResolveAsync(secret);
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

        if (services.Catalog.Current is not { } index)
        {
            return ApiError.Create(StatusCodes.Status503ServiceUnavailable, "The model catalog is not loaded yet; try again shortly");
        }
        var decision = EndpointRouter.Route(
            new RoutingRequest(envelope!.Model, envelope.Models, envelope.Provider, envelope.UsedParameters()), index);
        if (decision.IsError)
        {
            return ApiError.Create(decision.ErrorStatus, decision.ErrorMessage!);
        }

        var logger = services.LoggerFactory.CreateLogger(typeof(InferenceApi));
        var creditOptions = services.CreditOptions.Value;
        var generationId = ResponseRewriter.NewGenerationId(startedAt);
        var plan = HoldPlan.For(decision.Candidates, body.Value.Length, envelope.RequestedMaxTokens(), creditOptions);
        Reservation reservation;
        try
        {
            reservation = await services.Credits.ReserveAsync(key, generationId, plan, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or HttpRequestException)
        {
            // Fail closed: no hold, no upstream call.
            LogCreditsUnavailable(logger, ex);
            return ApiError.Create(StatusCodes.Status503ServiceUnavailable, "Credits cannot be checked right now; try again shortly");
        }
        if (ReservationProblem(reservation, plan) is { } refusal)
        {
            return refusal;
        }

        var generation = new GenerationAttempt(key, generationId, startedAt, envelope.Stream == true);
        try
        {
            return await RelayAsync(context, services, body.Value, decision.Candidates, plan, reservation.Nanos, generation, logger, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller left: what was delivered is still charged below.
            generation.Cancelled = true;
            return TypedResults.Empty;
        }
        finally
        {
            await FinishAsync(context, services, generation, logger);
        }
    }

    /// <summary>The caller-facing refusal for a hold that was not granted, or null when it was.</summary>
    private static IResult? ReservationProblem(Reservation reservation, HoldPlan plan) => reservation.Outcome switch
    {
        ReservationOutcome.Granted => null,
        ReservationOutcome.KeyLimitReached => ApiError.Create(StatusCodes.Status403Forbidden,
            "Key limit exceeded: this key's credit limit for the period is used up. Raise the limit or wait for it to reset"),
        ReservationOutcome.InsufficientCredits when plan.RequestedMaxTokens is { } maxTokens => ApiError.Create(StatusCodes.Status402PaymentRequired,
            $"This request requires more credits, or fewer max_tokens. You requested up to {maxTokens} tokens, but can only afford less. Add credits to continue"),
        ReservationOutcome.InsufficientCredits => ApiError.Create(StatusCodes.Status402PaymentRequired,
            "Insufficient credits. Add more credits to continue"),
        _ => ApiError.Create(StatusCodes.Status402PaymentRequired, "No billing account for this key"),
    };

    /// <summary>Settles what was generated (once, even if the caller left), or gives the hold back when nothing was.</summary>
    private static async Task FinishAsync(HttpContext context, InferenceServices services, GenerationAttempt generation, ILogger logger)
    {
        try
        {
            if (generation.Candidate is { } candidate && generation.Meter is { } meter)
            {
                var usage = generation.ToUsageEvent(candidate, meter, services.Clock.GetUtcNow(), context.Request.Headers);
                await services.Credits.SettleAsync(generation.Key, usage);
            }
            else
            {
                await services.Credits.ReleaseAsync(generation.Key, generation.GenerationId);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The hold lapses by itself; the charge for this generation is lost, which the log records.
            LogSettlementFailed(logger, ex, generation.GenerationId);
        }
    }

    /// <summary>
    /// Tries the endpoints in order while nothing has gone to the caller; the one that answers is metered
    /// (<see cref="GenerationAttempt.Meter"/>) for settlement.
    /// </summary>
    private static async Task<IResult> RelayAsync(
        HttpContext context, InferenceServices services, ReadOnlyMemory<byte> body, IReadOnlyList<RouteCandidate> candidates,
        HoldPlan plan, long heldNanos, GenerationAttempt generation, ILogger logger, CancellationToken cancellationToken)
    {
        var creditOptions = services.CreditOptions.Value;
        var upstreamRequest = ResponseRewriter.UpstreamRequest(body.Span);
        UpstreamFailure? lastFailure = null;

        foreach (var candidate in candidates)
        {
            var slug = candidate.Provider.Slug;
            if (plan.BudgetFor(candidate, heldNanos, creditOptions) is not { } budget)
            {
                lastFailure ??= new UpstreamFailure(StatusCodes.Status402PaymentRequired,
                    $"Insufficient credits for {candidate.ModelId} via {candidate.Provider.Name}. Add more credits to continue", candidate.Provider.Name);
                continue;
            }
            HttpResponseMessage response;
            try
            {
                response = await services.Upstream.SendChatCompletionAsync(
                    slug, ResponseRewriter.UpstreamBody(upstreamRequest, candidate.Endpoint.UpstreamModel, budget.LoweredMaxTokens), cancellationToken);
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

                var stamp = new ResponseStamp(generation.GenerationId, candidate.ModelId, candidate.Provider.Name);
                var meter = new GenerationMeter(candidate.Endpoint.Pricing, plan.PromptTokenBound, services.Clock);
                var isEventStream = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
                if (!generation.Streamed && !isEventStream)
                {
                    byte[]? rewritten;
                    try
                    {
                        rewritten = ResponseRewriter.RewriteCompletion(await response.Content.ReadAsByteArrayAsync(cancellationToken), stamp, meter);
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
                    generation.Begin(candidate, meter, services.Clock.GetUtcNow());
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    context.Response.Headers["X-Generation-Id"] = generation.GenerationId;
                    context.Response.ContentType = "application/json";
                    context.Response.ContentLength = rewritten.Length;
                    await context.Response.Body.WriteAsync(rewritten, cancellationToken);
                    return TypedResults.Empty;
                }

                // From here on bytes reach the caller: no retry, whatever happens.
                generation.Begin(candidate, meter, services.Clock.GetUtcNow());
                context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.Headers["X-Generation-Id"] = generation.GenerationId;
                context.Response.ContentType = "text/event-stream";
                context.Response.Headers.CacheControl = "no-cache";
                await using var upstreamBody = await response.Content.ReadAsStreamAsync(cancellationToken);
                await RelayEventsAsync(upstreamBody, context.Response, stamp, meter, logger, cancellationToken);
                return TypedResults.Empty;
            }
        }

        return (lastFailure ?? new UpstreamFailure(StatusCodes.Status502BadGateway, "No provider answered", null)).ToResult();
    }

    /// <summary>Relays SSE events one by one (flushed per event), rewriting each JSON <c>data:</c> line.</summary>
    internal static async Task RelayEventsAsync(Stream upstreamBody, HttpResponse response, ResponseStamp stamp, GenerationMeter meter, ILogger logger, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(upstreamBody, ResponseRewriter.Utf8, detectEncodingFromByteOrderMarks: false);
        var pending = new StringBuilder();
        try
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                pending.Append(ResponseRewriter.RewriteStreamLine(line, stamp, meter)).Append('\n');
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Credits could not be reserved; refusing the request")]
    private static partial void LogCreditsUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Generation {GenerationId} could not be settled")]
    private static partial void LogSettlementFailed(ILogger logger, Exception exception, string generationId);

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
