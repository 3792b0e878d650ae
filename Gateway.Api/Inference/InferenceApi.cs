using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Api.Byok;
using Gateway.Api.Credits;
using Gateway.Api.Keys;
using Gateway.Api.Preferences;
using Gateway.Api.Providers;
using Gateway.Api.Routing;
using Gateway.Api.Streaming;
using Gateway.Api.Telemetry;
using Gateway.Api.Translation;
using Gateway.Api.WebSearch;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OpenRouterClone.Catalog.Snapshot;
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
        api.MapPost("/completions", CompletionsAsync);
        api.MapPost("/messages", MessagesAsync);
        api.MapPost("/embeddings", EmbeddingsAsync);
        api.MapPost("/responses", ResponsesAsync);
        return app;
    }

    /// <summary>The services an inference call uses (one singleton set for all of them).</summary>
    public sealed record InferenceServices(
        UpstreamClient Upstream,
        ApiKeyResolver Keys,
        ByokKeyring Byok,
        AccountPreferencesCache Preferences,
        CatalogSnapshotCache Catalog,
        WireAdapters Adapters,
        EndpointHealth Health,
        EndpointOutcomes Outcomes,
        CreditGate Credits,
        IOptions<CreditOptions> CreditOptions,
        IOptions<UpstreamOptions> UpstreamOptions,
        WebSearchClient WebSearch,
        IOptions<WebSearchOptions> WebSearchOptions,
        TimeProvider Clock,
        ILoggerFactory LoggerFactory,
        GatewayMetrics Metrics);

    public static Task<IResult> ChatCompletionsAsync(HttpContext context, [FromServices] InferenceServices services, CancellationToken cancellationToken)
        => HandleAsync(context, services, ChatClientFormat.Instance, body => body, cancellationToken);

    /// <summary>OpenAI's embeddings, from models whose output is embeddings, billed by prompt tokens.</summary>
    public static Task<IResult> EmbeddingsAsync(HttpContext context, [FromServices] InferenceServices services, CancellationToken cancellationToken)
        => HandleAsync(context, services, EmbeddingsClientFormat.Instance, body => body, cancellationToken);

    private static bool IsEmbeddings(IClientFormat format) => format is EmbeddingsClientFormat;

    /// <summary>Embedding models answer only the embeddings endpoint, and chat models only the others.</summary>
    private static string? OutputProblem(IClientFormat format, RouteCandidate candidate)
    {
        var producesEmbeddings = candidate.Model.OutputModalities.Contains("embeddings", StringComparer.Ordinal);
        return IsEmbeddings(format) == producesEmbeddings
            ? null
            : IsEmbeddings(format)
                ? $"{candidate.ModelId} does not produce embeddings"
                : $"{candidate.ModelId} is an embedding model: call /api/v1/embeddings";
    }

    /// <summary>OpenAI's legacy <c>completions</c>: a prompt in, text out; run as a chat with one user message.</summary>
    public static Task<IResult> CompletionsAsync(HttpContext context, [FromServices] InferenceServices services, CancellationToken cancellationToken)
        => HandleAsync(context, services, LegacyCompletionClientFormat.Instance, Translate(LegacyCompletionClientFormat.ToChatRequest), cancellationToken);

    /// <summary>Anthropic's Messages format in and out, to any model.</summary>
    public static Task<IResult> MessagesAsync(HttpContext context, [FromServices] InferenceServices services, CancellationToken cancellationToken)
        => HandleAsync(context, services, MessagesClientFormat.Instance, Translate(MessagesEndpointTranslation.ToChatRequest), cancellationToken);

    /// <summary>OpenAI's Responses format in and out (stateless), to any model.</summary>
    public static Task<IResult> ResponsesAsync(HttpContext context, [FromServices] InferenceServices services, CancellationToken cancellationToken)
        => HandleAsync(context, services, ResponsesClientFormat.Instance, Translate(ResponsesEndpointTranslation.ToChatRequest), cancellationToken);

    /// <summary>A body translation from another format's JSON object into chat request bytes.</summary>
    private static Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> Translate(Func<JsonObject, JsonObject> toChat)
        => body => JsonNode.Parse(body.Span, documentOptions: ResponseRewriter.StrictJson) is JsonObject request
            ? ResponseRewriter.Serialize(toChat(request))
            : throw new TranslationException("The request body must be a JSON object");

    /// <summary>
    /// What System.Text.Json throws for a body that is not JSON: a <see cref="System.Text.Json.JsonException"/>,
    /// or for invalid UTF-8 inside strings and names an <see cref="InvalidOperationException"/>.
    /// </summary>
    private static bool IsMalformedJson(Exception ex) => ex is System.Text.Json.JsonException or InvalidOperationException;

    // The reader's messages name positions, never content, so they are safe to return.
    private static string MalformedJsonMessage(Exception ex)
        => ex is System.Text.Json.JsonException ? $"Invalid JSON body: {ex.Message}" : "Invalid JSON body: the text is not valid UTF-8";

    /// <summary>The caller's key: <c>Authorization: Bearer</c>, or <c>x-api-key</c> as Anthropic's clients send it.</summary>
    private static string? ReadSecret(HttpRequest request)
        => BearerToken.TryRead(request.Headers.Authorization, out var secret) ? secret
            : request.Headers["x-api-key"].ToString() is { Length: > 0 } apiKey ? apiKey.Trim() : null;

    private static async Task<IResult> HandleAsync(
        HttpContext context, InferenceServices services, IClientFormat format, Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> toChatBody,
        CancellationToken cancellationToken)
    {
        var result = await AnswerAsync(context, services, format, toChatBody, cancellationToken);
        // A refusal's status is set only when the result executes; an answer's is already on the response.
        var status = !context.Response.HasStarted && result is IStatusCodeHttpResult { StatusCode: { } refusal } ? refusal : context.Response.StatusCode;
        // The route's pattern, not the path the caller typed (its casing would multiply the series).
        services.Metrics.RequestCompleted((context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unknown", status);
        return result;
    }

    private static async Task<IResult> AnswerAsync(
        HttpContext context, InferenceServices services, IClientFormat format, Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> toChatBody,
        CancellationToken cancellationToken)
    {
        var startedAt = services.Clock.GetUtcNow();
        if (ReadSecret(context.Request) is not { } secret)
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

        var received = await ReadBodyAsync(context.Request, cancellationToken);
        if (received is null)
        {
            return ApiError.Create(StatusCodes.Status413PayloadTooLarge, $"Request body exceeds {MaxRequestBodyBytes} bytes");
        }
        ReadOnlyMemory<byte> body;
        try
        {
            body = toChatBody(received.Value);
        }
        catch (Exception ex) when (ex is TranslationException || IsMalformedJson(ex))
        {
            return ApiError.BadRequest(ex is TranslationException ? ex.Message : MalformedJsonMessage(ex));
        }

        JsonObject upstreamRequest;
        try
        {
            upstreamRequest = ResponseRewriter.UpstreamRequest(body.Span);
        }
        catch (Exception ex) when (IsMalformedJson(ex))
        {
            return ApiError.BadRequest(MalformedJsonMessage(ex));
        }

        var problem = IsEmbeddings(format)
            ? EmbeddingsRequestValidator.TryParse(body.Span, out var envelope)
            : ChatCompletionRequestValidator.TryParse(body.Span, out envelope);
        if (problem is not null)
        {
            return ApiError.BadRequest(problem);
        }

        if (services.Catalog.Current is not { } index)
        {
            return ApiError.Create(StatusCodes.Status503ServiceUnavailable, "The model catalog is not loaded yet; try again shortly");
        }
        // The account's default preferences (cached in memory, dropped on change) under the request's own.
        var provider = PreferenceMerge.Merge(envelope!.Provider, await services.Preferences.ForAccountAsync(key.AccountId, cancellationToken));
        var decision = EndpointRouter.Route(
            new RoutingRequest(envelope.Model, envelope.Models, provider, envelope.UsedParameters()), index, services.Health.LoadBalancing);
        if (decision.IsError)
        {
            return ApiError.Create(decision.ErrorStatus, decision.ErrorMessage!);
        }
        if (decision.Candidates.Select(candidate => OutputProblem(format, candidate)).FirstOrDefault(message => message is not null) is { } mismatch)
        {
            return ApiError.BadRequest(mismatch);
        }

        // The web plugin: asked for in `plugins`, or by a :online model.
        var web = WebPlugin.Resolve(envelope.WebPlugin, decision.Candidates.Any(candidate => candidate.Online));
        string? searchQuery = null;
        if (web is not null)
        {
            if (IsEmbeddings(format))
            {
                return ApiError.BadRequest("The web plugin (:online) is for chat models, not embeddings");
            }
            searchQuery = WebSearchPrompt.QueryFrom(upstreamRequest);
            if (searchQuery is null)
            {
                return ApiError.BadRequest("The web plugin searches for the last user message's text, and this request has none");
            }
        }

        var logger = services.LoggerFactory.CreateLogger(typeof(InferenceApi));
        var creditOptions = services.CreditOptions.Value;
        var webSearchOptions = services.WebSearchOptions.Value;
        var candidates = ByokRouting.Apply(decision.Candidates, await services.Byok.ForAccountAsync(key.AccountId, cancellationToken), creditOptions.ByokFeeRate);
        var generationId = ResponseRewriter.NewGenerationId(startedAt);
        // Embeddings produce no completion tokens: the prompt is the whole cost. A web search adds its results to the
        // prompt and its fee to the charge: the hold covers the most of both before the search runs.
        var plan = HoldPlan.For(candidates, body.Length + (web is null ? 0 : WebSearchPrompt.ExtraRequestBytes(web)),
            IsEmbeddings(format) ? 0 : envelope.RequestedMaxTokens(), creditOptions,
            web is null ? 0 : WebSearchPrompt.MaxFeeNanos(web, webSearchOptions));
        Reservation reservation;
        try
        {
            // Free-model limits apply when every endpoint tried is a :free variant.
            var freeModel = candidates.All(candidate => candidate.ModelId.EndsWith(":free", StringComparison.Ordinal));
            reservation = await services.Credits.ReserveAsync(key, generationId, plan, freeModel, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or HttpRequestException or Polly.ExecutionRejectedException)
        {
            // Fail closed: no hold, no upstream call.
            LogCreditsUnavailable(logger, ex);
            return ApiError.Create(StatusCodes.Status503ServiceUnavailable, "Credits cannot be checked right now; try again shortly");
        }
        if (ReservationProblem(reservation, plan) is { } refusal)
        {
            if (reservation.RetryAfter is { } retryAfter)
            {
                SetRetryAfter(context.Response, retryAfter);
            }
            return refusal;
        }

        var generation = new GenerationAttempt(key, generationId, startedAt, envelope.Stream == true);
        services.Metrics.HoldPlaced();
        // Traces and logs of this request are found by the id the caller was given.
        Activity.Current?.SetTag("openrouter.generation_id", generationId);
        using var logScope = logger.BeginScope(new GenerationLogScope(generationId));
        try
        {
            WebCitations? citations = null;
            if (web is not null)
            {
                IReadOnlyList<WebSearchResult> results;
                try
                {
                    results = await services.WebSearch.SearchAsync(searchQuery!, web.MaxResults, cancellationToken);
                }
                catch (WebSearchFailedException ex)
                {
                    // Before any upstream call: the hold is released below and nothing is charged.
                    LogWebSearchFailed(logger, ex);
                    return ApiError.Create(StatusCodes.Status502BadGateway, $"Web search failed: {ex.Message}. Nothing was charged; try again or call the model without :online",
                        new Dictionary<string, string> { ["provider_name"] = "Exa" });
                }
                WebSearchPrompt.Inject(upstreamRequest, WebSearchPrompt.Context(web, results, DateOnly.FromDateTime(startedAt.UtcDateTime)));
                generation.SurchargeNanos = WebSearchPrompt.FeeNanos(results.Count, webSearchOptions);
                generation.SearchResults = results.Count;
                citations = new WebCitations(results);
            }
            return await RelayAsync(context, services, format, upstreamRequest, candidates, plan, reservation.Nanos, generation, citations, logger, cancellationToken);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The caller left (the upstream call is cancelled with it): what was delivered is still charged below.
            generation.Cancelled = true;
            return TypedResults.Empty;
        }
        finally
        {
            await FinishAsync(context, services, generation, logger);
        }
    }

    /// <summary>A failed attempt: it counts toward the endpoint's circuit breaker, its published uptime and the fallback metric.</summary>
    /// <param name="reason">Short and free of upstream text (it is shared with other replicas and shown to admins).</param>
    private static void RecordFailure(InferenceServices services, RouteCandidate candidate, int status, string reason)
    {
        services.Health.RecordFailure(candidate, reason);
        services.Outcomes.RecordFailure(candidate, rateLimited: status == StatusCodes.Status429TooManyRequests);
        services.Metrics.EndpointFailed(candidate, status);
    }

    /// <summary>Whole seconds, rounded up, as <c>Retry-After</c> wants them.</summary>
    private static void SetRetryAfter(HttpResponse response, TimeSpan retryAfter)
        => response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The caller-facing refusal for a hold that was not granted, or null when it was.</summary>
    private static IResult? ReservationProblem(Reservation reservation, HoldPlan plan) => reservation.Outcome switch
    {
        ReservationOutcome.Granted => null,
        ReservationOutcome.RateLimited => ApiError.Create(StatusCodes.Status429TooManyRequests, reservation.LimitedBy switch
        {
            RateLimitScope.KeyRequestsPerMinute => "Rate limit exceeded: this key's requests per minute are used up. Try again shortly",
            RateLimitScope.KeyConcurrency => "Rate limit exceeded: this key has as many requests in flight as it may. Try again when one finishes",
            RateLimitScope.AccountRequestsPerMinute => "Rate limit exceeded: this account's requests per minute are used up. Try again shortly",
            RateLimitScope.AccountConcurrency => "Rate limit exceeded: this account has as many requests in flight as it may. Try again when one finishes",
            _ => "Rate limit exceeded: free-model requests are limited per minute and per day. Try again later, or use a paid model",
        }),
        ReservationOutcome.KeyLimitReached => ApiError.Create(StatusCodes.Status403Forbidden,
            "Key limit exceeded: this key's credit limit for the period is used up. Raise the limit or wait for it to reset"),
        ReservationOutcome.InsufficientCredits when plan.RequestedMaxTokens is > 0 and var maxTokens => ApiError.Create(StatusCodes.Status402PaymentRequired,
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
                services.Outcomes.RecordGeneration(candidate, usage);
                services.Metrics.GenerationFinished(candidate, usage);
                services.Credits.Settle(generation.Key, usage);
            }
            else
            {
                await services.Credits.ReleaseAsync(generation.Key, generation.GenerationId);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Only a release can fail here (settlements are retried by LateSettlements): the hold lapses by itself.
            LogReleaseFailed(logger, ex, generation.GenerationId);
        }
        finally
        {
            services.Metrics.HoldFinished();
        }
    }

    /// <summary>
    /// Tries the endpoints in order while nothing has gone to the caller (processing comments aside); the one
    /// that answers is metered (<see cref="GenerationAttempt.Meter"/>) for settlement. Whatever the provider's
    /// API format, its answer reaches the caller in OpenAI's, stamped by <see cref="ResponseRewriter.Finish"/>.
    /// </summary>
    private static async Task<IResult> RelayAsync(
        HttpContext context, InferenceServices services, IClientFormat format, JsonObject upstreamRequest, IReadOnlyList<RouteCandidate> candidates,
        HoldPlan plan, long heldNanos, GenerationAttempt generation, WebCitations? citations, ILogger logger, CancellationToken cancellationToken)
    {
        var creditOptions = services.CreditOptions.Value;
        var timeouts = services.UpstreamOptions.Value.Timeouts;
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        total.CancelAfter(timeouts.Total);
        await using var events = generation.Streamed ? new ClientEventStream(context.Response, generation.GenerationId, timeouts.ProcessingCommentInterval) : null;
        events?.StartProcessingComments();
        var clientStream = events is null ? null : format.OpenStream();
        UpstreamFailure? lastFailure = null;
        // Counted only if the answer comes without usage.
        var prompt = new PromptTokens(upstreamRequest);

        foreach (var candidate in services.Health.Order(candidates))
        {
            var provider = candidate.Provider;
            if (plan.BudgetFor(candidate, heldNanos, creditOptions) is not { } budget)
            {
                lastFailure ??= new UpstreamFailure(StatusCodes.Status402PaymentRequired,
                    $"Insufficient credits for {candidate.ModelId} via {provider.Name}. Add more credits to continue", provider.Name);
                continue;
            }

            if (IsEmbeddings(format) && provider.WireFormat != SnapshotWireFormats.OpenAIChat)
            {
                lastFailure ??= new UpstreamFailure(StatusCodes.Status503ServiceUnavailable, $"{provider.Name} embeddings cannot be called yet", provider.Name);
                continue;
            }
            var adapter = IsEmbeddings(format) ? OpenAIEmbeddingsAdapter.Instance : services.Adapters.For(provider.WireFormat);
            HttpRequestMessage request;
            try
            {
                request = adapter.CreateRequest(services.Upstream.TargetFor(provider, candidate.Byok),
                    ResponseRewriter.ForEndpoint(upstreamRequest, budget.LoweredMaxTokens, candidate.Thinking), candidate.Endpoint.UpstreamModel, generation.Streamed);
            }
            catch (TranslationException ex)
            {
                // This provider's API cannot express the request; another format may.
                lastFailure = new UpstreamFailure(StatusCodes.Status400BadRequest, $"{provider.Name}: {ex.Message}", provider.Name);
                continue;
            }

            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(total.Token);
            if (generation.Streamed)
            {
                attempt.CancelAfter(timeouts.FirstToken);
            }
            HttpResponseMessage response;
            try
            {
                using (request)
                {
                    response = await services.Upstream.SendAsync(request, attempt.Token);
                }
            }
            catch (HttpRequestException ex)
            {
                LogUpstreamUnreachable(logger, ex, candidate.ModelId, provider.Slug);
                RecordFailure(services, candidate, StatusCodes.Status502BadGateway, BreakerReasons.Of(ex));
                lastFailure = new UpstreamFailure(StatusCodes.Status502BadGateway, $"{provider.Name} could not be reached", provider.Name);
                continue;
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogUpstreamUnreachable(logger, ex, candidate.ModelId, provider.Slug);
                RecordFailure(services, candidate, StatusCodes.Status408RequestTimeout, BreakerReasons.Timeout);
                lastFailure = new UpstreamFailure(StatusCodes.Status408RequestTimeout, $"{provider.Name} timed out", provider.Name);
                continue;
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (IsRetryable(response.StatusCode))
                {
                    LogUpstreamFailed(logger, candidate.ModelId, provider.Slug, status);
                    RecordFailure(services, candidate, status, BreakerReasons.Of(status));
                    lastFailure = await UpstreamFailure.ReadAsync(response, provider.Name, attempt.Token);
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                {
                    lastFailure = await UpstreamFailure.ReadAsync(response, provider.Name, attempt.Token);
                    if (IsKeyRefusal(response.StatusCode))
                    {
                        // A refused key says nothing about the request: after the caller's own key the platform's
                        // may still serve it, and after the platform's key for this provider, another provider.
                        if (candidate.Byok is not null)
                        {
                            LogByokKeyRefused(logger, candidate.ModelId, provider.Slug, status);
                        }
                        else
                        {
                            LogUpstreamFailed(logger, candidate.ModelId, provider.Slug, status);
                        }
                        continue;
                    }
                    // The provider refused the request itself (400, 404, ...): another provider would too.
                    break;
                }

                var stamp = new ResponseStamp(generation.GenerationId, candidate.ModelId, provider.Name);
                var meter = GenerationMeter.For(candidate, prompt, services.Clock, generation.SurchargeNanos);
                if (events is null)
                {
                    var outcome = await ReadCompletionAsync(response, adapter, attempt.Token);
                    if (outcome.Completion is not { } completion)
                    {
                        LogUpstreamMalformed(logger, candidate.ModelId, provider.Slug);
                        RecordFailure(services, candidate, StatusCodes.Status502BadGateway, BreakerReasons.Malformed);
                        lastFailure = new UpstreamFailure(StatusCodes.Status502BadGateway, $"{provider.Name} {outcome.FailureReason}", provider.Name);
                        continue;
                    }
                    ResponseRewriter.Finish(completion, stamp, meter);
                    citations?.OnCompletion(completion);
                    byte[] bytes;
                    try
                    {
                        bytes = ResponseRewriter.Serialize(format.ToCaller(completion));
                    }
                    catch (TranslationException)
                    {
                        LogUpstreamMalformed(logger, candidate.ModelId, provider.Slug);
                        lastFailure = new UpstreamFailure(StatusCodes.Status502BadGateway, $"{provider.Name} sent an answer that cannot be shown in this format", provider.Name);
                        continue;
                    }
                    generation.Begin(candidate, meter, services.Clock.GetUtcNow());
                    services.Health.RecordSuccess(candidate);
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    context.Response.Headers["X-Generation-Id"] = generation.GenerationId;
                    context.Response.ContentType = "application/json";
                    context.Response.ContentLength = bytes.Length;
                    await context.Response.Body.WriteAsync(bytes, cancellationToken);
                    return TypedResults.Empty;
                }

                var restampAsBytes = format is ChatClientFormat && adapter is OpenAIChatAdapter && citations is null;
                var streamFailure = await RelayStreamAsync(response, adapter, restampAsBytes, events, clientStream!, stamp, meter, candidate, generation, citations, services, timeouts, attempt, logger, cancellationToken);
                if (streamFailure is not null)
                {
                    // Nothing reached the caller: the next endpoint may still answer.
                    RecordFailure(services, candidate, streamFailure.Status, BreakerReasons.WithoutProvider(streamFailure.Message, provider.Name));
                    lastFailure = streamFailure;
                    continue;
                }
                services.Health.RecordSuccess(candidate);
                return TypedResults.Empty;
            }
        }

        var failure = lastFailure ?? new UpstreamFailure(StatusCodes.Status502BadGateway, "No provider answered", null);
        if (events is { HasStarted: true })
        {
            // Processing comments already committed a 200: the failure is told in the stream, as OpenRouter does.
            await events.WriteAsync(clientStream!.OnChunk(failure.ToErrorChunk(generation.GenerationId)), cancellationToken);
            await events.WriteAsync(clientStream.Complete(), cancellationToken);
            return TypedResults.Empty;
        }
        if (failure.RetryAfter is { } retryAfter)
        {
            SetRetryAfter(context.Response, retryAfter);
        }
        return failure.ToResult();
    }

    private readonly record struct CompletionOutcome(JsonObject? Completion, string FailureReason);

    private static async Task<CompletionOutcome> ReadCompletionAsync(HttpResponseMessage response, IWireAdapter adapter, CancellationToken cancellationToken)
    {
        try
        {
            var completion = adapter.ReadCompletion(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            return new CompletionOutcome(completion, completion is null ? "sent an invalid response" : "");
        }
        catch (HttpRequestException)
        {
            return new CompletionOutcome(null, "broke off its answer");
        }
        catch (TranslationException)
        {
            return new CompletionOutcome(null, "sent a response that could not be read");
        }
    }

    /// <summary>
    /// Relays one endpoint's stream, event by event, translated to OpenAI chunks. Returns a failure (and
    /// nothing was sent) when the endpoint broke down before its first chunk; once a chunk went out, every
    /// ending (normal, upstream error, cut stream, timeout) is told in the stream and the result is null.
    /// </summary>
    private static async Task<UpstreamFailure?> RelayStreamAsync(
        HttpResponseMessage response, IWireAdapter adapter, bool restampAsBytes, ClientEventStream events, IClientStream clientStream, ResponseStamp stamp, GenerationMeter meter,
        RouteCandidate candidate, GenerationAttempt generation, WebCitations? citations, InferenceServices services, UpstreamOptions.InferenceTimeouts timeouts,
        CancellationTokenSource attempt, ILogger logger, CancellationToken cancellationToken)
    {
        var provider = candidate.Provider;
        var upstream = adapter.OpenStream();
        var begun = false;
        // Chunks that carry nothing yet (the role announcement) wait for the first real one: a provider that
        // breaks right after announcing its role has answered nothing, so the next endpoint may still serve,
        // and the caller is not charged for a prompt that produced no output.
        var preamble = new List<JsonObject>();
        // OpenAI's format straight to a chat caller: the plain chunks keep their bytes.
        var restamp = restampAsBytes ? new PlainChunkRestamp(stamp) : null;

        void Write(IReadOnlyList<JsonObject> chunks)
        {
            foreach (var chunk in chunks)
            {
                if (!begun)
                {
                    if (CarriesNothing(chunk))
                    {
                        preamble.Add(chunk);
                        continue;
                    }
                    begun = true;
                    generation.Begin(candidate, meter, services.Clock.GetUtcNow());
                    foreach (var held in preamble)
                    {
                        ResponseRewriter.Finish(held, stamp, meter);
                        citations?.OnChunk(held);
                        events.Add(clientStream.OnChunk(held));
                    }
                    preamble.Clear();
                }
                ResponseRewriter.Finish(chunk, stamp, meter);
                citations?.OnChunk(chunk);
                events.Add(clientStream.OnChunk(chunk));
            }
        }

        try
        {
            await using var upstreamBody = await response.Content.ReadAsStreamAsync(attempt.Token);
            using var reader = new SseEventReader(upstreamBody);
            while (await reader.FillAsync(attempt.Token))
            {
                var received = false;
                while (reader.TryRead(out var item))
                {
                    received = true;
                    if (begun && restamp is not null && restamp.TryRestamp(item.Data.Span, meter, out var restamped))
                    {
                        events.AddData(restamped);
                        continue;
                    }
                    var chunks = upstream.OnEvent(item.Name, item.Data.Span);
                    if (!begun && chunks.Count > 0 && chunks[0]["error"] is JsonObject)
                    {
                        // An error before any output is as good as a failed response.
                        return new UpstreamFailure(StatusCodes.Status502BadGateway, $"{provider.Name} reported an error before answering", provider.Name);
                    }
                    Write(chunks);
                }
                // Everything this read brought goes out before the next read may wait on the network.
                await events.FlushAsync(cancellationToken);
                if (received)
                {
                    attempt.CancelAfter(timeouts.Idle);
                }
            }
            var closing = upstream.Complete();
            if (!begun)
            {
                return new UpstreamFailure(StatusCodes.Status502BadGateway, $"{provider.Name} ended its stream without answering", provider.Name);
            }
            Write(closing);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
            && ex is HttpRequestException or IOException or TranslationException or OperationCanceledException)
        {
            LogStreamBroken(logger, ex, stamp.Model, stamp.Provider);
            var timedOut = ex is OperationCanceledException;
            if (!begun)
            {
                return new UpstreamFailure(timedOut ? StatusCodes.Status408RequestTimeout : StatusCodes.Status502BadGateway,
                    timedOut ? $"{provider.Name} timed out before the first token" : $"{provider.Name} broke off before answering", provider.Name);
            }
            var failure = new UpstreamFailure(timedOut ? StatusCodes.Status408RequestTimeout : StatusCodes.Status502BadGateway,
                timedOut ? $"{provider.Name} stopped sending" : $"{provider.Name} broke off the stream", provider.Name);
            // Through the meter too, so the generation is recorded as ended by an error.
            Write([failure.ToErrorChunk(stamp.GenerationId, stamp.Model)]);
        }
        await events.WriteAsync(clientStream.Complete(), cancellationToken);
        return null;
    }

    /// <summary>
    /// A chunk with no content, reasoning, tool call, finish reason, usage or error: at most the role and an
    /// empty content string, as providers open their streams.
    /// </summary>
    internal static bool CarriesNothing(JsonObject chunk)
        => chunk["error"] is null && chunk["usage"] is null && chunk["choices"] is JsonArray choices
            && choices.All(choice => choice is JsonObject item && item["finish_reason"] is null
                && (item["delta"] is not JsonObject delta || delta.All(field => field.Key == "role" || (field.Key == "content" && IsEmptyText(field.Value)))));

    private static bool IsEmptyText(JsonNode? value)
        => value is null || (value is JsonValue text && text.TryGetValue<string>(out var content) && content.Length == 0);

    private static bool IsKeyRefusal(HttpStatusCode status)
        => status is HttpStatusCode.Unauthorized or HttpStatusCode.PaymentRequired or HttpStatusCode.Forbidden;

    /// <summary>Failures another provider may not have: timeouts, rate limits and server errors.</summary>
    internal static bool IsRetryable(HttpStatusCode status)
        => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>An upstream error, answered in OpenRouter's format with the provider named in the metadata.</summary>
    /// <param name="RetryAfter">The provider's <c>Retry-After</c>, relayed to the caller with a 429 or 503.</param>
    private sealed record UpstreamFailure(int Status, string Message, string? ProviderName, TimeSpan? RetryAfter = null)
    {
        /// <summary>Rate limits and timeouts keep their meaning for the caller; every other failure is a bad gateway.</summary>
        private int CallerStatus => Status is StatusCodes.Status408RequestTimeout or StatusCodes.Status429TooManyRequests or < 500
            ? Status : StatusCodes.Status502BadGateway;

        public IResult ToResult()
        {
            return ApiError.Create(CallerStatus, Message,
                ProviderName is null ? null : new Dictionary<string, string> { ["provider_name"] = ProviderName });
        }

        /// <summary>The chunk that ends a stream which failed after its headers went out.</summary>
        public JsonObject ToErrorChunk(string generationId, string? model = null)
        {
            var chunk = WireJson.ErrorChunk(CallerStatus, Message);
            chunk["id"] = generationId;
            chunk["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            chunk["model"] = model;
            chunk["provider"] = ProviderName;
            return chunk;
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
            var retryAfter = response.Headers.RetryAfter is { } header
                ? header.Delta ?? (header.Date is { } date ? date - DateTimeOffset.UtcNow : null)
                : null;
            return new UpstreamFailure(status, message, providerName, retryAfter is { Ticks: > 0 } ? retryAfter : null);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Provider} for {Model} could not be reached; trying the next endpoint")]
    private static partial void LogUpstreamUnreachable(ILogger logger, Exception exception, string model, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Provider} for {Model} answered {Status}; trying the next endpoint")]
    private static partial void LogUpstreamFailed(ILogger logger, string model, string provider, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Provider} for {Model} refused the caller's own key ({Status}); trying the next endpoint")]
    private static partial void LogByokKeyRefused(ILogger logger, string model, string provider, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream {Provider} for {Model} sent a response that is not JSON; trying the next endpoint")]
    private static partial void LogUpstreamMalformed(ILogger logger, string model, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The web search failed; refusing the request before any upstream call")]
    private static partial void LogWebSearchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Credits could not be reserved; refusing the request")]
    private static partial void LogCreditsUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The hold of generation {GenerationId} could not be released; it lapses by itself")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string generationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream from {Provider} for {Model} broke off after it started")]
    private static partial void LogStreamBroken(ILogger logger, Exception exception, string model, string provider);

    /// <summary>The log scope of one generation: structured, so exporters get <c>GenerationId</c> as an attribute.</summary>
    private sealed class GenerationLogScope(string generationId) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public KeyValuePair<string, object?> this[int index]
            => index == 0 ? new("GenerationId", generationId) : throw new ArgumentOutOfRangeException(nameof(index));

        public int Count => 1;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"GenerationId:{generationId}";
    }

    /// <summary>Reads the whole body, or returns null when it is larger than the limit.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxRequestBodyBytes)
        {
            return null;
        }
        if (request.ContentLength is { } length)
        {
            // The usual case: straight into an array of the body's size (the server holds the caller to the length).
            var body = new byte[length];
            var received = await request.Body.ReadAtLeastAsync(body, body.Length, throwOnEndOfStream: false, cancellationToken);
            return body.AsMemory(0, received);
        }

        using var buffer = new MemoryStream(4096);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxRequestBodyBytes)
                {
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
